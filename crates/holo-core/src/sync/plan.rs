//! Deciding which sets a run fetches: the pure half of "plan, then apply".
//!
//! A set may have changed when the API lists it differently from the last time (its
//! `updatedAt`, `total` or any other field), when its last fetch did not complete, or when it
//! was last fetched longer ago than [`RECHECK_AFTER`]. The last rule keeps the database right
//! even if the API fails to move a set's `updatedAt` when a card changes: such a change waits
//! at most a week, and `--full` fetches everything at once.

use chrono::{DateTime, Duration, SecondsFormat, Utc};

/// How long an unchanged-looking set is trusted before it is fetched again anyway.
pub const RECHECK_AFTER: Duration = Duration::days(7);

/// The choice of sets a run fetches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SyncMode {
    /// Only the sets that may have changed.
    #[default]
    Incremental,
    /// Every set, whatever the database holds.
    Full,
}

/// The stored state of a set, from earlier runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSet {
    /// The set's JSON as stored at its last write.
    pub data: String,
    /// Status and finish time of the set's latest result in any run.
    pub last_result: Option<(String, String)>,
    pub cards: u64,
    pub variations: u64,
}

/// The reason a set is fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FetchReason {
    New,
    Changed,
    LastFetchIncomplete,
    RecheckDue,
    FullRequested,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetPlan {
    Fetch(FetchReason),
    UpToDate,
}

/// Returns the time before which a complete fetch is too old to trust, as stored timestamps
/// are written (RFC 3339, milliseconds), so the two compare as text.
pub fn recheck_threshold(now: DateTime<Utc>) -> String {
    (now - RECHECK_AFTER).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Plans one set. `listed_data` is the set's JSON as the API lists it now.
pub fn plan_set(
    listed_data: &str,
    stored: Option<&StoredSet>,
    mode: SyncMode,
    recheck_threshold: &str,
) -> SetPlan {
    let Some(stored) = stored else {
        return SetPlan::Fetch(FetchReason::New);
    };
    if mode == SyncMode::Full {
        return SetPlan::Fetch(FetchReason::FullRequested);
    }
    if stored.data != listed_data {
        return SetPlan::Fetch(FetchReason::Changed);
    }
    match &stored.last_result {
        Some((status, _)) if status != "succeeded" => {
            SetPlan::Fetch(FetchReason::LastFetchIncomplete)
        }
        None => SetPlan::Fetch(FetchReason::LastFetchIncomplete),
        Some((_, finished_at)) if finished_at.as_str() < recheck_threshold => {
            SetPlan::Fetch(FetchReason::RecheckDue)
        }
        Some(_) => SetPlan::UpToDate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const THRESHOLD: &str = "2026-11-27T00:00:00.000Z";

    fn stored(data: &str, last_result: Option<(&str, &str)>) -> StoredSet {
        StoredSet {
            data: data.into(),
            last_result: last_result.map(|(status, at)| (status.into(), at.into())),
            cards: 10,
            variations: 12,
        }
    }

    #[test]
    fn plans_by_case() {
        let recent = Some(("succeeded", "2026-12-01T00:00:00.000Z"));
        let cases: [(&str, Option<StoredSet>, SyncMode, SetPlan); 8] = [
            (
                "not stored yet",
                None,
                SyncMode::Incremental,
                SetPlan::Fetch(FetchReason::New),
            ),
            (
                "unchanged and recent",
                Some(stored("{}", recent)),
                SyncMode::Incremental,
                SetPlan::UpToDate,
            ),
            (
                "listed differently",
                Some(stored(r#"{"a":1}"#, recent)),
                SyncMode::Incremental,
                SetPlan::Fetch(FetchReason::Changed),
            ),
            (
                "last fetch partial",
                Some(stored("{}", Some(("partial", "2026-12-01T00:00:00.000Z")))),
                SyncMode::Incremental,
                SetPlan::Fetch(FetchReason::LastFetchIncomplete),
            ),
            (
                "last fetch failed",
                Some(stored("{}", Some(("failed", "2026-12-01T00:00:00.000Z")))),
                SyncMode::Incremental,
                SetPlan::Fetch(FetchReason::LastFetchIncomplete),
            ),
            (
                "no result recorded",
                Some(stored("{}", None)),
                SyncMode::Incremental,
                SetPlan::Fetch(FetchReason::LastFetchIncomplete),
            ),
            (
                "complete but old",
                Some(stored(
                    "{}",
                    Some(("succeeded", "2026-11-20T00:00:00.000Z")),
                )),
                SyncMode::Incremental,
                SetPlan::Fetch(FetchReason::RecheckDue),
            ),
            (
                "full requested",
                Some(stored("{}", recent)),
                SyncMode::Full,
                SetPlan::Fetch(FetchReason::FullRequested),
            ),
        ];
        for (case, stored, mode, expected) in cases {
            assert_eq!(
                plan_set("{}", stored.as_ref(), mode, THRESHOLD),
                expected,
                "{case}"
            );
        }
    }

    #[test]
    fn threshold_is_a_week_back() {
        let now = DateTime::parse_from_rfc3339("2026-12-04T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(recheck_threshold(now), "2026-11-27T10:00:00.000Z");
    }
}
