"""Mentees' requests and the offers that put them to mentors, including the curator's side."""
