//! Records and sample files shared by the format tests.

use crate::collection::record::{Condition, EntryRecord, ParsedFile};

pub fn some(text: &str) -> Option<String> {
    Some(text.to_owned())
}

/// Returns the bytes of a sample file in `tests/fixtures/collection`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/collection")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()))
}

/// Returns the records of a file that has no row errors.
pub fn records_of(file: &ParsedFile) -> Vec<EntryRecord> {
    file.rows
        .iter()
        .map(|row| match &row.record {
            Ok(record) => record.clone(),
            Err(error) => panic!("line {}: {error}", row.line),
        })
        .collect()
}

/// Returns the records in `holo.csv` and `holo.json`, in file order.
pub fn sample_records() -> Vec<EntryRecord> {
    vec![
        EntryRecord {
            card_id: some("swsh10-190"),
            set_id: some("swsh10"),
            set_name: some("Astral Radiance"),
            set_code: some("ASR"),
            number: some("190"),
            card_name: some("Hisuian Lilligant VSTAR"),
            rarity: some("Rare Rainbow"),
            variation_type: some("VSTAR"),
            treatment: some("Rainbow Rare"),
            printing: some("Holofoil"),
            purchase_price_cents: Some(4500),
            purchase_currency: some("USD"),
            market_price_cents: Some(3812),
            market_price_date: some("2024-05-01"),
            added_at: some("2024-05-02T18:30:00.000Z"),
            note: some("Pulled from a booster, the \"first hit\""),
            ..EntryRecord::new()
        },
        EntryRecord {
            card_id: some("swsh10-46"),
            set_id: some("swsh10"),
            set_name: some("Astral Radiance"),
            set_code: some("ASR"),
            number: some("46"),
            card_name: some("Radiant Greninja"),
            rarity: some("Radiant Rare"),
            variation_type: some("Radiant"),
            treatment: some("Holofoil"),
            printing: some("Holofoil"),
            quantity: 3,
            condition: Condition::LightlyPlayed,
            purchase_price_cents: Some(1250),
            purchase_currency: some("USD"),
            added_at: some("2024-05-02T18:31:00.000Z"),
            ..EntryRecord::new()
        },
        EntryRecord {
            card_id: some("base1-4"),
            set_id: some("base1"),
            set_name: some("Base"),
            set_code: some("BS"),
            number: some("4"),
            card_name: some("Charizard"),
            rarity: some("Rare Holo"),
            variation_type: some("Standard"),
            treatment: some("Holofoil"),
            printing: some("Holofoil"),
            grade_company: some("PSA"),
            grade: some("9"),
            purchase_price_cents: Some(125_000),
            purchase_currency: some("USD"),
            market_price_cents: Some(141_055),
            market_price_date: some("2024-05-01"),
            added_at: some("2023-11-18"),
            note: some("Bought at a regional.\nThe slab has a scratch."),
            ..EntryRecord::new()
        },
        EntryRecord {
            card_id: some("sv3pt5-199"),
            set_id: some("sv3pt5"),
            set_name: some("151"),
            set_code: some("MEW"),
            number: some("199"),
            card_name: some("Charizard ex"),
            rarity: some("Special Illustration Rare"),
            variation_type: some("ex"),
            treatment: some("Special Illustration Rare"),
            printing: some("Holofoil"),
            quantity: 0,
            market_price_cents: Some(11_240),
            market_price_date: some("2024-05-01"),
            added_at: some("2024-04-20T09:00:00.000Z"),
            note: some("Wait for a price under $100"),
            wishlist: true,
            ..EntryRecord::new()
        },
        EntryRecord {
            card_id: some("xy2-62"),
            set_id: some("xy2"),
            set_name: some("Flashfire"),
            set_code: some("FLF"),
            number: some("62"),
            card_name: some("Flabébé"),
            rarity: some("Common"),
            variation_type: some("Standard"),
            treatment: some("Reverse Holofoil"),
            printing: some("Reverse Holofoil"),
            quantity: 4,
            condition: Condition::ModeratelyPlayed,
            purchase_price_cents: Some(25),
            purchase_currency: some("USD"),
            market_price_cents: Some(30),
            market_price_date: some("2024-05-01"),
            added_at: some("2024-03-01"),
            ..EntryRecord::new()
        },
        EntryRecord {
            card_id: some("base1-27"),
            set_id: some("base1"),
            set_name: some("Base"),
            set_code: some("BS"),
            number: some("27"),
            card_name: some("Farfetch'd"),
            rarity: some("Uncommon"),
            variation_type: some("Standard"),
            treatment: some("Normal"),
            printing: some("Normal"),
            quantity: 2,
            condition: Condition::Damaged,
            language: "French".to_owned(),
            note: some("Trade binder"),
            ..EntryRecord::new()
        },
        EntryRecord {
            card_id: some("sv2-254"),
            set_id: some("sv2"),
            set_name: some("Paldea Evolved"),
            set_code: some("PAL"),
            number: some("254"),
            card_name: some("Iono"),
            rarity: some("Ultra Rare"),
            variation_type: some("Standard"),
            treatment: some("Ultra Rare"),
            printing: some("Holofoil"),
            language: "Japanese".to_owned(),
            purchase_price_cents: Some(350),
            purchase_currency: some("EUR"),
            market_price_cents: Some(410),
            market_price_date: some("2024-05-01"),
            added_at: some("2024-05-03"),
            ..EntryRecord::new()
        },
        // A made-up card, which the catalogue cannot match.
        EntryRecord {
            set_id: some("swsh10"),
            set_name: some("Astral Radiance"),
            set_code: some("ASR"),
            number: some("999"),
            card_name: some("Hisuian Pikachu VSTAR"),
            note: some("Made-up card: matches nothing in the catalogue"),
            ..EntryRecord::new()
        },
    ]
}

/// Records whose text needs quoting or escaping in every format: separators, quotes, line
/// breaks, accents and symbols, plus a record with every optional field empty.
pub fn tricky_records() -> Vec<EntryRecord> {
    vec![
        EntryRecord {
            card_id: some("xy2-62"),
            set_name: some("Flashfire"),
            number: some("62"),
            card_name: some("Flabébé"),
            note: some("one, two; \"three\"\nfour\r\nfive\ttab, and a \\ backslash"),
            purchase_price_cents: Some(123_456_789),
            purchase_currency: some("JPY"),
            ..EntryRecord::new()
        },
        EntryRecord {
            card_name: some("Nidoran ♂"),
            set_name: some("Base, \"Unlimited\""),
            number: some("55/102"),
            grade_company: some("CGC"),
            grade: some("9.5"),
            condition: Condition::HeavilyPlayed,
            language: "Français".to_owned(),
            added_at: some("2024-05-01T10:00:00+02:00"),
            market_price_cents: Some(0),
            ..EntryRecord::new()
        },
        EntryRecord {
            card_id: some("swsh10-190"),
            ..EntryRecord::new()
        },
        EntryRecord {
            card_name: some("=SUM(A1:A2)"),
            note: some("#, leading hash and 'quotes'"),
            quantity: u32::MAX,
            wishlist: true,
            ..EntryRecord::new()
        },
    ]
}
