"""Real HTTP sessions and python-socketio clients against a running server."""

from __future__ import annotations

import re
import threading

import requests
import socketio

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browserish:
    """A requests session that logs in or joins like a browser and then opens sockets."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.http = requests.Session()
        self.sockets: list[socketio.Client] = []

    def csrf(self, path: str = "/") -> str:
        html = self.http.get(self.base_url + path, timeout=10).text
        return _CSRF.search(html).group(1)

    def login(self, email: str, password: str) -> None:
        token = self.csrf("/login")
        response = self.http.post(self.base_url + "/login", allow_redirects=False, timeout=10,
                                  data={"email": email, "password": password,
                                        "csrf_token": token})
        assert response.status_code == 302, response.text[:300]

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies)

    def connect(self, meeting_id: int, *, origin: str | None = None,
                token: str | None = None, transport: str = "websocket",
                **client_options) -> socketio.Client:
        """Open a socket; the WebSocket client sends the page's own Origin by itself."""
        client = socketio.Client(reconnection=False, **client_options)
        headers = {"Cookie": self.cookie_header()}
        if origin:
            headers["Origin"] = origin
        client.connect(self.base_url, headers=headers, transports=[transport],
                       auth={"csrf_token": token or self.csrf(), "meeting": meeting_id},
                       wait_timeout=10)
        self.sockets.append(client)
        return client

    def close(self) -> None:
        for client in self.sockets:
            if client.connected:
                client.disconnect()
        self.http.close()


def close_all(people: list[Browserish]) -> None:
    """Close everyone at once. Under the gevent and threading servers a client's disconnect
    waits up to 3 s for the server's closing frame; one person after another, that adds up."""
    closing = [threading.Thread(target=person.close) for person in people]
    for thread in closing:
        thread.start()
    for thread in closing:
        thread.join()


class EventOrder:
    """The client rule of docs/protocol.md ("Applying events"), as connection.js applies it.

    - Until the `join` ack is applied, every event is buffered (its state may be older or
      newer than the snapshot or replay being prepared).
    - A snapshot replaces the state and sets `last_seq` to its `seq`; a replay applies its
      events by the rule below and then moves `last_seq` up to the ack's `seq`.
    - An event with a `seq` is applied only when its `seq` is above `last_seq`, which it then
      becomes; anything at or below was already applied (the server delivers each client's
      logged events in `seq` order, so nothing between is missing).
    - Events without a `seq` (counts, presence) are applied as they come; counts carry a
      revision and `Revisions.newer` keeps the highest.
    - A replay's `figures` (current counts, own votes/reactions) go to `refresh` after its
      events and before the buffered ones.
    """

    def __init__(self, apply, reset, refresh=lambda figures: None):
        self._apply = apply
        self._reset = reset
        self._refresh = refresh
        self.last_seq: int | None = None
        self.joined = False
        self.buffer: list[tuple[str, object]] = []

    def leave(self) -> None:
        self.joined = False

    def receive(self, event_type: str, data) -> None:
        if not self.joined:
            self.buffer.append((event_type, data))
            return
        self._one(event_type, data)

    def join_ack(self, ack: dict) -> None:
        if ack.get("snapshot") is not None:
            self._reset(ack["snapshot"])
            self.last_seq = ack["snapshot"]["seq"]
        else:
            for event in ack.get("events", []):
                self._one(event["type"], event["data"])
            self.last_seq = max(self.last_seq or 0, ack["seq"])
            if ack.get("figures"):
                self._refresh(ack["figures"])
        self.joined = True
        buffered, self.buffer = self.buffer, []
        for event_type, data in buffered:
            self._one(event_type, data)

    def _one(self, event_type: str, data) -> None:
        seq = data.get("seq") if isinstance(data, dict) else None
        if isinstance(seq, int):
            if self.last_seq is not None and seq <= self.last_seq:
                return
            self.last_seq = seq
        self._apply(event_type, data)


class Revisions:
    """Keep the newest of several broadcasts of one count: the highest revision wins."""

    def __init__(self):
        self.seen: dict[tuple[str, str], int] = {}

    def newer(self, kind: str, key, rev) -> bool:
        if not isinstance(rev, int):
            return True  # a server without revisions: the last one received wins
        known = self.seen.get((kind, str(key)))
        if known is not None and rev < known:
            return False
        self.seen[kind, str(key)] = rev
        return True

    def clear(self) -> None:
        self.seen.clear()


class LiveView:
    """A socket whose Q&A and board state follows the documented client rule.

    `questions` (id -> question as the snapshot shows it), `counts` (staff tabs) and
    `reactions` (post id -> counts) can be compared with a fresh snapshot's.
    """

    def __init__(self, meeting_id: int, headers: dict, csrf_token: str):
        self.meeting_id = meeting_id
        self.headers = headers
        self.csrf_token = csrf_token
        self.lock = threading.RLock()
        self.questions: dict[int, dict] = {}
        self.counts: dict | None = None
        self.staff = False
        self.reactions: dict[int, dict] = {}
        self.revs = Revisions()
        self.order = EventOrder(self._apply, self._reset, self._refresh)
        self.client: socketio.Client | None = None

    def connect(self, url: str) -> dict:
        """Open a socket on `url` and join from the current position; returns the ack."""
        client = socketio.Client(reconnection=False)
        client.on("*", self._on_event)
        client.on("batch", self._on_batch)
        with self.lock:
            self.order.leave()
        client.connect(url, transports=["websocket"], headers=self.headers,
                       auth={"csrf_token": self.csrf_token, "meeting": self.meeting_id},
                       wait_timeout=10)
        self.client = client
        ack = client.call("join", {"last_seq": self.order.last_seq}, timeout=10)
        assert ack["ok"], ack
        with self.lock:
            self.order.join_ack(ack)
        return ack

    def disconnect(self) -> None:
        if self.client is not None and self.client.connected:
            self.client.disconnect()

    def _on_batch(self, items):
        with self.lock:
            for event_type, data in items:
                self.order.receive(event_type, data)

    def _on_event(self, event_type, data=None):
        with self.lock:
            self.order.receive(event_type, data)

    # the state ----------------------------------------------------------------------------

    def _reset(self, snapshot: dict) -> None:
        self.revs.clear()
        self.questions = {}
        for question in snapshot["qa"]["questions"]:
            self._upsert(question)
        self.counts = snapshot["qa"].get("counts")
        self.staff = self.counts is not None  # the console renders staff events only
        self.reactions = {}
        for post in snapshot.get("board", {}).get("posts", []):
            self._set_reactions(post["id"], post.get("reactions", {}), post.get("reactions_rev"))

    def _upsert(self, question: dict) -> None:
        question = dict(question)
        known = self.questions.get(question["id"])
        if known is not None and not self.revs.newer("votes", question["id"],
                                                     question.get("votes_rev")):
            question["votes"], question["votes_rev"] = known["votes"], known.get("votes_rev")
        elif known is None:
            self.revs.newer("votes", question["id"], question.get("votes_rev"))
        self.questions[question["id"]] = question

    def _set_reactions(self, post_id: int, counts: dict, rev) -> None:
        if self.revs.newer("reactions", post_id, rev):
            self.reactions[int(post_id)] = counts

    def _apply(self, event_type: str, data) -> None:
        if event_type in ("question_published", "question_updated") and not self.staff:
            self._upsert(data["question"])
        elif event_type == "question_removed" and not self.staff:
            self.questions.pop(data["question_id"], None)
        elif event_type == "staff_question_changed" and self.staff:
            if data["question"]["status"] == "withdrawn":
                self.questions.pop(data["question"]["id"], None)
            else:
                self._upsert(data["question"])
            self.counts = data.get("counts", self.counts)
        elif event_type == "vote_tally_changed":
            revs = data.get("revs", {})
            for key, votes in data["tallies"].items():
                question = self.questions.get(int(key))
                if question is not None and self.revs.newer("votes", key, revs.get(key)):
                    question["votes"] = votes
                    if key in revs:
                        question["votes_rev"] = revs[key]
        elif event_type == "reaction_counts_changed":
            revs = data.get("revs", {})
            for key, counts in data["counts"].items():
                if int(key) in self.reactions:
                    self._set_reactions(int(key), counts, revs.get(key))

    def _refresh(self, figures: dict) -> None:
        """A rejoin's current counts, applied by revision like their events."""
        if "qa" in figures:
            self._apply("vote_tally_changed", figures["qa"])
        if "board" in figures:
            self._apply("reaction_counts_changed", figures["board"])

    def view(self) -> dict:
        with self.lock:
            return {"questions": {k: dict(v) for k, v in self.questions.items()},
                    "counts": self.counts, "reactions": dict(self.reactions)}
