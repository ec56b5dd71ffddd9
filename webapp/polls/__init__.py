"""Polls, word clouds and surveys: organisers ask, attendees answer, results are coalesced."""
