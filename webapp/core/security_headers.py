"""Security headers on every response: strict CSP (no inline script), no framing, HSTS on https."""

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def policy_with_frames(origin: str) -> str:
    """The same policy, letting one page embed a player from `origin` (and nothing else)."""
    return f"{CONTENT_SECURITY_POLICY}; frame-src {origin}"


#: Browsers that once reached the https site never try plain http again for a year.
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"


def _apply(response, hsts: bool):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # Join links carry secrets in the path: never leak them to other sites.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if hsts:
        headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    return response


def init_app(app) -> None:
    """HSTS only when BASE_URL is https: on plain http it would lock browsers out of the site."""

    def apply(response):
        base_url = app.config.get("BASE_URL") or ""
        return _apply(response, hsts=base_url.startswith("https://"))

    app.after_request(apply)
