"""/participants for curators (being built in this issue)."""

from aiogram import Router


def get_router() -> Router:
    return Router(name="participants")
