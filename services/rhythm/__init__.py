"""A pair's rhythm: cadence cycles, reminders, "did you meet?", the meeting log."""
