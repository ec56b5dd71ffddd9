"""`python -m bench [--quick] [--json PATH]`: run every benchmark and print its figures.

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

from bench import common, fanout, scenarios  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer sizes, shorter phases")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--only", choices=["fanout", "scenarios"],
                        help="run one group of benchmarks")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)
    started = time.monotonic()
    print(f"Machine: {common.machine()}; Node {common.node_version()}")
    report: list = []
    if args.only in (None, "scenarios"):
        scenarios.run(quick=args.quick, report=report)
        print(f"\n(scenarios done after {time.monotonic() - started:.0f} s)")
    if args.only in (None, "fanout"):
        fanout.run(quick=args.quick, report=report)
    print(f"\nTotal: {time.monotonic() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
