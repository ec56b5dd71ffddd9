"""The meeting report: drafted from the meeting's own data, edited and published by staff."""
