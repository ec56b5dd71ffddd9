"""Domain errors: a stable machine `code` plus a translatable human message.

Services raise these; views turn them into form errors or flashes, socket handlers into
`{ok: false, error: {code, message}}` acks. Messages are lazy strings so they render in the
language of whoever reads them.
"""

from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """A refusal of a domain rule; views and socket handlers turn it into what the user sees."""
    code = "error"
    default_message = _l("Something went wrong.")

    def __init__(self, message=None, **details):
        self.message = message if message is not None else self.default_message
        self.details = details
        super().__init__(str(self.message))

    def as_dict(self) -> dict:
        """The `error` object of a refused socket ack."""
        return {"code": self.code, "message": str(self.message), **self.details}


class NotFound(DomainError):
    """The object does not exist, or not for this person (no hint which)."""
    code = "not_found"
    default_message = _l("This item does not exist.")


class Forbidden(DomainError):
    """The person may not do this."""
    code = "forbidden"
    default_message = _l("You are not allowed to do that.")


class StaffOnly(Forbidden):
    """Only the meeting's organisers and moderators may do this."""
    default_message = _l("Only organisers and moderators of this meeting can do that.")


def require_staff(participant) -> None:
    """Refuse a live participant who is not staff of their meeting: one rule, one message, for
    every service that acts for a socket."""
    if not participant.is_staff:
        raise StaffOnly()


class InvalidInput(DomainError):
    """The input cannot be used; `field` names the part at fault."""
    code = "invalid"
    default_message = _l("Please check what you entered.")


class Conflict(DomainError):
    """Someone changed the object first; the client should look again."""
    code = "conflict"
    default_message = _l("Someone else changed this first. Please look again.")


class RateLimited(DomainError):
    """Too many attempts; try again later."""
    code = "rate_limited"
    default_message = _l("Too many requests. Please wait a moment.")


class Closed(DomainError):
    """The object no longer takes this action (closed Q&A, answered question...)."""
    code = "closed"
    default_message = _l("This is closed right now.")
