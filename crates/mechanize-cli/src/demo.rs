//! `mechanize demo`.

use crate::cli::DemoArgs;
use crate::error::{CliError, Result};

/// Runs `mechanize demo`.
pub async fn run(_args: DemoArgs) -> Result<()> {
    Err(CliError::NotYet("mechanize demo"))
}
