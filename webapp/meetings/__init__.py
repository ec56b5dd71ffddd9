"""Meetings, series and the organisations behind them."""
