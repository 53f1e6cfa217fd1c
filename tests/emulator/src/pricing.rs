//! Made-up but plausible `tcgplayer` and `cardmarket` price blocks.
//!
//! The data has no prices, so the emulator computes them from the card's id, rarity and era
//! and from the price date. The same inputs always give the same prices, on any machine, and a
//! different price date gives different prices, which simulates the real API's daily update.
//!
//! A *printing* is one physical version of a card that the market prices separately; the keys of
//! `tcgplayer.prices` name them. Which printings a card gets follows the history of the game:
//!
//! - 1st Edition prints (`1stEditionNormal`, or `1stEditionHolofoil` with `unlimitedHolofoil`)
//!   exist only in the Wizards of the Coast sets that had them (see [`FIRST_EDITION_SETS`]);
//! - reverse holofoils exist from the Legendary Collection (May 2002) on, for common, uncommon,
//!   rare and rare holo cards, but not for the ultra, secret, rainbow, illustration and similar
//!   rarities, which get `holofoil` only;
//! - a promo has one printing.
//!
//! About 2% of cards have no `tcgplayer` block, and some single prices are `null`, because the
//! real API does both.

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::hashing::{hash_parts, unit_interval};
use crate::price_date::PriceDate;

/// Sets printed in both 1st Edition and Unlimited runs.
pub const FIRST_EDITION_SETS: [&str; 10] = [
    "base1", "base2", "base3", "base5", "gym1", "gym2", "neo1", "neo2", "neo3", "neo4",
];

/// Release date of the Legendary Collection (`base6`), the first set with reverse holofoils.
const FIRST_REVERSE_HOLO_RELEASE: &str = "2002/05/24";

/// Share of cards with no `tcgplayer` block.
const NO_TCGPLAYER_SHARE: f64 = 0.02;

/// What the prices of a card depend on.
#[derive(Debug, Clone, Copy)]
pub struct CardFacts<'a> {
    pub id: &'a str,
    pub rarity: Option<&'a str>,
    pub set_id: &'a str,
    pub set_name: &'a str,
    /// The set's `releaseDate`, `YYYY/MM/DD`, which compares correctly as text.
    pub release_date: &'a str,
}

/// A priced version of a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printing {
    Normal,
    Holofoil,
    ReverseHolofoil,
    FirstEditionNormal,
    FirstEditionHolofoil,
    UnlimitedHolofoil,
}

impl Printing {
    /// Returns the key of this printing in `tcgplayer.prices`.
    pub fn key(self) -> &'static str {
        match self {
            Printing::Normal => "normal",
            Printing::Holofoil => "holofoil",
            Printing::ReverseHolofoil => "reverseHolofoil",
            Printing::FirstEditionNormal => "1stEditionNormal",
            Printing::FirstEditionHolofoil => "1stEditionHolofoil",
            Printing::UnlimitedHolofoil => "unlimitedHolofoil",
        }
    }
}

/// How the market treats a rarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RarityClass {
    Unknown,
    Common,
    Uncommon,
    Rare,
    RareHolo,
    Promo,
    /// Ultra, secret, rainbow, illustration, hyper and the other chase rarities.
    Special,
}

fn classify(facts: &CardFacts) -> RarityClass {
    if facts.rarity == Some("Promo") || facts.set_name.contains("Promo") {
        return RarityClass::Promo;
    }
    match facts.rarity {
        None => RarityClass::Unknown,
        Some("Common") => RarityClass::Common,
        Some("Uncommon") => RarityClass::Uncommon,
        Some("Rare") => RarityClass::Rare,
        Some("Rare Holo") => RarityClass::RareHolo,
        Some(_) => RarityClass::Special,
    }
}

/// Returns the printings a card was released in, main printing first.
pub fn printings(facts: &CardFacts) -> Vec<Printing> {
    let class = classify(facts);
    let holo = matches!(class, RarityClass::RareHolo | RarityClass::Special);
    if class == RarityClass::Promo {
        let wizards_era = facts.release_date < FIRST_REVERSE_HOLO_RELEASE;
        return vec![if wizards_era {
            Printing::Normal
        } else {
            Printing::Holofoil
        }];
    }
    if FIRST_EDITION_SETS.contains(&facts.set_id) {
        return if holo {
            vec![Printing::FirstEditionHolofoil, Printing::UnlimitedHolofoil]
        } else {
            vec![Printing::FirstEditionNormal, Printing::Normal]
        };
    }
    let main = if holo {
        Printing::Holofoil
    } else {
        Printing::Normal
    };
    let reverse_era = facts.release_date >= FIRST_REVERSE_HOLO_RELEASE;
    let has_reverse = matches!(
        class,
        RarityClass::Common | RarityClass::Uncommon | RarityClass::Rare | RarityClass::RareHolo
    );
    if reverse_era && has_reverse {
        vec![main, Printing::ReverseHolofoil]
    } else {
        vec![main]
    }
}

/// The `tcgplayer` block.
#[derive(Debug, Clone, Serialize)]
pub struct Tcgplayer {
    pub url: String,
    #[serde(rename = "updatedAt")]
    pub updated_at: String,
    pub prices: PrintingPriceList,
}

/// The prices of each printing, serialised as an object keyed by [`Printing::key`] in order.
#[derive(Debug, Clone)]
pub struct PrintingPriceList(pub Vec<(Printing, PrintingPrices)>);

impl Serialize for PrintingPriceList {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (printing, prices) in &self.0 {
            map.serialize_entry(printing.key(), prices)?;
        }
        map.end()
    }
}

/// TCGplayer prices of one printing, in US dollars.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrintingPrices {
    pub low: Option<f64>,
    pub mid: Option<f64>,
    pub high: Option<f64>,
    pub market: Option<f64>,
    pub direct_low: Option<f64>,
}

/// The `cardmarket` block.
#[derive(Debug, Clone, Serialize)]
pub struct Cardmarket {
    pub url: String,
    #[serde(rename = "updatedAt")]
    pub updated_at: String,
    pub prices: CardmarketPrices,
}

/// Cardmarket prices, in euros. The `reverseHolo*` prices are `null` for a card without a
/// reverse holofoil.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CardmarketPrices {
    pub average_sell_price: Option<f64>,
    pub low_price: Option<f64>,
    pub trend_price: Option<f64>,
    pub german_pro_low: Option<f64>,
    pub suggested_price: Option<f64>,
    pub reverse_holo_sell: Option<f64>,
    pub reverse_holo_low: Option<f64>,
    pub reverse_holo_trend: Option<f64>,
    pub low_price_ex_plus: Option<f64>,
    pub avg1: Option<f64>,
    pub avg7: Option<f64>,
    pub avg30: Option<f64>,
    pub reverse_holo_avg1: Option<f64>,
    pub reverse_holo_avg7: Option<f64>,
    pub reverse_holo_avg30: Option<f64>,
}

/// Computes the `tcgplayer` block, or `None` for the cards that have none.
pub fn tcgplayer(facts: &CardFacts, date: PriceDate) -> Option<Tcgplayer> {
    if draw(facts, &[b"no tcgplayer"]) < NO_TCGPLAYER_SHARE {
        return None;
    }
    let prices = printings(facts)
        .into_iter()
        .map(|printing| (printing, printing_prices(facts, printing, date)))
        .collect();
    Some(Tcgplayer {
        url: format!("https://prices.pokemontcg.io/tcgplayer/{}", facts.id),
        updated_at: date.to_string(),
        prices: PrintingPriceList(prices),
    })
}

/// Computes the `cardmarket` block, which every card has.
pub fn cardmarket(facts: &CardFacts, date: PriceDate) -> Cardmarket {
    let printings = printings(facts);
    let main = printings.first().copied().unwrap_or(Printing::Normal);
    // Cardmarket trades in euros at a little under the dollar market price.
    let trend = market_price(facts, main, date) * 0.9;
    let reverse = printings
        .contains(&Printing::ReverseHolofoil)
        .then(|| market_price(facts, Printing::ReverseHolofoil, date) * 0.9);
    let day = date.day_number().to_le_bytes();
    let vary = |field: &[u8], low: f64, high: f64| {
        low + (high - low) * draw(facts, &[b"cardmarket", field, &day])
    };
    let low_price = trend * vary(b"low", 0.3, 0.7);
    let prices = CardmarketPrices {
        average_sell_price: Some(cents(trend * vary(b"sell", 0.9, 1.1))),
        low_price: Some(cents(low_price)),
        trend_price: Some(cents(trend)),
        german_pro_low: Some(0.0),
        suggested_price: Some(0.0),
        reverse_holo_sell: reverse.map(|price| cents(price * vary(b"rsell", 0.9, 1.1))),
        reverse_holo_low: reverse.map(|price| cents(price * vary(b"rlow", 0.3, 0.7))),
        reverse_holo_trend: reverse.map(cents),
        low_price_ex_plus: Some(cents(low_price * vary(b"explus", 1.0, 1.5))),
        avg1: sometimes_null(facts, b"avg1", 0.1, trend * vary(b"avg1", 0.8, 1.2)),
        avg7: Some(cents(trend * vary(b"avg7", 0.9, 1.1))),
        avg30: Some(cents(trend * vary(b"avg30", 0.92, 1.08))),
        reverse_holo_avg1: reverse.map(|price| cents(price * vary(b"ravg1", 0.8, 1.2))),
        reverse_holo_avg7: reverse.map(|price| cents(price * vary(b"ravg7", 0.9, 1.1))),
        reverse_holo_avg30: reverse.map(|price| cents(price * vary(b"ravg30", 0.92, 1.08))),
    };
    Cardmarket {
        url: format!("https://prices.pokemontcg.io/cardmarket/{}", facts.id),
        updated_at: date.to_string(),
        prices,
    }
}

fn printing_prices(facts: &CardFacts, printing: Printing, date: PriceDate) -> PrintingPrices {
    let market = market_price(facts, printing, date);
    let key = printing.key().as_bytes();
    let day = date.day_number().to_le_bytes();
    let vary = |field: &[u8], low: f64, high: f64| {
        low + (high - low) * draw(facts, &[b"tcgplayer", key, field, &day])
    };
    let null_tag = |field: &[u8]| [key, field].concat();
    PrintingPrices {
        low: Some(cents(market * vary(b"low", 0.45, 0.8))),
        mid: Some(cents(market * vary(b"mid", 1.05, 1.4))),
        high: sometimes_null(
            facts,
            &null_tag(b"high"),
            0.02,
            market * vary(b"high", 1.8, 5.8),
        ),
        market: sometimes_null(facts, &null_tag(b"market"), 0.03, market),
        direct_low: sometimes_null(
            facts,
            &null_tag(b"directLow"),
            0.45,
            market * vary(b"directLow", 0.9, 1.3),
        ),
    }
}

/// Computes a printing's market price on a day, in dollars, before rounding.
fn market_price(facts: &CardFacts, printing: Printing, date: PriceDate) -> f64 {
    let (cheapest, dearest) = price_range(facts);
    // Log-uniform between the bounds, so most cards are near the cheap end.
    let base = cheapest * (dearest / cheapest).powf(draw(facts, &[b"base price"]));
    let printing_factor = match printing {
        Printing::Normal | Printing::Holofoil | Printing::UnlimitedHolofoil => 1.0,
        Printing::ReverseHolofoil => 1.4 + 1.2 * draw(facts, &[b"reverse factor"]),
        Printing::FirstEditionNormal => 3.0 + 3.0 * draw(facts, &[b"first edition factor"]),
        Printing::FirstEditionHolofoil => 3.0 + 5.0 * draw(facts, &[b"first edition factor"]),
    };
    let day = date.day_number().to_le_bytes();
    let daily = 0.9 + 0.2 * draw(facts, &[b"daily", printing.key().as_bytes(), &day]);
    base * era_factor(facts.release_date) * printing_factor * daily
}

/// Returns the range of a card's base price in dollars, from its rarity.
fn price_range(facts: &CardFacts) -> (f64, f64) {
    match classify(facts) {
        RarityClass::Unknown => (0.10, 2.0),
        RarityClass::Common => (0.05, 0.40),
        RarityClass::Uncommon => (0.10, 0.90),
        RarityClass::Rare => (0.25, 3.0),
        RarityClass::RareHolo => (1.0, 15.0),
        RarityClass::Promo => (0.50, 12.0),
        RarityClass::Special if is_chase_rarity(facts.rarity.unwrap_or("")) => (12.0, 250.0),
        RarityClass::Special => (2.0, 60.0),
    }
}

/// Returns whether a rarity is one of the scarcest, printed far less than an ultra rare.
fn is_chase_rarity(rarity: &str) -> bool {
    let rarity = rarity.to_lowercase();
    [
        "secret",
        "rainbow",
        "hyper",
        "special illustration",
        "gold",
        "shining",
        "star",
    ]
    .iter()
    .any(|word| rarity.contains(word))
}

/// Older cards cost more: Wizards-era (to 2002) and EX to HeartGold era (to 2010) multipliers.
fn era_factor(release_date: &str) -> f64 {
    if release_date < "2003" {
        4.0
    } else if release_date < "2011" {
        1.8
    } else {
        1.0
    }
}

/// Returns a number in `0.0..1.0` fixed by the card id and the tags.
fn draw(facts: &CardFacts, tags: &[&[u8]]) -> f64 {
    let mut parts: Vec<&[u8]> = Vec::with_capacity(tags.len() + 1);
    parts.push(facts.id.as_bytes());
    parts.extend_from_slice(tags);
    unit_interval(hash_parts(&parts))
}

/// Returns `None` for a share of cards fixed by the id and tag, else the rounded price.
fn sometimes_null(facts: &CardFacts, tag: &[u8], share: f64, price: f64) -> Option<f64> {
    (draw(facts, &[b"null", tag]) >= share).then(|| cents(price))
}

/// Rounds to whole cents, never below one cent.
fn cents(price: f64) -> f64 {
    ((price * 100.0).round() / 100.0).max(0.01)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts<'a>(
        id: &'a str,
        rarity: Option<&'a str>,
        set_id: &'a str,
        date: &'a str,
    ) -> CardFacts<'a> {
        CardFacts {
            id,
            rarity,
            set_id,
            set_name: "Some Set",
            release_date: date,
        }
    }

    fn keys(facts: &CardFacts) -> Vec<&'static str> {
        printings(facts).into_iter().map(Printing::key).collect()
    }

    #[test]
    fn printings_follow_era_and_rarity() {
        let cases = [
            (
                facts("base1-4", Some("Rare Holo"), "base1", "1999/01/09"),
                vec!["1stEditionHolofoil", "unlimitedHolofoil"],
            ),
            (
                facts("base1-60", Some("Common"), "base1", "1999/01/09"),
                vec!["1stEditionNormal", "normal"],
            ),
            (
                facts("base4-1", Some("Rare Holo"), "base4", "2000/02/24"),
                vec!["holofoil"],
            ),
            (
                facts("si1-1", Some("Common"), "si1", "2001/07/31"),
                vec!["normal"],
            ),
            (
                facts("base6-1", Some("Rare Holo"), "base6", "2002/05/24"),
                vec!["holofoil", "reverseHolofoil"],
            ),
            (
                facts("swsh4-25", Some("Common"), "swsh4", "2020/11/13"),
                vec!["normal", "reverseHolofoil"],
            ),
            (
                facts("swsh4-44", Some("Rare Holo V"), "swsh4", "2020/11/13"),
                vec!["holofoil"],
            ),
            (
                facts(
                    "sv3-215",
                    Some("Special Illustration Rare"),
                    "sv3",
                    "2023/08/11",
                ),
                vec!["holofoil"],
            ),
            (
                facts("xy7-96", Some("Rare Secret"), "xy7", "2015/08/12"),
                vec!["holofoil"],
            ),
            (facts("sv1-1", None, "sv1", "2023/03/31"), vec!["normal"]),
            (
                facts("swsh4-1", Some("Promo"), "swsh4", "2020/11/13"),
                vec!["holofoil"],
            ),
        ];
        for (card, expected) in cases {
            assert_eq!(keys(&card), expected, "{}", card.id);
        }
    }

    #[test]
    fn promo_sets_have_one_printing() {
        let card = CardFacts {
            set_name: "Wizards Black Star Promos",
            ..facts("basep-1", None, "basep", "1999/07/01")
        };
        assert_eq!(keys(&card), ["normal"]);
    }

    #[test]
    fn prices_are_deterministic_and_move_daily() {
        let card = facts("swsh4-25", Some("Common"), "swsh4", "2020/11/13");
        let today = PriceDate::DEFAULT;
        let tomorrow = PriceDate::new(2026, 12, 2).expect("valid date");
        let first = serde_json::to_string(&cardmarket(&card, today)).expect("serialise");
        let again = serde_json::to_string(&cardmarket(&card, today)).expect("serialise");
        let moved = serde_json::to_string(&cardmarket(&card, tomorrow)).expect("serialise");
        assert_eq!(first, again);
        assert_ne!(first, moved);
    }

    #[test]
    fn about_two_percent_lack_tcgplayer() {
        let ids: Vec<String> = (0..10_000).map(|n| format!("test-{n}")).collect();
        let missing = ids
            .iter()
            .filter(|id| {
                tcgplayer(
                    &facts(id, Some("Rare"), "sv1", "2023/03/31"),
                    PriceDate::DEFAULT,
                )
                .is_none()
            })
            .count();
        assert!(
            (100..=300).contains(&missing),
            "{missing} of 10000 lack tcgplayer"
        );
    }

    #[test]
    fn prices_are_positive_cents() {
        for n in 0..500 {
            let id = format!("sv3-{n}");
            let card = facts(&id, Some("Rare Holo"), "sv3", "2023/08/11");
            let Some(block) = tcgplayer(&card, PriceDate::DEFAULT) else {
                continue;
            };
            for (_, prices) in &block.prices.0 {
                for price in [
                    prices.low,
                    prices.mid,
                    prices.high,
                    prices.market,
                    prices.direct_low,
                ]
                .into_iter()
                .flatten()
                {
                    assert!(price >= 0.01, "{id}: {price}");
                    assert_eq!((price * 100.0).round() / 100.0, price, "{id}: {price}");
                }
            }
        }
    }

    #[test]
    fn reverse_prices_are_null_without_reverse() {
        let card = facts("xy7-96", Some("Rare Secret"), "xy7", "2015/08/12");
        let block = cardmarket(&card, PriceDate::DEFAULT);
        assert_eq!(block.prices.reverse_holo_trend, None);
        assert!(block.prices.trend_price.is_some());
    }
}
