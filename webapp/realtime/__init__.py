"""Rooms, the one broadcaster, the per-meeting event log and replay."""
