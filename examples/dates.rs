//! Guide section 13, "Dates": cookielib's `http2time` and `iso2time`, mechanize's liberal
//! `str2time`, and the formatters, with the answers Python 3.11's `http.cookiejar` (and
//! mechanize 0.4.10) give. Offline; no network at all; ends by itself.
//!
//! `cargo run -p mechanize-examples --example dates`

use cookiejar::dates::{http2time, iso2time, str2time, time2isoz, time2netscape};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // 1994-02-09 22:23:32 UTC, written the ways servers write it.
    let t = 760_832_612;
    let formats = [
        "Wed, 09 Feb 1994 22:23:32 GMT",     // RFC 1123
        "Wednesday, 09-Feb-94 22:23:32 GMT", // RFC 850
        "09-Feb-94 22:23:32 GMT",            // no weekday
        "09 Feb 1994 22:23:32 GMT",          // HTTP format, no weekday
        "Wed, 09 Feb 1994 23:23:32 +0100",   // a numeric zone
    ];
    for text in formats {
        let parsed = http2time(text);
        println!("http2time({text:?}) = {parsed:?}");
        assert_eq!(parsed, Some(t), "{text}");
    }
    assert_eq!(iso2time("1994-02-09T22:23:32Z"), Some(t));
    assert_eq!(iso2time("19940209T222332"), Some(t));
    assert_eq!(iso2time("1994-02-09 23:23:32+01:00"), Some(t));

    // Named zones other than GMT/UTC, and asctime, are beyond http2time, as in Python.
    assert_eq!(http2time("Wed, 09 Feb 1994 17:23:32 EST"), None);
    assert_eq!(http2time("Wed Feb  9 22:23:32 1994"), None);

    // str2time: mechanize 0.4.10's `str2time` is `http2time` under another name; ours also
    // tries the ISO forms...
    for text in ["Wed, 09 Feb 1994 22:23:32 GMT", "1994-02-09T22:23:32Z"] {
        let parsed = str2time(text);
        println!("str2time({text:?}) = {parsed:?}");
        assert_eq!(parsed, Some(t), "{text}");
    }
    // ...and libwww-perl's liberal ones (asctime, named US zones, month first), all None in
    // mechanize.
    for text in ["Wed Feb  9 22:23:32 1994", "Feb 9, 1994 5:23:32 pm EST"] {
        let parsed = str2time(text);
        println!("str2time({text:?}) = {parsed:?}");
        assert_eq!(parsed, Some(t), "{text}");
    }
    // What no parser understands is None (Python: None).
    assert_eq!(http2time("yesterday"), None);
    assert_eq!(str2time("yesterday"), None);

    // And back.
    println!("time2isoz({t}) = {}", time2isoz(t));
    println!("time2netscape({t}) = {}", time2netscape(t));
    assert_eq!(time2isoz(t), "1994-02-09 22:23:32Z");
    assert_eq!(time2netscape(t), "Wed, 09-Feb-1994 22:23:32 GMT");
    Ok(())
}
