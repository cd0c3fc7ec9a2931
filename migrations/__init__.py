"""Alembic migrations (sequential revisions in versions/)."""
