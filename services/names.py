"""How people are named to others: the full ФИО to curators, the first name to strangers."""

from __future__ import annotations


def first_name(full_name: str | None) -> str:
    """The имя of a "Фамилия Имя Отчество" (the form asks the surname first)."""
    if not full_name:
        return ""
    parts = full_name.split()
    return parts[1] if len(parts) >= 2 else parts[0]


def short_name(full_name: str | None) -> str:
    """"Иванова Анна Петровна" → "Анна Иванова": how a mentee is shown a suggested mentor."""
    if not full_name:
        return ""
    parts = full_name.split()
    if len(parts) < 2:
        return parts[0]
    return f"{parts[1]} {parts[0]}"
