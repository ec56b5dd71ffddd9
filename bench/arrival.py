"""Arrival benchmarks (issue 15): admission, reconnect storm, page rush, memory per attendee.

Every row runs on a meeting as it stands an hour in (`/_probe/content`: 300 live questions
with votes, 1,000 board posts, the agenda clock running, open and closed polls with answers),
on SQLite and on PostgreSQL, one Puente process, next to the bare Flask-SocketIO server
(bench/bare_flask.py) measured in the same run. The clients are bench/arrival.mjs.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import tempfile
import time

import requests

from bench.common import NODE, ROOT, Baseline, ratio, run_node, table
from bench.scenarios import puente, scenario
from tests.support.server import PROBE, start_server

DATABASES = ("sqlite", "postgresql")
#: `puente serve`'s drain in the storm: clients are asked to move within 80 % of it.
STORM_DRAIN_SECONDS = 2
CONTENT = {"questions": 300, "posts": 1000, "polls": 4}
#: The closed-loop admission stops starting clients after this long (bounds a slow join).
ADMIT_SECONDS = 300


def arrival(config: dict, timeout: int = 600) -> dict:
    """Run one scenario of bench/arrival.mjs."""
    return run_node("bench/arrival.mjs", config, timeout)


@contextlib.contextmanager
def full_meeting(database: str, **options):
    """One Puente process on a fresh database, its meeting filled with CONTENT."""
    with puente(database, **options) as server:
        server.slug = server.post("/_probe/content", meeting=server.meeting,
                                  **CONTENT)["slug"]
        yield server


def admission(database: str, clients: int, rate: int, save_ack: str | None = None) -> dict:
    """Closed loop (50 at a time, then everyone held for the RSS) and open loop at `rate`/s;
    `save_ack`: a file to keep the first join's answer in (for `bare_admission`)."""
    with full_meeting(database) as server:
        specs = server.attendees(clients)
        closed = arrival({"scenario": "admit", "url": server.urls[0], "clients": specs,
                          "concurrency": 50, "pids": server.pids, "hold": True,
                          "max_seconds": ADMIT_SECONDS, "save_ack": save_ack})
        time.sleep(2)  # the closed loop's clients leave before the next arrive
        paced = arrival({"scenario": "admit", "url": server.urls[0], "clients": specs,
                         "rate": rate, "pids": server.pids})
    return {"closed": closed, "paced": paced}


def bare_admission(clients: int, rate: int, ack: str | None = None) -> dict:
    """The bare stack's join; with `ack` (a file of Puente's join answer) one of its size."""
    flask = Baseline("flask", env={"PUENTE_BENCH_JOIN_ACK": ack} if ack else None)
    try:
        specs = flask.attendees(clients)
        closed = arrival({"scenario": "admit", "url": flask.url, "clients": specs,
                          "concurrency": 50, "pids": flask.pids, "hold": True})
        time.sleep(2)
        paced = arrival({"scenario": "admit", "url": flask.url, "clients": specs,
                         "rate": rate, "pids": flask.pids})
    finally:
        flask.stop()
    return {"closed": closed, "paced": paced}


def reconnect_storm(database: str, clients: int, before_s: int, after_s: int) -> dict:
    """Everyone joined, the mix running; SIGTERM, then the same port and database again."""
    env = {"PUENTE_DRAIN_SECONDS": str(STORM_DRAIN_SECONDS)}
    with full_meeting(database, env=env) as server:
        specs = server.attendees(clients + 1)
        config = {"scenario": "storm", "url": server.urls[0], "clients": specs[:-1],
                  "driver": specs[-1], "sample": min(200, clients), "pids": server.pids,
                  "mix": {"questions": 2, "votes": 50, "posts": 1},
                  "before_s": before_s, "min_after_s": 25, "after_s": after_s,
                  "connectConcurrency": 50}
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(config, handle)
            path = handle.name
        errors = tempfile.TemporaryFile()  # noqa: SIM115 (read below)
        node = subprocess.Popen([NODE, "bench/arrival.mjs", path], cwd=ROOT, text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors)
        try:
            line = node.stdout.readline()
            if line.strip() != "READY":
                node.wait(timeout=30)
                errors.seek(0)
                raise RuntimeError(f"storm driver: {line!r} {errors.read()[-1500:]!r}")
            old = server.servers[0]
            node.stdin.write(f"sigterm {time.time() * 1000:.0f}\n")
            node.stdin.flush()
            old.process.terminate()  # `puente serve` drains, then exits
            old.process.wait(timeout=STORM_DRAIN_SECONDS + 30)
            new = start_server(server.env, old.port, module=PROBE, wait=60)
            server.servers[0] = new
            node.stdin.write(f"up {time.time() * 1000:.0f}\n")
            node.stdin.flush()
            output, _ = node.communicate(timeout=after_s + 120)
        finally:
            if node.poll() is None:
                node.kill()
                node.wait()
            os.unlink(path)
        if node.returncode:
            errors.seek(0)
            raise RuntimeError(errors.read()[-1500:].decode(errors="replace"))
        return json.loads(output.strip().splitlines()[-1])


def page_rush(database: str, seconds: int) -> dict:
    """The attendee live page with an attendee's session, against a bare view of its size."""
    with full_meeting(database) as server:
        slug = server.slug
        attendee = server.post("/_probe/attendees", meeting=server.meeting,
                               count=1)["attendees"][0]
        page = f"{server.urls[0]}/m/{slug}/live"
        response = requests.get(page, headers={"Cookie": attendee["cookie"]}, timeout=30)
        if response.status_code != 200:
            raise RuntimeError(f"live page answered {response.status_code}")
        flask = Baseline("flask")
        try:
            return scenario({"scenario": "pages", "seconds": seconds, "concurrency": 8,
                             "urls": {"puente live page": {"url": page,
                                                           "cookie": attendee["cookie"]},
                                      "bare Flask view":
                                          f"{flask.url}/page?bytes={len(response.content)}"}})
        finally:
            flask.stop()


def _error_row(error: Exception, width: int, label: str) -> list:
    return [label, "error: " + str(error)[:70]] + [None] * (width - 2)


def run(quick: bool = False, report: list | None = None) -> None:
    report = report if report is not None else []
    clients = 300 if quick else 5000
    rate = 500
    started = time.monotonic()
    results: dict = {}
    try:
        results["bare"] = bare = bare_admission(clients, rate)
    except Exception as error:
        results["bare"] = bare = {"error": str(error)[:200]}
    with tempfile.TemporaryDirectory() as acks:
        for database in DATABASES:
            try:
                results[database] = admission(database, clients, rate,
                                              save_ack=os.path.join(acks, database))
            except Exception as error:
                results[database] = {"error": str(error)[:200]}
        saved = [os.path.join(acks, d) for d in DATABASES if os.path.exists(os.path.join(acks, d))]
        try:
            if not saved:
                raise RuntimeError("no Puente join answer to copy")
            results["bare_same"] = bare_admission(clients, rate, ack=saved[0])
        except Exception as error:
            results["bare_same"] = {"error": str(error)[:200]}
    same = results["bare_same"]
    labels = {"bare": "bare Flask-SocketIO", "bare_same": "bare, Puente's join answer"}
    servers = (*DATABASES, "bare", "bare_same")
    rows = []
    for label in servers:
        result = results[label]
        if "error" in result:
            rows.append(_error_row(result["error"], 9, label))
            continue
        closed = result["closed"]
        puente_row = label in DATABASES
        rows.append([labels.get(label, label),
                     f"{closed['joined']}/{closed['arrived']}/{closed['clients']}",
                     closed["joins_per_s"],
                     ratio(closed["joins_per_s"], bare.get("closed", {}).get("joins_per_s"))
                     if puente_row else "-",
                     ratio(closed["joins_per_s"], same.get("closed", {}).get("joins_per_s"))
                     if puente_row else "-",
                     closed["p50_ms"], closed["p99_ms"], closed["ack_bytes"],
                     f"{closed.get('rss_per_joined_kb')} ({closed.get('held')} held)"])
    print(f"\n### Admission: {clients} attendees connect and join (snapshot), 50 at a time, "
          f"into a meeting with {CONTENT['questions']} questions, {CONTENT['posts']} posts, "
          f"{CONTENT['polls']} polls, the clock running")
    print(table(["server", "joined/arrived/all", "joins/s", "Puente ÷ bare",
                 "Puente ÷ bare of its size", "p50 ms", "p99 ms", "join ack bytes",
                 "KB RSS per joined attendee"], rows))
    print(f"  (the closed loop stops admitting after {ADMIT_SECONDS} s; a client that gets no "
          "ack within 60 s gives up and counts in the percentiles with the time it waited; "
          "the last row answers every join with the answer Puente gave on SQLite, encoded "
          "per join)")
    rows = []
    for label in servers:
        result = results[label]
        if "error" in result:
            rows.append(_error_row(result["error"], 9, label))
            continue
        paced = result["paced"]
        rows.append([labels.get(label, label),
                     f"{paced['joined']}/{paced['clients']}", paced["failed"],
                     paced.get("reconnects"), paced["seconds"], paced["joins_per_s"],
                     paced["p50_ms"], paced["p99_ms"], paced["max_ms"]])
    print(f"\n### Admission paced: {clients} attendees arriving at {rate}/s (open loop), "
          "join ack latency")
    print(table(["server", "joined", "gave up (60 s)", "connected again", "s", "joins/s",
                 "p50 ms", "p99 ms", "max ms"], rows))
    print("  (as the page, a client whose connect is refused busy or closed connects again "
          "on its back-off; its latency counts from its first arrival)")
    rows = []
    for label in servers:
        closed = results[label].get("closed")
        if not closed:
            continue
        base = bare.get("closed", {}).get("rss_per_joined_kb")
        rows.append([labels.get(label, label), closed.get("held"),
                     closed.get("rss_mb"), closed.get("rss_per_joined_kb"),
                     "-" if label not in DATABASES else ratio(closed.get("rss_per_joined_kb"),
                                                              base)])
    print("\n### Memory: server RSS growth per joined attendee (all held, caches included)")
    print(table(["server", "attendees held", "RSS MB", "KB per joined attendee",
                 "Puente ÷ bare"], rows))
    report.append({"bench": "admission_full_meeting", "clients": clients, "rate": rate,
                   "content": CONTENT, "results": results})
    print(f"(admission rows: {time.monotonic() - started:.0f} s)")

    started = time.monotonic()
    storms, rows = {}, []
    before_s, after_s = (3, 40) if quick else (5, 60)
    for database in DATABASES:
        try:
            storms[database] = result = reconnect_storm(database, clients, before_s, after_s)
        except Exception as error:
            storms[database] = {"error": str(error)[:200]}
            rows.append(_error_row(error, 11, database))
            continue
        rows.append([database, f"{result['joined_before']}/{result['clients']}",
                     result["server_down_ms"] / 1000,
                     f"{result['rejoined']} ({result.get('join_retries', 0)} busy)",
                     result["all_back_s"],
                     result["rejoin_p99_s"], f"{result['replays']}/{result['snapshots']}",
                     f"{result['sample_missed_events']} ({result['sample_missed_clients']}/"
                     f"{result['sample_checked']})",
                     f"{result['sample_duplicated_events']} "
                     f"({result['sample_duplicated_clients']})",
                     result["p99_before_ms"], result["back_under_250ms_s"]])
    print(f"\n### Reconnect storm: {clients} joined attendees, mix running, server restarted "
          f"(SIGTERM, drain {STORM_DRAIN_SECONDS} s, started again on the same port); "
          "times from the SIGTERM")
    print(table(["database", "joined", "down s", "rejoined (joins asked again)", "all back s",
                 "rejoin p99 s",
                 "replay/snapshot", "sample missed (clients/checked)",
                 "sample delivered twice (clients)",
                 "mix p99 before ms", "p99 < 250 ms from s"], rows))
    for database, result in storms.items():
        if "windows" in result:
            cells = " ".join(f"{w['s']}:{'-' if w['p99_ms'] is None else round(w['p99_ms'])}"
                             for w in result["windows"] if w["s"] >= -2)
            print(f"  {database} mix p99 ms by second sent (s after SIGTERM:p99): {cells}")
        for example in result.get("missed_examples", [])[:1]:
            print(f"  {database} a sampled client that missed events: {json.dumps(example)}")
    report.append({"bench": "reconnect_storm", "clients": clients, "results": storms})
    print(f"(reconnect storm rows: {time.monotonic() - started:.0f} s)")

    started = time.monotonic()
    pages, rows = {}, []
    for database in DATABASES:
        try:
            pages[database] = result = page_rush(database, 3 if quick else 5)
        except Exception as error:
            pages[database] = {"error": str(error)[:200]}
            rows.append(_error_row(error, 5, database))
            continue
        ours, bare_page = result["puente live page"], result["bare Flask view"]
        rows.append([database, f"{ours['requests_per_s']} ({ours['page_bytes']} B)",
                     f"{bare_page['requests_per_s']} ({bare_page['page_bytes']} B)",
                     ratio(ours["requests_per_s"], bare_page["requests_per_s"]),
                     ours["p99_ms"]])
    print("\n### Page rush: the attendee live page (/m/<slug>/live, with a session), "
          "8 at a time")
    print(table(["database", "Puente req/s", "bare Flask req/s (same size)", "Puente ÷ bare",
                 "page p99 ms"], rows))
    report.append({"bench": "page_rush", "results": pages})
    print(f"(page rush rows: {time.monotonic() - started:.0f} s)")
