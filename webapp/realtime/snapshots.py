"""Snapshot providers: each domain contributes its part of a fresh client state."""

from __future__ import annotations

from collections.abc import Callable

from webapp.realtime.actor import Actor as Participant

#: A part's builder: `(participant, meeting)` -> the part. The meeting is read once per
#: snapshot by the caller and handed to every part (realtime knows it only as an object).
Builder = Callable[[Participant, object], object]

_providers: dict[str, Builder] = {}


def provide(name: str, builder: Builder) -> None:
    """Register `builder(participant, meeting)` to fill `snapshot[name]`."""
    _providers[name] = builder


def build(participant: Participant, seq: int, meeting: object) -> dict:
    """A fresh client state at `seq`, assembled from every provided part."""
    snapshot: dict = {"seq": seq}
    for name, builder in _providers.items():
        snapshot[name] = builder(participant, meeting)
    return snapshot
