//! The catalogue: every set and card of one pokemon-tcg-data folder, loaded once.
//!
//! A catalogue does not depend on the port an emulator listens on, so one `Arc<Catalogue>` can
//! back several emulators (tests start many). What does depend on the port, the served JSON with
//! image URLs pointing at the emulator, is built from it when an emulator starts.
//!
//! Terms: a *position* is an index into [`Catalogue::sets`] or [`Catalogue::cards`]. Sets keep
//! the order of `sets/en.json` (release order) and cards are grouped by set in that order, each
//! set's cards in the order of its file.

mod load;
mod record;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub(crate) use record::OrderedObject;
pub use record::Record;

/// A card and the position of its set.
#[derive(Debug)]
pub struct Card {
    /// The card object of the data.
    pub(crate) record: Record,
    /// Position of the card's set in [`Catalogue::sets`].
    pub(crate) set: usize,
}

impl Card {
    /// Returns the card object of the data.
    pub fn record(&self) -> &Record {
        &self.record
    }

    /// Returns the position of the card's set in [`Catalogue::sets`].
    pub fn set_position(&self) -> usize {
        self.set
    }
}

/// The distinct values of the four vocabulary endpoints (`/v2/types` and so on), sorted.
#[derive(Debug, Default)]
pub struct Vocabulary {
    pub types: BTreeSet<String>,
    pub subtypes: BTreeSet<String>,
    pub supertypes: BTreeSet<String>,
    pub rarities: BTreeSet<String>,
}

/// Every set and card of one data folder.
pub struct Catalogue {
    dir: PathBuf,
    sets: Vec<Record>,
    cards: Vec<Card>,
    set_cards: Vec<Range<usize>>,
    set_positions: HashMap<String, usize>,
    card_positions: HashMap<String, usize>,
    set_fields: BTreeSet<String>,
    card_fields: BTreeSet<String>,
    vocabulary: Vocabulary,
    image_paths: HashSet<String>,
}

impl fmt::Debug for Catalogue {
    /// Summarises the catalogue; printing 20,000 cards would bury any message that includes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Catalogue")
            .field("dir", &self.dir)
            .field("sets", &self.sets.len())
            .field("cards", &self.cards.len())
            .finish_non_exhaustive()
    }
}

impl Catalogue {
    /// Loads `sets/en.json` and every `cards/en/<set id>.json` of a pokemon-tcg-data folder.
    ///
    /// Reading and parsing run on a few threads; this blocks, so call it from
    /// `tokio::task::spawn_blocking` inside a runtime.
    pub fn load(dir: impl AsRef<Path>) -> Result<Catalogue, crate::Error> {
        load::load(dir.as_ref())
    }

    /// Returns the folder the catalogue was loaded from.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Returns the sets, in the order of `sets/en.json`.
    pub fn sets(&self) -> &[Record] {
        &self.sets
    }

    /// Returns the cards, grouped by set in set order.
    pub fn cards(&self) -> &[Card] {
        &self.cards
    }

    /// Returns the positions of the cards of the set at `set_position`.
    pub fn cards_of_set(&self, set_position: usize) -> Range<usize> {
        self.set_cards.get(set_position).cloned().unwrap_or(0..0)
    }

    /// Returns the position of the set with this exact id.
    pub fn set_position(&self, id: &str) -> Option<usize> {
        self.set_positions.get(id).copied()
    }

    /// Returns the position of the card with this exact id.
    pub fn card_position(&self, id: &str) -> Option<usize> {
        self.card_positions.get(id).copied()
    }

    /// Returns the set a card belongs to.
    pub fn set_of(&self, card: &Card) -> &Record {
        &self.sets[card.set]
    }

    /// Returns the top-level member names that occur in at least one set.
    pub fn set_fields(&self) -> &BTreeSet<String> {
        &self.set_fields
    }

    /// Returns the top-level member names that occur in at least one card of the data.
    ///
    /// Served cards also have `set`, `tcgplayer` and `cardmarket`, which the data lacks.
    pub fn card_fields(&self) -> &BTreeSet<String> {
        &self.card_fields
    }

    /// Returns the values served by `/v2/types`, `/v2/subtypes`, `/v2/supertypes` and
    /// `/v2/rarities`.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// Returns whether an image path occurs in the data. The path is an image URL's path
    /// without the leading slash, e.g. `xy7/96.png`.
    pub fn has_image(&self, path: &str) -> bool {
        self.image_paths.contains(path)
    }
}
