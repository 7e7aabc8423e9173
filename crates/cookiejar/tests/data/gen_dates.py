"""Prints the expected values pasted into tests/dates.rs, from CPython 3.11's
http.cookiejar and (if importable) mechanize 0.4.10. Run: python3 gen_dates.py
The inputs here must have four-digit years: two-digit years depend on the clock."""
from http.cookiejar import http2time, iso2time, time2isoz, time2netscape

try:
    from mechanize import str2time as mech_str2time
except ImportError:
    mech_str2time = None

HTTP = [
    "Wed, 09 Feb 1994 22:23:32 GMT", "Tuesday, 08-Feb-1994 14:15:29 GMT",
    "09 Feb 1994 22:23:32 GMT", "08-Feb-1994 14:15:29 GMT",
    "Thu, 03 Feb 1994 00:00:00 GMT", "Thursday, 03-Feb-1994 00:00:00 GMT",
    "03-Feb-1994 00:00 GMT", "03 Feb 1994 00:00", "03 Feb 1994 00:00:00",
    "03 Feb 1994", "03-Feb-1994", "  03   Feb   1994  0:00  ", "  03-Feb-1994  ",
    "03 feb 1994", "03 FEB 1994", "3 Feb 1994", "03/Feb/1994:00:00:00 +0000",
    "03/02/1994", "09 1_2 1994", "09-Feb/1994", "09\tFeb\t1994", "09 Feb 1994:22:23:32",
    "Wed, 09 Feb 1994 22:23:32 GMT\n", "Wed, 09 Feb 1994 22:23:32 GMT ",
    "wed, 09 feb 1994 22:23:32 gmt", "Wednesday 09 Feb 1994 22:23:32 +0100",
    "Sunday09 Feb 1994", "Fri,09 Feb 1994", "Wed 09-Feb-1994 22:23:32 GMT", "\u00a009 Feb 1994",
    "09 Feb 1994 22:23:32 -0800", "09 Feb 1994 22:23:32 +01", "09 Feb 1994 22:23:32 +1",
    "09 Feb 1994 22:23:32 -123", "09 Feb 1994 22:23:32 9999", "09 Feb 1994 22:23:32 UTC",
    "09 Feb 1994 22:23:32 ut", "09 Feb 1994 22:23:32 Z", "09 Feb 1994 22:23:32 GMT (GMT)",
    "09 Feb 1994 22:23:32 (EST)", "09 Feb 1994 22:23:32GMT(x_1)",
    "Wed, 31 Feb 1994 22:23:32 GMT", "31 Feb 1996", "Wed, 09 Feb 1994 24:00:00 GMT",
    "Wed, 09 Feb 1994 23:59:60 GMT", "09 Feb 1994 23:59:61", "01 Jan 1970 00:00:00 +0100",
    "31 Dec 9999 23:59:59 GMT", "01 Jan 1970 00:00:00 GMT",
    # rejected
    "09 Feb 1994 22:23:32 +01:00", "09 Feb 1994 22:23:32 EST", "09 Feb 1994 22:23:32 +12345",
    "09 Feb 1994 22:23:32 GMT+0100", "09 Feb 1994 10:23 PM", "09 Feb 1994 10:23:32 am",
    "Wed, 09 Feb 1994 23:59:62 GMT", "Wed, 00 Feb 1994 22:23:32 GMT", "32 Feb 1994",
    "Wed, 09 Feb 1969 22:23:32 GMT", "31 Dec 1969 23:59:59 GMT", "01 Jan 10000",
    "09 February 1994", "09 13 1994", "09 0 1994", "09 1__2 1994", "09.Feb.1994",
    "09\x1cFeb 1994", "Xyz, 09 Feb 1994", "Wed, 09 Feb 1994 25:00:00 GMT",
    "09 Feb 1994 22:60", "1994-02-09T22:23:32Z", "Feb 9 1994", "Wed Feb  9 22:23:32 1994",
    "", "   ", "garbage", "9", "Wed,", "09 Feb", "\u0669 Feb 1994",
]
ISO = [
    "1994-02-03 14:15:29 -0100", "1994-02-03 14:15:29", "1994-02-03", "1994-02-03T14:15:29",
    "19940203T141529Z", "19940203", "1994-02-03t14:15:29z", "1994/02/03 14:15", "1994-2-3",
    "1994023", "19940203T1415", "1994-02-03 14:15:29 +01", "1994-02-03 14:15:29+0100",
    "1994-02-03 14:15:29 +01:00", "1994-02-03 14:15:29 -1:30", "  1994-02-03",
    "1994-02-03\n", "1994-02-03 24:00", "1994-02-30", "9999-12-31T23:59:59Z",
    "1994-02-03-14:15", "1994-02-03 14:15:29 0100",
    # rejected
    "1994-02-03 14:15:29 +01::00", "1994-02-03 14:15:29 GMT", "1994-02-03 25:00",
    "1969-12-31", "94-02-03", "1994-02-32", "1994-13-03", "garbage", "", "10000-01-01",
    "1994-02-03 14:15:29 +", "Wed, 09 Feb 1994 22:23:32 GMT",
]
# mechanize's regexes lack re.ASCII; these are the kinds of input only it reads.
MECH = [
    "\u0660\u0669 Feb \u0661\u0669\u0669\u0664 22:23:32 GMT", "Wed,\u00a009 Feb 1994 22:23:32 GMT",
    "09\x1cFeb\x1f1994", "\u017fun, 09 Feb 1994", "Fr\u0131day, 09 Feb 1994",
    "09 Feb 1994 22:23:32 GMT (\u6771\u4eac)",
    "Wed, \uff10\uff19 Feb 1994 22:23:32 GMT", "09\u3000Feb\u30001994\u300022:23",
    "09 \u0660\u0662 1994",
]
TIMES = [0, 1, -1, 760832612, 785666977, 951782400, 951868799, 4107542400,
         253402300799, -62135596800, 1700000000, -2208988800]


def rs(s):
    """A Rust string literal: printable ASCII as is, everything else as \\u{..}."""
    esc = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n"}
    return '"%s"' % "".join(esc.get(c) or (c if " " <= c <= "~" else "\\u{%x}" % ord(c)) for c in s)


def row(s, v):
    return "    (%s, %s)," % (rs(s), "None" if v is None else "Some(%d)" % int(v))


print("const HTTP2TIME: &[(&str, Option<i64>)] = &[")
print("\n".join(row(s, http2time(s)) for s in HTTP))
print("];\nconst ISO2TIME: &[(&str, Option<i64>)] = &[")
print("\n".join(row(s, iso2time(s)) for s in ISO))
if mech_str2time:
    print("];\nconst MECHANIZE_STR2TIME: &[(&str, Option<i64>)] = &[")
    print("\n".join(row(s, mech_str2time(s)) for s in MECH))
print("];\nconst FORMATS: &[(i64, &str, &str)] = &[")
print("\n".join("    (%d, %s, %s)," % (t, rs(time2isoz(t)), rs(time2netscape(t)))
                for t in TIMES))
print("];")
