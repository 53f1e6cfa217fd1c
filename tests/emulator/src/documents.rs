//! Sets and cards as searches and sorts read them, which is as the API serves them.
//!
//! A served card has fields the data lacks: `set` (the whole set object) and the computed
//! `tcgplayer` and `cardmarket` blocks. A query such as `set.id:xy7` or
//! `tcgplayer.prices.holofoil.market:[100 TO *]` reads those as if they were stored.
//! Image URLs are the exception: queries see the data's original URLs.

use std::borrow::Cow;

use serde_json::Value;

use crate::catalogue::{Card, Catalogue, Record};
use crate::price_date::PriceDate;
use crate::pricing::{self, CardFacts};
use crate::query::Document;

/// Fields every served card has in addition to those of the data.
pub const ADDED_CARD_FIELDS: [&str; 3] = ["set", "tcgplayer", "cardmarket"];

/// A set record.
pub struct SetDocument<'a>(pub &'a Record);

impl Document for SetDocument<'_> {
    fn field(&self, name: &str) -> Option<Cow<'_, Value>> {
        self.0.get(name).map(Cow::Borrowed)
    }
}

/// A card with its set and its prices on a date.
pub struct CardDocument<'a> {
    pub catalogue: &'a Catalogue,
    pub card: &'a Card,
    pub date: PriceDate,
}

impl Document for CardDocument<'_> {
    fn field(&self, name: &str) -> Option<Cow<'_, Value>> {
        match name {
            "set" => Some(Cow::Borrowed(self.catalogue.set_of(self.card).value())),
            "tcgplayer" => {
                let block = pricing::tcgplayer(&card_facts(self.catalogue, self.card), self.date)?;
                serde_json::to_value(block).ok().map(Cow::Owned)
            }
            "cardmarket" => {
                let block = pricing::cardmarket(&card_facts(self.catalogue, self.card), self.date);
                serde_json::to_value(block).ok().map(Cow::Owned)
            }
            _ => self.card.record.get(name).map(Cow::Borrowed),
        }
    }
}

/// Collects what a card's prices depend on.
pub fn card_facts<'a>(catalogue: &'a Catalogue, card: &'a Card) -> CardFacts<'a> {
    let set = catalogue.set_of(card);
    CardFacts {
        id: card.record.id(),
        rarity: card.record.str_field("rarity"),
        set_id: set.id(),
        set_name: set.str_field("name").unwrap_or(""),
        release_date: set.str_field("releaseDate").unwrap_or(""),
    }
}
