//! Variations: the printings of a card that a collector can own.
//!
//! A variation is keyed by `(card_id, variation_type, treatment)`:
//!
//! - `variation_type` is the card's mechanic class, from its subtypes: V, VMAX, VSTAR, EX, GX,
//!   ex, BREAK, LV.X, ... or [`DEFAULT_VARIATION_TYPE`] for a card with none of them.
//! - `treatment` is how the copy is printed: a printing from the card's `tcgplayer.prices`
//!   keys (Normal, Holofoil, Reverse Holofoil, 1st Edition, ...), except that a rarity with a
//!   name of its own (Rainbow Rare, Secret Rare, ...) replaces the card's main printing.
//!
//! All of it is decided by one table, [`MAPPING`]. When several subtypes match, the row that
//! comes first in the table decides: a Primal Kyogre-EX that is both MEGA and EX is an EX, a
//! Charizard V that is both Basic and V is a V, and a TAG TEAM card is a GX. Basic, Stage 1,
//! Stage 2 and trainer subtypes never decide.

/// The variation type of a card whose subtypes name no mechanic class.
pub const DEFAULT_VARIATION_TYPE: &str = "Standard";

/// The card property a row of [`MAPPING`] tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// The card's subtypes contain this string (case-sensitive: `EX` and `ex` differ).
    Subtype(&'static str),
    /// The card's rarity is this string. The rarity then names the treatment of the card's
    /// main printing (`normal`, `holofoil`, `unlimitedHolofoil`).
    Rarity(&'static str),
    /// The card's `tcgplayer.prices` has this key.
    Printing(&'static str),
}

/// One row of the mapping: when the condition holds, the card gets this value. Subtype rows set
/// the variation type; rarity and printing rows set the treatment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MappingRow {
    pub when: Condition,
    pub value: &'static str,
}

const fn subtype(subtype: &'static str, value: &'static str) -> MappingRow {
    MappingRow {
        when: Condition::Subtype(subtype),
        value,
    }
}

const fn rarity(rarity: &'static str, value: &'static str) -> MappingRow {
    MappingRow {
        when: Condition::Rarity(rarity),
        value,
    }
}

const fn printing(key: &'static str, value: &'static str) -> MappingRow {
    MappingRow {
        when: Condition::Printing(key),
        value,
    }
}

/// The whole mapping from a card's subtypes, rarity and printings to its variations. Within
/// each kind of row, earlier rows win.
pub const MAPPING: &[MappingRow] = &[
    // Variation type, from subtypes. Evolved mechanics come before the ones they build on.
    subtype("VMAX", "VMAX"),
    subtype("VSTAR", "VSTAR"),
    subtype("V-UNION", "V-UNION"),
    subtype("V", "V"),
    subtype("GX", "GX"),
    subtype("EX", "EX"),
    subtype("ex", "ex"),
    subtype("BREAK", "BREAK"),
    subtype("Level-Up", "LV.X"),
    subtype("MEGA", "MEGA"),
    subtype("Prism Star", "Prism Star"),
    subtype("Radiant", "Radiant"),
    subtype("Star", "Star"),
    subtype("LEGEND", "LEGEND"),
    subtype("Prime", "Prime"),
    subtype("ACE SPEC", "ACE SPEC"),
    // Treatment, from rarities that name a printing of their own. The API spells some of them
    // two ways; both map to one treatment.
    rarity("Rare Rainbow", "Rainbow Rare"),
    rarity("Rare Secret", "Secret Rare"),
    rarity("Hyper Rare", "Hyper Rare"),
    rarity("Mega Hyper Rare", "Mega Hyper Rare"),
    rarity("Illustration Rare", "Illustration Rare"),
    rarity("Special Illustration Rare", "Special Illustration Rare"),
    rarity("Rare Ultra", "Ultra Rare"),
    rarity("Ultra Rare", "Ultra Rare"),
    rarity("Rare Shiny", "Shiny Rare"),
    rarity("Shiny Rare", "Shiny Rare"),
    rarity("Rare Shiny GX", "Shiny Rare"),
    rarity("Shiny Ultra Rare", "Shiny Ultra Rare"),
    rarity("Rare Shining", "Shining"),
    rarity("Amazing Rare", "Amazing Rare"),
    rarity("Trainer Gallery Rare Holo", "Trainer Gallery"),
    rarity("Classic Collection", "Classic Collection"),
    rarity("MEGA_ATTACK_RARE", "Mega Attack Rare"),
    rarity("Black White Rare", "Black White Rare"),
    // Treatment, from `tcgplayer.prices` keys, in the order a card's variations are listed.
    printing("normal", "Normal"),
    printing("holofoil", "Holofoil"),
    printing("reverseHolofoil", "Reverse Holofoil"),
    printing("1stEditionNormal", "1st Edition"),
    printing("1stEditionHolofoil", "1st Edition Holofoil"),
    printing("unlimitedHolofoil", "Unlimited Holofoil"),
];

/// Printings whose treatment a special rarity replaces. Reverse holo and 1st Edition copies
/// keep their own treatment even on a secret rare.
const MAIN_PRINTINGS: &[&str] = &["normal", "holofoil", "unlimitedHolofoil"];

/// A variation derived from a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variation {
    pub variation_type: String,
    pub treatment: String,
    /// The `tcgplayer.prices` key that prices this variation, `None` when the card has no
    /// prices and the printing was inferred from its rarity.
    pub printing: Option<String>,
}

/// Returns the variations of a card, at least one, each key once, in display order.
///
/// `printings` are the keys of the card's `tcgplayer.prices` (empty when it has none). Without
/// printings the card gets one variation, holofoil when the rarity contains "Holo", else normal.
pub fn variations_for(
    subtypes: &[String],
    rarity: Option<&str>,
    printings: &[&str],
) -> Vec<Variation> {
    let variation_type = variation_type_for(subtypes);
    let rarity_treatment = rarity.and_then(rarity_treatment_for);

    let inferred;
    let (printings, priced) = if printings.is_empty() {
        let is_holo = rarity.is_some_and(|rarity| rarity.contains("Holo"));
        inferred = [if is_holo { "holofoil" } else { "normal" }];
        (&inferred[..], false)
    } else {
        (printings, true)
    };

    let mut variations: Vec<Variation> = Vec::with_capacity(printings.len());
    for key in ordered_printings(printings) {
        let treatment = match rarity_treatment {
            Some(treatment) if MAIN_PRINTINGS.contains(&key) => treatment.to_string(),
            _ => printing_treatment_for(key),
        };
        // Two printings can map to one treatment (normal and holofoil on a secret rare). The
        // key must stay unique, so the first printing in display order prices it.
        if variations
            .iter()
            .any(|existing| existing.treatment == treatment)
        {
            continue;
        }
        variations.push(Variation {
            variation_type: variation_type.to_string(),
            treatment,
            printing: priced.then(|| key.to_string()),
        });
    }
    variations
}

/// Returns the variation type that the first matching subtype row gives.
pub fn variation_type_for(subtypes: &[String]) -> &'static str {
    MAPPING
        .iter()
        .find_map(|row| match row.when {
            Condition::Subtype(name) if subtypes.iter().any(|s| s == name) => Some(row.value),
            _ => None,
        })
        .unwrap_or(DEFAULT_VARIATION_TYPE)
}

fn rarity_treatment_for(rarity: &str) -> Option<&'static str> {
    MAPPING.iter().find_map(|row| match row.when {
        Condition::Rarity(name) if name == rarity => Some(row.value),
        _ => None,
    })
}

/// Returns the treatment a price key names. A key the table does not list yet is spelled out
/// from camel case (`firstEditionFoil` becomes "First Edition Foil"), so no printing is dropped.
fn printing_treatment_for(key: &str) -> String {
    let known = MAPPING.iter().find_map(|row| match row.when {
        Condition::Printing(name) if name == key => Some(row.value),
        _ => None,
    });
    known
        .map(str::to_string)
        .unwrap_or_else(|| words_from_camel_case(key))
}

/// Sorts printings into the table's order, unknown keys last in their own alphabetical order.
fn ordered_printings<'a>(printings: &[&'a str]) -> Vec<&'a str> {
    let rank = |key: &str| {
        MAPPING
            .iter()
            .filter_map(|row| match row.when {
                Condition::Printing(name) => Some(name),
                _ => None,
            })
            .position(|name| name == key)
            .unwrap_or(usize::MAX)
    };
    let mut ordered = printings.to_vec();
    ordered.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.cmp(b)));
    ordered.dedup();
    ordered
}

fn words_from_camel_case(key: &str) -> String {
    let mut words = String::with_capacity(key.len() + 4);
    for (index, c) in key.chars().enumerate() {
        if index == 0 {
            words.extend(c.to_uppercase());
        } else if c.is_uppercase() {
            words.push(' ');
            words.push(c);
        } else {
            words.push(c);
        }
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|value| value.to_string()).collect()
    }

    fn keys(variations: &[Variation]) -> Vec<(&str, &str)> {
        variations
            .iter()
            .map(|v| (v.variation_type.as_str(), v.treatment.as_str()))
            .collect()
    }

    /// Each row, alone on a card, produces its value.
    #[test]
    fn every_mapping_row_produces_its_value() {
        for row in MAPPING {
            let variations = match row.when {
                Condition::Subtype(name) => {
                    variations_for(&strings(&["Basic", name]), Some("Rare"), &["normal"])
                }
                Condition::Rarity(name) => {
                    variations_for(&strings(&["Basic"]), Some(name), &["holofoil"])
                }
                Condition::Printing(key) => {
                    variations_for(&strings(&["Basic"]), Some("Common"), &[key])
                }
            };
            assert_eq!(variations.len(), 1, "row {row:?}");
            let produced = match row.when {
                Condition::Subtype(_) => &variations[0].variation_type,
                Condition::Rarity(_) | Condition::Printing(_) => &variations[0].treatment,
            };
            assert_eq!(produced, row.value, "row {row:?}");
        }
    }

    #[test]
    fn subtype_rows_are_unique() {
        let mut seen = Vec::new();
        for row in MAPPING {
            assert!(!seen.contains(&row.when), "duplicate row {row:?}");
            seen.push(row.when);
        }
    }

    /// The keys that broke the job Holo replaces, with the subtypes and rarity the real data
    /// gives those cards and the single printing prices list for them.
    #[test]
    fn old_job_conflict_keys_come_out_once() {
        let cases = [
            (
                "pgo-79",
                &["VSTAR"][..],
                "Rare Rainbow",
                ("VSTAR", "Rainbow Rare"),
            ),
            (
                "pgo-80",
                &["VMAX"][..],
                "Rare Rainbow",
                ("VMAX", "Rainbow Rare"),
            ),
            (
                "pgo-86",
                &["VSTAR"][..],
                "Rare Secret",
                ("VSTAR", "Secret Rare"),
            ),
            (
                "swsh10-190",
                &["VSTAR"][..],
                "Rare Rainbow",
                ("VSTAR", "Rainbow Rare"),
            ),
            (
                "swsh35-79",
                &["Basic", "V"][..],
                "Rare Secret",
                ("V", "Secret Rare"),
            ),
            (
                "xy9-123",
                &["Basic", "EX"][..],
                "Rare Secret",
                ("EX", "Secret Rare"),
            ),
            (
                "xy7-96",
                &["MEGA", "EX"][..],
                "Rare Secret",
                ("EX", "Secret Rare"),
            ),
            (
                "swsh4-186",
                &["VMAX"][..],
                "Rare Rainbow",
                ("VMAX", "Rainbow Rare"),
            ),
        ];
        for (card, subtypes, rarity, expected) in cases {
            let variations = variations_for(&strings(subtypes), Some(rarity), &["holofoil"]);
            assert_eq!(keys(&variations), [expected], "card {card}");
        }
    }

    #[test]
    fn first_row_decides_between_subtypes() {
        assert_eq!(variation_type_for(&strings(&["MEGA", "EX"])), "EX");
        assert_eq!(variation_type_for(&strings(&["Basic", "V"])), "V");
        assert_eq!(
            variation_type_for(&strings(&["Basic", "TAG TEAM", "GX"])),
            "GX"
        );
        assert_eq!(
            variation_type_for(&strings(&["Stage 2", "ex", "Tera"])),
            "ex"
        );
    }

    #[test]
    fn card_without_subtypes_or_rarity() {
        let variations = variations_for(&[], None, &[]);
        assert_eq!(keys(&variations), [(DEFAULT_VARIATION_TYPE, "Normal")]);
        assert_eq!(variations[0].printing, None);
    }

    #[test]
    fn card_without_prices_infers_holofoil_from_rarity() {
        let variations = variations_for(&strings(&["Stage 1"]), Some("Rare Holo"), &[]);
        assert_eq!(keys(&variations), [(DEFAULT_VARIATION_TYPE, "Holofoil")]);
        assert_eq!(variations[0].printing, None);
    }

    #[test]
    fn card_without_prices_keeps_special_rarity() {
        let variations = variations_for(&strings(&["VSTAR"]), Some("Rare Rainbow"), &[]);
        assert_eq!(keys(&variations), [("VSTAR", "Rainbow Rare")]);
    }

    #[test]
    fn each_printing_is_a_variation_in_table_order() {
        let variations = variations_for(
            &strings(&["Basic"]),
            Some("Rare Holo"),
            &["reverseHolofoil", "1stEditionHolofoil", "holofoil"],
        );
        assert_eq!(
            keys(&variations),
            [
                (DEFAULT_VARIATION_TYPE, "Holofoil"),
                (DEFAULT_VARIATION_TYPE, "Reverse Holofoil"),
                (DEFAULT_VARIATION_TYPE, "1st Edition Holofoil"),
            ]
        );
        let printings: Vec<_> = variations.iter().map(|v| v.printing.as_deref()).collect();
        assert_eq!(
            printings,
            [
                Some("holofoil"),
                Some("reverseHolofoil"),
                Some("1stEditionHolofoil")
            ]
        );
    }

    #[test]
    fn special_rarity_keeps_reverse_holo_apart() {
        let variations = variations_for(
            &strings(&["VMAX"]),
            Some("Rare Secret"),
            &["holofoil", "reverseHolofoil"],
        );
        assert_eq!(
            keys(&variations),
            [("VMAX", "Secret Rare"), ("VMAX", "Reverse Holofoil")]
        );
    }

    #[test]
    fn two_printings_with_one_treatment_give_one_variation() {
        let variations = variations_for(
            &strings(&["EX"]),
            Some("Rare Secret"),
            &["normal", "holofoil"],
        );
        assert_eq!(keys(&variations), [("EX", "Secret Rare")]);
        assert_eq!(variations[0].printing.as_deref(), Some("normal"));
    }

    #[test]
    fn unknown_printing_is_spelled_out() {
        let variations = variations_for(&[], Some("Common"), &["firstEditionFoil"]);
        assert_eq!(
            keys(&variations),
            [(DEFAULT_VARIATION_TYPE, "First Edition Foil")]
        );
    }

    #[test]
    fn repeated_printing_counts_once() {
        let variations = variations_for(&[], Some("Common"), &["normal", "normal"]);
        assert_eq!(variations.len(), 1);
    }
}
