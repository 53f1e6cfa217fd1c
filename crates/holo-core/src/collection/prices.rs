//! The market price of a variation, as the collection values it.
//!
//! A variation's price is `prices[printing].market` of its card's latest TCGplayer snapshot
//! (the latest `price_date`), in US cents, or `prices[printing].mid` when that snapshot has no
//! market price. A variation without a printing (its card had no prices), or whose printing
//! the latest snapshot lacks, has no price.

use chrono::{Days, NaiveDate, Utc};

/// A price older than this many days is stale: the card's prices have not been refreshed for
/// a month, so the value built on it may be well off.
pub const STALE_AFTER_DAYS: u64 = 30;

/// The id of the card `c`'s latest TCGplayer snapshot, as an SQL expression.
pub(crate) const LATEST_TCGPLAYER_SNAPSHOT: &str = "(SELECT ps.id FROM price_snapshots ps
     WHERE ps.card_id = c.id AND ps.source = 'tcgplayer'
     ORDER BY ps.price_date DESC LIMIT 1)";

/// An SQL expression for the price in cents of the printing key `printing` (an SQL
/// expression) in the snapshot `snapshot` (an alias of `price_snapshots`): market, else mid,
/// else NULL.
pub(crate) fn price_cents_sql(snapshot: &str, printing: &str) -> String {
    let field = |name: &str| {
        format!("json_extract({snapshot}.prices, '$.\"' || {printing} || '\".{name}')")
    };
    format!(
        "CAST(round(100 * coalesce({}, {})) AS INTEGER)",
        field("market"),
        field("mid")
    )
}

/// Today's date in UTC, the `today` the value and list functions take.
pub fn today_utc() -> NaiveDate {
    Utc::now().date_naive()
}

/// The first price date that is not stale on `today`, as `YYYY-MM-DD`: a price dated before
/// it is more than [`STALE_AFTER_DAYS`] old.
pub(crate) fn stale_cutoff(today: NaiveDate) -> String {
    today
        .checked_sub_days(Days::new(STALE_AFTER_DAYS))
        .unwrap_or(NaiveDate::MIN)
        .format("%Y-%m-%d")
        .to_string()
}

/// Converts a price in dollars, as the API gives it, to cents.
pub(crate) fn dollars_to_cents(dollars: f64) -> i64 {
    (dollars * 100.0).round() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutoff_is_thirty_days_back() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(stale_cutoff(today), "2026-11-04");
    }

    #[test]
    fn dollars_round_to_nearest_cent() {
        assert_eq!(dollars_to_cents(12.3456), 1235);
        assert_eq!(dollars_to_cents(0.1 + 0.2), 30);
    }
}
