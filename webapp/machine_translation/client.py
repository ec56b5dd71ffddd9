"""A LibreTranslate client that never raises: any failure is "no suggestion" and a log line.

Speaks the documented API (`POST /translate`, `GET /languages`) with the standard library,
so it is green under eventlet's monkey-patching and needs no dependency. The text itself is
never logged: it is an attendee's question.
"""

from __future__ import annotations

import json
import logging
import threading
from http.client import HTTPException
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

logger = logging.getLogger(__name__)

#: Seconds to wait for the server (per connect and per read): a suggestion is a nicety.
DEFAULT_TIMEOUT = 5.0
#: Largest answer read; a translation of a question is a few KB.
MAX_RESPONSE_BYTES = 1024 * 1024


class LibreTranslate:
    """One LibreTranslate-compatible server, its language list read once and cached."""

    def __init__(self, base_url: str, api_key: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key or None
        self.timeout = timeout
        self._languages: list[dict] | None = None
        self._lock = threading.Lock()

    def languages(self) -> list[dict] | None:
        """`[{code, name, targets}]` from `GET /languages`, cached after the first success."""
        if self._languages is not None:
            return self._languages
        answer = self._call("GET", "/languages", None, "languages")
        if not isinstance(answer, list) or not all(
                isinstance(item, dict) and isinstance(item.get("code"), str) for item in answer):
            if answer is not None:
                logger.warning("machine translation: /languages answered no language list")
            return None
        with self._lock:
            self._languages = answer
        return answer

    def code_for(self, tag: str) -> str | None:
        """The server's code for a Puente language tag (`zh_Hans` -> `zh-Hans` or `zh`)."""
        listed = {item["code"].lower(): item["code"] for item in self.languages() or []}
        hyphenated = tag.replace("_", "-").lower()
        for candidate in (hyphenated, hyphenated.split("-", 1)[0]):
            if candidate in listed:
                return listed[candidate]
        return None

    def translate(self, text: str, source: str, target: str) -> str | None:
        """`text` from Puente language `source` into `target`, or None (logged) on any failure."""
        source_code, target_code = self.code_for(source), self.code_for(target)
        if source_code is None or target_code is None:
            if self._languages is not None:
                logger.info("machine translation %s->%s: the server does not offer this pair",
                            source, target)
            return None
        if not self._offers(source_code, target_code):
            logger.info("machine translation %s->%s: the server does not offer this pair",
                        source, target)
            return None
        body = {"q": text, "source": source_code, "target": target_code, "format": "text"}
        if self.api_key:
            body["api_key"] = self.api_key
        answer = self._call("POST", "/translate", body, f"{source}->{target}")
        if answer is None:
            return None
        translated = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(translated, str) or not translated.strip():
            logger.warning("machine translation %s->%s: no suggestion (answer without "
                           "translatedText)", source, target)
            return None
        return translated

    def _offers(self, source_code: str, target_code: str) -> bool:
        for item in self._languages or []:
            if item["code"] == source_code:
                targets = item.get("targets")
                return not isinstance(targets, list) or target_code in targets
        return False

    def _call(self, method: str, path: str, body: dict | None, what: str):
        """The decoded JSON answer, or None after logging why there is none."""
        data = json.dumps(body).encode() if body is not None else None
        request = Request(self.base_url + path, data=data, method=method,  # noqa: S310
                          headers={"Accept": "application/json",
                                   **({"Content-Type": "application/json"} if data else {})})
        try:
            with urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - http(s) only
                raw = response.read(MAX_RESPONSE_BYTES + 1)
        except HTTPError as error:
            error.close()
            reason = {429: "rate limited", 400: "refused, check TRANSLATE_API_KEY",
                      403: "refused, check TRANSLATE_API_KEY"}.get(error.code, "server error")
            logger.warning("machine translation %s: no suggestion (HTTP %s, %s)",
                           what, error.code, reason)
            return None
        except (URLError, HTTPException, OSError) as error:  # timeouts are OSErrors
            reason = getattr(error, "reason", error)
            logger.warning("machine translation %s: no suggestion (%s)", what, reason)
            return None
        if len(raw) > MAX_RESPONSE_BYTES:
            logger.warning("machine translation %s: no suggestion (answer too large)", what)
            return None
        try:
            return json.loads(raw)
        except ValueError:
            logger.warning("machine translation %s: no suggestion (malformed JSON)", what)
            return None
