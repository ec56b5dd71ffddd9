"""`python -m webapp` and the `puente` command.

The async library is monkey-patched here, first, and only for `serve`: every other command and
every test imports Puente without patching anything.
"""

import os
import sys
import warnings

#: Options of the `puente` group that take a value (Flask's FlaskGroup).
_GROUP_OPTIONS_WITH_VALUE = ("-e", "--env-file", "-A", "--app")


def _command_and_env_file(argv: list[str]) -> tuple[str | None, str | None]:
    """The command `argv` runs and the `-e/--env-file` given before it, read as Click does."""
    env_file = None
    args = iter(argv[1:])
    for arg in args:
        name, equals, value = arg.partition("=")
        if arg in _GROUP_OPTIONS_WITH_VALUE:
            value = next(args, None)
            if arg in ("-e", "--env-file"):
                env_file = value
        elif equals and name in ("--env-file", "--app"):
            if name == "--env-file":
                env_file = value
        elif arg.startswith("-e") and len(arg) > 2:
            env_file = arg[2:]
        elif not arg.startswith("-"):
            return arg, env_file or os.environ.get("FLASK_ENV_FILE") or None
    return None, env_file or os.environ.get("FLASK_ENV_FILE") or None


def _load_env_files(env_file: str | None) -> None:
    """Read `.flaskenv`, `.env` and `env_file` now, as Flask will later: a variable set in the
    real environment wins over the given file, which wins over `.env`, then `.flaskenv`."""
    try:
        import dotenv  # optional, as for Flask
    except ImportError:
        return
    values: dict[str, str | None] = {}
    if os.environ.get("FLASK_SKIP_DOTENV", "").lower() not in ("1", "true", "yes"):
        for name in (".flaskenv", ".env"):
            found = dotenv.find_dotenv(name, usecwd=True)
            if found:
                values |= dotenv.dotenv_values(found, encoding="utf-8")
    if env_file and os.path.isfile(env_file):
        values |= dotenv.dotenv_values(env_file, encoding="utf-8")
    for key, value in values.items():
        if value is not None:
            os.environ.setdefault(key, value)  # the real environment wins


def _patch_for_serving(argv: list[str]) -> None:
    command, env_file = _command_and_env_file(argv)
    if command != "serve":
        return
    # The environment file may set PUENTE_ASYNC_MODE: read it before choosing what to patch.
    _load_env_files(env_file)
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
