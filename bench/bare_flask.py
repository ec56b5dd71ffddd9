"""Baseline (a): a bare Flask-SocketIO server, same async mode, broadcasting each event naively.

Usage: python -m bench.bare_flask <port> (PUENTE_ASYNC_MODE and PUENTE_WS_COMPRESSION as for
Puente). No database, no authentication, no batching: the stack's own cost per delivery.
`PUENTE_BENCH_JOIN_ACK`: a JSON file whose object every `join` answers (encoded per join, as
a plain handler would), so a join of Puente's size costs what the stack alone makes it cost.
Under eventlet it listens with Puente's backlog (`PUENTE_LISTEN_BACKLOG`'s default).
"""

import json
import os
import sys

MODE = os.environ.get("PUENTE_ASYNC_MODE", "eventlet")
if MODE == "eventlet":
    import eventlet

    eventlet.monkey_patch()
elif MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

from flask import Flask, render_template_string, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

from webapp.config import DEFAULT_LISTEN_BACKLOG  # noqa: E402
from webapp.realtime.transport.socket_settings import WithoutWebSocketCompression  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(app, async_mode=MODE, max_http_buffer_size=64 * 1024, logger=False,
                    engineio_logger=False)
if os.environ.get("PUENTE_WS_COMPRESSION", "1").lower() in {"0", "false", "no", "off"}:
    app.wsgi_app = WithoutWebSocketCompression(app.wsgi_app)

#: A page of about the size of Puente's meeting page, for the page-rate comparison.
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
</head><body><main><h1>{{ title }}</h1>{% for item in items %}<section><h2>{{ item.title }}</h2>
<p>{{ item.text }}</p><time>{{ item.time }}</time></section>{% endfor %}</main></body></html>"""


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.get("/page")
def page():
    """A template of `?bytes=` size (default 50 KB): as large as the page it is compared to."""
    size = request.args.get("bytes", 50_000, type=int)
    items = [{"title": f"Punto {n} · 议程 {n}", "text": "Intercambio entre organizaciones " * 8,
              "time": "20:00 Lima · 09:00 Shanghai (+1 day)"} for n in range(max(1, size // 390))]
    return render_template_string(PAGE, title="Reunión · 会议", items=items)


@socketio.on("connect")
def on_connect(auth=None):
    join_room("meeting")


def _join_answer() -> dict:
    path = os.environ.get("PUENTE_BENCH_JOIN_ACK")
    if not path:
        return {"ok": True, "seq": 0, "snapshot": {"seq": 0}}
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


JOIN_ANSWER = _join_answer()


@socketio.on("join")
def on_join(payload=None):
    return JOIN_ANSWER


@socketio.on("bench_emit")
def on_emit(payload):
    socketio.emit(payload["type"], payload["payload"], to="meeting")


def _serve_eventlet(port: int) -> None:
    """`socketio.run` as it serves eventlet, but with Puente's listen backlog: its own
    listener queues 50 connections, and a crowd arriving at once would measure that."""
    import eventlet.wsgi

    listener = eventlet.listen(("127.0.0.1", port), backlog=DEFAULT_LISTEN_BACKLOG)
    eventlet.wsgi.server(listener, app, log_output=False, max_size=20_000)


if __name__ == "__main__":
    if MODE == "eventlet":
        _serve_eventlet(int(sys.argv[1]))
    else:
        options = {"host": "127.0.0.1", "port": int(sys.argv[1]), "log_output": False}
        if MODE == "threading":
            options["allow_unsafe_werkzeug"] = True
        socketio.run(app, **options)
