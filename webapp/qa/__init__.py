"""Live questions, votes and moderation."""
