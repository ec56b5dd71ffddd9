"""Serve stored pictures, the accent style sheets, and the `picture()` template helper."""

from __future__ import annotations

from flask import Blueprint, Response, abort, request, url_for
from markupsafe import Markup, escape

from webapp.media import services
from webapp.media.alt import banner_alt, organisation_alt, speaker_alt
from webapp.media.colour import HEX
from webapp.media.processing import MAX_BYTES

#: The body limit of a form that carries a picture: the picture plus room for the other fields.
#: Other requests keep the site's `MAX_CONTENT_LENGTH`; larger bodies get the 413 page.
UPLOAD_REQUEST_LIMIT = MAX_BYTES + 1024 * 1024


def accepts_pictures(view):
    """Mark a view (right under its route decorator) whose form may carry a picture."""
    view.accepts_pictures = True
    return view

bp = Blueprint("media", __name__, url_prefix=services.URL_PREFIX)


def _immutable(response: Response, etag: str) -> Response:
    response.headers["Cache-Control"] = services.CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = "inline"
    response.set_etag(etag)
    return response


@bp.get("/<string:name>")
def image(name: str):
    """One stored size of a picture; anything unknown is a 404."""
    variant = services.find_variant(name) if len(name) < 100 else None
    if variant is None:
        abort(404)
    if variant.etag in request.if_none_match:
        return _immutable(Response(status=304), variant.etag)
    response = Response(variant.data, mimetype=variant.mime)
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _immutable(response, variant.etag)


@bp.get("/accent-<string:digits>.css")
def accent(digits: str):
    """`:root { --meeting-accent: #rrggbb }`: the accent colour without an inline style (the
    Content-Security-Policy allows none)."""
    if len(digits) != 6 or not HEX.match(digits) or digits != digits.lower():
        abort(404)
    body = f":root{{--meeting-accent:#{digits}}}\n"
    response = Response(body, mimetype="text/css")
    return _immutable(response, digits)


def picture(image, size: str = "card", alt: str | None = "", *, css_class: str = "",
            lazy: bool = True) -> Markup:
    """`<img>` of a stored picture with its width, height and alt text; nothing without one."""
    if image is None:
        return Markup("")
    variant = image.variant(size)
    name = services.filename(image, size)
    if variant is None or name is None:
        return Markup("")
    attributes = [
        f'src="{escape(url_for("media.image", name=name))}"',
        f'width="{variant.width}"', f'height="{variant.height}"',
        f'alt="{escape(alt or "")}"',
    ]
    if css_class:
        attributes.append(f'class="{escape(css_class)}"')
    if lazy:
        attributes.append('loading="lazy"')
    attributes.append('decoding="async"')
    # Every attribute value above is escaped or a number.
    return Markup(f"<img {' '.join(attributes)}>")  # noqa: S704


def accent_stylesheet(colour: str | None) -> str | None:
    """The URL of the style sheet that sets `--meeting-accent`, or `None` without a colour."""
    if not colour or not HEX.match(colour):
        return None
    return url_for("media.accent", digits=colour.lstrip("#").lower())


def init_app(app) -> None:
    """Register the blueprint, the template helpers and the larger body limit of upload forms
    (first of all request hooks: the CSRF check reads the body)."""
    app.register_blueprint(bp)

    def picture_body_limit():
        view = app.view_functions.get(request.endpoint) if request.endpoint else None
        if getattr(view, "accepts_pictures", False):
            request.max_content_length = max(UPLOAD_REQUEST_LIMIT,
                                             app.config.get("MAX_CONTENT_LENGTH") or 0)

    app.before_request_funcs.setdefault(None, []).insert(0, picture_body_limit)
    app.jinja_env.globals.update(picture=picture, accent_stylesheet=accent_stylesheet,
                                 speaker_alt=speaker_alt, organisation_alt=organisation_alt,
                                 banner_alt=banner_alt)
