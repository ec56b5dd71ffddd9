"""Benchmarks 2-4: vote and poll storms, registration race and page rate, long board.

Each drives the real commands and views (`vote`, `answer_poll`, `load_posts`, the
registration form, the meeting page) from bench/scenarios.mjs, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

import requests

from bench.common import Baseline, Puente, ratio, run_node, table, temporary_postgres


def scenario(config: dict, timeout: int = 180) -> dict:
    """Run one scenario of bench/scenarios.mjs."""
    return run_node("bench/scenarios.mjs", config, timeout)


@contextlib.contextmanager
def puente(database: str, **options):
    workdir = Path(tempfile.mkdtemp(prefix="puente-bench-"))
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(temporary_postgres()) if database == "postgresql" else None
        server = Puente(workdir, database_url=url, **options)
        try:
            yield server
        finally:
            server.stop()


def get(server: Puente, path: str) -> dict:
    return requests.get(server.servers[0].url + path, timeout=60).json()


def vote_storm(database: str, voters: int, seconds: int) -> dict:
    with puente(database, ratelimit=True) as server:
        question = server.post("/_probe/question", meeting=server.meeting)["id"]
        result = scenario({"scenario": "votes", "url": server.urls[0],
                           "clients": server.attendees(voters), "question": question,
                           "seconds": seconds})
        result.update(get(server, f"/_probe/votes/{question}"))
    return result


def poll_storm(database: str, answerers: int, seconds: int, options: int = 4) -> dict:
    """Every attendee answers one single-choice poll once, answers spread over its options."""
    with puente(database, ratelimit=True) as server:
        poll = server.post("/_probe/poll", meeting=server.meeting, options=options)["id"]
        return scenario({"scenario": "polls", "url": server.urls[0],
                         "clients": server.attendees(answerers), "poll": poll,
                         "options": options, "seconds": seconds,
                         "check": f"{server.urls[0]}/_probe/poll/{poll}"})


def _per_database(measure, row, width: int) -> tuple[list, dict]:
    """`measure(database)` on SQLite and PostgreSQL: table rows (an error fills a row) and
    every result."""
    rows, results = [], {}
    for database in ("sqlite", "postgresql"):
        try:
            results[database] = result = measure(database)
        except Exception as error:
            results[database] = {"error": str(error)[:200]}
            rows.append([database, "error: " + str(error)[:60]] + [None] * (width - 2))
            continue
        rows.append([database, *row(result)])
    return rows, results


def _total(result: dict) -> str:
    low, high = result["result_total_min"], result["result_total_max"]
    return str(low) if low == high else f"{low}-{high}"


def admission(database: str, clients: int) -> dict:
    with puente(database) as server:
        ours = scenario({"scenario": "joins", "url": server.urls[0], "concurrency": 50,
                         "clients": server.attendees(clients)})
    flask = Baseline("flask")
    try:
        bare = scenario({"scenario": "joins", "url": flask.url, "concurrency": 50,
                         "clients": flask.attendees(clients)})
    finally:
        flask.stop()
    return {"puente": ours, "flask": bare}


def long_board(database: str, posts: int) -> dict:
    with puente(database) as server:
        server.post("/_probe/posts", meeting=server.meeting, count=posts)
        return scenario({"scenario": "board", "url": server.urls[0],
                         "clients": server.attendees(1)})


def registration(database: str, seats: int, applicants: int, seconds: int) -> dict:
    with puente(database) as server:
        created = server.post("/_probe/meeting", capacity=seats, agenda=12)
        sessions = server.post("/_probe/sessions", count=applicants)["sessions"]
        race = scenario({"scenario": "register", "url": server.urls[0], "slug": created["slug"],
                         "forms": sessions})
        race["by_status"] = get(server, f"/_probe/registrations/{created['id']}")
        page = f"{server.urls[0]}/m/{created['slug']}"
        agenda = f"{page}/clock"
        sizes = {url: len(requests.get(url, timeout=30).content) for url in (page, agenda)}
        flask = Baseline("flask")
        try:
            rates = scenario({"scenario": "pages", "seconds": seconds, "concurrency": 8,
                              "urls": {"puente meeting page": page,
                                       "bare Flask view": f"{flask.url}/page?bytes={sizes[page]}",
                                       "puente agenda page": agenda,
                                       "bare Flask view (agenda size)":
                                           f"{flask.url}/page?bytes={sizes[agenda]}"}})
        finally:
            flask.stop()
    return {"race": race, "pages": rates}


def storms(quick: bool = False, report: list | None = None) -> None:
    """The vote storm and the poll storm, side by side."""
    report = report if report is not None else []
    voters = 300 if quick else 1000
    rows, results = _per_database(
        lambda database: vote_storm(database, voters, 10),
        lambda result: [result["voters"], result["acked_ok"], result["stored"],
                        result["vote_count"], result["storm_s"], result["converge_p99_ms"],
                        result["converge_max_ms"], result["tally_events_per_client_s"],
                        result["frames_per_client_s_max"]], 10)
    print(f"\n### Vote storm: {voters} attendees vote on one question within 10 s")
    print(table(["database", "voters", "acks ok", "stored", "counter", "storm s",
                 "converge p99 ms", "converge max ms", "tallies/client/s",
                 "frames/client/s max"], rows))
    report.append({"bench": "vote_storm", "results": results})

    rows, results = _per_database(
        lambda database: poll_storm(database, voters, 10),
        lambda result: [result["answerers"], result["acked_ok"], result["db"]["stored"],
                        _total(result), f"{result['clients_equal_db']}/{result['answerers']}",
                        result["storm_s"], result["converge_p99_ms"],
                        result["converge_max_ms"], result["frames_per_client_s_max"]], 10)
    print(f"\n### Poll storm: {voters} attendees answer one single-choice poll within 10 s")
    print(table(["database", "answerers", "acks ok", "answers stored", "result total",
                 "clients = database", "storm s", "converge p99 ms", "converge max ms",
                 "frames/client/s max"], rows))
    report.append({"bench": "poll_storm", "results": results})


def run(quick: bool = False, report: list | None = None) -> None:
    report = report if report is not None else []
    storms(quick, report)
    clients = 300 if quick else 1000
    rows, joins = [], {}
    for database in ("sqlite", "postgresql"):
        try:
            joins[database] = result = admission(database, clients)
        except Exception as error:
            joins[database] = {"error": str(error)[:200]}
            rows.append([database, "error: " + str(error)[:60]] + [None] * 5)
            continue
        ours, bare = result["puente"], result["flask"]
        rows.append([database, f"{ours['joined']}/{ours['clients']}", ours["joins_per_s"],
                     ours["p50_ms"], ours["p99_ms"], bare["joins_per_s"],
                     ratio(ours["joins_per_s"], bare["joins_per_s"])])
    print(f"\n### Admission: {clients} attendees connect and join (snapshot), 50 at a time")
    print(table(["database", "joined", "joins/s", "p50 ms", "p99 ms", "bare Flask joins/s",
                 "Puente ÷ bare"], rows))
    report.append({"bench": "admission", "results": joins})

    rows, boards = [], {}
    for database in ("sqlite", "postgresql"):
        try:
            boards[database] = result = long_board(database, 10_000)
            rows.append([database, result.get("pages"), result.get("posts_seen"),
                         result.get("p50_ms"), result.get("p99_ms"), result.get("max_ms")])
        except Exception as error:
            boards[database] = {"error": str(error)[:200]}
            rows.append([database, "error: " + str(error)[:60], None, None, None, None])
    print("\n### Long board: 10,000 posts, page back to the first (load_posts)")
    print(table(["database", "pages", "posts seen", "p50 ms", "p99 ms", "max ms"], rows))
    report.append({"bench": "long_board", "results": boards})

    rows, regs = [], {}
    for database in ("sqlite", "postgresql"):
        try:
            regs[database] = result = registration(database, 100, 300, 3 if quick else 5)
        except Exception as error:
            regs[database] = {"error": str(error)[:200]}
            rows.append([database, "error: " + str(error)[:60]] + [None] * 6)
            continue
        race, pages = result["race"], result["pages"]
        for label, ours, bare in (
                ("meeting", pages["puente meeting page"], pages["bare Flask view"]),
                ("agenda", pages["puente agenda page"], pages["bare Flask view (agenda size)"])):
            rows.append([database, json.dumps(race["by_status"]), race["seconds"], label,
                         f"{ours['requests_per_s']} ({ours['page_bytes']} B)",
                         f"{bare['requests_per_s']} ({bare['page_bytes']} B)",
                         ratio(ours["requests_per_s"], bare["requests_per_s"]),
                         ours["p99_ms"]])
    print("\n### Registration: 300 concurrent sign-ups for 100 seats; page rates")
    print(table(["database", "registrations", "race s", "page", "Puente req/s",
                 "bare Flask req/s (same size)", "Puente ÷ bare", "page p99 ms"], rows))
    report.append({"bench": "registration", "results": regs})
