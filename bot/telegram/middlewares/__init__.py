"""Outer middlewares: throttling, the current person, their language."""
