"""Functions that build reply markups; texts come from the current language."""
