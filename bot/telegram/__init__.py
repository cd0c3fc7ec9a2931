"""The Telegram adapter: keyboards, callbacks, states, middlewares, the transport, the reply
path and form rendering. A second messenger would be a sibling of this package."""
