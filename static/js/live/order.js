// The client rule of docs/protocol.md ("Applying events"), shared by every live page and
// tested on its own with `node --test tests/js`. No browser APIs here.
//
// - Until the `join` ack is applied, every event is buffered: its state may be older or newer
//   than the snapshot or replay being prepared.
// - A snapshot replaces the state and sets lastSeq to its seq; a replay applies its events by
//   the rule below and then moves lastSeq up to the ack's seq.
// - An event with a seq is applied only when its seq is above lastSeq, which it then becomes.
//   The server delivers each connection's logged events in seq order (one ordered path per
//   meeting), so a lower or equal seq is one already applied (a replay overlapping live events).
// - Events without a seq (counts, presence) apply as they come; counts carry a revision and
//   Revisions keeps the highest.
// - A replay's ack also carries `figures` (the current counts and own votes/reactions, which
//   no event replays): they are handed to `refresh` after the replayed events and before the
//   events buffered meanwhile, which are newer.

export class EventOrder {
  /**
   * `apply(type, data)` runs each event that passes; `reset(snapshot)` replaces the state;
   * `refresh(figures)` brings the ephemeral figures up to date after a replay.
   */
  constructor({ apply, reset, refresh = () => {} }) {
    this.apply = apply;
    this.reset = reset;
    this.refresh = refresh;
    this.lastSeq = null;
    this.joined = false;
    this.buffer = [];
  }

  /** The connection dropped: buffer until the next join ack. */
  leave() {
    this.joined = false;
  }

  receive(type, data) {
    if (!this.joined) {
      this.buffer.push([type, data]);
      return;
    }
    this.#one(type, data);
  }

  /** Apply a `join` ack (`{seq, snapshot}` or `{seq, events}`), then what arrived meanwhile. */
  joinAck(ack) {
    if (ack.snapshot) {
      this.reset(ack.snapshot);
      this.lastSeq = ack.snapshot.seq;
    } else {
      for (const event of ack.events || []) this.#one(event.type, event.data);
      this.lastSeq = Math.max(this.lastSeq ?? 0, ack.seq);
      if (ack.figures) this.refresh(ack.figures);
    }
    this.joined = true;
    const buffered = this.buffer;
    this.buffer = [];
    for (const [type, data] of buffered) this.#one(type, data);
  }

  #one(type, data) {
    if (data && typeof data.seq === "number") {
      if (this.lastSeq !== null && data.seq <= this.lastSeq) return;  // already applied
      this.lastSeq = data.seq;
    }
    this.apply(type, data);
  }
}

/** Keep the newest of several broadcasts of one count: the highest revision wins. */
export class Revisions {
  constructor() {
    this.seen = new Map();
  }

  /** True when `rev` is at least the highest seen for (kind, id); it is then remembered. */
  newer(kind, id, rev) {
    if (typeof rev !== "number") return true;  // no revision: the last one received wins
    const key = `${kind}:${id}`;
    const known = this.seen.get(key);
    if (known !== undefined && rev < known) return false;
    this.seen.set(key, rev);
    return true;
  }

  clear() {
    this.seen.clear();
  }
}

/**
 * Merge an incoming question over the one shown, keeping the vote count with the higher
 * revision (a question event may carry an older tally than a `vote_tally_changed` applied).
 */
export function mergeVotes(revisions, shown, incoming) {
  return keepNewest(revisions, "votes", shown, incoming, "votes", "votes_rev");
}

/** The same for a post's reaction counts (`reactions`, `reactions_rev`). */
export function mergeReactions(revisions, shown, incoming) {
  return keepNewest(revisions, "reactions", shown, incoming, "reactions", "reactions_rev");
}

function keepNewest(revisions, kind, shown, incoming, field, revField) {
  if (!revisions.newer(kind, incoming.id, incoming[revField]) && shown) {
    return { ...incoming, [field]: shown[field], [revField]: shown[revField] };
  }
  return incoming;
}

/** The entries of a `vote_tally_changed` / `reaction_counts_changed` that are newest. */
export function newestCounts(revisions, kind, figures, revs = {}) {
  return Object.entries(figures || {}).filter(([id]) => revisions.newer(kind, id, revs[id]));
}
