//! Running a list request's query and order against a catalogue.
//!
//! A search returns every matching position in order, and the caller cuts the page. Holo's
//! sync requests one set at a time (`q=set.id:swsh4`), so a card query that constrains the set is
//! first tried against the 171 sets, and only the cards of matching sets are tested, instead
//! of every card. The full query still runs on those cards, so the result is the same as a scan.

use crate::catalogue::Catalogue;
use crate::documents::{CardDocument, SetDocument};
use crate::order::{SortField, sort_positions};
use crate::price_date::PriceDate;
use crate::query::{Query, Term};

/// Returns the positions of the matching cards, ordered.
pub fn search_cards(
    catalogue: &Catalogue,
    query: &Query,
    order: &[SortField],
    date: PriceDate,
) -> Vec<usize> {
    let cards = catalogue.cards();
    let document = |position: usize| CardDocument {
        catalogue,
        card: &cards[position],
        date,
    };
    let mut matching: Vec<usize> = match candidate_sets(catalogue, query) {
        Some(sets) => sets
            .into_iter()
            .flat_map(|set| catalogue.cards_of_set(set))
            .filter(|&position| query.matches(&document(position)))
            .collect(),
        None => (0..cards.len())
            .filter(|&position| query.matches(&document(position)))
            .collect(),
    };
    sort_positions(&mut matching, order, document, |position| {
        cards[position].record.id()
    });
    matching
}

/// Returns the positions of the matching sets, ordered.
pub fn search_sets(catalogue: &Catalogue, query: &Query, order: &[SortField]) -> Vec<usize> {
    let sets = catalogue.sets();
    let document = |position: usize| SetDocument(&sets[position]);
    let mut matching: Vec<usize> = (0..sets.len())
        .filter(|&position| query.matches(&document(position)))
        .collect();
    sort_positions(&mut matching, order, document, |position| {
        sets[position].id()
    });
    matching
}

/// Returns the sets, in catalogue order, outside which no card can match the query, or `None`
/// when the query does not constrain the set.
fn candidate_sets(catalogue: &Catalogue, query: &Query) -> Option<Vec<usize>> {
    match query {
        Query::Term(term) if term.path.top() == "set" => Some(sets_matching(catalogue, term)?),
        // A card must satisfy every part, so any constrained part bounds the sets.
        Query::And(parts) => parts
            .iter()
            .find_map(|part| candidate_sets(catalogue, part)),
        // A card may satisfy any part, so all parts must be constrained.
        Query::Or(parts) => {
            let mut union = Vec::new();
            for part in parts {
                union.extend(candidate_sets(catalogue, part)?);
            }
            union.sort_unstable();
            union.dedup();
            Some(union)
        }
        _ => None,
    }
}

/// Returns the sets matching a `set.<field>` term.
fn sets_matching(catalogue: &Catalogue, term: &Term) -> Option<Vec<usize>> {
    let set_term = Term {
        path: term.path.below_top()?,
        matcher: term.matcher.clone(),
    };
    let sets = catalogue.sets();
    Some(
        (0..sets.len())
            .filter(|&position| set_term.matches(&SetDocument(&sets[position])))
            .collect(),
    )
}
