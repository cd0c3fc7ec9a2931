"""People and their rights: first contact, consent, profiles, privacy and erasure."""
