"""Organisations and their setup: creation, invites, participants, programme settings, time zones
and sending windows.
"""
