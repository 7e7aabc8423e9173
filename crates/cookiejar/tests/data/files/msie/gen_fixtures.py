#!/usr/bin/env python3
"""Writes the Internet Explorer cookie-file fixtures of this folder (see README.md).

Run from anywhere: `python3 gen_fixtures.py`. The output is deterministic; running it again
must leave `git status` clean. The expected values in `tests/file_msie.rs` are the ones
printed at the end.

A record is nine lines: name, value, host/path, flags (decimal), expiry FILETIME low and
high 32-bit words, creation FILETIME low and high words, then `*`. A FILETIME counts 100 ns
ticks since 1601-01-01 00:00:00 UTC.
"""

import calendar
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# Seconds from 1601-01-01 to 1970-01-01 (369 years, 89 of them leap years).
FILETIME_UNIX_OFFSET = 11_644_473_600
TICKS_PER_SECOND = 10_000_000

# WinINet's INTERNET_COOKIE_* flag bits.
SECURE = 0x0001
IE6 = 0x0400
HTTP_ONLY = 0x2000


def unix(year, month, day, hour=0, minute=0, second=0):
    """Unix seconds of a UTC time."""
    return calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))


def filetime(unix_seconds, extra_ticks=0):
    """(low, high) 32-bit words of the FILETIME of a Unix time plus some 100 ns ticks.

    `None` gives (0, 0), the hand-made "session cookie" marker (IE never writes one).
    """
    if unix_seconds is None:
        return 0, 0
    ticks = (unix_seconds + FILETIME_UNIX_OFFSET) * TICKS_PER_SECOND + extra_ticks
    assert 0 <= ticks < 1 << 64, "FILETIME out of range"
    return ticks & 0xFFFFFFFF, ticks >> 32


def record(name, value, host_path, flags, expires, created):
    """The nine lines of one cookie; `expires` and `created` are (unix, extra_ticks)."""
    exp_lo, exp_hi = filetime(*expires)
    cre_lo, cre_hi = filetime(*created)
    return [name, value, host_path, str(flags), str(exp_lo), str(exp_hi), str(cre_lo), str(cre_hi), "*"]


def write(relative, lines, newline="\n"):
    path = os.path.join(HERE, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write("".join(line + newline for line in lines).encode("utf-8"))


# The well-formed cookies: (file, record arguments). Times are (unix seconds, extra ticks).
EXAMPLE = [
    ("sid", "abc123", "example.com/", IE6,
     (unix(2100, 1, 1), 0), (unix(2006, 5, 4, 3, 2, 1), 0)),
    # 0.9999999 s past a whole second: the reader rounds down.
    ("pref", "lang=en|tz=UTC", "www.example.com/account/", IE6 | SECURE | HTTP_ONLY,
     (unix(2038, 1, 19, 3, 14, 8), 9_999_999), (unix(2007, 2, 3, 4, 5, 6), 5_000_000)),
    # Expired long ago.
    ("old", "1", "example.com/", IE6,
     (unix(2001, 9, 9, 1, 46, 40), 0), (unix(2001, 9, 8), 0)),
]
SHOP = [
    ("cart", "", "shop.example.org/cart/", HTTP_ONLY,
     (unix(2040, 6, 30, 12), 0), (unix(2009, 8, 4, 16, 26, 18), 0)),
    # Expiry 0: read as a session cookie.
    ("tmp", "x", "shop.example.org/", 0,
     (None, 0), (unix(2010, 1, 1), 0)),
    # A leading dot (IE does not write one; mechanize read it as a domain cookie) and a
    # creation time of zero (unknown: the jar uses the time of loading).
    ("lang", "fr", ".example.org/", SECURE,
     (unix(2030, 1, 1), 0), (None, 0)),
]


def lines_of(cookies):
    out = []
    for c in cookies:
        out += record(*c)
    return out


def main():
    write("cookies/alice@example[1].txt", lines_of(EXAMPLE))
    # Written with CRLF line ends, as a file that went through a Windows text tool would be.
    write("cookies/alice@shop.example[1].txt", lines_of(SHOP), newline="\r\n")
    # Not a real index.dat: only its 28-byte signature, then zeros. The reader must skip it
    # in a folder and refuse it when named directly.
    index = b"Client UrlCache MMF Ver 5.2\x00" + b"\x00\x40\x00\x00" + b"\x00" * 224
    with open(os.path.join(HERE, "cookies", "index.dat"), "wb") as f:
        f.write(index)

    good = record(*EXAMPLE[0])
    second = record(*EXAMPLE[1])

    bad_number = list(second)
    bad_number[3] = "10x4"  # flags, line 9 + 4 = 13
    write("malformed/bad-number.txt", good + bad_number)

    write("malformed/truncated.txt", good + second[:5])  # the second record starts at line 10

    missing_star = list(second)
    missing_star[8] = "+"  # line 18
    write("malformed/missing-star.txt", good + missing_star)

    no_slash = list(good)
    no_slash[2] = "example.com"  # line 3
    write("malformed/no-slash.txt", no_slash)

    too_big = list(good)
    too_big[5] = str(1 << 32)  # expiry high word, line 6
    write("malformed/too-big.txt", too_big)

    for name, cookies in (("cookies/alice@example[1].txt", EXAMPLE), ("cookies/alice@shop.example[1].txt", SHOP)):
        print(name)
        for (cname, _value, host_path, flags, expires, created) in cookies:
            exp = None if expires[0] is None else expires[0] + expires[1] // TICKS_PER_SECOND
            cre = None if created[0] is None else created[0] + created[1] // TICKS_PER_SECOND
            print(f"  {cname:5} {host_path:26} flags={flags:#06x} expires={exp} created={cre}")


if __name__ == "__main__":
    main()
