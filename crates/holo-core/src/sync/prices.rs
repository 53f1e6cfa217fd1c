//! The price refresh: fetches only ids and price blocks (`select=id,tcgplayer,cardmarket`) for
//! every card, and records a snapshot wherever a price date moved. A run does it for the cards
//! of up-to-date sets, whose prices would otherwise go stale, at most every
//! [`PRICE_REFRESH_INTERVAL`]; the API publishes prices about once a day.

use chrono::{DateTime, Duration, Utc};
use futures::StreamExt;
use serde::Deserialize;

use super::prepare::{PriceSnapshot, price_snapshot};
use crate::api::model::PriceBlock;
use crate::api::{ApiClient, PAGE_SIZE};

/// The age of the last price refresh after which an incremental run refreshes prices again.
pub const PRICE_REFRESH_INTERVAL: Duration = Duration::hours(12);

const SELECT: &str = "id,tcgplayer,cardmarket";
const ORDER: &str = "id";

#[derive(Deserialize)]
struct PriceItem {
    id: String,
    tcgplayer: Option<PriceBlock>,
    cardmarket: Option<PriceBlock>,
}

/// One page of prices: snapshots by card id.
pub type PricePage = Vec<(String, Vec<PriceSnapshot>)>;

/// The outcome of a price refresh.
#[derive(Debug, Default)]
pub struct PriceRefresh {
    /// Snapshots added or corrected.
    pub recorded: u64,
    /// Everything that went wrong, in words; empty when the refresh was complete.
    pub errors: Vec<String>,
}

/// Returns whether prices are due for a refresh, given when they were last refreshed.
pub fn prices_due(last_refresh: Option<&str>, now: DateTime<Utc>) -> bool {
    let Some(last) = last_refresh.and_then(|text| DateTime::parse_from_rfc3339(text).ok()) else {
        return true;
    };
    now - last.with_timezone(&Utc) >= PRICE_REFRESH_INTERVAL
}

/// Fetches every page of prices, `concurrency` pages at once after the first, and hands each
/// to `write`, which returns how many snapshots it recorded. Stops at the first page that
/// fails after its retries; what was written before stays.
pub async fn refresh_prices<W, F>(
    client: &ApiClient,
    concurrency: usize,
    mut write: W,
) -> PriceRefresh
where
    W: FnMut(PricePage) -> F,
    F: Future<Output = crate::Result<u64>>,
{
    let mut refresh = PriceRefresh::default();
    let query = [("select", SELECT), ("orderBy", ORDER)];
    let first = match client.get_page("cards", &query, 1).await {
        Ok(first) => first,
        Err(error) => {
            refresh.errors.push(format!("cannot fetch prices: {error}"));
            return refresh;
        }
    };
    let pages = first.total_count.div_ceil(PAGE_SIZE);
    refresh.write_page(&first.data, &mut write).await;

    let rest = futures::stream::iter(2..=pages)
        .map(|page| async move { client.get_page("cards", &query, page).await })
        .buffer_unordered(concurrency.max(1));
    futures::pin_mut!(rest);
    while let Some(page) = rest.next().await {
        match page {
            Ok(page) => refresh.write_page(&page.data, &mut write).await,
            Err(error) => {
                refresh.errors.push(format!("cannot fetch prices: {error}"));
                break;
            }
        }
    }
    refresh
}

impl PriceRefresh {
    async fn write_page<W, F>(&mut self, items: &[Box<serde_json::value::RawValue>], write: &mut W)
    where
        W: FnMut(PricePage) -> F,
        F: Future<Output = crate::Result<u64>>,
    {
        let (cards, failures) = parse_page(items);
        self.errors.extend(
            failures
                .into_iter()
                .map(|reason| format!("a price item does not parse: {reason}")),
        );
        match write(cards).await {
            Ok(recorded) => self.recorded += recorded,
            Err(error) => self.errors.push(format!("cannot write prices: {error}")),
        }
    }
}

fn parse_page(items: &[Box<serde_json::value::RawValue>]) -> (PricePage, Vec<String>) {
    let mut cards = Vec::with_capacity(items.len());
    let mut failures = Vec::new();
    for item in items {
        match serde_json::from_str::<PriceItem>(item.get()) {
            Ok(parsed) => {
                let snapshots = [
                    ("tcgplayer", parsed.tcgplayer),
                    ("cardmarket", parsed.cardmarket),
                ]
                .into_iter()
                .filter_map(|(source, block)| price_snapshot(source, block.as_ref()?))
                .collect();
                cards.push((parsed.id, snapshots));
            }
            Err(error) => failures.push(error.to_string()),
        }
    }
    (cards, failures)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn due_when_never_refreshed_or_old() {
        let now = at("2026-12-04T12:00:00Z");
        assert!(prices_due(None, now));
        assert!(prices_due(Some("not a time"), now));
        assert!(prices_due(Some("2026-12-03T23:59:59.000Z"), now));
        assert!(!prices_due(Some("2026-12-04T00:00:01.000Z"), now));
    }

    #[test]
    fn page_parses_snapshots_and_failures() {
        let items: Vec<Box<serde_json::value::RawValue>> = serde_json::from_str(
            r#"[{"id": "a-1", "tcgplayer": {"updatedAt": "2026/12/01", "prices": {"normal": {"market": 1.5}}}},
                {"id": "a-2"},
                {"id": 3}]"#,
        )
        .unwrap();
        let (cards, failures) = parse_page(&items);
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[0].1.len(), 1);
        assert_eq!(cards[0].1[0].price_date, "2026-12-01");
        assert!(cards[1].1.is_empty());
        assert_eq!(failures.len(), 1);
    }
}
