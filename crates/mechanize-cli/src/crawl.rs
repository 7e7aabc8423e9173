//! `mechanize crawl`.

use crate::cli::CrawlArgs;
use crate::error::{CliError, Result};

/// Runs `mechanize crawl`.
pub async fn run(_args: CrawlArgs) -> Result<()> {
    Err(CliError::NotYet("mechanize crawl"))
}
