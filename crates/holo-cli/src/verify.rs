//! `holo verify`: checks a database for what a sync must never leave behind.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use holo_core::db::Database;
use holo_core::verify;

use crate::DatabaseArgs;

/// The exit code when the checks found problems.
const EXIT_PROBLEMS_FOUND: u8 = 7;

#[derive(Args)]
pub struct VerifyArgs {
    #[command(flatten)]
    database: DatabaseArgs,

    /// Print the findings as one JSON array instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let path = args.database.existing_path()?;
    // The search index check runs FTS5's integrity-check command, which is a write statement,
    // so verify runs on the writer rather than on a read-only connection.
    let database = Database::open(&path)?;
    let findings = database
        .writer()
        .run_blocking(|connection| verify::verify(connection))?;

    if args.json {
        let text = serde_json::to_string(&findings).context("cannot serialise the findings")?;
        println!("{text}");
    } else if findings.is_empty() {
        println!("{}: no problems found", path.display());
    } else {
        println!("{}: {} problems found", path.display(), findings.len());
        for finding in &findings {
            println!("  [{}] {}", finding.check, finding.detail);
        }
    }

    if findings.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(EXIT_PROBLEMS_FOUND))
    }
}
