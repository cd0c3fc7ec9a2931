"""Composition root and Telegram glue for Nastavnik."""
