//! `mechanize demo`: starts the embedded demo site on 127.0.0.1 and crawls it with the full
//! processor stack, telling in readable lines what each processor did.

pub mod narrate;
pub mod site;

use std::io::Write;
use std::time::Duration;

use url::Url;

use crate::cli::DemoArgs;
use crate::crawl::{CrawlOptions, PageRecord, crawl};
use crate::error::{CliError, Result};
use crate::jarfile::{JarFile, Missing};

/// Runs `mechanize demo`, writing to stdout.
pub async fn run(args: DemoArgs) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    demo(args, &mut out).await
}

fn io(e: std::io::Error) -> CliError {
    CliError::Io {
        path: "<stdout>".into(),
        source: e,
    }
}

/// The demo, told to `out`.
pub async fn demo(args: DemoArgs, out: &mut impl Write) -> Result<()> {
    let site = site::start().await.map_err(|e| CliError::Io {
        path: "127.0.0.1:0".into(),
        source: e,
    })?;
    let dir = tempfile::tempdir().map_err(|e| CliError::Io {
        path: std::env::temp_dir(),
        source: e,
    })?;
    let jar_path = args
        .cookie_jar
        .clone()
        .unwrap_or_else(|| dir.path().join("cookies.sqlite"));
    let jar = JarFile::load(&jar_path, Missing::Create)?;
    let origin = format!("http://{}", site.addr);
    let start = Url::parse(&site.url()).map_err(|e| CliError::Usage(e.to_string()))?;

    writeln!(
        out,
        "mechanize demo: a site on {origin}, crawled politely with the full processor stack"
    )
    .map_err(io)?;
    writeln!(
        out,
        "  robots.txt: {}",
        site::ROBOTS_TXT.trim_end().replace('\n', " | ")
    )
    .map_err(io)?;
    writeln!(
        out,
        "  cookies kept in the SQLite jar {}",
        jar_path.display()
    )
    .map_err(io)?;
    writeln!(out, "  (times are seconds since the crawl started)").map_err(io)?;
    writeln!(out).map_err(io)?;

    let mut options = CrawlOptions::new(start);
    options.max_depth = 2;
    options.max_pages = 30;
    options.per_host = 2;
    options.timeout = Some(Duration::from_secs(10));
    options.jar = jar.jar();
    let mut records: Vec<PageRecord> = Vec::new();
    let mut failure = None;
    let summary = crawl(options, |record| {
        let mut text = String::new();
        for line in narrate::lines(&origin, record) {
            text.push_str(&line);
            text.push('\n');
        }
        text.push('\n');
        if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
            failure.get_or_insert(e);
        }
        records.push(record.clone());
    })
    .await?;
    if let Some(e) = failure {
        return Err(io(e));
    }
    jar.save()?;

    // Politeness: the gaps between the requests the site got (robots.txt aside).
    let mut times: Vec<u64> = records
        .iter()
        .flat_map(|r| &r.hops)
        .filter(|h| !h.robots_txt)
        .map(|h| h.at_ms)
        .collect();
    times.sort_unstable();
    let gaps: Vec<u64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    writeln!(out, "Summary").map_err(io)?;
    writeln!(
        out,
        "  politeness  {} requests to 127.0.0.1, started at least {} ms apart (Crawl-delay 0.2 s; 2 at a time at most)",
        times.len(),
        gaps.iter().min().copied().unwrap_or(0)
    )
    .map_err(io)?;
    writeln!(
        out,
        "  robots      the server got {} requests under /private/ (robots.txt disallows it)",
        site.hits("/private/")
    )
    .map_err(io)?;
    let mut cookies: Vec<String> = jar
        .jar()
        .iter()
        .map(|c| format!("{}={}", c.name(), c.value().unwrap_or_default()))
        .collect();
    cookies.sort();
    writeln!(
        out,
        "  cookie jar  {} holds {}",
        jar_path.display(),
        if cookies.is_empty() {
            "nothing".to_owned()
        } else {
            cookies.join(", ")
        }
    )
    .map_err(io)?;
    writeln!(
        out,
        "  crawl       {} URLs tried: {} ok, {} failed (the loop), {} refused by robots.txt, in {:.1} s",
        summary.pages,
        summary.ok,
        summary.errors,
        summary.disallowed,
        summary.elapsed.as_secs_f64()
    )
    .map_err(io)?;
    writeln!(out, "Next: `mechanize crawl URL --cookie-jar state.sqlite` prints one JSON line per page (see --help).").map_err(io)?;
    Ok(())
}
