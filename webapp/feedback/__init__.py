"""The feedback survey after a meeting: organisers' questions, one response per registration."""
