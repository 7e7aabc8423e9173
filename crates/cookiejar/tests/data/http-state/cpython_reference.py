#!/usr/bin/env python3
"""Replays the http-state parser cases through CPython's http.cookiejar (fixed clock) and
prints, per case, the Cookie header CPython sends: `NAME<TAB>header`, or `NAME<TAB>-` for none.

Our DefaultCookiePolicy is checked against this output (tests/http_state.rs), so the
reference is CPython itself, not our reading of it. Regenerate with:
    python3 cpython_reference.py > cpython-cookielib.txt
"""
import email.message
import os
import re
import sys
import time
import urllib.parse
import urllib.request
from http import cookiejar

NOW = 1502236800  # 2017-08-09T00:00:00Z, the suite's last commit (see README.md)
time.time = lambda: NOW

HERE = os.path.dirname(os.path.abspath(__file__))
PARSER = os.path.join(HERE, "parser")


class Response:
    def __init__(self, headers):
        self._msg = email.message.Message()
        for k, v in headers:
            self._msg[k] = v

    def info(self):
        return self._msg


def run(name):
    with open(os.path.join(PARSER, name + "-test"), "rb") as f:
        lines = f.read().decode("utf-8", "replace").split("\n")
    headers = []
    for line in lines:
        m = re.match(r"(\S+):\s*(.*)", line)
        if m:
            headers.append((m.group(1), m.group(2)))
    if not any(k.lower() == "location" for k, _ in headers):
        headers.append(("Location", "/cookie-parser-result?" + name))
    jar = cookiejar.CookieJar()
    url = "http://home.example.org:8888/cookie-parser?" + name
    jar.extract_cookies(Response(headers), urllib.request.Request(url))
    location = [v for k, v in headers if k.lower() == "location"][0]
    req2 = urllib.request.Request(urllib.parse.urljoin(url, location))
    jar.add_cookie_header(req2)
    return req2.get_header("Cookie")


names = sorted(f[: -len("-test")] for f in os.listdir(PARSER) if f.endswith("-test"))
for name in names:
    got = run(name)
    sys.stdout.write("%s\t%s\n" % (name, "-" if got is None else got))
