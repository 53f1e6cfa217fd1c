//! Fetching: every page of the set list, and every page of one set's cards, checked against
//! the `totalCount` the API reports.

use std::collections::HashSet;

use serde_json::value::RawValue;
use tracing::warn;

use super::prepare::{CardFailure, PreparedCard, PreparedSet, prepare_card, prepare_set};
use crate::api::{ApiClient, FetchError, PAGE_SIZE};

/// Times a set is fetched from scratch when its distinct cards do not add up to `totalCount`.
/// The API's order between pages is not guaranteed, so a page can repeat or skip cards; a fresh
/// pass usually comes out whole.
const SET_FETCH_PASSES: u32 = 3;

/// Order for card pages. Any explicit order keeps pages stable; number is the API's natural one.
const CARD_ORDER: &str = "number";
/// Order for set pages: oldest first, the id breaking ties between sets released the same day.
const SET_ORDER: &str = "releaseDate,id";

/// Why a set's cards could not be fetched.
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
/// count against `totalCount`, fetching the set again when they differ.
pub async fn fetch_set_cards(
    client: &ApiClient,
    set_id: &str,
) -> Result<FetchedCards, SetFetchError> {
    let query = format!("set.id:{set_id}");
    let mut found = 0;
    let mut expected = 0;
    for pass in 1..=SET_FETCH_PASSES {
        let (total_count, items) =
            fetch_pages(client, "cards", &[("q", &query), ("orderBy", CARD_ORDER)]).await?;
        let fetched = prepare_cards(total_count, &items);
        found = fetched.cards.len() + fetched.failures.len();
        expected = total_count;
        if found == total_count {
            return Ok(fetched);
        }
        warn!(
            set_id,
            pass, expected, found, "card count does not match totalCount; fetching the set again"
        );
    }
    Err(SetFetchError::CountMismatch {
        expected,
        found,
        passes: SET_FETCH_PASSES,
    })
}

/// Parses a set's items, keeping the first copy of each id. A failure without an id cannot be
/// matched to a repeat, so it counts once on its own.
fn prepare_cards(total_count: usize, items: &[Box<RawValue>]) -> FetchedCards {
    let mut seen = HashSet::with_capacity(items.len());
    let mut cards = Vec::with_capacity(items.len());
    let mut failures = Vec::new();
    for item in items {
        match prepare_card(item) {
            Ok(card) => {
                if seen.insert(card.id.clone()) {
                    cards.push(card);
                }
            }
            Err(failure) => {
                let is_repeat = failure
                    .card_id
                    .as_ref()
                    .is_some_and(|id| !seen.insert(id.clone()));
                if !is_repeat {
                    failures.push(failure);
                }
            }
        }
    }
    FetchedCards {
        total_count,
        cards,
        failures,
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
        raw(&format!(
            r#"{{"id": "{id}", "name": "N", "supertype": "Trainer", "number": "1"}}"#
        ))
    }

    #[test]
    fn repeated_cards_count_once() {
        let fetched = prepare_cards(2, &[card("a-1"), card("a-2"), card("a-1")]);
        assert_eq!(fetched.cards.len(), 2);
        assert!(fetched.failures.is_empty());
    }

    #[test]
    fn failed_cards_count_towards_total() {
        let bad = raw(r#"{"id": "a-3", "name": 7, "supertype": "Trainer", "number": "3"}"#);
        let fetched = prepare_cards(3, &[card("a-1"), bad.clone(), card("a-2"), bad]);
        assert_eq!(fetched.cards.len(), 2);
        assert_eq!(fetched.failures.len(), 1);
        assert_eq!(fetched.failures[0].card_id.as_deref(), Some("a-3"));
    }
}
