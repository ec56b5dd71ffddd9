"""Snapshot providers: each domain contributes its part of a fresh client state."""

from __future__ import annotations

from collections.abc import Callable

from webapp.realtime.actor import Actor as Participant

_providers: dict[str, Callable[[Participant], object]] = {}


def provide(name: str, builder: Callable[[Participant], object]) -> None:
    """Register `builder(participant)` to fill `snapshot[name]`."""
    _providers[name] = builder


def build(participant: Participant, seq: int) -> dict:
    """A fresh client state at `seq`, assembled from every provided part."""
    snapshot: dict = {"seq": seq}
    for name, builder in _providers.items():
        snapshot[name] = builder(participant)
    return snapshot
