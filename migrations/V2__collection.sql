-- The collection's second schema: the wishlist, one row per kind of copy, and a mark on
-- variations a card no longer has.

-- A sync marks a variation that the card's latest data no longer derives (a printing the API
-- dropped, a treatment renamed) instead of deleting it, so entries that point at it keep their
-- row. The sync moves those entries to the card's matching current variation where it can, and
-- clears the mark if the variation comes back. NULL while the card has the variation.
ALTER TABLE card_variations ADD COLUMN retired_at TEXT;

-- The variations the collector wants, one row each.
CREATE TABLE wishlist (
    variation_id INTEGER PRIMARY KEY REFERENCES card_variations (id) ON DELETE RESTRICT,
    added_at     TEXT NOT NULL
) STRICT;

-- An entry's identity: two copies of one variation in the same condition, grade and language
-- are one row with a quantity of 2. A missing grade counts as the empty grade, because a unique
-- index treats every NULL as distinct. Also serves every lookup of a variation's entries, so
-- the older index on `variation_id` alone is dropped.
CREATE UNIQUE INDEX collection_entries_identity ON collection_entries (
    variation_id, condition, ifnull(grade_company, ''), ifnull(grade, ''), language
);
DROP INDEX collection_entries_by_variation;
