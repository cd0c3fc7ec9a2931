from __future__ import annotations

from bot.keyboards.common import NotificationKeyboard

NOTIFICATION_KEYBOARDS: dict[str, NotificationKeyboard] = {}
