"""`python -m bench [--quick] [--json PATH] [--only GROUP]`: run benchmarks, print figures.

Figures are printed, never asserted: absolute times drift on a shared machine, so every
figure comes with a baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import arrival, common, fanout, rooms, scenarios  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer sizes, shorter phases")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--only", choices=["fanout", "scenarios", "admission"],
                        help="run one group of benchmarks (admission: the arrival rows, "
                             "admission, reconnect storm, page rush, memory per attendee)")
    parser.add_argument("--row", type=int, metavar="N",
                        help="only one fan-out row: N attendees, Puente and the baselines")
    parser.add_argument("--processes", type=int, default=1, help="Puente processes (--row)")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite",
                        help="Puente's database (--row)")
    parser.add_argument("--mode", choices=["eventlet", "gevent", "threading"],
                        default="eventlet", help="async mode (--row)")
    parser.add_argument("--no-compression", action="store_true",
                        help="decline permessage-deflate (--row)")
    parser.add_argument("--repeat", type=int, default=1, metavar="K",
                        help="run Puente's row K times in a row and print the spread (--row)")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    started = time.monotonic()
    print(f"Machine: {common.machine()}; Node {common.node_version()}")
    report: list = []
    if args.row:
        fanout.one_row(args.row, processes=args.processes, database=args.database,
                       mode=args.mode, compression=not args.no_compression, report=report,
                       repeat=args.repeat)
    elif args.only in (None, "scenarios"):
        scenarios.run(quick=args.quick, report=report)
        rooms.run(quick=args.quick, report=report)
        print(f"\n(scenarios done after {time.monotonic() - started:.0f} s)")
    if not args.row and args.only in (None, "admission"):
        arrival.run(quick=args.quick, report=report)
        print(f"\n(arrival rows done after {time.monotonic() - started:.0f} s)")
    if not args.row and args.only in (None, "fanout"):
        fanout.run(quick=args.quick, report=report)
    print(f"\nTotal: {time.monotonic() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
