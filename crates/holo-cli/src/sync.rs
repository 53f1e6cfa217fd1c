//! `holo sync`: one run of the core's sync engine, rendered as a progress bar and a report.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use holo_core::api::{ApiClient, ApiConfig};
use holo_core::db::Database;
use holo_core::paths::DEFAULT_API_URL;
use holo_core::sync::{
    self, LockError, RunStatus, SyncError, SyncEvent, SyncMode, SyncOptions, SyncSummary,
};
use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::DatabaseArgs;

/// The exit code when another sync holds the database's lock.
const EXIT_ALREADY_RUNNING: u8 = 3;
const EXIT_PARTIAL: u8 = 4;
const EXIT_FAILED: u8 = 5;
const EXIT_CANCELLED: u8 = 6;

/// How many errors the text report lists before it points at `--json`.
const ERRORS_SHOWN: usize = 20;

#[derive(Args)]
pub struct SyncArgs {
    #[command(flatten)]
    database: DatabaseArgs,

    /// API root URL.
    #[arg(long, env = "HOLO_API_URL", default_value = DEFAULT_API_URL, value_name = "URL")]
    api_url: String,

    /// API key, sent as X-Api-Key. Raises the public API's limits; never logged.
    #[arg(long, env = "HOLO_API_KEY", hide_env_values = true, value_name = "KEY")]
    api_key: Option<String>,

    /// Sets fetched at once, from 1 to 32.
    #[arg(
        long,
        env = "HOLO_SYNC_CONCURRENCY",
        default_value_t = sync::DEFAULT_CONCURRENCY as u64,
        value_parser = clap::value_parser!(u64).range(1..=sync::MAX_CONCURRENCY as u64),
    )]
    concurrency: u64,

    /// Fetch every set, not only those the API lists as changed since their last sync.
    #[arg(long)]
    full: bool,

    /// Refresh every card's prices now, even if they were refreshed in the last 12 hours.
    #[arg(long)]
    prices: bool,

    /// Print the run's summary as one JSON object on the last line of stdout.
    #[arg(long)]
    json: bool,
}

pub fn run(args: SyncArgs) -> anyhow::Result<ExitCode> {
    let path = args.database.path()?;
    // The client first, so that a bad API URL is reported before any database file is made.
    let client = ApiClient::new(ApiConfig::new(&args.api_url, args.api_key.clone()))
        .context("cannot set up the API client")?;
    let database = Database::open(&path)?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;

    let cancel = CancellationToken::new();
    let options = SyncOptions {
        concurrency: args.concurrency as usize,
        cancel: cancel.clone(),
        mode: if args.full {
            SyncMode::Full
        } else {
            SyncMode::Incremental
        },
        refresh_prices: args.prices,
    };
    let summary = runtime.block_on(async {
        let ctrl_c_cancel = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("Cancelling after the sets in progress...");
                ctrl_c_cancel.cancel();
            }
        });
        let (events, received) = mpsc::unbounded_channel();
        let progress = tokio::spawn(render_progress(received));
        let outcome = sync::run_sync(&database, &client, options, events).await;
        let _ = progress.await;
        outcome
    });

    let summary = match summary {
        Ok(summary) => summary,
        Err(SyncError::Lock(LockError::Held(holder))) => {
            let holder =
                holder.map_or_else(|| "an unknown run".into(), |holder| holder.to_string());
            eprintln!(
                "Another sync is running on {}: {holder}. Try again when it has finished.",
                path.display()
            );
            return Ok(ExitCode::from(EXIT_ALREADY_RUNNING));
        }
        Err(error) => return Err(error.into()),
    };

    if args.json {
        println!(
            "{}",
            serde_json::to_string(&summary).context("cannot serialise the summary")?
        );
    } else {
        print_report(&summary);
    }
    Ok(exit_code(summary.status))
}

fn exit_code(status: RunStatus) -> ExitCode {
    match status {
        RunStatus::Succeeded => ExitCode::SUCCESS,
        RunStatus::Partial => ExitCode::from(EXIT_PARTIAL),
        RunStatus::Failed | RunStatus::Running => ExitCode::from(EXIT_FAILED),
        RunStatus::Cancelled => ExitCode::from(EXIT_CANCELLED),
    }
}

/// Draws the run's events as a bar of sets done on stderr. indicatif draws nothing when stderr
/// is not a terminal, so logs and pipes stay clean.
async fn render_progress(mut events: mpsc::UnboundedReceiver<SyncEvent>) {
    let bar = ProgressBar::hidden();
    while let Some(event) = events.recv().await {
        match event {
            SyncEvent::RunStarted { sets_total, .. } => {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
                bar.set_length(sets_total);
                bar.set_style(
                    ProgressStyle::with_template(
                        "{elapsed_precise} [{bar:30}] {pos}/{len} sets  {msg}",
                    )
                    .expect("the template is valid")
                    .progress_chars("=> "),
                );
                bar.enable_steady_tick(Duration::from_millis(200));
            }
            SyncEvent::SetStarted { set_name, .. } => {
                bar.set_message(format!("fetching {set_name}"))
            }
            SyncEvent::SetFinished {
                sets_done, result, ..
            } => {
                bar.set_position(sets_done);
                bar.set_message(format!("wrote {}", result.set_name));
            }
            SyncEvent::RunFinished { .. } => bar.finish_and_clear(),
        }
    }
}

/// Prints the run's outcome and counts, then its errors.
fn print_report(summary: &SyncSummary) {
    let counts = &summary.counts;
    println!(
        "Sync {} {} in {} ms",
        summary.run_id,
        summary.status.as_str(),
        summary.duration_ms
    );
    println!(
        "Sets   {} listed: {} synced, {} up to date, {} partial, {} failed, {} cancelled",
        summary.sets_total,
        summary.sets_succeeded,
        summary.sets_up_to_date,
        summary.sets_partial,
        summary.sets_failed,
        summary.sets_cancelled
    );
    println!(
        "Cards  {} seen ({} fetched): {} new, {} updated, {} unchanged, {} failed",
        counts.cards_seen,
        counts.cards_fetched,
        counts.cards_inserted,
        counts.cards_updated,
        counts.cards_unchanged,
        counts.cards_failed
    );
    println!(
        "Variations  {} new, {} updated, {} unchanged; {} price snapshots recorded",
        counts.variations_inserted,
        counts.variations_updated,
        counts.variations_unchanged,
        counts.prices_recorded
    );
    if summary.sets_delisted > 0 || counts.cards_delisted > 0 {
        println!(
            "No longer listed by the API (kept, and marked): {} sets, {} cards",
            summary.sets_delisted, counts.cards_delisted
        );
    }
    let prices = if summary.prices_refreshed {
        ", prices refreshed"
    } else {
        ""
    };
    println!(
        "Requests {} ({} retries){prices}",
        summary.requests, summary.retries
    );
    print_errors(summary);
}

/// Lists the run's errors, the first [`ERRORS_SHOWN`] of them.
fn print_errors(summary: &SyncSummary) {
    if summary.errors.is_empty() {
        return;
    }
    let noun = if summary.errors.len() == 1 {
        "error"
    } else {
        "errors"
    };
    println!("\n{} {noun}:", summary.errors.len());
    for error in summary.errors.iter().take(ERRORS_SHOWN) {
        let place = [error.set_id.as_deref(), error.card_id.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" / ");
        if place.is_empty() {
            println!("  [{}] {}", error.kind.as_str(), error.message);
        } else {
            println!("  [{}] {place}: {}", error.kind.as_str(), error.message);
        }
    }
    if summary.errors.len() > ERRORS_SHOWN {
        println!(
            "  ... and {} more (run with --json for all)",
            summary.errors.len() - ERRORS_SHOWN
        );
    }
}
