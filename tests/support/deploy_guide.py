"""docs/deploy.md's own blocks, as the tests that follow the guide read them.

`guide_block(NAME)` is the fenced block after `<!-- tested: NAME -->`; `nginx_files` puts the
guide's three nginx files into a folder as Debian's nginx.conf would include them, with only
what a test must change substituted: the certificate, and optionally the upstream processes'
ports and the ports nginx listens on.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deploy.md"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
GUIDE_CERT = "/etc/letsencrypt/live/puente.example.org/fullchain.pem"
GUIDE_KEY = "/etc/letsencrypt/live/puente.example.org/privkey.pem"
UPSTREAM_SERVER = re.compile(r"^\s*server 127\.0\.0\.1:\d+ (.*);$", re.M)


def guide_block(name: str) -> str:
    """The fenced block after `<!-- tested: name -->` in the guide."""
    match = re.search(rf"<!-- tested: {re.escape(name)} -->\s*```\w*\n(.*?)```",
                      GUIDE.read_text(), re.S)
    assert match, f"docs/deploy.md has no block marked <!-- tested: {name} -->"
    return match.group(1)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for puente.example.org and 127.0.0.1, and its key."""
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=puente.example.org",
                    "-addext", "subjectAltName=DNS:puente.example.org,IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


def nginx_files(folder: Path, cert: Path, key: Path, *, upstreams: list[int] | None = None,
                http_port: int | None = None, https_port: int | None = None) -> Path:
    """Write nginx.conf (the guide's main-context lines, and `http { }` including its
    conf.d and site files) into `folder`; return its path.

    With `upstreams`, the upstream's servers are those ports (each keeping the guide's
    parameters); with `http_port`/`https_port`, the guide's `listen` lines become those ports
    on 127.0.0.1 (its IPv6 lines are dropped), the Host header carries the port, and the
    temporary files and logs stay in
    `folder`, so that nginx runs as an unprivileged user too.
    """
    site = guide_block("nginx-server").replace(GUIDE_CERT, str(cert)).replace(GUIDE_KEY, str(key))
    assert "/etc/letsencrypt" not in site
    http = guide_block("nginx-http")
    main, inside_http = f"pid {folder}/nginx.pid;\nerror_log stderr;\n", ""
    if upstreams is not None:
        guide_servers = UPSTREAM_SERVER.findall(http)
        assert guide_servers, "the guide's upstream lists no `server 127.0.0.1:PORT ...;`"
        ours = "".join(f"    server 127.0.0.1:{port} {guide_servers[0]};\n" for port in upstreams)
        parts = UPSTREAM_SERVER.split(http)  # text, parameters, text, parameters, ..., text
        http = parts[0] + "\n" + ours.rstrip("\n") + "".join(parts[2::2])
    if http_port is not None or https_port is not None:
        listen = {"80": http_port, "443": https_port}
        site = re.sub(r"^\s*listen \[::\]:\d+.*\n", "", site, flags=re.M)
        site = re.sub(r"^(\s*)listen (80|443)\b",
                      lambda m: f"{m.group(1)}listen 127.0.0.1:{listen[m.group(2)]}", site,
                      flags=re.M)
        # The guide listens on 443, where a browser's Host, Origin and Referer carry no port;
        # here they do, so the Host nginx sets carries it too (still nginx's value, never the
        # client's), or Flask-WTF's HTTPS Referer check could not match.
        site = site.replace("proxy_set_header Host $host;",
                            "proxy_set_header Host $host:$server_port;")
        if os.geteuid() == 0:
            main += "user root;\n"  # workers as the user running the test, not nobody
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            inside_http += f"    {kind}_temp_path {folder}/{kind}_temp;\n"
        inside_http += (f"    access_log {folder}/access.log;\n"
                        f"    error_log {folder}/error.log;\n")
    (folder / "puente.conf").write_text(http)
    (folder / "puente-site").write_text(site)
    conf = folder / "nginx.conf"
    conf.write_text(f"{main}{guide_block('nginx-main')}\n"
                    f"http {{\n{inside_http}    include {folder}/puente.conf;\n"
                    f"    include {folder}/puente-site;\n}}\n")
    return conf
