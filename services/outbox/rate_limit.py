"""Spacing of outgoing messages: a global rate and a minimum interval per chat."""

from __future__ import annotations

from services.core.clock import Clock

# Telegram allows about one message a second in one chat, measured when the message arrives;
# network jitter can bring two sends spaced exactly 1 s apart closer than that, so keep a margin.
CHAT_INTERVAL = 1.1


class SendRateLimiter:
    """Hands out send slots: at most `per_second` overall and one per `chat_interval` per chat.

    A slot is reserved before waiting for it, so concurrent workers never share one. A 429 pauses
    everything, because Telegram's flood limit is per bot, not per chat.
    """

    def __init__(
        self, clock: Clock, *, per_second: float, chat_interval: float = CHAT_INTERVAL
    ) -> None:
        self._clock = clock
        self._spacing = 1.0 / per_second
        self._chat_interval = chat_interval
        self._next_global = 0.0
        self._next_per_chat: dict[str, float] = {}
        self._paused_until = 0.0

    async def wait_turn(self, chat_id: str | int) -> None:
        # Addresses are text in the outbox and numbers in some adapters' replies: one chat, one key.
        chat_id = str(chat_id)
        while True:
            now = self._clock.monotonic()
            global_slot = max(self._next_global, now, self._paused_until)
            self._next_global = global_slot + self._spacing
            slot = max(global_slot, self._next_per_chat.get(chat_id, 0.0))
            self._next_per_chat[chat_id] = slot + self._chat_interval
            if slot > now:
                await self._clock.sleep(slot - now)
            # A 429 that arrived while we waited moves everyone behind the pause.
            if self._clock.monotonic() >= self._paused_until:
                self._forget_old_chats()
                return

    def note_reply(self, chat_id: str | int) -> None:
        """A reply to a person went out: it used the bot's budget and that chat's second, so the
        queued messages step back (people's answers go first, the queue yields to them)."""
        chat_id = str(chat_id)
        now = self._clock.monotonic()
        self._next_global = max(self._next_global, now) + self._spacing
        self._next_per_chat[chat_id] = max(
            self._next_per_chat.get(chat_id, 0.0), now + self._chat_interval
        )

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock.monotonic() + seconds)

    def _forget_old_chats(self) -> None:
        if len(self._next_per_chat) < 10_000:
            return
        now = self._clock.monotonic()
        self._next_per_chat = {chat: t for chat, t in self._next_per_chat.items() if t > now}
