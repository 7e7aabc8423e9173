//! `--resume`: a sidecar file (`<jar>.crawl`, JSON lines) of the URLs crawled and queued, so a
//! later run skips what was done and picks up the queue where the last one stopped.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use url::Url;

use super::record::PageRecord;
use crate::error::{CliError, Result};

/// One line of the state file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
enum Line {
    Done {
        done: String,
    },
    Queued {
        queued: String,
        depth: usize,
        referer: Option<String>,
    },
}

/// What an earlier run left: URLs done, and URLs queued but not done.
#[derive(Debug, Default)]
pub struct Resumed {
    /// Crawled already.
    pub done: HashSet<String>,
    /// Still to crawl: (URL, depth, referer).
    pub pending: Vec<(Url, usize, Option<String>)>,
}

/// The state file, appended to as pages are done.
#[derive(Debug)]
pub struct StateFile {
    path: PathBuf,
    file: File,
}

/// The state file that goes with a cookie jar.
pub fn path_for(jar: &Path) -> PathBuf {
    let mut name = jar.as_os_str().to_owned();
    name.push(".crawl");
    PathBuf::from(name)
}

fn io_error(path: &Path, source: std::io::Error) -> CliError {
    CliError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl StateFile {
    /// Reads what an earlier run left at `path` (nothing if there is no file).
    pub fn read(path: &Path) -> Result<Resumed> {
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Resumed::default()),
            Err(e) => return Err(io_error(path, e)),
        };
        let mut resumed = Resumed::default();
        let mut queued = Vec::new();
        for line in BufReader::new(file).lines() {
            let line = line.map_err(|e| io_error(path, e))?;
            // A line cut short by a crash is skipped.
            match serde_json::from_str::<Line>(&line) {
                Ok(Line::Done { done }) => {
                    resumed.done.insert(done);
                }
                Ok(Line::Queued {
                    queued: url,
                    depth,
                    referer,
                }) => queued.push((url, depth, referer)),
                Err(_) => tracing::debug!(path = %path.display(), line, "state line skipped"),
            }
        }
        resumed.pending = queued
            .into_iter()
            .filter(|(url, _, _)| !resumed.done.contains(url))
            .filter_map(|(url, depth, referer)| Some((Url::parse(&url).ok()?, depth, referer)))
            .collect();
        Ok(resumed)
    }

    /// Opens the state file for appending (`fresh`: emptied first).
    pub fn open(path: &Path, fresh: bool) -> Result<StateFile> {
        let file = OpenOptions::new()
            .create(true)
            .append(!fresh)
            .write(true)
            .truncate(fresh)
            .open(path)
            .map_err(|e| io_error(path, e))?;
        Ok(StateFile {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Records a page as done, and the URLs it queued.
    pub fn record(&mut self, record: &PageRecord) -> Result<()> {
        let mut lines = String::new();
        let depth = record.depth + 1;
        let referer = record.final_url.clone().or(Some(record.url.clone()));
        for url in &record.queued {
            let line = Line::Queued {
                queued: url.clone(),
                depth,
                referer: referer.clone(),
            };
            lines.push_str(&serde_json::to_string(&line).unwrap_or_default());
            lines.push('\n');
        }
        let done = Line::Done {
            done: record.url.clone(),
        };
        lines.push_str(&serde_json::to_string(&done).unwrap_or_default());
        lines.push('\n');
        self.file
            .write_all(lines.as_bytes())
            .map_err(|e| io_error(&self.path, e))
    }
}
