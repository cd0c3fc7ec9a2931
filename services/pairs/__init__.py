"""Pairs from creation to the end: capacity, lifecycle, the head's order, petitions, cadence,
views.
"""
