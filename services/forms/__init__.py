"""Forms as data and the one engine that asks them: definitions (questions, kinds, bounds,
show-if), the checking of an answer, where a form goes next, and the form in progress kept in the
database so it survives a restart. Nothing here knows Telegram."""
