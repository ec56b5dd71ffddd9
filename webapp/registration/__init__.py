"""Registrations, waitlist, personal join links and e-mails."""
