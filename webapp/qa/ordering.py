"""The popular order of questions, kept alike by the server and the browser.

Most votes first; among equal votes the question asked first (lower id), which has waited
longest. The pages re-sort live with `byPopularity` in static/js/qa/common.js; both run the
vectors in tests/data/popular_vectors.json, so a first render and a live re-sort agree.
"""

from __future__ import annotations

from webapp.qa.models import Question

#: ORDER BY clauses for "by votes" lists (presenter's next questions, follow-up lists).
POPULAR = (Question.vote_count.desc(), Question.id.asc())
#: The presenter's next questions: the moderators' "up next" order first (rows without a
#: place sort after those with one), then the popular order; `upNextFirst` in common.js too.
UP_NEXT_FIRST = (Question.up_next_position.is_(None), Question.up_next_position.asc(), *POPULAR)
