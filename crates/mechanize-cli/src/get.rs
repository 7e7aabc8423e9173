//! `mechanize get`.

use crate::cli::GetArgs;
use crate::error::{CliError, Result};

/// Runs `mechanize get`.
pub async fn run(_args: GetArgs) -> Result<()> {
    Err(CliError::NotYet("mechanize get"))
}
