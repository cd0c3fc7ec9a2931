"""Every filter and handler of the bot is a coroutine: aiogram runs a plain function (a bare
`State`, a magic `F` expression) in a thread of its own, a trip that cost more than the rest of a
form step (see bot/telegram/filters.py)."""

from __future__ import annotations

from collections.abc import Iterator

from aiogram import Dispatcher, Router

from bot.app import Application


def _routers(router: Router) -> Iterator[Router]:
    yield router
    for child in router.sub_routers:
        yield from _routers(child)


def test_no_filter_or_handler_runs_in_a_thread(dispatcher: Dispatcher, app: Application) -> None:
    in_threads = []
    for router in _routers(dispatcher):
        for name, observer in router.observers.items():
            for filter_ in observer._handler.filters or []:
                if not filter_.awaitable:
                    in_threads.append(f"{router.name}.{name}: router filter {filter_.callback!r}")
            for handler in observer.handlers:
                if not handler.awaitable:
                    in_threads.append(f"{router.name}.{name}: handler {handler.callback!r}")
                for filter_ in handler.filters or []:
                    if not filter_.awaitable:
                        in_threads.append(
                            f"{router.name}.{name}: {handler.callback.__name__} "
                            f"filter {filter_.callback!r}"
                        )
    assert in_threads == []
