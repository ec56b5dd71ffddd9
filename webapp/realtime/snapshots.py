"""Snapshot and figure providers: each domain contributes its part of a fresh client state,
and of the current figures a short replay carries (counts and own votes/reactions, which are
not logged and so cannot be replayed)."""

from __future__ import annotations

from collections.abc import Callable

from webapp.realtime.actor import Actor as Participant

#: A part's builder: `(participant, meeting)` -> the part. The meeting is read once per
#: snapshot by the caller and handed to every part (realtime knows it only as an object).
Builder = Callable[[Participant, object], object]
#: A figures builder: `(participant)` -> the part's current figures, small (no whole items).
FiguresBuilder = Callable[[Participant], object]

_providers: dict[str, Builder] = {}
_figure_providers: dict[str, FiguresBuilder] = {}


def provide(name: str, builder: Builder) -> None:
    """Register `builder(participant, meeting)` to fill `snapshot[name]`."""
    _providers[name] = builder


def provide_figures(name: str, builder: FiguresBuilder) -> None:
    """Register `builder(participant)` to fill `figures[name]` of a short replay's ack."""
    _figure_providers[name] = builder


def build(participant: Participant, seq: int, meeting: object) -> dict:
    """A fresh client state at `seq`, assembled from every provided part."""
    snapshot: dict = {"seq": seq}
    for name, builder in _providers.items():
        snapshot[name] = builder(participant, meeting)
    return snapshot


def figures(participant: Participant) -> dict:
    """The current ephemeral figures this participant may see, from every provided part."""
    return {name: builder(participant) for name, builder in _figure_providers.items()}
