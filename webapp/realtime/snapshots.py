"""Snapshot and figure providers: each domain contributes its part of a fresh client state,
and of the current figures a short replay carries (counts and own votes/reactions, which are
not logged and so cannot be replayed).

**Attendees share most of a snapshot.** When a meeting opens, or a server restarts, thousands
of attendees join within seconds, and each used to get the questions, the board's newest page
and the polls read and encoded for them alone. A part may therefore come in two halves: what
every attendee sees alike (`shared(meeting)`, built and encoded once per meeting state and
kept in `SharedSnapshots`) and the keys that are the attendee's own (`personal(participant,
meeting)`: own questions, own votes, own answers). Staff, interpreters and the presenter
screen, a handful per meeting, keep the whole per-person `builder`.

A shared half is reused only while nothing could have changed it: the same `seq` and erasure
mark (`pruned_seq`), no count it holds delivered to the meeting's room since it was built
(counts change without a `seq`, `retired_by`; a socket joins its rooms before it asks for a
snapshot, so any later event reaches it), and for at most `MAX_AGE` seconds (edits that
announce nothing). Presence is read for each join: arrivals change it all the time.

**Most attendees have nothing of their own yet.** A part's personal half may come with an
SQL test of whether the attendee has anything in it (`has_own`, an EXISTS over `:meeting` and
`:registration`) and what the half is when they have not (`nothing_own`). One statement asks
every part at once, and only the parts that answer yes run their own reads: at a meeting's
opening that is one statement per join instead of five.

**Some parts are computed at each join's moment** (the clock's projections from `now`). Such a
part may share its inputs instead (`plan(meeting)`, read once per meeting state like a shared
half, never sent as it is) and build each attendee's part from them (`from_plan`).

**One build at a time.** When a half is missing, the first join builds it and the joins that
arrive meanwhile wait for that build instead of each running the same queries: at a meeting's
opening fifty joins are in flight at once, and without this every one of them read the whole
meeting whenever a half retired.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, select

from webapp.extensions import db
from webapp.realtime.actor import Actor as Participant
from webapp.realtime.transport.spliced_json import encode_shared, shared_value

#: A part's builder: `(participant, meeting)` -> the part. The meeting is read once per
#: snapshot by the caller and handed to every part (realtime knows it only as an object).
Builder = Callable[[Participant, object], object]
#: What every attendee of the meeting sees alike: `(meeting)` -> a dict (or a list, which
#: has no personal keys).
SharedBuilder = Callable[[object], dict | list]
#: An attendee's own keys of a shared part: `(participant, meeting)` -> a small dict.
PersonalBuilder = Callable[[Participant, object], dict]
#: A figures builder: `(participant)` -> the part's current figures, small (no whole items).
FiguresBuilder = Callable[[Participant], object]
#: The figures every attendee sees alike: `(meeting id)` -> a dict.
SharedFiguresBuilder = Callable[[int], dict]
#: An attendee's own figures: `(participant)` -> a small dict.
PersonalFiguresBuilder = Callable[[Participant], dict]

#: What attendees share of a part computed at each join's moment: `(meeting)` -> its inputs.
PlanBuilder = Callable[[object], object]
#: An attendee's part from the shared inputs: `(participant, plan)` -> the part.
FromPlan = Callable[[Participant, object], object]

#: The longest a shared half is reused, whatever else holds.
MAX_AGE = 2.0


@dataclass(frozen=True)
class Provider:
    """How one part of a snapshot is built."""

    builder: Builder
    shared: SharedBuilder | None = None
    personal: PersonalBuilder | None = None
    #: SQL: whether the attendee may have anything in `personal` (binds :meeting, :registration).
    has_own: ColumnElement[bool] | None = None
    #: `personal`'s answer when `has_own` says no.
    nothing_own: Mapping | None = None
    plan: PlanBuilder | None = None
    from_plan: FromPlan | None = None


@dataclass(frozen=True)
class FiguresProvider:
    """How one part of a short replay's figures is built."""

    builder: FiguresBuilder
    shared: SharedFiguresBuilder | None = None
    personal: PersonalFiguresBuilder | None = None
    has_own: ColumnElement[bool] | None = None
    nothing_own: Mapping | None = None


_providers: dict[str, Provider] = {}
_figure_providers: dict[str, FiguresProvider] = {}
#: Unlogged events (counts) that change a shared half: delivering one retires it.
_retiring_events: set[str] = set()


def provide(name: str, builder: Builder, *, shared: SharedBuilder | None = None,
            personal: PersonalBuilder | None = None, retired_by: Iterable[str] = (),
            has_own: ColumnElement[bool] | None = None, nothing_own: Mapping | None = None,
            plan: PlanBuilder | None = None, from_plan: FromPlan | None = None) -> None:
    """Register `builder(participant, meeting)` to fill `snapshot[name]`.

    With `shared`, an attendee's part is `shared(meeting)` merged with
    `personal(participant, meeting)`, which must equal what `builder` gives them.
    `retired_by`: the unlogged events whose news the shared half holds (logged events
    change the `seq`, which retires it anyway). `has_own` and `nothing_own`, `plan` and
    `from_plan` (whose part must equal `builder`'s too): see the module.
    """
    _providers[name] = Provider(builder, shared, personal, has_own, nothing_own, plan,
                                from_plan)
    _retiring_events.update(retired_by)


def retiring_events() -> frozenset[str]:
    """The unlogged events after which a shared half must be built again."""
    return frozenset(_retiring_events)


def provide_figures(name: str, builder: FiguresBuilder, *,
                    shared: SharedFiguresBuilder | None = None,
                    personal: PersonalFiguresBuilder | None = None,
                    has_own: ColumnElement[bool] | None = None,
                    nothing_own: Mapping | None = None) -> None:
    """Register `builder(participant)` to fill `figures[name]` of a short replay's ack; with
    `shared`, an attendee's is `shared(meeting id)` merged with `personal(participant)`
    (or `nothing_own` when `has_own` says they have nothing in it)."""
    _figure_providers[name] = FiguresProvider(builder, shared, personal, has_own, nothing_own)


def shares_snapshot(participant: Participant) -> bool:
    """Whether `participant` gets the attendees' shared snapshot: an attendee and nothing
    else (no staff, interpreter or presenter view)."""
    return (participant.registration_id is not None and not participant.is_staff
            and not participant.is_interpreter and not participant.is_presenter)


class _Build:
    """One half being built: the joins that need it meanwhile wait here for its result."""

    def __init__(self):
        self.done = threading.Event()
        self.result: tuple[dict | list, str] | None = None


@dataclass
class _Entry:
    key: tuple
    built_at: float
    parts: dict[str, tuple[dict | list, str]] = field(default_factory=dict)
    building: dict[str, _Build] = field(default_factory=dict)


class SharedSnapshots:
    """The shared halves of the attendees' snapshot of each meeting, as last built."""

    def __init__(self, deliveries: Callable[[int], int] = lambda _meeting_id: 0,
                 clock: Callable[[], float] = time.monotonic):
        #: How many counts that shared halves hold this process delivered to a meeting's room.
        self.deliveries = deliveries
        self.clock = clock
        self._entries: dict[int, _Entry] = {}
        self._lock = threading.Lock()
        #: Shared halves built (for the benchmark and tests).
        self.built = 0

    def part(self, meeting_id: int, version: tuple, name: str,
             build: Callable[[], dict | list], *,
             encode: bool = True) -> tuple[dict | list, str | None]:
        """The shared half `name` of `meeting_id` at `version`: `(value, its JSON text)`
        (no text without `encode`: a plan, which is never sent as it is)."""
        key = (version, self.deliveries(meeting_id))
        now = self.clock()
        with self._lock:
            entry = self._entries.get(meeting_id)
            if entry is None or entry.key != key or now - entry.built_at > MAX_AGE:
                entry = self._entries[meeting_id] = _Entry(key, now)
            found = entry.parts.get(name)
            flight = entry.building.get(name) if found is None else None
            leading = found is None and flight is None
            if leading:
                flight = entry.building[name] = _Build()
        if found is not None:
            return found
        if not leading:
            flight.done.wait()
            if flight.result is not None:
                return flight.result
            return self._encoded(build, encode)  # the first build failed: try for itself
        try:
            flight.result = self._encoded(build, encode)
            with self._lock:
                entry.parts[name] = flight.result
                self.built += 1
        finally:
            with self._lock:
                entry.building.pop(name, None)
            flight.done.set()
        return flight.result

    @staticmethod
    def _encoded(build: Callable[[], dict | list], encode: bool) -> tuple[dict | list, str | None]:
        value = build()
        return value, encode_shared(value) if encode else None

    def forget(self, meeting_id: int) -> None:
        """Drop a meeting's shared halves (no socket of it is left here)."""
        with self._lock:
            self._entries.pop(meeting_id, None)


def build(participant: Participant, seq: int, meeting: object, *,
          shared: SharedSnapshots | None = None, erased_seq: int = 0) -> dict:
    """A fresh client state at `seq`, assembled from every provided part.

    With `shared`, an attendee's shared halves come from it (`erased_seq`: the meeting's
    `pruned_seq`, part of the state they were built from).
    """
    snapshot: dict = {"seq": seq}
    sharing = shared is not None and shares_snapshot(participant)
    owning = own_parts(participant, _providers) if sharing else {}
    for name, provider in _providers.items():
        if sharing and provider.plan is not None:
            plan, _text = shared.part(participant.meeting_id, (seq, erased_seq), name,
                                      lambda provider=provider: provider.plan(meeting),
                                      encode=False)
            snapshot[name] = provider.from_plan(participant, plan)
        elif sharing and provider.shared is not None:
            value, text = shared.part(participant.meeting_id, (seq, erased_seq), name,
                                      lambda provider=provider: provider.shared(meeting))
            own = _own_half(provider, owning.get(name, True),
                            lambda provider=provider: provider.personal(participant, meeting))
            snapshot[name] = shared_value(value, text, own)
        else:
            snapshot[name] = provider.builder(participant, meeting)
    return snapshot


def figures(participant: Participant, *, shared: SharedSnapshots | None = None,
            version: tuple = (0, 0)) -> dict:
    """The current ephemeral figures this participant may see, from every provided part.

    With `shared`, an attendee's shared halves come from it, at `version` (`seq`, erasure
    mark), under names of their own beside the snapshot's.
    """
    sharing = shared is not None and shares_snapshot(participant)
    owning = own_parts(participant, _figure_providers) if sharing else {}
    result: dict = {}
    for name, provider in _figure_providers.items():
        if sharing and provider.shared is not None:
            value, text = shared.part(participant.meeting_id, version, f"figures.{name}",
                                      lambda provider=provider: provider.shared(
                                          participant.meeting_id))
            own = _own_half(provider, owning.get(name, True),
                            lambda provider=provider: provider.personal(participant))
            result[name] = shared_value(value, text, own)
        else:
            result[name] = provider.builder(participant)
    return result


def _own_half(provider: Provider | FiguresProvider, may_have: bool,
              read: Callable[[], dict]) -> dict | None:
    """An attendee's own keys of a shared part: read, or the part's `nothing_own` (a fresh
    copy) when `own_parts` said they have nothing there."""
    if not may_have:
        return copy.deepcopy(dict(provider.nothing_own))
    return read() if provider.personal else None


def own_parts(participant: Participant,
              providers: Mapping[str, Provider | FiguresProvider]) -> dict[str, bool]:
    """Which parts may hold something of this attendee's own, asked of every part that can
    say so in one statement; a part missing from the answer builds its personal half."""
    names = tuple(name for name, provider in providers.items() if provider.has_own is not None)
    if not names:
        return {}
    statement = _own_statements.get(names)
    if statement is None:
        statement = _own_statements[names] = select(
            *(providers[name].has_own.label(name) for name in names))
    row = db.session.execute(statement, {
        "meeting": participant.meeting_id, "registration": participant.registration_id}).one()
    return {name: bool(answer) for name, answer in zip(names, row, strict=True)}


#: The statement asking the parts named in the key whether an attendee has own data there.
_own_statements: dict[tuple[str, ...], object] = {}
