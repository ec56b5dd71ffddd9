"""`python -m bench.resend_timing [--pairs N]`: time "resend my link" for a registered and an
unknown address, alternating, through the Flask test client on a throw-away SQLite database.

Printed, never asserted: the request records one link request either way (the mail worker
decides later), so the two medians should differ by noise only.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def run(pairs: int) -> dict:
    from tests.conftest import base_config
    from tests.factories import make_meeting, make_registration
    from webapp import create_app
    from webapp.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(base_config(Path(folder)))
        with app.app_context():
            db.create_all()
            meeting = make_meeting(slug="bench")
            make_registration(meeting, email="known@example.org")
            client = app.test_client()
            token = CSRF.search(client.get("/m/bench/resend").get_data(as_text=True)).group(1)
            timings: dict[str, list[float]] = {"known": [], "unknown": []}
            for n in range(pairs + 5):
                for kind, address in (("known", "known@example.org"),
                                      ("unknown", f"ghost{n}@example.org")):
                    started = time.perf_counter()
                    response = client.post("/m/bench/resend",
                                           data={"csrf_token": token, "email": address})
                    elapsed = time.perf_counter() - started
                    assert response.status_code == 302, response.status_code
                    if n >= 5:  # warm-up
                        timings[kind].append(elapsed * 1000)
            db.session.remove()
            db.engine.dispose()
    known, unknown = timings["known"], timings["unknown"]
    slower = sum(k > u for k, u in zip(known, unknown, strict=True))
    return {"pairs": pairs, "known_median_ms": statistics.median(known),
            "unknown_median_ms": statistics.median(unknown),
            "known_slower_in_pairs": slower}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.resend_timing", description=__doc__)
    parser.add_argument("--pairs", type=int, default=40)
    args = parser.parse_args(argv)
    result = run(args.pairs)
    print(f"resend my link, {result['pairs']} alternating pairs (SQLite, test client):")
    print(f"  known address   median {result['known_median_ms']:.2f} ms")
    print(f"  unknown address median {result['unknown_median_ms']:.2f} ms")
    print(f"  known slower in {result['known_slower_in_pairs']} of {result['pairs']} pairs")


if __name__ == "__main__":
    main()
