//! `holo status`: catalogue counts and the last runs.

use anyhow::Context;
use clap::Args;
use holo_core::queries::{self, CatalogueCounts, RunRecord};
use serde::Serialize;

use crate::DatabaseArgs;

/// How many runs `holo status` lists.
const RUNS_SHOWN: usize = 5;

#[derive(Args)]
pub struct StatusArgs {
    #[command(flatten)]
    database: DatabaseArgs,

    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Status {
    database: String,
    counts: CatalogueCounts,
    runs: Vec<RunRecord>,
}

pub fn run(args: StatusArgs) -> anyhow::Result<()> {
    let path = args.database.existing_path()?;
    let reader = args.database.reader()?;
    let status = Status {
        database: path.display().to_string(),
        counts: queries::catalogue_counts(&reader)?,
        runs: queries::recent_runs(&reader, RUNS_SHOWN)?,
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&status).context("cannot serialise the status")?
        );
    } else {
        print_text(&status);
    }
    Ok(())
}

fn print_text(status: &Status) {
    let counts = &status.counts;
    println!("Database   {}", status.database);
    println!("Sets       {}", counts.sets);
    println!("Cards      {}", counts.cards);
    println!("Variations {}", counts.variations);
    println!("Prices     {} snapshots", counts.price_snapshots);
    println!("Collection {} entries", counts.collection_entries);
    if status.runs.is_empty() {
        println!("\nNo sync has run yet.");
        return;
    }
    println!("\nLast runs, newest first:");
    for run in &status.runs {
        let detail = match &run.summary {
            Some(summary) => format!(
                "{} sets, {} cards seen: {} new, {} updated, {} unchanged, {} failed; {} ms",
                summary.sets_total,
                summary.counts.cards_seen,
                summary.counts.cards_inserted,
                summary.counts.cards_updated,
                summary.counts.cards_unchanged,
                summary.counts.cards_failed,
                summary.duration_ms
            ),
            None => String::new(),
        };
        println!("  {}  {:<9}  {}", run.run_id, run.status, detail);
    }
}
