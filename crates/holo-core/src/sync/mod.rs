//! The sync engine: brings the API's catalogue into the database.
//!
//! A run takes the database's sync lock, fetches the set list and plans which sets may have
//! changed ([`plan`]). It fetches those sets' cards with bounded concurrency while the writer
//! thread writes each finished set in its own transaction, so fetching (network and parsing)
//! and writing overlap, and a failure costs one set, never the run. When sets were skipped as
//! up to date, their prices are refreshed separately once they are due ([`prices`]). Progress
//! leaves the engine only as [`SyncEvent`]s.
//!
//! Every run gets an id, which is in every log line of the run (through a tracing span) and in
//! its stored record: `sync_runs`, one `sync_set_results` row per set, and every error in
//! `sync_errors`.

mod events;
mod fetch;
mod lock;
pub mod plan;
mod prepare;
pub mod prices;
mod store;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use futures::StreamExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use tracing::{Instrument, debug, error, error_span, info, warn};

use crate::api::ApiClient;
use crate::db::Database;
use crate::time::now_rfc3339;

pub use events::{
    ErrorKind, RowChange, RunStatus, SetResult, SetStatus, SyncCounts, SyncErrorRecord, SyncEvent,
    SyncSummary,
};
pub use lock::{LockError, LockHolder, SyncLock};
pub use plan::SyncMode;
use plan::{SetPlan, StoredSet};
use prepare::PreparedSet;

/// Sets fetched at once by default. Enough to hide the public API's latency (a few hundred ms
/// to seconds per page) without looking like a burst to its rate limiter.
pub const DEFAULT_CONCURRENCY: usize = 6;

/// The largest concurrency accepted, because more only earns 429 responses.
pub const MAX_CONCURRENCY: usize = 32;

/// Fetched sets waiting for the writer. Bounds memory when the writer is slower than the
/// network: each waiting set holds up to a few MB of parsed cards.
const WRITE_QUEUE: usize = 4;

/// Options of one run.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Sets fetched at once, 1 to [`MAX_CONCURRENCY`].
    pub concurrency: usize,
    /// Cancelling stops the run at the next set boundary.
    pub cancel: CancellationToken,
    /// Fetch only the sets that may have changed, or all of them.
    pub mode: SyncMode,
    /// Refresh every card's prices even if the last refresh is recent.
    pub refresh_prices: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            concurrency: DEFAULT_CONCURRENCY,
            cancel: CancellationToken::new(),
            mode: SyncMode::Incremental,
            refresh_prices: false,
        }
    }
}

/// The reasons a run could not start. Once a run has started, its problems are in its summary.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Lock(#[from] LockError),

    #[error(transparent)]
    Database(#[from] crate::Error),
}

/// Runs one sync of `client`'s API into `database`, streaming progress to `events`.
///
/// Returns the run's summary whatever its status; returns an error only when the run could not
/// start (another sync holds the lock, or the database cannot be written) or its record could
/// not be stored. Events that cannot be delivered because the receiver is gone are dropped.
pub async fn run_sync(
    database: &Database,
    client: &ApiClient,
    options: SyncOptions,
    events: mpsc::UnboundedSender<SyncEvent>,
) -> Result<SyncSummary, SyncError> {
    let holder = LockHolder {
        run_id: new_run_id(),
        pid: std::process::id(),
        started_at: now_rfc3339(),
    };
    let _lock = SyncLock::try_acquire(database.path(), &holder)?;
    // At ERROR level so that the span, and with it the run id, stays on every line that any
    // log filter lets through; an INFO span would vanish from WARN lines under HOLO_LOG=warn.
    let span = error_span!("sync", run_id = %holder.run_id);
    Run {
        database,
        client,
        options,
        events,
        holder,
    }
    .execute()
    .instrument(span)
    .await
}

/// A run in progress, holding what its steps share.
struct Run<'a> {
    database: &'a Database,
    client: &'a ApiClient,
    options: SyncOptions,
    events: mpsc::UnboundedSender<SyncEvent>,
    holder: LockHolder,
}

/// Running totals of a run.
#[derive(Default)]
struct Tally {
    summary_counts: SyncCounts,
    sets_done: u64,
    sets_succeeded: u64,
    sets_up_to_date: u64,
    sets_partial: u64,
    sets_failed: u64,
    set_changes: [u64; 3],
    errors: Vec<SyncErrorRecord>,
}

impl Run<'_> {
    async fn execute(self) -> Result<SyncSummary, SyncError> {
        let started = Instant::now();
        let requests_before = self.client.requests();
        let retries_before = self.client.retries();
        let writer = self.database.writer();

        let interrupted = writer.run(store::close_interrupted_runs).await?;
        if interrupted > 0 {
            warn!(
                runs = interrupted,
                "marked runs left unfinished by an ended process as failed"
            );
        }
        let (holder, api_url) = (self.holder.clone(), self.client.base_url().to_string());
        writer
            .run(move |connection| store::begin_run(connection, &holder, &api_url))
            .await?;
        info!(
            api_url = self.client.base_url(),
            concurrency = self.options.concurrency,
            "sync started"
        );

        let mut tally = Tally::default();
        let mut run_errors = Vec::new();
        let sets = match fetch::fetch_set_list(self.client).await {
            Ok(sets) => sets,
            Err(fetch_error) => {
                error!(error = %fetch_error, "cannot fetch the set list");
                run_errors.push(SyncErrorRecord {
                    kind: ErrorKind::ListSets,
                    set_id: None,
                    card_id: None,
                    message: fetch_error.to_string(),
                });
                Vec::new()
            }
        };
        let sets_total = sets.len() as u64;
        // An empty list from an API that responded is more likely its fault than the end of
        // the catalogue, so it delists nothing.
        let sets_delisted = if run_errors.is_empty() && !sets.is_empty() {
            let listed: Vec<String> = sets.iter().map(|set| set.set.id.clone()).collect();
            writer
                .run(move |connection| store::delist_missing_sets(connection, &listed))
                .await?
        } else {
            0
        };
        if sets_delisted > 0 {
            warn!(
                sets_delisted,
                "the API no longer lists some stored sets; they are kept"
            );
        }
        self.emit(SyncEvent::RunStarted {
            run_id: self.holder.run_id.clone(),
            sets_total,
        });

        let stored = {
            let reader = self.database.reader()?;
            store::load_stored_sets(&reader)?
        };
        let to_fetch = self.skip_up_to_date_sets(sets, &stored, sets_total, &mut tally);
        let cancelled = self.sync_sets(to_fetch, sets_total, &mut tally).await?;
        let prices_refreshed = if cancelled {
            false
        } else {
            self.refresh_prices_if_due(&mut tally, &mut run_errors)
                .await?
        };

        let sets_cancelled = sets_total - tally.sets_done;
        let status = if cancelled {
            RunStatus::Cancelled
        } else if run_errors
            .iter()
            .any(|error| error.kind == ErrorKind::ListSets)
            || (sets_total > 0 && tally.sets_failed == sets_total)
        {
            RunStatus::Failed
        } else if tally.sets_failed > 0 || tally.sets_partial > 0 || !run_errors.is_empty() {
            RunStatus::Partial
        } else {
            RunStatus::Succeeded
        };
        tally.errors.extend(run_errors.iter().cloned());

        let summary = SyncSummary {
            run_id: self.holder.run_id.clone(),
            status,
            api_url: self.client.base_url().to_string(),
            started_at: self.holder.started_at.clone(),
            finished_at: now_rfc3339(),
            duration_ms: started.elapsed().as_millis() as u64,
            sets_total,
            sets_succeeded: tally.sets_succeeded,
            sets_up_to_date: tally.sets_up_to_date,
            sets_partial: tally.sets_partial,
            sets_failed: tally.sets_failed,
            sets_cancelled,
            sets_delisted,
            sets_inserted: tally.set_changes[0],
            sets_updated: tally.set_changes[1],
            sets_unchanged: tally.set_changes[2],
            counts: tally.summary_counts,
            prices_refreshed,
            requests: self.client.requests() - requests_before,
            retries: self.client.retries() - retries_before,
            errors: tally.errors,
        };
        let stored = summary.clone();
        writer
            .run(move |connection| store::finish_run(connection, &stored, &run_errors))
            .await?;
        info!(
            status = status.as_str(),
            sets_total,
            cards_seen = summary.counts.cards_seen,
            cards_inserted = summary.counts.cards_inserted,
            cards_updated = summary.counts.cards_updated,
            cards_failed = summary.counts.cards_failed,
            requests = summary.requests,
            retries = summary.retries,
            duration_ms = summary.duration_ms,
            "sync finished"
        );
        self.emit(SyncEvent::RunFinished {
            summary: summary.clone(),
        });
        Ok(summary)
    }

    /// Reports the sets the planner finds up to date as done, and returns the rest.
    fn skip_up_to_date_sets(
        &self,
        sets: Vec<PreparedSet>,
        stored: &HashMap<String, StoredSet>,
        sets_total: u64,
        tally: &mut Tally,
    ) -> Vec<PreparedSet> {
        let threshold = plan::recheck_threshold(chrono::Utc::now());
        let mut to_fetch = Vec::with_capacity(sets.len());
        for set in sets {
            let known = stored.get(&set.set.id);
            match plan::plan_set(&set.data, known, self.options.mode, &threshold) {
                SetPlan::Fetch(reason) => {
                    debug!(set_id = %set.set.id, ?reason, "set may have changed");
                    to_fetch.push(set);
                }
                SetPlan::UpToDate => {
                    let known = known.expect("only a stored set can be up to date");
                    let result = up_to_date_result(&set, known);
                    tally.record(&result);
                    self.emit(SyncEvent::SetFinished {
                        sets_done: tally.sets_done,
                        sets_total,
                        result,
                    });
                }
            }
        }
        info!(
            sets_to_fetch = to_fetch.len(),
            sets_up_to_date = tally.sets_up_to_date,
            "planned the run"
        );
        to_fetch
    }

    /// Refreshes prices when sets were skipped and the last refresh is older than the interval,
    /// or when asked. Records when prices are fresh: after a refresh without errors, or after a
    /// run that fetched and wrote every set (their prices came with the cards).
    async fn refresh_prices_if_due(
        &self,
        tally: &mut Tally,
        run_errors: &mut Vec<SyncErrorRecord>,
    ) -> Result<bool, SyncError> {
        let writer = self.database.writer();
        let all_sets_written =
            tally.sets_up_to_date == 0 && tally.sets_failed == 0 && tally.sets_partial == 0;
        let last_refresh = store::prices_refreshed_at(&self.database.reader()?)?;
        let due = self.options.refresh_prices
            || (tally.sets_up_to_date > 0
                && prices::prices_due(last_refresh.as_deref(), chrono::Utc::now()));
        if !due {
            if all_sets_written && tally.sets_done > 0 {
                let started_at = self.holder.started_at.clone();
                writer
                    .run(move |connection| store::set_prices_refreshed_at(connection, &started_at))
                    .await?;
            }
            return Ok(false);
        }

        info!("refreshing prices");
        let refresh = prices::refresh_prices(self.client, self.options.concurrency, |cards| {
            writer.run(move |connection| store::write_price_page(connection, &cards))
        })
        .await;
        info!(
            prices_recorded = refresh.recorded,
            errors = refresh.errors.len(),
            "prices refreshed"
        );
        tally.summary_counts.prices_recorded += refresh.recorded;
        if refresh.errors.is_empty() {
            let started_at = self.holder.started_at.clone();
            writer
                .run(move |connection| store::set_prices_refreshed_at(connection, &started_at))
                .await?;
        }
        for message in refresh.errors {
            warn!(%message, "price refresh error");
            run_errors.push(SyncErrorRecord {
                kind: ErrorKind::Prices,
                set_id: None,
                card_id: None,
                message,
            });
        }
        Ok(true)
    }

    /// Fetches the sets' cards concurrently and writes each set as it arrives. Returns whether
    /// the run was cancelled before every set was done.
    async fn sync_sets(
        &self,
        sets: Vec<PreparedSet>,
        sets_total: u64,
        tally: &mut Tally,
    ) -> Result<bool, SyncError> {
        let (fetched_sender, mut fetched) = mpsc::channel(WRITE_QUEUE);
        let fetcher = tokio::spawn(
            fetch_sets(
                self.client.clone(),
                sets,
                self.options.concurrency.clamp(1, MAX_CONCURRENCY),
                self.options.cancel.clone(),
                self.events.clone(),
                fetched_sender,
            )
            .in_current_span(),
        );

        let cancel = &self.options.cancel;
        let cancelled = loop {
            let next = tokio::select! {
                biased;
                () = cancel.cancelled() => None,
                next = fetched.recv() => next,
            };
            let Some((set, outcome)) = next else {
                break cancel.is_cancelled() && tally.sets_done < sets_total;
            };
            let result = self.write_fetched_set(set, outcome).await?;
            tally.record(&result);
            self.emit(SyncEvent::SetFinished {
                sets_done: tally.sets_done,
                sets_total,
                result,
            });
        };
        drop(fetched);
        fetcher.abort();
        if cancelled {
            info!(
                sets_done = tally.sets_done,
                sets_total, "sync cancelled at a set boundary"
            );
        }
        Ok(cancelled)
    }

    /// Writes a fetched set, or records why it could not be fetched. A write that fails rolls
    /// the set back and is recorded as the set's failure, so one bad set does not end the run.
    async fn write_fetched_set(
        &self,
        set: PreparedSet,
        outcome: Result<fetch::FetchedCards, fetch::SetFetchError>,
    ) -> Result<SetResult, SyncError> {
        let run_id = self.holder.run_id.clone();
        let set = Arc::new(set);
        let fetch_error = match outcome {
            Ok(fetched) => {
                let errors = card_errors(&set.set.id, &fetched.failures);
                for failure in &errors {
                    warn!(set_id = %set.set.id, card_id = ?failure.card_id, reason = %failure.message, "card does not parse");
                }
                let written_set = Arc::clone(&set);
                let write = self
                    .database
                    .writer()
                    .run(move |connection| {
                        store::write_set(
                            connection,
                            &run_id,
                            &written_set,
                            fetched.total_count,
                            &fetched.cards,
                            errors,
                        )
                    })
                    .await;
                match write {
                    Ok(result) => return Ok(result),
                    // A full disk or a read-only file fails every set alike, so the run stops
                    // here instead of trying each one; the next sync closes its record.
                    Err(write_error) if write_error.is_storage_failure() => {
                        error!(set_id = %set.set.id, error = %write_error, "cannot write to the database; stopping the run");
                        return Err(write_error.into());
                    }
                    Err(write_error) => {
                        error!(set_id = %set.set.id, error = %write_error, "cannot write set");
                        (ErrorKind::Write, write_error.to_string())
                    }
                }
            }
            Err(fetch_error) => {
                error!(set_id = %set.set.id, error = %fetch_error, "cannot fetch set");
                (ErrorKind::FetchSet, fetch_error.to_string())
            }
        };

        let result = failed_set_result(&set, fetch_error);
        let stored = result.clone();
        let run_id = self.holder.run_id.clone();
        self.database
            .writer()
            .run(move |connection| store::record_failed_set(connection, &run_id, &stored))
            .await?;
        Ok(result)
    }

    fn emit(&self, event: SyncEvent) {
        // A receiver that went away (a closed window) must not stop the run.
        let _ = self.events.send(event);
    }
}

impl Tally {
    fn record(&mut self, result: &SetResult) {
        self.sets_done += 1;
        self.summary_counts += result.counts;
        match result.status {
            SetStatus::Succeeded => self.sets_succeeded += 1,
            SetStatus::UpToDate => self.sets_up_to_date += 1,
            SetStatus::Partial => self.sets_partial += 1,
            SetStatus::Failed => self.sets_failed += 1,
        }
        match result.set_change {
            Some(RowChange::Inserted) => self.set_changes[0] += 1,
            Some(RowChange::Updated) => self.set_changes[1] += 1,
            Some(RowChange::Unchanged) => self.set_changes[2] += 1,
            None => {}
        }
        self.errors.extend(result.errors.iter().cloned());
    }
}

/// Runs the fetch stage: fetches up to `concurrency` sets at once and queues each finished one for
/// the writer, in completion order.
async fn fetch_sets(
    client: ApiClient,
    sets: Vec<PreparedSet>,
    concurrency: usize,
    cancel: CancellationToken,
    events: mpsc::UnboundedSender<SyncEvent>,
    fetched: mpsc::Sender<(
        PreparedSet,
        Result<fetch::FetchedCards, fetch::SetFetchError>,
    )>,
) {
    let fetches = futures::stream::iter(sets)
        .take_until(cancel.cancelled_owned())
        .map(|set| {
            let client = client.clone();
            let events = events.clone();
            async move {
                let _ = events.send(SyncEvent::SetStarted {
                    set_id: set.set.id.clone(),
                    set_name: set.set.name.clone(),
                });
                let outcome = fetch::fetch_set_cards(&client, &set.set.id).await;
                (set, outcome)
            }
        })
        .buffer_unordered(concurrency);
    futures::pin_mut!(fetches);
    while let Some(item) = fetches.next().await {
        if fetched.send(item).await.is_err() {
            break;
        }
    }
}

fn card_errors(set_id: &str, failures: &[prepare::CardFailure]) -> Vec<SyncErrorRecord> {
    failures
        .iter()
        .map(|failure| SyncErrorRecord {
            kind: ErrorKind::Card,
            set_id: Some(set_id.to_string()),
            card_id: failure.card_id.clone(),
            message: failure.reason.clone(),
        })
        .collect()
}

fn up_to_date_result(set: &PreparedSet, stored: &StoredSet) -> SetResult {
    SetResult {
        set_id: set.set.id.clone(),
        set_name: set.set.name.clone(),
        status: SetStatus::UpToDate,
        set_change: Some(RowChange::Unchanged),
        api_total_count: None,
        counts: SyncCounts {
            cards_seen: stored.cards,
            cards_unchanged: stored.cards,
            variations_unchanged: stored.variations,
            ..SyncCounts::default()
        },
        errors: Vec::new(),
    }
}

fn failed_set_result(set: &PreparedSet, (kind, message): (ErrorKind, String)) -> SetResult {
    SetResult {
        set_id: set.set.id.clone(),
        set_name: set.set.name.clone(),
        status: SetStatus::Failed,
        set_change: None,
        api_total_count: None,
        counts: SyncCounts::default(),
        errors: vec![SyncErrorRecord {
            kind,
            set_id: Some(set.set.id.clone()),
            card_id: None,
            message,
        }],
    }
}

/// Returns a run id that sorts by start time and is unique enough for one database:
/// `20261204T155207.123Z-3fa9`.
fn new_run_id() -> String {
    let now = chrono::Utc::now();
    format!(
        "{}-{:04x}",
        now.format("%Y%m%dT%H%M%S%.3fZ"),
        fastrand::u16(..)
    )
}
