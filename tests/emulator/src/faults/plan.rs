//! The faults a handler applies itself, because they need to know the data: shifted pages
//! (`--unstable-order`) and cards with a field of the wrong type (`--bad-card-rate`).

use serde_json::Value;

use crate::catalogue::Record;
use crate::params::MAX_PAGE_SIZE;
use crate::render::Replacement;

/// The faults a handler applies itself, passed in the request's extensions, with the
/// generator for their random choices. The default plan injects nothing.
#[derive(Debug, Clone)]
pub struct FaultPlan {
    rng: fastrand::Rng,
    unstable_order: bool,
    bad_card_rate: f64,
}

impl Default for FaultPlan {
    fn default() -> Self {
        FaultPlan {
            rng: fastrand::Rng::with_seed(0),
            unstable_order: false,
            bad_card_rate: 0.0,
        }
    }
}

impl FaultPlan {
    /// Creates the plan of one request, whose choices are drawn from a generator seeded with
    /// `seed`.
    pub(crate) fn new(seed: u64, unstable_order: bool, bad_card_rate: f64) -> FaultPlan {
        FaultPlan {
            rng: fastrand::Rng::with_seed(seed),
            unstable_order,
            bad_card_rate,
        }
    }

    /// Returns how far to move the page window: nonzero only under `--unstable-order` for
    /// results of more than 250 items, by up to a fifth of a page either way.
    pub fn page_shift(&mut self, total: usize, page_size: usize) -> isize {
        if !self.unstable_order || total <= MAX_PAGE_SIZE {
            return 0;
        }
        let reach = isize::try_from(page_size / 5).unwrap_or(0).max(1);
        self.rng.isize(-reach..=reach)
    }

    /// Returns a wrong-typed member for a share of cards, or `None` to serve the card as is.
    pub fn bad_card(&mut self, card: &Record) -> Option<Replacement> {
        if self.bad_card_rate <= 0.0 || self.rng.f64() >= self.bad_card_rate {
            return None;
        }
        let candidates: Vec<Replacement> = WRONG_TYPES
            .iter()
            .filter_map(|(field, wrong)| {
                let json = wrong(card.get(field)?)?;
                Some(Replacement { field, json })
            })
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let chosen = self.rng.usize(0..candidates.len());
        candidates.into_iter().nth(chosen)
    }
}

/// A field and how to give its value the wrong JSON type, if the value allows it.
type WrongType = (&'static str, fn(&Value) -> Option<String>);

/// Wrong-typed versions of card fields that a client is likely to decode strictly.
const WRONG_TYPES: [WrongType; 7] = [
    // "120" becomes 120.
    ("hp", |value| {
        numeric_string(value).map(|number| number.to_string())
    }),
    // ["Basic"] becomes "Basic".
    ("subtypes", first_element),
    ("types", first_element),
    // "96" becomes 96.
    ("number", |value| {
        numeric_string(value).map(|number| number.to_string())
    }),
    // [382] becomes 382.
    ("nationalPokedexNumbers", first_element),
    // 4 becomes "4".
    ("convertedRetreatCost", |value| {
        value.as_u64().map(|number| format!("\"{number}\""))
    }),
    // "Pokémon" becomes ["Pokémon"].
    ("supertype", |value| {
        value.is_string().then(|| format!("[{value}]"))
    }),
];

fn numeric_string(value: &Value) -> Option<u64> {
    value.as_str()?.parse().ok()
}

fn first_element(value: &Value) -> Option<String> {
    value.as_array()?.first().map(Value::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(json: &str) -> Record {
        let object: crate::catalogue::OrderedObject = serde_json::from_str(json).expect("parse");
        Record::from_members(object.0).expect("record")
    }

    #[test]
    fn bad_card_changes_a_field_type() {
        let mut plan = FaultPlan {
            bad_card_rate: 1.0,
            ..FaultPlan::default()
        };
        let record =
            card(r#"{"id": "a-1", "hp": "120", "subtypes": ["Basic"], "supertype": "Pokémon"}"#);
        let mut seen = Vec::new();
        for _ in 0..50 {
            let replacement = plan.bad_card(&record).expect("rate 1 always replaces");
            seen.push((replacement.field, replacement.json));
        }
        assert!(seen.contains(&("hp", "120".to_owned())));
        assert!(seen.contains(&("subtypes", "\"Basic\"".to_owned())));
        assert!(seen.contains(&("supertype", "[\"Pokémon\"]".to_owned())));
        assert!(
            seen.iter()
                .all(|(field, _)| ["hp", "subtypes", "supertype"].contains(field))
        );
    }

    #[test]
    fn page_shift_only_for_large_results() {
        let mut plan = FaultPlan {
            unstable_order: true,
            ..FaultPlan::default()
        };
        assert_eq!(plan.page_shift(250, 250), 0);
        let shifts: Vec<isize> = (0..100).map(|_| plan.page_shift(304, 250)).collect();
        assert!(shifts.iter().all(|shift| shift.abs() <= 50));
        assert!(shifts.iter().any(|shift| *shift != 0));
    }
}
