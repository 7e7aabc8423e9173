//! `mechanize cookies list|convert|import`.

use crate::cli::CookiesCommand;
use crate::error::{CliError, Result};

/// Runs `mechanize cookies ...`.
pub async fn run(_cmd: CookiesCommand) -> Result<()> {
    Err(CliError::NotYet("mechanize cookies"))
}
