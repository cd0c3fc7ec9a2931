"""Forms as data: questions, their kinds and bounds, and answer checking."""
