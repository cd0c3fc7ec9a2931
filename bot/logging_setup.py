"""Logging an operator can read: quiet when idle, text or JSON lines, and never the bot token,
whatever a library puts in a message, a traceback or an error it prints."""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import quote

# Any Telegram-shaped token, even one that is not ours (a pasted token in a traceback), plain or
# URL-encoded (":" as %3A), and so also inside "bot<id>:<secret>" of a request path.
_TOKEN_RE = re.compile(r"\d{5,20}(?::|%3[Aa])[A-Za-z0-9_-]{30,60}")
REDACTED = "[REDACTED]"

# Libraries that log at INFO on every tick or update; heard only at LOG_LEVEL=DEBUG.
_CHATTY_LOGGERS = (
    "apscheduler",  # "Running job …", "Job … executed successfully" every second
    "aiogram.event",  # "Update id=… is handled" for every update
)
# Lines libraries log at INFO on every start and stop; the bot logs one start-up line of its own.
# Their other INFO lines stay ("Running upgrade …", "Connection established" after an outage).
_ROUTINE_LINES = {
    "aiogram.dispatcher": ("Start polling", "Run polling for bot", "Polling stopped"),
    "alembic.runtime.migration": ("Context impl ", "Will assume "),
}


def token_secrets(token: str) -> tuple[str, ...]:
    """Every form in which this token could be printed: whole, URL-encoded, and its secret part
    alone (a server may echo only part of the path)."""
    if not token:
        return ()
    forms = {token, quote(token, safe=""), quote(token, safe="").lower()}
    secret = token.partition(":")[2]
    if len(secret) >= 20:  # short strings would redact innocent text
        forms.add(secret)
    # Longest first, so the whole token is replaced before its secret part is.
    return tuple(sorted(forms, key=len, reverse=True))


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return _TOKEN_RE.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Renders each record's message and traceback once, with secrets replaced."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self._secrets)
        record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = redact(
                logging.Formatter().formatException(record.exc_info), self._secrets
            )
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self._secrets)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the exception when present."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


class _RedactingFormatter(logging.Formatter):
    """Redacts the finished line as well: whatever the formatter adds is covered too."""

    def __init__(self, inner: logging.Formatter, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self._inner = inner
        self._secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return redact(self._inner.format(record), self._secrets)


class _DropRoutineLines(logging.Filter):
    def __init__(self, prefixes: tuple[str, ...]) -> None:
        super().__init__()
        self._prefixes = prefixes

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.levelno == logging.INFO
            and isinstance(record.msg, str)
            and record.msg.startswith(self._prefixes)
        )


_ROUTINE_FILTERS = {name: _DropRoutineLines(prefixes) for name, prefixes in _ROUTINE_LINES.items()}


def quiet_libraries(level: str) -> None:
    """Silence the libraries' per-tick and per-update INFO lines unless LOG_LEVEL=DEBUG."""
    debug = logging.getLevelName(level) <= logging.DEBUG
    for name in _CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET if debug else logging.WARNING)
    for name, routine in _ROUTINE_FILTERS.items():
        library = logging.getLogger(name)
        library.removeFilter(routine)
        if not debug:
            library.addFilter(routine)
    # aiohttp's access and client logs may carry request URLs, which contain the token.
    logging.getLogger("aiohttp").setLevel(max(logging.getLevelName(level), logging.WARNING))


def configure_logging(level: str, secrets: tuple[str, ...] = (), log_format: str = "text") -> None:
    handler = logging.StreamHandler()
    inner = (
        JsonFormatter()
        if log_format == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.setFormatter(_RedactingFormatter(inner, secrets))
    # On the root's handler, so every library's records pass through it.
    handler.addFilter(RedactingFilter(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quiet_libraries(level)
    _log_uncaught_exceptions()


def _log_uncaught_exceptions() -> None:
    """An exception nobody caught is logged (and so redacted) instead of printed raw."""
    crash = logging.getLogger("bot.crash")

    def hook(
        kind: type[BaseException], error: BaseException, traceback: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, traceback)
            return
        crash.critical("Unhandled %s", kind.__name__, exc_info=(kind, error, traceback))

    def thread_hook(arguments: threading.ExceptHookArgs) -> None:
        if arguments.exc_value is not None:
            crash.critical(
                "Unhandled %s in a thread",
                arguments.exc_type.__name__,
                exc_info=(arguments.exc_type, arguments.exc_value, arguments.exc_traceback),
            )

    sys.excepthook = hook
    threading.excepthook = thread_hook
