"""The curator's desk: live numbers (`/stats`), the indicators against the targets of the
programme, and the data of the documents a school files (`/report`). Reads only, except the
figures a curator enters and the audit record of each document made; the files themselves are
drawn by `bot.documents`."""
