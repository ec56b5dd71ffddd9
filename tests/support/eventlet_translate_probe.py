"""Machine translation under eventlet: run as `python -m tests.support.eventlet_translate_probe`.

Patches first, as `puente serve` does, then asks a slow stand-in server for two suggestions
and prints, as JSON, whether `suggest_later` returned before the server answered and what was
delivered once the server was let go.
"""

import eventlet

eventlet.monkey_patch()

import json  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from tests.conftest import _make_app, base_config  # noqa: E402
from tests.support.libretranslate import FakeLibreTranslate  # noqa: E402
from webapp.machine_translation import suggest_later  # noqa: E402


def main() -> None:
    fake = FakeLibreTranslate().start()
    fake.mode = "slow"
    app = _make_app(base_config(Path(tempfile.mkdtemp()), TRANSLATE_URL=fake.url,
                                PUENTE_ASYNC_MODE="eventlet"))
    delivered = []
    suggest_later(app, "Hi", "en", ["es", "zh_Hans"], lambda lang, text: delivered.append(
        [lang, text]))
    answered_on_return = fake.answered.is_set()
    while not fake.received.wait(0.01):  # other greenlets run while the request waits
        eventlet.sleep(0.01)
    fake.release.set()
    with eventlet.Timeout(10, False):
        while len(delivered) < 2:
            eventlet.sleep(0.02)
    fake.stop()
    json.dump({"answered_on_return": answered_on_return, "delivered": sorted(delivered)},
              sys.stdout)


if __name__ == "__main__":
    main()
