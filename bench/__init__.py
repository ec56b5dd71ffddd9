"""Benchmarks that print figures side by side with baselines (`python -m bench`)."""
