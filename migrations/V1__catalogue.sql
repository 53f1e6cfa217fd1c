-- The catalogue synced from the Pokémon TCG API, the collector's own collection, and the record
-- of every sync run. Released migrations are never edited: change the schema in a new file.
--
-- Timestamps are UTC text in RFC 3339 with milliseconds (`2026-12-04T15:52:07.123Z`). Dates that
-- come from the API keep its own `YYYY/MM/DD` form in the JSON and are stored as `YYYY-MM-DD`
-- in the columns that are queried.

-- One row per set, keyed by the API's set id (`swsh10`).
CREATE TABLE sets (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    series         TEXT NOT NULL,
    printed_total  INTEGER,
    total          INTEGER,
    ptcgo_code     TEXT,
    release_date   TEXT NOT NULL,
    api_updated_at TEXT,
    symbol_url     TEXT,
    logo_url       TEXT,
    -- The set object exactly as the API returned it, so fields Holo does not read yet survive.
    data           TEXT NOT NULL,
    -- How many times a sync changed this row: 0 after the insert.
    revision       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    changed_at     TEXT NOT NULL,
    -- When a complete set list stopped listing the set; NULL while the API lists it. Sets are
    -- never deleted, so a collection that points at their cards keeps its entries.
    delisted_at    TEXT
) STRICT;

-- Serves the set list, newest first within each series.
CREATE INDEX sets_by_series_release ON sets (series, release_date);

-- One row per card, keyed by the API's card id (`swsh10-190`).
CREATE TABLE cards (
    id          TEXT PRIMARY KEY,
    set_id      TEXT NOT NULL REFERENCES sets (id) ON DELETE RESTRICT,
    name        TEXT NOT NULL,
    number      TEXT NOT NULL,
    -- A key whose byte order is the natural order of `number` (2 < 10 < 10a < TG01).
    number_sort TEXT NOT NULL,
    supertype   TEXT NOT NULL,
    subtypes    TEXT NOT NULL DEFAULT '[]',
    rarity      TEXT,
    image_small TEXT,
    image_large TEXT,
    -- The card object as the API returned it, with two parts moved to their own tables: the
    -- embedded `set` object (see `sets.data`) and the `tcgplayer` and `cardmarket` price blocks
    -- (see `price_snapshots`). Keys are sorted, so equal content is equal text.
    data        TEXT NOT NULL,
    revision    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    -- When a complete fetch of the card's set stopped returning it; NULL while listed.
    delisted_at TEXT
) STRICT;

-- Serves a set's card grid in natural number order.
CREATE INDEX cards_by_set_number ON cards (set_id, number_sort);

-- Full-text search over card names. `remove_diacritics` lets "pokemon" find "Pokémon", and the
-- prefix indexes keep search-as-you-type fast from the second letter on.
CREATE VIRTUAL TABLE cards_search USING fts5 (
    name,
    content = 'cards',
    content_rowid = 'rowid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

-- The triggers keep the search index in the same transaction as the card rows. An upsert that
-- finds nothing to change fires no trigger, so an unchanged card costs no index write.
CREATE TRIGGER cards_search_after_insert AFTER INSERT ON cards BEGIN
    INSERT INTO cards_search (rowid, name) VALUES (new.rowid, new.name);
END;

CREATE TRIGGER cards_search_after_delete AFTER DELETE ON cards BEGIN
    INSERT INTO cards_search (cards_search, rowid, name) VALUES ('delete', old.rowid, old.name);
END;

CREATE TRIGGER cards_search_after_update AFTER UPDATE OF name ON cards BEGIN
    INSERT INTO cards_search (cards_search, rowid, name) VALUES ('delete', old.rowid, old.name);
    INSERT INTO cards_search (rowid, name) VALUES (new.rowid, new.name);
END;

-- The printings a collector can own of one card. `variation_type` is the card's mechanic class
-- (V, VSTAR, EX, ...) and `treatment` the printing or rarity treatment (Reverse Holofoil,
-- Secret Rare, ...). The id never changes once given, because the upsert updates in place.
CREATE TABLE card_variations (
    id             INTEGER PRIMARY KEY,
    card_id        TEXT NOT NULL REFERENCES cards (id) ON DELETE RESTRICT,
    variation_type TEXT NOT NULL,
    treatment      TEXT NOT NULL,
    -- The key under `tcgplayer.prices` that prices this variation (`reverseHolofoil`), or NULL
    -- when the API lists no prices for the card.
    printing       TEXT,
    -- Display order among the card's variations, starting at 0.
    position       INTEGER NOT NULL,
    revision       INTEGER NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL,
    changed_at     TEXT NOT NULL,
    UNIQUE (card_id, variation_type, treatment)
) STRICT;

-- A card's prices as one source published them on one date. A sync adds a row when the
-- source's date moves, so the rows of a card form its price history.
CREATE TABLE price_snapshots (
    id          INTEGER PRIMARY KEY,
    card_id     TEXT NOT NULL REFERENCES cards (id) ON DELETE RESTRICT,
    source      TEXT NOT NULL CHECK (source IN ('tcgplayer', 'cardmarket')),
    price_date  TEXT NOT NULL,
    url         TEXT,
    -- The block's `prices` object as the API returned it.
    prices      TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (card_id, source, price_date)
) STRICT;

-- What the collector owns: one row per variation and condition (and grade, language). A sync
-- never writes this table, and the RESTRICT foreign keys stop any delete of a card or a
-- variation that an entry points at.
CREATE TABLE collection_entries (
    id                   INTEGER PRIMARY KEY,
    variation_id         INTEGER NOT NULL REFERENCES card_variations (id) ON DELETE RESTRICT,
    quantity             INTEGER NOT NULL CHECK (quantity > 0),
    condition            TEXT NOT NULL DEFAULT 'Near Mint' CHECK (condition IN (
        'Near Mint', 'Lightly Played', 'Moderately Played', 'Heavily Played', 'Damaged'
    )),
    grade_company        TEXT,
    grade                TEXT,
    language             TEXT NOT NULL DEFAULT 'English',
    purchase_price_cents INTEGER,
    purchase_currency    TEXT,
    added_at             TEXT NOT NULL,
    note                 TEXT
) STRICT;

CREATE INDEX collection_entries_by_variation ON collection_entries (variation_id);

-- One row per sync run. `status` is `running` until the run ends; a run left `running` by a
-- killed process is marked `failed` by the next sync.
CREATE TABLE sync_runs (
    id          TEXT PRIMARY KEY,
    status      TEXT NOT NULL CHECK (status IN (
        'running', 'succeeded', 'partial', 'failed', 'cancelled'
    )),
    api_url     TEXT NOT NULL,
    pid         INTEGER NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    -- The run's final summary as JSON (counts, requests, duration); NULL while it runs.
    summary     TEXT
) STRICT;

CREATE INDEX sync_runs_by_start ON sync_runs (started_at);

-- What one run did to one set. `set_id` has no foreign key because a set whose fetch failed
-- may never have reached the `sets` table.
CREATE TABLE sync_set_results (
    run_id               TEXT NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    set_id               TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('succeeded', 'partial', 'failed')),
    api_total_count      INTEGER,
    cards_seen           INTEGER NOT NULL,
    cards_inserted       INTEGER NOT NULL,
    cards_updated        INTEGER NOT NULL,
    cards_unchanged      INTEGER NOT NULL,
    cards_failed         INTEGER NOT NULL,
    variations_inserted  INTEGER NOT NULL,
    variations_updated   INTEGER NOT NULL,
    variations_unchanged INTEGER NOT NULL,
    prices_recorded      INTEGER NOT NULL,
    finished_at          TEXT NOT NULL,
    PRIMARY KEY (run_id, set_id)
) STRICT;

-- Every error a run met, so that a run's report can list them all.
CREATE TABLE sync_errors (
    id          INTEGER PRIMARY KEY,
    run_id      TEXT NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    set_id      TEXT,
    card_id     TEXT,
    kind        TEXT NOT NULL,
    message     TEXT NOT NULL,
    recorded_at TEXT NOT NULL
) STRICT;

CREATE INDEX sync_errors_by_run ON sync_errors (run_id);

-- Small facts the sync keeps between runs, such as when prices were last refreshed.
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
