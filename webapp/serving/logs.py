"""Log records of a served process: their format, the access log and the start-up banner.

`configure(app)` is called once by `puente serve` (webapp/serving/server.py): every record
(the application's loggers, the access log, the banner) goes to standard error, as a plain
line (`PUENTE_LOG_FORMAT=text`, the default) or as one JSON object per line
(`PUENTE_LOG_FORMAT=json`) with `time` (ISO 8601, UTC), `level`, `logger`, `message` and the
record's extra fields.

`init_app(app)` installs the access log when `PUENTE_ACCESS_LOG` is on: one record per HTTP
request on the logger `puente.access` with `method`, `path`, `status`, `duration_ms` and
`remote_addr`. It wraps the application inside ProxyFix (webapp/core/proxy.py), so the address
is the client's as far as the trusted proxies say. The query string is never logged (join and
reset links carry tokens there or in the path: a path's `<token>` is logged as `<token>`), nor
are headers or cookies. A WebSocket is one record when it closes (status 101, its lifetime as
duration); long-polling is one record per poll, like any request.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from datetime import UTC, datetime

from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

#: The logger of the access log and of the banner.
ACCESS_LOGGER = "puente.access"
BANNER_LOGGER = "puente"
#: URL variables that are secrets: logged by name, never by value.
SECRET_ARGUMENTS = frozenset({"token"})
#: The attributes every LogRecord has; anything else on a record is an extra field.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message",
                                                                             "asctime"}
_TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message and the extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as one line of JSON."""
        moment = datetime.fromtimestamp(record.created, UTC)
        data = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_") and key not in data:
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            data["stack"] = self.formatStack(record.stack_info)
        return json.dumps(data, default=str, ensure_ascii=False)


class _PuenteHandler(logging.StreamHandler):
    """The handler `configure` installs, so a second call replaces it instead of adding one."""


def formatter_for(log_format: str) -> logging.Formatter:
    """JSON, or a plain line starting with the UTC time, level and logger."""
    if log_format == "json":
        return JsonFormatter()
    formatter = logging.Formatter(_TEXT_FORMAT)
    formatter.converter = time.gmtime
    formatter.default_time_format = "%Y-%m-%dT%H:%M:%S"
    formatter.default_msec_format = "%s.%03dZ"
    return formatter


def configure(app, stream=None) -> None:
    """Send every record at INFO and above to `stream` (stderr) in the configured format."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if isinstance(h, _PuenteHandler)]:
        root.removeHandler(handler)
    handler = _PuenteHandler(stream or sys.stderr)
    handler.setFormatter(formatter_for(app.config.get("PUENTE_LOG_FORMAT", "text")))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.captureWarnings(True)  # Python's warnings become records in the same format
    if app.config.get("PUENTE_ACCESS_LOG") or app.config.get("PUENTE_LOG_FORMAT") == "json":
        # Werkzeug's own request lines (threading mode) carry query strings and are not JSON.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)


def command_notice(app, message: str) -> str:
    """A line a command prints before logging is set up: `puente: message`, or under
    `PUENTE_LOG_FORMAT=json` the same JSON record every other line of the process is."""
    if app.config.get("PUENTE_LOG_FORMAT") != "json":
        return f"puente: {message}"
    record = logging.LogRecord("puente", logging.INFO, __file__, 0, message, None, None)
    return JsonFormatter().format(record)


def banner(listening: str, base_url: str, **details) -> None:
    """The start-up line: this process's own address, the public one and how it runs."""
    parts = [f"{key.replace('_', ' ')} {value}" for key, value in details.items() if value]
    logging.getLogger(BANNER_LOGGER).info(
        "Puente listening on %s for %s (%s)", listening, base_url, ", ".join(parts),
        extra={"listen": listening, "base_url": base_url,
               **{key: value for key, value in details.items() if value}})


def shown_path(url_map, path: str, method: str) -> str:
    """`path` with every secret URL variable replaced by its name (`/setup/<token>`)."""
    try:
        _rule, values = url_map.bind("localhost").match(path, method=method, return_rule=True)
    except (HTTPException, RequestRedirect):
        return path
    for name, value in values.items():
        if name in SECRET_ARGUMENTS and isinstance(value, str) and value:
            path = path.replace(f"/{value}", f"/<{name}>")
    return path


class AccessLog:
    """WSGI middleware: one `puente.access` record per request, when its response ends."""

    def __init__(self, wsgi_app, url_map) -> None:
        self.wsgi_app = wsgi_app
        self.url_map = url_map
        self.logger = logging.getLogger(ACCESS_LOGGER)

    def __call__(self, environ, start_response):
        """Run the request; its record is written when the server closes the response."""
        started = time.monotonic()
        seen = {"status": None}

        def recording_start_response(status, headers, exc_info=None):
            seen["status"] = status
            return start_response(status, headers, exc_info)

        try:
            body = self.wsgi_app(environ, recording_start_response)
        except BaseException:
            seen["status"] = seen["status"] or "500"
            self._log(environ, seen["status"], started)
            raise
        return closing(body, lambda: self._log(environ, seen["status"], started))

    def _log(self, environ, status, started) -> None:
        try:
            code = int(str(status).split(" ", 1)[0]) if status else None
        except ValueError:
            code = None
        if code is None and environ.get("HTTP_UPGRADE", "").lower() == "websocket":
            code = 101  # the WebSocket ran inside the call and has now closed
        method = environ.get("REQUEST_METHOD", "")
        path = (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")) or "/"
        path = shown_path(self.url_map, path, method)
        duration = round((time.monotonic() - started) * 1000, 1)
        remote = environ.get("REMOTE_ADDR", "")
        self.logger.info("%s %s %s %.1fms %s", method, path, code if code else "-", duration,
                         remote, extra={"method": method, "path": path, "status": code,
                                        "duration_ms": duration, "remote_addr": remote})


class _Closing:
    """A response body that calls `done` once, when the server closes it."""

    def __init__(self, body, done) -> None:
        self._body = body
        self._done = done

    def __iter__(self):
        return iter(self._body)

    def close(self) -> None:
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            done, self._done = self._done, None
            if done is not None:
                done()


class _SizedClosing(_Closing):
    """A body of known length keeps it, so the server can still send Content-Length."""

    def __len__(self) -> int:
        return len(self._body)


def closing(body, done):
    """`body`, calling `done()` once when the server closes it (keeping a known length)."""
    return (_SizedClosing if hasattr(body, "__len__") else _Closing)(body, done)


def init_app(app) -> None:
    """Wrap the application in the access log when `PUENTE_ACCESS_LOG` is on."""
    if app.config.get("PUENTE_ACCESS_LOG") and not isinstance(app.wsgi_app, AccessLog):
        app.wsgi_app = AccessLog(app.wsgi_app, app.url_map)
