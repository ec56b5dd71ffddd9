"""Room names. Every emit goes to one of these, never to a hand-built string."""


def meeting_room(meeting_id: int) -> str:
    """Everyone joined to the meeting, staff included."""
    return f"meeting:{meeting_id}"


def staff_room(meeting_id: int) -> str:
    """Organisers and moderators: pending questions and private data go only here."""
    return f"meeting:{meeting_id}:staff"


def interpreters_room(meeting_id: int) -> str:
    """Interpreters who are not staff: pending questions without personal data."""
    return f"meeting:{meeting_id}:interpreters"


def participant_room(registration_id: int) -> str:
    """All open tabs of one attendee."""
    return f"registration:{registration_id}"


def user_room(user_id: int) -> str:
    """All open tabs of one staff user (closed on logout or deactivation)."""
    return f"user:{user_id}"


def presenter_room(meeting_id: int) -> str:
    """The meeting's presenter screens (closed when the presenter token is rotated)."""
    return f"presenter:{meeting_id}"
