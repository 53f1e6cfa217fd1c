//! Fetching: every page of the set list, and every page of one set's cards, checked against
//! the `totalCount` the API reports.

use std::collections::{HashMap, HashSet};

use serde_json::value::RawValue;
use tracing::warn;

use super::prepare::{CardFailure, PreparedCard, PreparedSet, prepare_card, prepare_set};
use crate::api::{ApiClient, FetchError, PAGE_SIZE};

/// Passes over a set's pages before its count is given up on. The API's order between pages is
/// not guaranteed, so a pass can repeat some cards and skip others. The passes' cards are
/// pooled, and the passes alternate between ascending and descending order, so that a card a
/// pass skips near one end of the set comes early in the next. Against pages shifted at random
/// by up to a fifth of a page, eight passes leave a 300-card set short about once in 20,000
/// tries (a simulation, not a measurement of the real API).
const SET_FETCH_PASSES: u32 = 8;

/// Orders for card pages, used in turn by the passes. Any explicit order keeps pages stable;
/// number is the API's natural one.
const CARD_ORDERS: [&str; 2] = ["number", "-number"];
/// Order for set pages: oldest first, the id breaking ties between sets released the same day.
const SET_ORDER: &str = "releaseDate,id";

/// The reason a set's cards could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum SetFetchError {
    #[error(transparent)]
    Request(#[from] FetchError),

    #[error(
        "the API reported {expected} cards but {passes} passes over its pages found {found} \
         distinct ones"
    )]
    CountMismatch {
        expected: usize,
        found: usize,
        passes: u32,
    },
}

/// A set's cards as fetched: the ones that parsed, the ones that did not, and the API's count.
#[derive(Debug)]
pub struct FetchedCards {
    pub total_count: usize,
    pub cards: Vec<PreparedCard>,
    pub failures: Vec<CardFailure>,
}

/// Fetches every page of the set list. A set that does not parse fails the list, because
/// without it the run cannot report what it did not sync.
pub async fn fetch_set_list(client: &ApiClient) -> Result<Vec<PreparedSet>, FetchError> {
    let items = fetch_all_pages(client, "sets", &[("orderBy", SET_ORDER)]).await?;
    let mut seen = HashSet::new();
    let mut sets = Vec::with_capacity(items.len());
    for item in items {
        let set = prepare_set(&item).map_err(|reason| FetchError::InvalidBody {
            url: format!("{}/sets", client.base_url()),
            reason: format!("a set does not parse: {reason}"),
        })?;
        if seen.insert(set.set.id.clone()) {
            sets.push(set);
        }
    }
    Ok(sets)
}

/// Fetches and parses every card of one set, de-duplicated by id, and checks the distinct
/// count against `totalCount`, passing over the pages again until the pooled cards add up.
pub async fn fetch_set_cards(
    client: &ApiClient,
    set_id: &str,
) -> Result<FetchedCards, SetFetchError> {
    let query = format!("set.id:{set_id}");
    let mut pool = CardPool::default();
    let mut expected = 0;
    for pass in 1..=SET_FETCH_PASSES {
        let order = CARD_ORDERS[(pass as usize - 1) % CARD_ORDERS.len()];
        let (total_count, items) =
            fetch_pages(client, "cards", &[("q", &query), ("orderBy", order)]).await?;
        pool.add_pass(&items);
        expected = total_count;
        if pool.len() == total_count {
            return Ok(pool.into_fetched(total_count));
        }
        warn!(
            set_id,
            pass,
            expected,
            found = pool.len(),
            "distinct cards do not match totalCount; passing over the pages again"
        );
    }
    Err(SetFetchError::CountMismatch {
        expected,
        found: pool.len(),
        passes: SET_FETCH_PASSES,
    })
}

/// The cards of one set gathered over one or more passes, keyed by id, in first-seen order.
/// A card that parsed in any pass keeps its latest parse; a failure is kept only when the card
/// never parsed. A failure without an id cannot be matched across passes, so only the latest
/// pass's count.
#[derive(Default)]
struct CardPool {
    by_id: HashMap<String, Result<PreparedCard, CardFailure>>,
    order: Vec<String>,
    anonymous_failures: Vec<CardFailure>,
}

impl CardPool {
    fn add_pass(&mut self, items: &[Box<RawValue>]) {
        self.anonymous_failures.clear();
        for item in items {
            let parsed = prepare_card(item);
            let id = match &parsed {
                Ok(card) => card.id.clone(),
                Err(CardFailure {
                    card_id: Some(id), ..
                }) => id.clone(),
                Err(failure) => {
                    self.anonymous_failures.push(failure.clone());
                    continue;
                }
            };
            match self.by_id.get_mut(&id) {
                None => {
                    self.order.push(id.clone());
                    self.by_id.insert(id, parsed);
                }
                Some(existing) => {
                    if parsed.is_ok() || existing.is_err() {
                        *existing = parsed;
                    }
                }
            }
        }
    }

    fn len(&self) -> usize {
        self.by_id.len() + self.anonymous_failures.len()
    }

    fn into_fetched(mut self, total_count: usize) -> FetchedCards {
        let mut cards = Vec::with_capacity(self.order.len());
        let mut failures = Vec::new();
        for id in &self.order {
            match self.by_id.remove(id) {
                Some(Ok(card)) => cards.push(card),
                Some(Err(failure)) => failures.push(failure),
                None => {}
            }
        }
        failures.append(&mut self.anonymous_failures);
        FetchedCards {
            total_count,
            cards,
            failures,
        }
    }
}

async fn fetch_all_pages(
    client: &ApiClient,
    resource: &str,
    query: &[(&str, &str)],
) -> Result<Vec<Box<RawValue>>, FetchError> {
    Ok(fetch_pages(client, resource, query).await?.1)
}

/// Fetches page 1, then as many more as its `totalCount` calls for. Returns that count and
/// every item.
async fn fetch_pages(
    client: &ApiClient,
    resource: &str,
    query: &[(&str, &str)],
) -> Result<(usize, Vec<Box<RawValue>>), FetchError> {
    let first = client.get_page(resource, query, 1).await?;
    let total_count = first.total_count;
    let mut items = first.data;
    let pages = total_count.div_ceil(PAGE_SIZE);
    for page in 2..=pages {
        let next = client.get_page(resource, query, page).await?;
        if next.data.is_empty() {
            // The API shrank between pages; the count check will notice.
            break;
        }
        items.extend(next.data);
    }
    Ok((total_count, items))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str) -> Box<RawValue> {
        RawValue::from_string(text.to_string()).unwrap()
    }

    fn card(id: &str) -> Box<RawValue> {
        named(id, "N")
    }

    fn named(id: &str, name: &str) -> Box<RawValue> {
        raw(&format!(
            r#"{{"id": "{id}", "name": "{name}", "supertype": "Trainer", "number": "1"}}"#
        ))
    }

    fn bad(id: &str) -> Box<RawValue> {
        raw(&format!(
            r#"{{"id": "{id}", "name": 7, "supertype": "Trainer", "number": "3"}}"#
        ))
    }

    fn ids(fetched: &FetchedCards) -> Vec<&str> {
        fetched.cards.iter().map(|card| card.id.as_str()).collect()
    }

    #[test]
    fn repeated_cards_count_once() {
        let mut pool = CardPool::default();
        pool.add_pass(&[card("a-1"), card("a-2"), card("a-1")]);
        assert_eq!(pool.len(), 2);
        let fetched = pool.into_fetched(2);
        assert_eq!(ids(&fetched), ["a-1", "a-2"]);
        assert!(fetched.failures.is_empty());
    }

    #[test]
    fn failed_cards_count_towards_total() {
        let mut pool = CardPool::default();
        pool.add_pass(&[card("a-1"), bad("a-3"), card("a-2"), bad("a-3")]);
        assert_eq!(pool.len(), 3);
        let fetched = pool.into_fetched(3);
        assert_eq!(ids(&fetched), ["a-1", "a-2"]);
        assert_eq!(fetched.failures.len(), 1);
        assert_eq!(fetched.failures[0].card_id.as_deref(), Some("a-3"));
    }

    #[test]
    fn passes_pool_what_each_missed() {
        let mut pool = CardPool::default();
        pool.add_pass(&[card("a-1"), card("a-2"), card("a-2")]);
        assert_eq!(pool.len(), 2);
        pool.add_pass(&[card("a-1"), card("a-3"), card("a-3")]);
        assert_eq!(pool.len(), 3);
        assert_eq!(ids(&pool.into_fetched(3)), ["a-1", "a-2", "a-3"]);
    }

    #[test]
    fn later_pass_replaces_card_and_parse_beats_failure() {
        let mut pool = CardPool::default();
        pool.add_pass(&[named("a-1", "Old"), bad("a-2")]);
        pool.add_pass(&[named("a-1", "New"), card("a-2")]);
        pool.add_pass(&[bad("a-1")]);
        let fetched = pool.into_fetched(2);
        assert!(fetched.failures.is_empty());
        assert_eq!(fetched.cards[0].name, "New");
        assert_eq!(fetched.cards[1].id, "a-2");
    }

    #[test]
    fn anonymous_failures_count_from_latest_pass() {
        let mut pool = CardPool::default();
        pool.add_pass(&[card("a-1"), raw("42")]);
        pool.add_pass(&[card("a-1"), raw("42")]);
        assert_eq!(pool.len(), 2);
        assert_eq!(pool.into_fetched(2).failures.len(), 1);
    }
}
