//! `mechanize cookies list|convert|import`: show a jar as a table, convert between the jar
//! formats, import a Firefox `cookies.sqlite`.

use std::io::Write;
use std::path::Path;

use cookiejar::Cookie;
use cookiejar::dates::time2isoz;
use cookiejar::file::import_firefox;
use tracing::Level;

use crate::cli::CookiesCommand;
use crate::error::{CliError, Result};
use crate::jarfile::{Format, JarFile, Missing, write_cookies};

/// Runs `mechanize cookies ...`. Warnings (attributes a format cannot hold, dropped on
/// conversion) go to stderr.
pub async fn run(cmd: CookiesCommand) -> Result<()> {
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(Level::WARN)
        .without_time()
        .with_target(false)
        .try_init();
    match cmd {
        CookiesCommand::List { jar } => list(&jar),
        CookiesCommand::Convert { input, output } => convert(&input, &output),
        CookiesCommand::Import { firefox, output } => import(&firefox, &output),
    }
}

const HEADINGS: [&str; 7] = [
    "DOMAIN", "PATH", "NAME", "VALUE", "EXPIRES", "SECURE", "HTTPONLY",
];

/// One row of the table.
fn row(c: &Cookie) -> [String; 7] {
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
    [
        c.domain().to_owned(),
        c.path().to_owned(),
        c.name().to_owned(),
        c.value().unwrap_or("").to_owned(),
        c.expires().map_or_else(|| "session".to_owned(), time2isoz),
        yes_no(c.secure()),
        yes_no(c.http_only()),
    ]
}

/// Prints the jar's cookies as a table, one line per cookie, columns aligned.
fn list(path: &Path) -> Result<()> {
    let jar = JarFile::load(path, Missing::Fail)?;
    let rows: Vec<[String; 7]> = jar.cookies().iter().map(row).collect();
    let mut widths = HEADINGS.map(str::len);
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = std::io::stdout().lock();
    let mut line = |cells: &[&str]| -> std::io::Result<()> {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                text.push_str(&format!("{cell:<w$}  "));
            }
        }
        writeln!(out, "{}", text.trim_end())
    };
    let result = line(&HEADINGS).and_then(|()| {
        rows.iter().try_for_each(|r| {
            let cells: Vec<&str> = r.iter().map(String::as_str).collect();
            line(&cells)
        })
    });
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(CliError::io("<stdout>", e)),
        _ => Ok(()),
    }
}

fn check_distinct(input: &Path, output: &Path) -> Result<()> {
    let same = match (input.canonicalize(), output.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => input == output,
    };
    if same {
        return Err(CliError::Usage(format!(
            "{}: input and output are the same file",
            output.display()
        )));
    }
    Ok(())
}

/// Reads `input` and writes its cookies to `output`, formats from the extensions.
fn convert(input: &Path, output: &Path) -> Result<()> {
    let format = Format::from_path(output)?;
    check_distinct(input, output)?;
    let cookies = JarFile::load(input, Missing::Fail)?.cookies();
    write_cookies(output, format, &cookies)?;
    eprintln!(
        "{} cookies written to {} ({})",
        cookies.len(),
        output.display(),
        format.name()
    );
    Ok(())
}

/// Reads a Firefox `cookies.sqlite` and writes its cookies to `output`.
fn import(firefox: &Path, output: &Path) -> Result<()> {
    let format = Format::from_path(output)?;
    check_distinct(firefox, output)?;
    if !firefox.exists() {
        return Err(CliError::Missing {
            what: "Firefox cookie database",
            path: firefox.to_path_buf(),
        });
    }
    let cookies = import_firefox(firefox).map_err(|e| CliError::jar(firefox, e))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
    let cookies: Vec<Cookie> = cookies.into_iter().filter(|c| !c.is_expired(now)).collect();
    write_cookies(output, format, &cookies)?;
    eprintln!(
        "{} cookies imported from {} into {} ({})",
        cookies.len(),
        firefox.display(),
        output.display(),
        format.name()
    );
    Ok(())
}
