"""`python -m webapp` and the `puente` command.

The async library is monkey-patched here, first, and only for `serve`: every other command and
every test imports Puente without patching anything.
"""

import os
import sys
import warnings


def _patch_for_serving(argv: list[str]) -> None:
    if "serve" not in argv[1:3]:
        return
    mode = os.environ.get("PUENTE_ASYNC_MODE", "eventlet")
    if mode == "eventlet":
        import eventlet  # monkey-patching order: first, and only for `serve`

        eventlet.monkey_patch()  # also makes psycopg2 cooperative (wait callback)
    elif mode == "gevent":
        from gevent import monkey  # monkey-patching order: first, and only for `serve`

        monkey.patch_all()
        from psycogreen.gevent import patch_psycopg  # monkey-patching order: after gevent's patch

        patch_psycopg()


def main() -> None:
    # eventlet announces its maintenance mode on import; the choice is documented in
    # docs/architecture.md, so keep the console readable.
    """Serve Puente with the socket server's own loop (`python -m webapp`, the `puente` script)."""
    warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
    _patch_for_serving(sys.argv)
    from webapp.cli import cli  # monkey-patching order: after `_patch_for_serving`

    cli.main(prog_name="puente")


if __name__ == "__main__":
    main()
