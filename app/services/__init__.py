"""Business rules and commits. Functions take keyword arguments only."""
