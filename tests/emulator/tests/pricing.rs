//! Price blocks over HTTP: determinism, the price date, and printings by era.

mod common;

use std::collections::HashSet;

use common::{assert_error, client, get_json, get_list, start_default};
use holo_emulator::pricing::FIRST_EDITION_SETS;
use reqwest::StatusCode;
use serde_json::Value;

const SWSH4_PRICES: &str = "/cards?q=set.id:swsh4&select=id,tcgplayer,cardmarket&orderBy=number";

#[tokio::test]
async fn prices_match_across_instances() {
    let first = start_default().await;
    let second = start_default().await;
    let a = get_list(&first, SWSH4_PRICES).await;
    let b = get_list(&second, SWSH4_PRICES).await;
    assert_eq!(a.len(), b.len());
    assert_eq!(a, b);
}

#[tokio::test]
async fn price_date_moves_prices() {
    let emulator = start_default().await;
    let before = get_list(&emulator, SWSH4_PRICES).await;
    assert!(
        before
            .iter()
            .all(|card| card["cardmarket"]["updatedAt"] == "2026/12/01")
    );

    emulator.set_price_date("2026/12/02").expect("valid date");
    let after = get_list(&emulator, SWSH4_PRICES).await;
    assert!(
        after
            .iter()
            .all(|card| card["cardmarket"]["updatedAt"] == "2026/12/02")
    );
    let tcgplayer_dates: HashSet<&Value> = after
        .iter()
        .filter_map(|card| card.get("tcgplayer"))
        .map(|block| &block["updatedAt"])
        .collect();
    assert_eq!(tcgplayer_dates, HashSet::from([&Value::from("2026/12/02")]));
    let changed = before
        .iter()
        .zip(&after)
        .filter(|(old, new)| old["cardmarket"]["prices"] != new["cardmarket"]["prices"])
        .count();
    assert!(
        changed * 10 >= before.len() * 9,
        "only {changed} of {} changed",
        before.len()
    );

    emulator.set_price_date("2026/12/01").expect("valid date");
    let back = get_list(&emulator, SWSH4_PRICES).await;
    assert_eq!(before, back);
}

#[tokio::test]
async fn admin_endpoint_sets_price_date() {
    let emulator = start_default().await;
    let url = emulator.base_url().replace("/v2", "/admin/price-date");
    let response = client()
        .post(&url)
        .json(&serde_json::json!({"date": "2027/01/15"}))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("JSON body");
    assert_eq!(body["data"]["priceDate"], "2027/01/15");
    assert_eq!(emulator.price_date().to_string(), "2027/01/15");
    let (_, card) = get_json(&emulator, "/cards/xy7-96").await;
    assert_eq!(card["data"]["cardmarket"]["updatedAt"], "2027/01/15");

    for bad in [
        serde_json::json!({"date": "2027-01-15"}),
        serde_json::json!({"day": 1}),
    ] {
        let response = client()
            .post(&url)
            .json(&bad)
            .send()
            .await
            .expect("request");
        let status = response.status();
        let body: Value = response.json().await.expect("JSON body");
        assert_error(status, &body, StatusCode::BAD_REQUEST);
    }
    assert!(emulator.set_price_date("2027/02/30").is_err());
}

/// Fetches every card of the catalogue with its set and price blocks, page by page.
///
/// Without `orderBy` the emulator keeps the catalogue's order, which is stable between pages.
async fn all_cards(emulator: &holo_emulator::RunningEmulator) -> Vec<Value> {
    let mut cards = Vec::new();
    for page in 1.. {
        let path = format!("/cards?select=id,rarity,set,tcgplayer,cardmarket&page={page}");
        let batch = get_list(emulator, &path).await;
        if batch.is_empty() {
            break;
        }
        cards.extend(batch);
    }
    cards
}

fn printing_keys(card: &Value) -> Vec<String> {
    card["tcgplayer"]["prices"]
        .as_object()
        .map(|prices| prices.keys().cloned().collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn printings_follow_era_rules() {
    let emulator = start_default().await;
    let cards = all_cards(&emulator).await;
    assert_eq!(cards.len(), 20_078);
    let mut first_edition_sets = HashSet::new();
    for card in &cards {
        let set_id = card["set"]["id"].as_str().expect("set id");
        let release = card["set"]["releaseDate"].as_str().expect("release date");
        let keys = printing_keys(card);
        let first_edition = keys.iter().any(|key| key.starts_with("1stEdition"));
        let listed = FIRST_EDITION_SETS.contains(&set_id);
        if first_edition {
            first_edition_sets.insert(set_id.to_owned());
        }
        assert!(
            !first_edition || listed,
            "{}: 1st Edition in {set_id}",
            card["id"]
        );
        if listed && card.get("tcgplayer").is_some() {
            assert!(first_edition, "{}: no 1st Edition printing", card["id"]);
        }
        if keys.iter().any(|key| key == "reverseHolofoil") {
            assert!(
                release >= "2002/05/24",
                "{}: reverse holo in {release}",
                card["id"]
            );
        }
    }
    let expected: HashSet<String> = FIRST_EDITION_SETS
        .iter()
        .map(|id| (*id).to_owned())
        .collect();
    assert_eq!(first_edition_sets, expected);
}

#[tokio::test]
async fn chase_rarities_get_holofoil_only() {
    let emulator = start_default().await;
    let cards = get_list(&emulator, "/cards?q=set.id:sv3%20rarity:*%20-!rarity:common%20-!rarity:uncommon%20-!rarity:rare%20-!rarity:%22rare%20holo%22&select=id,rarity,tcgplayer").await;
    assert!(cards.len() > 50, "{} cards", cards.len());
    for card in cards.iter().filter(|card| card.get("tcgplayer").is_some()) {
        assert_eq!(
            printing_keys(card),
            ["holofoil"],
            "{} ({})",
            card["id"],
            card["rarity"]
        );
    }
    let commons = get_list(
        &emulator,
        "/cards?q=set.id:sv3%20!rarity:common&select=id,tcgplayer",
    )
    .await;
    assert!(!commons.is_empty());
    for card in commons
        .iter()
        .filter(|card| card.get("tcgplayer").is_some())
    {
        assert_eq!(
            printing_keys(card),
            ["normal", "reverseHolofoil"],
            "{}",
            card["id"]
        );
    }
}

#[tokio::test]
async fn some_blocks_and_prices_missing() {
    let emulator = start_default().await;
    let cards = all_cards(&emulator).await;
    let without = cards
        .iter()
        .filter(|card| card.get("tcgplayer").is_none())
        .count();
    let share = without as f64 / cards.len() as f64;
    assert!(
        (0.01..=0.03).contains(&share),
        "{without} of {} lack tcgplayer",
        cards.len()
    );
    assert!(cards.iter().all(|card| card.get("cardmarket").is_some()));
    let null_direct_low = cards
        .iter()
        .filter_map(|card| card["tcgplayer"]["prices"].as_object())
        .flat_map(|prices| prices.values())
        .filter(|printing| printing["directLow"].is_null())
        .count();
    assert!(
        null_direct_low > 1000,
        "{null_direct_low} null directLow prices"
    );
}

#[tokio::test]
async fn query_reads_computed_prices() {
    let emulator = start_default().await;
    let cards = get_list(
        &emulator,
        "/cards?q=set.id:sv3%20tcgplayer.prices.holofoil.market:[50%20TO%20*]&select=id,tcgplayer",
    )
    .await;
    assert!(!cards.is_empty());
    for card in &cards {
        let market = card["tcgplayer"]["prices"]["holofoil"]["market"]
            .as_f64()
            .expect("market");
        assert!(market >= 50.0, "{}: {market}", card["id"]);
    }
}
