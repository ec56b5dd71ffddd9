"""Message board for long sessions."""
