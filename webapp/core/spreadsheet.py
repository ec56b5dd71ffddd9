"""CSV that opens cleanly in Excel (Chinese and Spanish intact) and cannot run formulas."""

from __future__ import annotations

#: Excel reads UTF-8 only when the file starts with a byte order mark.
BOM = "\ufeff"
#: A cell starting with one of these is a formula to spreadsheets (OWASP "CSV injection").
#: The full-width forms count too: spreadsheets set to East Asian input read them as formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Spreadsheets skip these before a formula sign (ASCII, no-break and ideographic space).
LEADING_SPACE = " \u00a0\u3000"


def neutralise(value) -> str:
    """Text as a spreadsheet should show it: a leading apostrophe stops formulas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    if text.startswith(FORMULA_STARTS) or text.lstrip(LEADING_SPACE).startswith(FORMULA_STARTS):
        return "'" + text
    return text
