//! Finding the variation an entry is about, from what a collector typed or a file named.

use std::fmt;
use std::str::FromStr;

use rusqlite::{Connection, Row};

use super::error::CollectionError;

/// A variation as a collector names it: `TYPE/TREATMENT` (`VSTAR/Rainbow Rare`), or the
/// treatment alone (`Reverse Holofoil`) when only one of the card's variations has it.
/// Matching ignores case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariationSelector {
    pub variation_type: Option<String>,
    pub treatment: String,
}

impl VariationSelector {
    pub fn new(variation_type: Option<&str>, treatment: &str) -> Self {
        VariationSelector {
            variation_type: variation_type.map(str::to_owned),
            treatment: treatment.to_owned(),
        }
    }

    fn matches(&self, variation: &StoredVariation) -> bool {
        let type_matches = self
            .variation_type
            .as_deref()
            .is_none_or(|wanted| wanted.eq_ignore_ascii_case(&variation.variation_type));
        type_matches && self.treatment.eq_ignore_ascii_case(&variation.treatment)
    }
}

impl fmt::Display for VariationSelector {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.variation_type {
            Some(variation_type) => write!(formatter, "{variation_type}/{}", self.treatment),
            None => formatter.write_str(&self.treatment),
        }
    }
}

impl FromStr for VariationSelector {
    type Err = CollectionError;

    /// Parses `TYPE/TREATMENT` or `TREATMENT`. Neither part may be empty.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let invalid = || {
            CollectionError::InvalidEntry(format!(
                "invalid variation {text:?}: expected TYPE/TREATMENT (VSTAR/Rainbow Rare) or a \
                 treatment (Reverse Holofoil)"
            ))
        };
        let (variation_type, treatment) = match text.split_once('/') {
            Some((variation_type, treatment)) => (Some(variation_type.trim()), treatment.trim()),
            None => (None, text.trim()),
        };
        if treatment.is_empty() || variation_type.is_some_and(str::is_empty) {
            return Err(invalid());
        }
        Ok(VariationSelector::new(variation_type, treatment))
    }
}

/// A variation row of the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVariation {
    pub id: i64,
    pub card_id: String,
    pub variation_type: String,
    pub treatment: String,
    /// The `tcgplayer.prices` key that prices it, `None` when the card has no prices.
    pub printing: Option<String>,
    pub position: u32,
    /// Set when the card's latest data no longer has this variation.
    pub retired: bool,
}

impl StoredVariation {
    /// The variation's key as `TYPE/TREATMENT`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.variation_type, self.treatment)
    }
}

const VARIATION_COLUMNS: &str =
    "id, card_id, variation_type, treatment, printing, position, retired_at IS NOT NULL";

fn variation_from_row(row: &Row<'_>) -> rusqlite::Result<StoredVariation> {
    Ok(StoredVariation {
        id: row.get(0)?,
        card_id: row.get(1)?,
        variation_type: row.get(2)?,
        treatment: row.get(3)?,
        printing: row.get(4)?,
        position: row.get(5)?,
        retired: row.get(6)?,
    })
}

/// Returns a card's variations: the current ones by `position`, then retired ones. Returns
/// [`CollectionError::CardNotFound`] when the card is not in the database.
pub fn card_variations(
    connection: &Connection,
    card_id: &str,
) -> Result<Vec<StoredVariation>, CollectionError> {
    let sql = format!(
        "SELECT {VARIATION_COLUMNS} FROM card_variations WHERE card_id = ?1
         ORDER BY retired_at IS NOT NULL, position, variation_type, treatment"
    );
    let variations = connection
        .prepare_cached(&sql)?
        .query_map([card_id], variation_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if variations.is_empty() {
        let exists: bool = connection
            .prepare_cached("SELECT 1 FROM cards WHERE id = ?1")?
            .exists([card_id])?;
        if !exists {
            return Err(CollectionError::CardNotFound(card_id.to_owned()));
        }
    }
    Ok(variations)
}

/// Picks the variation `selector` names among `variations` (one card's, as
/// [`card_variations`] returns them), or the card's first current variation by `position` when
/// there is no selector.
///
/// A selector that matches a current variation never picks a retired one, so a retired
/// variation is reachable only by a key no current variation has.
pub fn pick_variation<'a>(
    card_id: &str,
    variations: &'a [StoredVariation],
    selector: Option<&VariationSelector>,
) -> Result<&'a StoredVariation, CollectionError> {
    let Some(selector) = selector else {
        return variations
            .iter()
            .find(|variation| !variation.retired)
            .or_else(|| variations.first())
            .ok_or_else(|| CollectionError::CardNotFound(card_id.to_owned()));
    };
    let matching: Vec<&StoredVariation> = variations
        .iter()
        .filter(|variation| selector.matches(variation))
        .collect();
    let current: Vec<&StoredVariation> = matching
        .iter()
        .copied()
        .filter(|variation| !variation.retired)
        .collect();
    let candidates = if current.is_empty() {
        matching
    } else {
        current
    };
    match candidates.as_slice() {
        [only] => Ok(only),
        [] => Err(CollectionError::VariationNotFound {
            card_id: card_id.to_owned(),
            requested: selector.to_string(),
            available: variations.iter().map(StoredVariation::key).collect(),
        }),
        several => Err(CollectionError::AmbiguousVariation {
            card_id: card_id.to_owned(),
            requested: selector.to_string(),
            matches: several.iter().map(|variation| variation.key()).collect(),
        }),
    }
}

/// Resolves a card's variation from the database; see [`pick_variation`] for the rules. A
/// retired variation gives way to its successor ([`successor`]), so a key from before a sync
/// renamed the variation names the copies where they are now.
pub fn resolve_variation(
    connection: &Connection,
    card_id: &str,
    selector: Option<&VariationSelector>,
) -> Result<StoredVariation, CollectionError> {
    let variations = card_variations(connection, card_id)?;
    let picked = pick_variation(card_id, &variations, selector)?;
    Ok(successor(picked, &variations).unwrap_or(picked).clone())
}

/// Returns the current variation that took over a retired one's entries, by the rule the sync
/// moves entries with. That is the current variation with the same `printing`. When the
/// retired one had no printing or no current one has a printing, it is the current variation
/// at the same `position`. Returns `None` for a current variation, or when none takes over.
pub fn successor<'a>(
    retired: &StoredVariation,
    variations: &'a [StoredVariation],
) -> Option<&'a StoredVariation> {
    if !retired.retired {
        return None;
    }
    let current = || variations.iter().filter(|variation| !variation.retired);
    if let Some(printing) = &retired.printing
        && let Some(same_printing) =
            current().find(|variation| variation.printing.as_ref() == Some(printing))
    {
        return Some(same_printing);
    }
    let any_printing = current().any(|variation| variation.printing.is_some());
    if retired.printing.is_none() || !any_printing {
        return current().find(|variation| variation.position == retired.position);
    }
    None
}

/// The price-site name of a `tcgplayer.prices` key, as TCGplayer and Collectr print it:
/// `reverseHolofoil` is `Reverse Holofoil`. Returns `None` for a key Holo does not know.
pub fn printing_name(key: &str) -> Option<&'static str> {
    PRINTING_NAMES
        .iter()
        .find(|(known, _)| *known == key)
        .map(|(_, name)| *name)
}

/// The `tcgplayer.prices` key a price-site printing name stands for, ignoring case and the
/// spellings tools use besides the canonical one (`Reverse Holo`, `Holo`). `Unlimited` is
/// left out because it names `normal` on some cards and `unlimitedHolofoil` on others.
pub fn printing_key(name: &str) -> Option<&'static str> {
    let folded = name.trim().to_lowercase();
    let canonical = PRINTING_NAMES
        .iter()
        .find(|(_, known)| known.to_lowercase() == folded)
        .map(|(key, _)| *key);
    canonical.or(match folded.as_str() {
        "reverse holo" | "reverse" => Some("reverseHolofoil"),
        "holo" | "foil" => Some("holofoil"),
        "1st edition normal" | "first edition" => Some("1stEditionNormal"),
        "1st edition holo" | "first edition holofoil" => Some("1stEditionHolofoil"),
        "unlimited holo" => Some("unlimitedHolofoil"),
        _ => None,
    })
}

/// `tcgplayer.prices` keys and the names price sites give them.
const PRINTING_NAMES: [(&str, &str); 6] = [
    ("normal", "Normal"),
    ("holofoil", "Holofoil"),
    ("reverseHolofoil", "Reverse Holofoil"),
    ("1stEditionNormal", "1st Edition"),
    ("1stEditionHolofoil", "1st Edition Holofoil"),
    ("unlimitedHolofoil", "Unlimited Holofoil"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn variation(
        id: i64,
        key: (&str, &str),
        printing: Option<&str>,
        retired: bool,
    ) -> StoredVariation {
        StoredVariation {
            id,
            card_id: "swsh10-1".into(),
            variation_type: key.0.into(),
            treatment: key.1.into(),
            printing: printing.map(str::to_owned),
            position: id as u32,
            retired,
        }
    }

    fn bulbasaur() -> Vec<StoredVariation> {
        vec![
            variation(0, ("Standard", "Normal"), Some("normal"), false),
            variation(
                1,
                ("Standard", "Reverse Holofoil"),
                Some("reverseHolofoil"),
                false,
            ),
            variation(2, ("Standard", "Holo Promo"), None, true),
        ]
    }

    #[test]
    fn selector_parses_both_forms() {
        let full: VariationSelector = "VSTAR/Rainbow Rare".parse().unwrap();
        assert_eq!(full, VariationSelector::new(Some("VSTAR"), "Rainbow Rare"));
        let short: VariationSelector = " Reverse Holofoil ".parse().unwrap();
        assert_eq!(short, VariationSelector::new(None, "Reverse Holofoil"));
        assert!("".parse::<VariationSelector>().is_err());
        assert!("/Normal".parse::<VariationSelector>().is_err());
        assert!("V/".parse::<VariationSelector>().is_err());
    }

    #[test]
    fn pick_defaults_to_first_current_variation() {
        let mut variations = bulbasaur();
        variations.rotate_left(2);
        let picked = pick_variation("swsh10-1", &variations, None).unwrap();
        assert_eq!(picked.treatment, "Normal");
    }

    #[test]
    fn pick_matches_treatment_ignoring_case() {
        let variations = bulbasaur();
        let selector: VariationSelector = "reverse holofoil".parse().unwrap();
        let picked = pick_variation("swsh10-1", &variations, Some(&selector)).unwrap();
        assert_eq!(picked.id, 1);
        let retired: VariationSelector = "standard/holo promo".parse().unwrap();
        let picked = pick_variation("swsh10-1", &variations, Some(&retired)).unwrap();
        assert_eq!(
            picked.id, 2,
            "a retired variation is reachable by its own key"
        );
    }

    #[test]
    fn successor_follows_printing_then_position() {
        let mut variations = vec![
            variation(0, ("VSTAR", "Secret Rare"), Some("holofoil"), false),
            variation(1, ("Standard", "Normal"), None, false),
            variation(2, ("VSTAR", "Rainbow Rare"), Some("holofoil"), true),
            variation(
                3,
                ("Standard", "Reverse Holofoil"),
                Some("reverseHolofoil"),
                true,
            ),
        ];
        variations[1].position = 1;
        variations[2].position = 0;
        variations[3].position = 1;

        let renamed = successor(&variations[2], &variations).map(|v| v.id);
        assert_eq!(renamed, Some(0), "the same printing");
        let unpriced_now = successor(&variations[3], &variations).map(|v| v.id);
        assert_eq!(unpriced_now, None, "no current variation has its printing");
        assert_eq!(successor(&variations[0], &variations), None, "not retired");

        let mut unpriced = variation(4, ("Standard", "Holo Promo"), None, true);
        unpriced.position = 1;
        let by_position = successor(&unpriced, &variations).map(|v| v.id);
        assert_eq!(by_position, Some(1), "no printing: the same position");
    }

    #[test]
    fn pick_lists_variations_when_none_matches() {
        let variations = bulbasaur();
        let selector: VariationSelector = "V/Normal".parse().unwrap();
        let error = pick_variation("swsh10-1", &variations, Some(&selector)).unwrap_err();
        assert_eq!(error.code(), "variation_not_found");
        let message = error.to_string();
        assert!(
            message.contains("Standard/Normal, Standard/Reverse Holofoil"),
            "{message}"
        );
    }

    #[test]
    fn pick_rejects_an_ambiguous_treatment() {
        let variations = vec![
            variation(0, ("V", "Normal"), Some("normal"), false),
            variation(1, ("Standard", "Normal"), Some("normal"), false),
        ];
        let selector: VariationSelector = "Normal".parse().unwrap();
        let error = pick_variation("swsh10-1", &variations, Some(&selector)).unwrap_err();
        assert_eq!(error.code(), "ambiguous_variation");
    }

    #[test]
    fn printing_names_map_both_ways() {
        for (key, name) in PRINTING_NAMES {
            assert_eq!(printing_name(key), Some(name));
            assert_eq!(printing_key(name), Some(key));
            assert_eq!(printing_key(&name.to_uppercase()), Some(key));
        }
        assert_eq!(printing_key("Reverse Holo"), Some("reverseHolofoil"));
        assert_eq!(printing_key("Unlimited"), None);
        assert_eq!(printing_name("shadowless"), None);
    }
}
