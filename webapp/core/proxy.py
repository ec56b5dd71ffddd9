"""Trusting a reverse proxy's forwarded headers, and only as many hops as configured.

`PUENTE_TRUSTED_PROXIES` (default 0) is the number of proxies in front of Puente that set
`X-Forwarded-For` and `X-Forwarded-Proto`. With 0 nothing forwarded is believed: the client
address is the TCP peer (what rate limits count) and the scheme is the server's own. With 1
(one nginx on the same machine) Puente takes the last address nginx appended and its scheme,
so rate limits count real clients and URLs built for e-mails say https.

`X-Forwarded-Host` is never trusted for URLs: `BASE_URL` names the public origin. The proxy
must still overwrite it (`proxy_set_header X-Forwarded-Host $host;`), because Engine.IO's
same-origin check accepts an origin matching it when `BASE_URL` is not set.
"""

from __future__ import annotations

from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.config import bounded


def trusted_hops(app) -> int:
    """How many proxies in front of the app may set X-Forwarded-* headers."""
    return bounded("PUENTE_TRUSTED_PROXIES", app.config.get("PUENTE_TRUSTED_PROXIES") or 0, 5)


def init_app(app) -> None:
    """Wrap the outermost WSGI app, so Socket.IO and Flask both see the client's address."""
    hops = trusted_hops(app)
    if hops and not isinstance(app.wsgi_app, ProxyFix):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0,
                                x_prefix=0)
