"""One way to show a service's refusal on a WTForms form."""

from __future__ import annotations

from webapp.errors import DomainError


def show_error(form, error: DomainError, *, fallback: str | None = None) -> None:
    """Put the message under the field the service named (`field`), so the person sees what to
    fix where they typed it; else under `fallback`, else at the top of the form."""
    name = (error.details or {}).get("field") or fallback
    field = form._fields.get(name) if name else None
    message = str(error.message)
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)
