//! The crawl's SQLite cookie jar, copied into a shared `Arc<CookieJar>` and written back.
//! LEAD: switch `load`/`save` to `jarfile` (and a shared SqliteCookieJar) when merging.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cookiejar::CookieJar;
use cookiejar::file::SqliteCookieJar;

use crate::error::{CliError, Result};

/// A SQLite cookie file and the jar the crawl uses, kept in step by [`save`](Self::save).
#[derive(Debug)]
pub struct CrawlJar {
    file: SqliteCookieJar,
    path: PathBuf,
    /// The jar the crawl's opener uses.
    pub jar: Arc<CookieJar>,
}

fn jar_error(path: &Path, source: cookiejar::Error) -> CliError {
    CliError::Jar {
        path: path.to_path_buf(),
        source,
    }
}

impl CrawlJar {
    /// Opens (or creates) the SQLite cookie file at `path` and copies its cookies into a
    /// fresh shared jar.
    pub fn load(path: &Path) -> Result<CrawlJar> {
        let file = SqliteCookieJar::open(path).map_err(|e| jar_error(path, e))?;
        let jar = Arc::new(CookieJar::new());
        jar.set_cookies(file.iter());
        tracing::debug!(path = %path.display(), cookies = jar.len(), "cookie jar loaded");
        Ok(CrawlJar {
            file,
            path: path.to_path_buf(),
            jar,
        })
    }

    /// Writes the shared jar's cookies to the file (replacing its rows) and syncs it.
    pub fn save(&self) -> Result<()> {
        self.file.replace_all(self.jar.iter());
        self.file.sync().map_err(|e| jar_error(&self.path, e))?;
        tracing::debug!(path = %self.path.display(), cookies = self.jar.len(), "cookie jar saved");
        Ok(())
    }
}
