"""Writes python-mozilla.txt and python-lwp.txt with CPython's http.cookiejar, from one jar of
varied cookies built with the Cookie constructor (fixed times, so the output is reproducible).

Usage: python3 make_python_fixtures.py [OUTPUT_DIR]
"""

import os
import sys
from http.cookiejar import Cookie, CookieJar, LWPCookieJar, MozillaCookieJar

FUTURE = 4102444800  # 2100-01-01 00:00:00Z
PAST = 1000000000  # 2001-09-09 01:46:40Z


def cookie(name, value, domain, path="/", *, version=0, port=None, port_specified=False,
           domain_specified=None, domain_initial_dot=None, path_specified=True, secure=False,
           expires=FUTURE, discard=False, comment=None, comment_url=None, rest=None,
           rfc2109=False):
    if domain_specified is None:
        domain_specified = domain.startswith(".")
    if domain_initial_dot is None:
        domain_initial_dot = domain.startswith(".")
    return Cookie(version, name, value, port, port_specified, domain, domain_specified,
                  domain_initial_dot, path, path_specified, secure, expires, discard, comment,
                  comment_url, rest or {}, rfc2109)


COOKIES = [
    # A persistent Netscape domain cookie.
    cookie("sid", "abc123", ".example.com"),
    # A session cookie for one host, path not specified.
    cookie("sess", "xyz", "www.example.com", "/app", path_specified=False, expires=None,
           discard=True),
    # Set-Cookie: flag (no value).
    cookie("flag", None, "www.example.com"),
    # HttpOnly as cookielib's MozillaCookieJar keeps it, plus other non-standard attributes.
    cookie("hidden", "1", "www.example.com", secure=True,
           rest={"HTTPOnly": "", "Priority": "High", "Partitioned": None}),
    # An RFC 2965 cookie with everything.
    cookie("v1", "\"quoted value\"", ".example.com", "/docs", version=1, port="80,8080",
           port_specified=True, secure=True, comment="a comment",
           comment_url="http://example.com/why", discard=True),
    # An expired cookie (saved because of ignore_expires).
    cookie("old", "gone", "www.example.com", expires=PAST),
    # A value that needs quoting in Set-Cookie3.
    cookie("complex", "a b;c,d\"e\\f", "www.example.com"),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    for cls, name in [(MozillaCookieJar, "python-mozilla.txt"), (LWPCookieJar, "python-lwp.txt")]:
        jar = cls(os.path.join(out, name))
        for c in COOKIES:
            jar.set_cookie(c)
        jar.save(ignore_discard=True, ignore_expires=True)


if __name__ == "__main__":
    main()
