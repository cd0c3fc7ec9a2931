"""How people are named to others: the full ФИО to curators, the first name to strangers."""

from __future__ import annotations

import re


def first_name(full_name: str | None) -> str:
    """The имя of a "Фамилия Имя Отчество" (the form asks the surname first)."""
    if not full_name:
        return ""
    parts = full_name.split()
    return parts[1] if len(parts) >= 2 else parts[0]


def short_name(full_name: str | None) -> str:
    """ "Иванова Анна Петровна" → "Анна Иванова": how a mentee is shown a suggested mentor."""
    if not full_name:
        return ""
    parts = full_name.split()
    if len(parts) < 2:
        return parts[0]
    return f"{parts[1]} {parts[0]}"


_CONTACTS = re.compile(
    r"(?:https?://\S+|www\.\S+|t\.me/\S+)"  # links
    r"|[\w.+-]+@[\w-]+\.[\w.-]+"  # e-mail addresses
    r"|@\w{4,}"  # Telegram usernames
    r"|\+?\d[\d\s()-]{8,}\d"  # phone numbers
)


def without_contacts(text: str | None) -> str:
    """A request's words as a mentor first sees them: links, e-mails, @names and phones removed,
    so the mentee is not identifiable before they are paired."""
    return _CONTACTS.sub("…", text or "")
