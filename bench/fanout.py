"""Benchmarks 1 and 5: fan-out to N attendees, against bare Flask-SocketIO and Node socket.io.

Every row is one server process (or two behind Redis) and one load-generator process
(bench/loadgen.mjs) playing the same events: a realistic mix (2 questions approved/s,
50 vote tallies/s, 1 board post/s) and then a burst of logged events. The baselines broadcast
each event naively with `emit(..., to=room)`; Puente runs the whole path (socket command ->
service -> event log in the database -> commit -> broadcaster).
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

from bench.common import Baseline, Puente, ratio, run_loadgen, table, temporary_postgres


@contextlib.contextmanager
def target(kind: str, workdir: Path, **options):
    database = options.pop("database", "sqlite")
    with contextlib.ExitStack() as stack:
        if kind == "puente":
            url = stack.enter_context(temporary_postgres()) if database == "postgresql" else None
            server = Puente(workdir, database_url=url, **options)
        else:
            options.pop("processes", None)
            server = Baseline(kind, **options)
        try:
            yield server
        finally:
            server.stop()


def measure(kind: str, clients: int, *, compression: bool = True, mode: str = "eventlet",
            processes: int = 1, database: str = "sqlite", mix_seconds: int = 8,
            burst: int = 200) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="puente-bench-"))
    mix = {"seconds": mix_seconds, "questions": 2, "votes": 50, "posts": 1}
    try:
        with target(kind, workdir, compression=compression, mode=mode, processes=processes,
                    database=database) as server:
            result = run_loadgen(server, clients, deflate=True, mix=mix, burst=burst)
    except Exception as error:  # a row that cannot run is reported, not fatal
        return {"error": str(error)[:300]}
    result["kind"] = kind
    return result


def row(label: str, result: dict) -> list:
    if "error" in result:
        return [label, "error: " + result["error"][:80]] + [None] * 11
    mix, burst = result["phases"]
    return [
        label,
        f"{result['connected']}/{result['clients']}",
        mix["p50_ms"], mix["p99_ms"], mix["events_per_s"], mix["frames_per_s"],
        mix["loss"], mix["server_cpu_s"], mix["server_cpu_us_per_delivery"],
        mix["loadgen_cpu_s"], burst["p99_ms"], burst["seconds"],
        result["rss_idle_per_conn_kb"],
    ]


HEADERS = ["server", "connected", "p50 ms", "p99 ms", "events/s", "frames/s", "loss",
           "srv CPU s", "µs/delivery", "loadgen CPU s", "burst p99 ms", "burst s",
           "KB/idle conn"]


def spread(runs: list[dict]) -> str:
    """The mix's p99 over repeated runs, and by where the sampled clients joined (the
    server writes a room's frame to its sockets in joining order)."""
    mixes = [run["phases"][0] for run in runs if "phases" in run]
    if not mixes:
        return "  (no run finished)"
    p99s = sorted(mix["p99_ms"] for mix in mixes)
    lines = [f"  mix p99 ms over {len(p99s)} runs: min {p99s[0]}, median "
             f"{p99s[len(p99s) // 2]}, max {p99s[-1]}"]
    for n, mix in enumerate(mixes, 1):
        quarters = ", ".join(str(value) for value in mix.get("p99_by_quarter_ms", []))
        lines.append(f"  run {n}: p99 ms by joining quarter (first to last): {quarters}; "
                     f"max {mix['max_ms']}; load generator's own loop late by p99 "
                     f"{mix.get('loadgen_lag_p99_ms')} ms, max {mix.get('loadgen_lag_max_ms')}")
    return "\n".join(lines)


def compare(results: dict[str, dict]) -> str:
    """Puente ÷ each baseline: CPU per delivered event and p99 of the mix."""
    puente = results.get("puente", {})
    if "phases" not in puente:
        return "  (no Puente figures)"
    lines = []
    for name in ("flask", "node"):
        other = results.get(name, {})
        if "phases" not in other:
            continue
        p_mix, o_mix = puente["phases"][0], other["phases"][0]
        lines.append(
            f"  Puente ÷ {name}: CPU per delivery "
            f"{ratio(p_mix['server_cpu_us_per_delivery'], o_mix['server_cpu_us_per_delivery'])}"
            f", mix p99 {ratio(p_mix['p99_ms'], o_mix['p99_ms'])}"
            f", burst drain {ratio(puente['phases'][1]['seconds'], other['phases'][1]['seconds'])}"
            f", KB per idle connection "
            f"{ratio(puente['rss_idle_per_conn_kb'], other['rss_idle_per_conn_kb'])}"
        )
    return "\n".join(lines)


def scaling(scale: dict[str, dict]) -> str:
    """Two processes with twice the attendees against one process, both on PostgreSQL."""
    one, two = list(scale.values())[1:3]
    if "phases" not in one or "phases" not in two:
        return "  (no 1-vs-2-process comparison)"
    p99_one, p99_two = one["phases"][0]["p99_ms"], two["phases"][0]["p99_ms"]
    return (f"  2 processes hold {two['connected'] / max(1, one['connected']):.2f}x the attendees"
            f" of 1 at {ratio(p99_two, p99_one)}x its mix p99 ({p99_two} vs {p99_one} ms)")


def one_row(clients: int, *, processes: int = 1, database: str = "sqlite",
            mode: str = "eventlet", compression: bool = True, report: list | None = None,
            repeat: int = 1) -> None:
    """One fan-out row; the baselines run too when Puente is a single process. With
    `repeat`, Puente alone, that many times in a row: the spread, not one run."""
    if repeat > 1:
        runs = [measure("puente", clients, compression=compression, mode=mode,
                        processes=processes, database=database) for _ in range(repeat)]
        print(f"\n### Fan-out, N = {clients}, {repeat} runs in a row, permessage-deflate "
              f"{'on' if compression else 'off'}, {mode}, Puente on {processes} process(es) "
              f"and {database}")
        print(table(HEADERS, [row(f"run {n}", result) for n, result in enumerate(runs, 1)]))
        print(spread(runs))
        if report is not None:
            report.append({"bench": "fanout_repeat", "clients": clients, "runs": runs})
        return
    kinds = ("puente", "flask", "node") if processes == 1 else ("puente",)
    results = {kind: measure(kind, clients, compression=compression, mode=mode,
                             processes=processes, database=database) for kind in kinds}
    print(f"\n### Fan-out, N = {clients}, permessage-deflate {'on' if compression else 'off'}, "
          f"{mode}, Puente on {processes} process(es) and {database}")
    print(table(HEADERS, [row(kind, results[kind]) for kind in results]))
    print(compare(results))
    if report is not None:
        report.append({"bench": "fanout_row", "clients": clients, "processes": processes,
                       "database": database, "mode": mode, "compression": compression,
                       "results": results})


def run(quick: bool = False, report: list | None = None) -> None:
    """Fan-out at every size with compression on; off, modes and processes at one size."""
    sizes = [500, 2000] if quick else [500, 1000, 2000, 5000]
    middle = 1000 if quick else 2000
    mix_seconds = 4 if quick else 6
    report = report if report is not None else []
    measured: dict[tuple[int, bool], dict] = {}
    for compression, size_list in ((True, sizes), (False, [middle])):
        label = "on" if compression else "off"
        for clients in size_list:
            results = {kind: measure(kind, clients, compression=compression,
                                     mix_seconds=mix_seconds)
                       for kind in ("puente", "flask", "node")}
            measured[clients, compression] = results
            print(f"\n### Fan-out, N = {clients}, permessage-deflate {label}, eventlet")
            print(table(HEADERS, [row(kind, results[kind]) for kind in results]))
            print(compare(results))
            report.append({"bench": "fanout", "clients": clients, "compression": compression,
                           "results": results})

    clients = 500 if quick else 1000
    modes = {}
    for mode in ("eventlet", "gevent", "threading"):
        if mode == "eventlet" and (clients, True) in measured:  # the fan-out row above
            modes[mode] = {kind: measured[clients, True][kind] for kind in ("puente", "flask")}
            continue
        modes[mode] = {kind: measure(kind, clients, mode=mode, mix_seconds=mix_seconds)
                       for kind in ("puente", "flask")}
    print(f"\n### Async modes, N = {clients}, permessage-deflate on")
    print(table(HEADERS, [row(f"{kind} {mode}", modes[mode][kind])
                          for mode in modes for kind in modes[mode]]))
    report.append({"bench": "async_modes", "clients": clients, "results": modes})

    scale = {f"1 process, sqlite, N = {clients}": modes["eventlet"]["puente"]}
    scale[f"1 process, postgresql, N = {clients}"] = measure(
        "puente", clients, database="postgresql", mix_seconds=mix_seconds)
    scale[f"2 processes + Redis, postgresql, N = {2 * clients}"] = measure(
        "puente", 2 * clients, processes=2, database="postgresql", mix_seconds=mix_seconds)
    print("\n### Processes and databases, eventlet, deflate on")
    print(table(HEADERS, [row(label, result) for label, result in scale.items()]))
    print(scaling(scale))
    report.append({"bench": "scale", "clients": clients, "results": scale})


if __name__ == "__main__":
    collected: list = []
    run(quick=True, report=collected)
    print(json.dumps(collected))
