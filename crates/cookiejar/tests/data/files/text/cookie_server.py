"""A tiny HTTP server that sets a fixed set of cookies, for making cookies.txt fixtures with
real clients (curl -c, wget --save-cookies).

Usage: python3 cookie_server.py [REQUESTS]
Listens on 127.0.0.1 on an ephemeral port, prints the port on the first line of stdout,
answers REQUESTS requests (default 2) and exits.

  GET /app/login   sets host-only, Domain, Path, Expires, Max-Age and HttpOnly cookies
  GET /secure      sets Secure cookies (curl accepts them over http only from 127.0.0.1
                   or localhost, which it counts as secure contexts)
"""

import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

COOKIES = {
    "/app/login": [
        "sid=abc123; Path=/; HttpOnly",
        "theme=dark; Domain=cookies.test; Path=/; Max-Age=315360000",
        "lang=en-US; Path=/app; Expires=Wed, 01 Jan 2098 00:00:00 GMT",
        'tracker="q=1&r=2"; Domain=.cookies.test; Path=/; Max-Age=315360000; HttpOnly',
        "empty=; Path=/",
    ],
    "/secure": [
        "token=s3cr3t; Path=/; Secure; HttpOnly; Max-Age=315360000; SameSite=Strict",
        "plain=1; Path=/secure",
    ],
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        cookies = COOKIES.get(self.path.split("?")[0], [])
        self.send_response(200)
        for c in cookies:
            self.send_header("Set-Cookie", c)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    server = HTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    for _ in range(requests):
        server.handle_request()


if __name__ == "__main__":
    main()
