"""Journeys several flow tests start from."""

from __future__ import annotations

import re

from tests.fakes import BOT_USERNAME, TelegramClient

LINK = re.compile(rf"https://t\.me/{BOT_USERNAME}\?start=([A-Za-z0-9_-]+)")


def invite_code(text: str) -> str:
    match = LINK.search(text)
    assert match, f"no invite link in {text!r}"
    return match.group(1)


async def create_organisation(
    superadmin: TelegramClient,
    name: str = "МБОУ «СОШ № 7»",
    address: str = "663300, г. Норильск, ул. Ленина, 1",
    timezone_button: str = "Krasnoyarsk (UTC+7)",
) -> str:
    """Create an organisation through /org_new; returns the curator invite code."""
    await superadmin.send("/org_new")
    await superadmin.send(name)
    await superadmin.send(address)
    await superadmin.click(timezone_button)
    replies = await superadmin.click("Создать")
    return invite_code(replies[-1])


async def make_curator(superadmin: TelegramClient, curator: TelegramClient) -> None:
    code = await create_organisation(superadmin)
    await curator.send(f"/start {code}")


async def curator_invite(curator: TelegramClient, role_button: str) -> str:
    await curator.send("/invite")
    replies = await curator.click(role_button)
    return invite_code(replies[-1])
