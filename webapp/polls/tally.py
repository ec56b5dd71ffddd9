"""Coalesced poll results: a few `poll_results_changed` per second per meeting, not one per
answer (the way qa/tally.py coalesces vote tallies).

Each poll's results travel with its `results_rev`, bumped in the answer's own UPDATE and read
before the answers, so clients keep the highest whichever process's frame arrives last.
Results go to everyone for polls whose results attendees may see; the others to the staff
room and the presenter screen only. Moderators also get every written answer with its status
(`poll_answers_changed`, staff room) to moderate.
"""

from __future__ import annotations

from webapp.polls import services
from webapp.realtime import log
from webapp.realtime.coalescer import Coalescer
from webapp.realtime.models import Audience

EVENT = "poll_results_changed"
ANSWERS_EVENT = "poll_answers_changed"


def _send_results(meeting_id: int, poll_ids: set[int]) -> None:
    public: dict = {"results": {}, "revs": {}}
    private: dict = {"results": {}, "revs": {}}
    review: dict = {"answers": {}, "revs": {}}
    versioned = services.versioned_results(poll_ids)
    for poll, results in versioned:
        key = str(poll.id)
        part = public if services.results_visible(poll) else private
        part["results"][key] = results
        part["revs"][key] = poll.results_rev
    revs = {poll.id: poll.results_rev for poll, _results in versioned}
    for poll_id, answers in services.reviews([poll for poll, _r in versioned]).items():
        review["answers"][str(poll_id)] = answers
        review["revs"][str(poll_id)] = revs[poll_id]
    if public["results"]:
        log.announce(meeting_id, EVENT, public)
    if private["results"]:
        log.announce(meeting_id, EVENT, private, audience=Audience.STAFF)
        log.announce(meeting_id, EVENT, private, audience=Audience.PRESENTER)
    if review["answers"]:
        log.announce(meeting_id, ANSWERS_EVENT, review, audience=Audience.STAFF)


def _everything(meeting_id: int) -> list[int]:
    return services.answered_poll_ids(meeting_id)


coalescer = Coalescer("poll results", _send_results, setting="PUENTE_TALLY_INTERVAL_MS",
                      default_ms=300, testing_ms=0, everything=_everything)
