"""Individual development plans: goals, tasks, their rules and reminders."""
