"""Staff users, login and per-meeting roles."""
