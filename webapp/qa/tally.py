"""Coalesced vote tallies: a few `vote_tally_changed` per second per meeting, not one per vote.

Votes are stored one by one (`qa.services.vote`), which marks the question dirty once the vote
commits, and the coalescer (webapp/realtime/coalescer.py) sends the current counts every
`PUENTE_TALLY_INTERVAL_MS` (300 ms; at once under TESTING).

Each count travels with its `votes_version` (bumped in the vote's own UPDATE), because two
processes' broadcasts can arrive in either order: clients keep the highest version.
"""

from __future__ import annotations

from webapp.qa import services
from webapp.realtime import log
from webapp.realtime.coalescer import Coalescer

EVENT = "vote_tally_changed"


def _send_tallies(meeting_id: int, question_ids: set[int]) -> None:
    tallies, versions = services.versioned_tallies(question_ids)
    if tallies:
        log.announce(meeting_id, EVENT, {"tallies": tallies, "revs": versions})


def _everything(meeting_id: int) -> list[int]:
    return services.live_question_ids(meeting_id)


coalescer = Coalescer("vote tallies", _send_tallies, setting="PUENTE_TALLY_INTERVAL_MS",
                      default_ms=300, testing_ms=0, everything=_everything)
