//! `mechanize cookies list|convert|import`, the built binary driven by assert_cmd: the table,
//! a txt → sqlite → lwp round trip, a Firefox import, and the errors.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use cookiejar::Cookie;
use predicates::prelude::*;

fn mechanize() -> Command {
    let mut cmd = Command::cargo_bin("mechanize").expect("the mechanize binary");
    cmd.timeout(Duration::from_secs(60));
    cmd
}

/// 2100-01-01T00:00:00Z.
const FAR: i64 = 4_102_444_800;

const JAR_TXT: &str = "# Netscape HTTP Cookie File\n\
    # written by hand for the test\n\
    \n\
    .example.com\tTRUE\t/\tFALSE\t4102444800\tsid\tabc123\n\
    #HttpOnly_www.example.com\tFALSE\t/account\tTRUE\t0\tsession\ts3cr3t\n\
    example.org\tFALSE\t/\tFALSE\t1000\told\texpired-long-ago\n";

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("write");
}

fn stdout_of(cmd: &mut Command) -> String {
    let output = cmd.output().expect("run");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

/// The table's rows as cells split on runs of two or more spaces, header first.
fn rows(table: &str) -> Vec<Vec<String>> {
    table
        .lines()
        .map(|l| {
            l.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

#[test]
fn list_shows_one_line_per_cookie_with_its_attributes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let jar = dir.path().join("jar.txt");
    write(&jar, JAR_TXT);
    let table = stdout_of(mechanize().args(["cookies", "list"]).arg(&jar));
    let rows = rows(&table);
    assert_eq!(
        rows,
        vec![
            vec![
                "DOMAIN", "PATH", "NAME", "VALUE", "EXPIRES", "SECURE", "HTTPONLY"
            ],
            vec![
                ".example.com",
                "/",
                "sid",
                "abc123",
                "2100-01-01 00:00:00Z",
                "no",
                "no"
            ],
            vec![
                "www.example.com",
                "/account",
                "session",
                "s3cr3t",
                "session",
                "yes",
                "yes"
            ],
        ],
        "expired cookie left out:\n{table}"
    );
    assert_eq!(
        std::fs::read_to_string(&jar).expect("read"),
        JAR_TXT,
        "listing changes nothing"
    );
}

#[test]
fn convert_round_trips_txt_to_sqlite_to_lwp() {
    let dir = tempfile::tempdir().expect("tempdir");
    let txt = dir.path().join("jar.txt");
    let sqlite = dir.path().join("jar.sqlite");
    let lwp = dir.path().join("jar.lwp");
    let back = dir.path().join("back.txt");
    write(&txt, JAR_TXT);

    let original = stdout_of(mechanize().args(["cookies", "list"]).arg(&txt));
    mechanize()
        .args(["cookies", "convert"])
        .arg(&txt)
        .arg(&sqlite)
        .assert()
        .success()
        .stderr(predicate::str::contains("2 cookies written"));
    let head = std::fs::read(&sqlite).expect("sqlite written");
    assert!(head.starts_with(b"SQLite format 3\0"));
    mechanize()
        .args(["cookies", "convert"])
        .arg(&sqlite)
        .arg(&lwp)
        .assert()
        .success();
    let lwp_text = std::fs::read_to_string(&lwp).expect("lwp written");
    assert!(lwp_text.starts_with("#LWP-Cookies-2.0"), "{lwp_text}");
    assert!(lwp_text.contains("Set-Cookie3: sid=abc123"), "{lwp_text}");
    mechanize()
        .args(["cookies", "convert"])
        .arg(&lwp)
        .arg(&back)
        .assert()
        .success();

    for file in [&sqlite, &lwp, &back] {
        let listed = stdout_of(mechanize().args(["cookies", "list"]).arg(file));
        assert_eq!(listed, original, "{}", file.display());
    }
    let back_text = std::fs::read_to_string(&back).expect("read");
    assert!(back_text.contains(".example.com\tTRUE\t/\tFALSE\t4102444800\tsid\tabc123"));
    assert!(
        back_text.contains("#HttpOnly_www.example.com\tFALSE\t/account\tTRUE\t0\tsession\ts3cr3t")
    );
}

#[test]
fn convert_replaces_an_existing_output_and_refuses_the_same_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let txt = dir.path().join("jar.txt");
    let out = dir.path().join("out.sqlite");
    write(&txt, JAR_TXT);
    // An older database at the output: replaced, not merged into.
    let old = dir.path().join("old.txt");
    write(
        &old,
        "# Netscape HTTP Cookie File\nold.example\tFALSE\t/\tFALSE\t4102444800\tstale\t1\n",
    );
    mechanize()
        .args(["cookies", "convert"])
        .arg(&old)
        .arg(&out)
        .assert()
        .success();
    mechanize()
        .args(["cookies", "convert"])
        .arg(&txt)
        .arg(&out)
        .assert()
        .success();
    let listed = stdout_of(mechanize().args(["cookies", "list"]).arg(&out));
    assert!(!listed.contains("stale"), "{listed}");
    assert!(listed.contains("abc123"), "{listed}");

    mechanize()
        .args(["cookies", "convert"])
        .arg(&txt)
        .arg(&txt)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("same file"));
    assert_eq!(std::fs::read_to_string(&txt).expect("read"), JAR_TXT);
}

#[test]
fn import_reads_a_firefox_cookie_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let firefox = dir.path().join("cookies.sqlite");
    let mut sid = Cookie::new("sid", "ff42", ".mozilla.example", "/");
    sid.set_expires(Some(FAR));
    sid.set_discard(false);
    sid.set_secure(true);
    sid.set_http_only(true);
    let mut pref = Cookie::new("pref", "dark", "www.mozilla.example", "/settings");
    pref.set_expires(Some(FAR));
    pref.set_discard(false);
    cookiejar::file::export_firefox(&[sid, pref], &firefox).expect("export");
    let before = std::fs::read(&firefox).expect("read");

    let out = dir.path().join("imported.txt");
    mechanize()
        .args(["cookies", "import"])
        .arg(&firefox)
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("2 cookies imported"));
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(
        text.contains("#HttpOnly_.mozilla.example\tTRUE\t/\tTRUE\t4102444800\tsid\tff42"),
        "{text}"
    );
    assert!(
        text.contains("www.mozilla.example\tFALSE\t/settings\tFALSE\t4102444800\tpref\tdark"),
        "{text}"
    );
    assert_eq!(
        std::fs::read(&firefox).expect("read"),
        before,
        "Firefox's file untouched"
    );

    // Into our SQLite jar too.
    let db = dir.path().join("imported.sqlite");
    mechanize()
        .args(["cookies", "import"])
        .arg(&firefox)
        .arg(&db)
        .assert()
        .success();
    let listed = stdout_of(mechanize().args(["cookies", "list"]).arg(&db));
    assert!(
        listed.contains("ff42") && listed.contains("dark"),
        "{listed}"
    );
}

#[test]
fn import_of_something_that_is_not_a_firefox_database_fails_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ours = dir.path().join("ours.sqlite");
    let txt = dir.path().join("jar.txt");
    write(&txt, JAR_TXT);
    mechanize()
        .args(["cookies", "convert"])
        .arg(&txt)
        .arg(&ours)
        .assert()
        .success();
    let output = mechanize()
        .args(["cookies", "import"])
        .arg(&ours)
        .arg(dir.path().join("out.txt"))
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("moz_cookies"), "{stderr}");
    assert!(!dir.path().join("out.txt").exists());
}

#[test]
fn missing_files_and_unknown_types_are_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.txt");
    for args in [
        vec!["cookies", "list"],
        vec!["cookies", "convert"],
        vec!["cookies", "import"],
    ] {
        let mut cmd = mechanize();
        cmd.args(&args).arg(&missing);
        if args.len() == 2 && args[1] != "list" {
            cmd.arg(dir.path().join("out.txt"));
        }
        let output = cmd.output().expect("run");
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
        assert!(stderr.contains("no such file"), "{args:?}: {stderr}");
        assert!(stderr.contains("missing.txt"), "{args:?}: {stderr}");
        assert!(!missing.exists(), "not created by {args:?}");
    }
    // A missing .sqlite jar is not created by `list` either.
    let db = dir.path().join("missing.sqlite");
    mechanize()
        .args(["cookies", "list"])
        .arg(&db)
        .assert()
        .code(1);
    assert!(!db.exists());

    let txt = dir.path().join("jar.txt");
    write(&txt, JAR_TXT);
    mechanize()
        .args(["cookies", "convert"])
        .arg(&txt)
        .arg(dir.path().join("jar.json"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown cookie file type"));
    mechanize().args(["cookies", "frobnicate"]).assert().code(2);
}

#[test]
fn a_corrupt_jar_is_reported_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let txt = dir.path().join("jar.txt");
    let bad = "# Netscape HTTP Cookie File\nexample.com\tMAYBE\t/\tFALSE\t0\tn\tv\n";
    write(&txt, bad);
    let output = mechanize()
        .args(["cookies", "list"])
        .arg(&txt)
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!("{}:2:", txt.display())),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&txt).expect("read"), bad);
}
