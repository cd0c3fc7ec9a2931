"""Use cases: one class per domain area. No aiogram imports here."""
