"""Everything the bot sends on its own initiative: queueing rows, the rate limit, the sender that
delivers them.
"""
