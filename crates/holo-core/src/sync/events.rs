//! A sync's reports: the progress events it streams and the summary it ends with.

use serde::{Deserialize, Serialize};

/// The outcome of a run, or `Running` while it goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum RunStatus {
    Running,
    /// Every listed set was written whole.
    Succeeded,
    /// Some sets or cards failed; everything else was written. The next run retries them.
    Partial,
    /// Nothing could be synced: the set list could not be fetched, or every set failed.
    Failed,
    /// Stopped on request at a set boundary; the sets written before stay.
    Cancelled,
}

impl RunStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RunStatus::Running => "running",
            RunStatus::Succeeded => "succeeded",
            RunStatus::Partial => "partial",
            RunStatus::Failed => "failed",
            RunStatus::Cancelled => "cancelled",
        }
    }
}

/// The outcome of one set in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum SetStatus {
    Succeeded,
    /// Not fetched: the API lists the set exactly as it was at its last complete fetch, so its
    /// cards are counted as unchanged. Up-to-date sets have no `sync_set_results` row.
    UpToDate,
    /// Written, but some of its cards did not parse and were left out.
    Partial,
    /// Not written at all: the database still has the set as it was before the run.
    Failed,
}

impl SetStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SetStatus::Succeeded => "succeeded",
            SetStatus::UpToDate => "up_to_date",
            SetStatus::Partial => "partial",
            SetStatus::Failed => "failed",
        }
    }
}

/// Card, variation and price counts, for one set or summed over a run. Every count of a fetched
/// set comes from what SQLite did: a row counts as updated only when an upsert changed it. The
/// cards and variations of an up-to-date set are counted from the database as unchanged.
/// `cards_seen = cards_inserted + cards_updated + cards_unchanged + cards_failed`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncCounts {
    pub cards_seen: u64,
    /// Cards that came from the API in this run; the rest of `cards_seen` are the cards of
    /// up-to-date sets.
    pub cards_fetched: u64,
    pub cards_inserted: u64,
    pub cards_updated: u64,
    pub cards_unchanged: u64,
    pub cards_failed: u64,
    pub variations_inserted: u64,
    pub variations_updated: u64,
    pub variations_unchanged: u64,
    /// Price snapshots added or corrected.
    pub prices_recorded: u64,
    /// Stored cards that a complete fetch of their set no longer returned. They are kept, and
    /// marked with `cards.delisted_at`.
    pub cards_delisted: u64,
}

impl std::ops::AddAssign for SyncCounts {
    fn add_assign(&mut self, other: Self) {
        self.cards_seen += other.cards_seen;
        self.cards_fetched += other.cards_fetched;
        self.cards_inserted += other.cards_inserted;
        self.cards_updated += other.cards_updated;
        self.cards_unchanged += other.cards_unchanged;
        self.cards_failed += other.cards_failed;
        self.variations_inserted += other.variations_inserted;
        self.variations_updated += other.variations_updated;
        self.variations_unchanged += other.variations_unchanged;
        self.prices_recorded += other.prices_recorded;
        self.cards_delisted += other.cards_delisted;
    }
}

/// The effect of an upsert on one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum RowChange {
    Inserted,
    Updated,
    Unchanged,
}

/// The step an error came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// Fetching the list of sets.
    ListSets,
    /// Fetching a set's cards, after retries, or a page count that never added up.
    FetchSet,
    /// A card that did not parse.
    Card,
    /// Writing a set to the database.
    Write,
    /// Refreshing prices.
    Prices,
    /// A run whose process ended before it finished.
    Interrupted,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::ListSets => "list_sets",
            ErrorKind::FetchSet => "fetch_set",
            ErrorKind::Card => "card",
            ErrorKind::Write => "write",
            ErrorKind::Prices => "prices",
            ErrorKind::Interrupted => "interrupted",
        }
    }
}

/// One error a run met, as stored in `sync_errors`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncErrorRecord {
    pub kind: ErrorKind,
    pub set_id: Option<String>,
    pub card_id: Option<String>,
    pub message: String,
}

/// The outcome of one set in a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SetResult {
    pub set_id: String,
    pub set_name: String,
    pub status: SetStatus,
    /// The change to the set's own row, `None` when the set was not written.
    pub set_change: Option<RowChange>,
    /// The `totalCount` the API reported for the set's cards, when it got that far.
    pub api_total_count: Option<u64>,
    #[serde(flatten)]
    pub counts: SyncCounts,
    pub errors: Vec<SyncErrorRecord>,
}

/// The report of a finished run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SyncSummary {
    pub run_id: String,
    pub status: RunStatus,
    pub api_url: String,
    pub started_at: String,
    pub finished_at: String,
    pub duration_ms: u64,
    /// Sets the API listed. `sets_total = sets_succeeded + sets_up_to_date + sets_partial +
    /// sets_failed + sets_cancelled`.
    pub sets_total: u64,
    pub sets_succeeded: u64,
    pub sets_up_to_date: u64,
    pub sets_partial: u64,
    pub sets_failed: u64,
    /// Sets not reached because the run was cancelled.
    pub sets_cancelled: u64,
    /// Stored sets the set list no longer names. They are kept, and marked with
    /// `sets.delisted_at`.
    pub sets_delisted: u64,
    pub sets_inserted: u64,
    pub sets_updated: u64,
    pub sets_unchanged: u64,
    #[serde(flatten)]
    pub counts: SyncCounts,
    /// Whether this run refreshed the prices of the cards it did not fetch.
    pub prices_refreshed: bool,
    /// HTTP requests sent, retries included.
    pub requests: u64,
    /// How many of those requests were retries.
    pub retries: u64,
    pub errors: Vec<SyncErrorRecord>,
}

/// Progress of a run, in the order it happens. This stream is the only way progress leaves
/// the engine: the CLI's progress bar and the app's both render it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SyncEvent {
    /// The set list is in; `sets_total` sets will follow.
    RunStarted {
        run_id: String,
        sets_total: u64,
    },
    /// The set's cards are being fetched. Several sets may be in flight at once.
    SetStarted {
        set_id: String,
        set_name: String,
    },
    /// The set was written (or failed); `sets_done` of `sets_total` are finished.
    SetFinished {
        sets_done: u64,
        sets_total: u64,
        result: SetResult,
    },
    RunFinished {
        summary: SyncSummary,
    },
}
