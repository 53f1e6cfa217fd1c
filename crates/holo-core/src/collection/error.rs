//! The collection's error type.

/// An error of a collection read or write. [`CollectionError::code`] gives a stable code the
/// app can branch on; the message is for people.
#[derive(Debug, thiserror::Error)]
pub enum CollectionError {
    #[error("card {0} not found; check the id, or sync the catalogue first")]
    CardNotFound(String),

    #[error(
        "card {card_id} has no variation {requested:?}; its variations are: {}",
        available.join(", ")
    )]
    VariationNotFound {
        card_id: String,
        requested: String,
        /// The card's variations as `TYPE/TREATMENT`, in display order.
        available: Vec<String>,
    },

    #[error(
        "variation {requested:?} of card {card_id} is ambiguous: it matches {}; \
         give it as TYPE/TREATMENT",
        matches.join(", ")
    )]
    AmbiguousVariation {
        card_id: String,
        requested: String,
        matches: Vec<String>,
    },

    #[error("invalid quantity {quantity}: {reason}")]
    InvalidQuantity { quantity: i64, reason: &'static str },

    #[error("invalid entry: {0}")]
    InvalidEntry(String),

    #[error("card {card_id} has no entry {variation}, {kind}; nothing to update")]
    EntryNotFound {
        card_id: String,
        /// `TYPE/TREATMENT`.
        variation: String,
        /// Condition, grade and language, as in `Near Mint, English`.
        kind: String,
    },

    #[error(
        "the collection changed since the import was planned (entry of card {card_id} has \
         {found} copies, the plan expected {expected}); plan the import again"
    )]
    PlanOutdated {
        card_id: String,
        expected: u32,
        found: u32,
    },

    #[error(transparent)]
    File(#[from] super::files::FileError),

    #[error(transparent)]
    Database(#[from] crate::Error),
}

impl CollectionError {
    /// Returns a short stable code for the kind of error (`card_not_found`), for callers that branch
    /// on it.
    pub fn code(&self) -> &'static str {
        match self {
            CollectionError::CardNotFound(_) => "card_not_found",
            CollectionError::VariationNotFound { .. } => "variation_not_found",
            CollectionError::AmbiguousVariation { .. } => "ambiguous_variation",
            CollectionError::InvalidQuantity { .. } => "invalid_quantity",
            CollectionError::InvalidEntry(_) => "invalid_entry",
            CollectionError::EntryNotFound { .. } => "entry_not_found",
            CollectionError::PlanOutdated { .. } => "plan_outdated",
            CollectionError::File(_) => "file",
            CollectionError::Database(_) => "database",
        }
    }
}

impl From<rusqlite::Error> for CollectionError {
    fn from(error: rusqlite::Error) -> Self {
        CollectionError::Database(crate::Error::Sqlite(error))
    }
}
