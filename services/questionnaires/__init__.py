"""Questionnaires: definitions as data (YAML a curator can change), the built-in instruments,
their versions per organisation, the answers people give, campaigns and the scores computed from
them. They are asked by the one form engine (services/forms)."""
