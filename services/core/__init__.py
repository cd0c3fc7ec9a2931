"""Shared ground of every use case: the clock, domain errors, the transaction boundary, access
checks, the audit log, how people are named.
"""
