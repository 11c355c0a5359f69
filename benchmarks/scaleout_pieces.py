"""The scale-out drill's pieces that are not the drill itself: nginx's configuration (which
tests/archive/test_server.py holds to docs/running.md), one HTTP request with its cookies, and
the report's figures."""

import html
import http.client
import os
import re
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

REQUEST_TIMEOUT = 5.0


def nginx_conf(ngx: Path, p: dict) -> str:
    """nginx's configuration for the drill, its files in `ngx`, on the ports `p`: docs/running.md's
    "nginx in front of two app servers", upstream and proxy settings alike (test_server.py holds
    the two to each other), on plain HTTP. $http_host, not $host: it keeps the port, which
    Django compares with Origin."""
    return f"""
worker_processes 2;
pid {ngx}/nginx.pid;
error_log {ngx}/error.log warn;
events {{ worker_connections 512; }}
http {{
    log_format drill '$msec $status $request_time "$request" '
                     'upstream=$upstream_addr status=$upstream_status time=$upstream_response_time '
                     'connect=$upstream_connect_time header=$upstream_header_time';
    access_log {ngx}/access.log drill;
    client_body_temp_path {ngx}/body;
    proxy_temp_path {ngx}/proxy;
    fastcgi_temp_path {ngx}/fastcgi;
    uwsgi_temp_path {ngx}/uwsgi;
    scgi_temp_path {ngx}/scgi;
    upstream ficshelf {{
        server 127.0.0.1:{p["app1"]} max_fails=3 fail_timeout=10s;
        server 127.0.0.1:{p["app2"]} max_fails=3 fail_timeout=10s;
        keepalive 32;
        keepalive_timeout 20s;
    }}
    server {{
        listen 127.0.0.1:{p["nginx"]};
        server_name 127.0.0.1;
        client_max_body_size 16m;
        location / {{
            proxy_pass http://ficshelf;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 75s;
            proxy_connect_timeout 2s;
            # A server that refuses the connection or drops it before answering: the next one.
            # (nginx never resends a POST it has already sent: non_idempotent is not set.)
            proxy_next_upstream error timeout http_502;
            proxy_next_upstream_tries 2;
        }}
    }}
}}
"""


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def request(port: int, method: str, path: str, cookies: dict, form: dict | None = None):
    """One request on a new connection: (status, lower-cased headers, text); keeps cookies."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        headers = {"Host": f"127.0.0.1:{port}", "Connection": "close"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{port}"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] in ("0",):
                    cookies.pop(name, None)
                else:
                    cookies[name] = morsel.value
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text
    finally:
        connection.close()


def csrf_token(page: str) -> str | None:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return html.unescape(match.group(1)) if match else None


def pct(records: list, p: int) -> str:
    values = sorted(r["seconds"] for r in records if r["status"] is not None)
    if not values:
        return "–"
    return f"{values[min(len(values) - 1, int(len(values) * p / 100))] * 1000:.0f}"


def longest(records: list) -> str:
    """The longest request, time-outs included (they count as REQUEST_TIMEOUT or more)."""
    return f"{max(r['seconds'] for r in records):.2f} s" if records else "–"


def share(count: int, records: list) -> str:
    return f"{100 * count / len(records):.1f}%" if records else "–"
