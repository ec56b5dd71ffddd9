"""Agenda items, speakers and the live clock."""
