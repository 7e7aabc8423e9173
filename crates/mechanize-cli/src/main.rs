//! `mechanize`: parses the command line, runs the subcommand, prints an error as one line and
//! exits non-zero when it fails (2 usage, 22 HTTP error or robots.txt refusal, 1 otherwise).

use std::process::ExitCode;

use clap::Parser;
use mechanize_cli::cli::{Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Get(args) => mechanize_cli::get::run(args).await,
        Command::Crawl(args) => mechanize_cli::crawl::run(args).await,
        Command::Cookies(cmd) => mechanize_cli::cookies::run(cmd).await,
        Command::Demo(args) => mechanize_cli::demo::run(args).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("mechanize: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
