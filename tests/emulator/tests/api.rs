//! The `/v2` endpoints against the real shared data, over loopback HTTP.

mod common;

use std::collections::HashSet;

use common::{assert_error, client, get_json, get_list, ids, start_default};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn sets_lists_all_171() {
    let emulator = start_default().await;
    let (status, body) = get_json(&emulator, "/sets").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"].as_array().map(Vec::len), Some(171));
    assert_eq!(body["totalCount"], 171);
    assert_eq!(body["count"], 171);
    assert_eq!(body["page"], 1);
    assert_eq!(body["pageSize"], 250);
    let first = &body["data"][0];
    assert_eq!(first["id"], "base1");
    let symbol = first["images"]["symbol"].as_str().expect("symbol URL");
    assert!(
        symbol.starts_with(&emulator.base_url().replace("/v2", "/images/")),
        "{symbol}"
    );
}

#[tokio::test]
async fn set_by_id_returns_data_object() {
    let emulator = start_default().await;
    let (status, body) = get_json(&emulator, "/sets/swsh4").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["id"], "swsh4");
    assert_eq!(body["data"]["name"], "Vivid Voltage");
}

#[tokio::test]
async fn swshp_pages_250_then_54() {
    let emulator = start_default().await;
    let origin = emulator.base_url().trim_end_matches("/v2").to_owned();
    let mut seen = HashSet::new();
    for (page, expected) in [(1, 250), (2, 54)] {
        let path = format!("/cards?q=set.id:swshp&pageSize=250&page={page}&orderBy=number");
        let (status, body) = get_json(&emulator, &path).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["totalCount"], 304, "page {page}");
        assert_eq!(body["count"], expected, "page {page}");
        let cards = body["data"].as_array().expect("data array");
        assert_eq!(cards.len(), expected, "page {page}");
        for card in cards {
            assert_eq!(card["set"]["id"], "swshp", "{}", card["id"]);
            assert_eq!(card["set"]["name"], "SWSH Black Star Promos");
            for size in ["small", "large"] {
                let url = card["images"][size].as_str().expect("image URL");
                assert!(url.starts_with(&format!("{origin}/images/")), "{url}");
            }
            let symbol = card["set"]["images"]["symbol"]
                .as_str()
                .expect("set symbol");
            assert!(symbol.starts_with(&format!("{origin}/images/")), "{symbol}");
            seen.insert(card["id"].as_str().expect("id").to_owned());
        }
    }
    assert_eq!(seen.len(), 304);
}

#[tokio::test]
async fn page_past_end_is_empty() {
    let emulator = start_default().await;
    let (status, body) = get_json(&emulator, "/cards?q=set.id:swshp&page=3").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"], Value::Array(Vec::new()));
    assert_eq!(body["count"], 0);
    assert_eq!(body["totalCount"], 304);
    assert_eq!(body["page"], 3);
}

#[tokio::test]
async fn card_by_id_is_primal_kyogre() {
    let emulator = start_default().await;
    let (status, body) = get_json(&emulator, "/cards/xy7-96").await;
    assert_eq!(status, StatusCode::OK);
    let card = &body["data"];
    assert_eq!(card["name"], "Primal Kyogre-EX");
    assert_eq!(card["hp"], "240");
    assert_eq!(card["set"]["id"], "xy7");
    assert_eq!(card["set"]["name"], "Ancient Origins");
    assert_eq!(
        card["cardmarket"]["url"],
        "https://prices.pokemontcg.io/cardmarket/xy7-96"
    );
}

#[tokio::test]
async fn all_cards_total_20078() {
    let emulator = start_default().await;
    let (status, body) = get_json(&emulator, "/cards?pageSize=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["totalCount"], 20_078);
    assert_eq!(body["count"], 1);
}

#[tokio::test]
async fn unknown_ids_and_paths_are_404() {
    let emulator = start_default().await;
    for path in [
        "/cards/xy7-999",
        "/sets/nope",
        "/nothing",
        "/cards/xy7-96/extra",
    ] {
        let (status, body) = get_json(&emulator, path).await;
        assert_error(status, &body, StatusCode::NOT_FOUND);
    }
    let outside = emulator.base_url().replace("/v2", "/v3/cards");
    let response = client().get(&outside).send().await.expect("request");
    let status = response.status();
    let body: Value = response.json().await.expect("JSON body");
    assert_error(status, &body, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_parameters_are_400() {
    let emulator = start_default().await;
    let cases = [
        "/cards?q=charizard",
        "/cards?q=name:(charizard",
        "/cards?q=name:",
        "/cards?q=nme:charizard",
        "/cards?q=hp:[1%20TO",
        "/cards?orderBy=",
        "/cards?orderBy=-nope",
        "/cards?orderBy=number,,name",
        "/cards?select=",
        "/cards?select=set.id",
        "/cards?pageSize=0",
        "/cards?pageSize=251",
        "/cards?page=0",
        "/cards?page=x",
        "/sets?q=series:",
        "/sets?q=tcgplayer.url:x",
        "/cards/xy7-96?select=id,,name",
    ];
    for path in cases {
        let (status, body) = get_json(&emulator, path).await;
        assert_error(status, &body, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn bad_query_message_names_problem() {
    let emulator = start_default().await;
    let (_, body) = get_json(&emulator, "/cards?q=nme:pikachu").await;
    let message = body["error"]["message"].as_str().unwrap_or("");
    assert!(message.contains("nme"), "{message}");
}

#[tokio::test]
async fn wrong_method_is_405() {
    let emulator = start_default().await;
    let url = format!("{}/cards", emulator.base_url());
    let response = client().post(&url).send().await.expect("request");
    let status = response.status();
    let body: Value = response.json().await.expect("JSON body");
    assert_error(status, &body, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn select_returns_only_named_keys() {
    let emulator = start_default().await;
    let cards = get_list(&emulator, "/cards?q=set.id:xy7&select=id,tcgplayer").await;
    assert_eq!(cards.len(), 101);
    let mut with_prices = 0;
    for card in &cards {
        let keys: HashSet<&str> = card
            .as_object()
            .expect("card object")
            .keys()
            .map(String::as_str)
            .collect();
        assert!(keys.contains("id"), "{card}");
        assert!(
            keys.is_subset(&HashSet::from(["id", "tcgplayer"])),
            "{keys:?}"
        );
        with_prices += usize::from(keys.contains("tcgplayer"));
    }
    assert!(
        with_prices >= 90,
        "only {with_prices} of 101 cards have tcgplayer"
    );

    let (_, body) = get_json(&emulator, "/cards/xy7-96?select=name,id").await;
    let keys: Vec<&String> = body["data"].as_object().expect("object").keys().collect();
    assert_eq!(keys, ["id", "name"]);

    let sets = get_list(&emulator, "/sets?select=id,releaseDate").await;
    let keys: Vec<&String> = sets[0].as_object().expect("object").keys().collect();
    assert_eq!(keys, ["id", "releaseDate"]);
}

#[tokio::test]
async fn order_by_number_both_ways() {
    let emulator = start_default().await;
    let ascending = get_list(&emulator, "/cards?q=set.id:base1&orderBy=number").await;
    let numbers: Vec<u32> = ascending
        .iter()
        .map(|card| {
            card["number"]
                .as_str()
                .and_then(|n| n.parse().ok())
                .expect("numeric")
        })
        .collect();
    assert_eq!(numbers, (1..=102).collect::<Vec<u32>>());

    let descending = get_list(&emulator, "/cards?q=set.id:base1&orderBy=-number").await;
    let mut reversed = ids(&descending);
    reversed.reverse();
    assert_eq!(reversed, ids(&ascending));
}

#[tokio::test]
async fn order_by_two_fields_with_missing_last() {
    let emulator = start_default().await;
    let cards = get_list(&emulator, "/cards?q=set.id:sv1&orderBy=-hp,number").await;
    let hps: Vec<Option<u32>> = cards
        .iter()
        .map(|card| card["hp"].as_str().and_then(|hp| hp.parse().ok()))
        .collect();
    let present: Vec<u32> = hps.iter().map_while(|hp| *hp).collect();
    assert!(
        present.len() > 100,
        "only {} cards with hp first",
        present.len()
    );
    assert!(
        present.windows(2).all(|pair| pair[0] >= pair[1]),
        "{present:?}"
    );
    assert!(
        hps[present.len()..].iter().all(Option::is_none),
        "hp after missing hp"
    );
}

#[tokio::test]
async fn order_by_set_release_date() {
    let emulator = start_default().await;
    let sets = get_list(&emulator, "/sets?orderBy=-releaseDate").await;
    let dates: Vec<&str> = sets
        .iter()
        .map(|set| set["releaseDate"].as_str().expect("date"))
        .collect();
    assert!(dates.windows(2).all(|pair| pair[0] >= pair[1]), "{dates:?}");
}

#[tokio::test]
async fn query_forms_filter_cards() {
    let emulator = start_default().await;

    let phrase = get_list(&emulator, "/cards?q=name:%22venusaur%20v%22").await;
    assert!(!phrase.is_empty());
    for card in &phrase {
        let name = card["name"].as_str().unwrap_or("").to_lowercase();
        assert!(name.contains("venusaur v"), "{name}");
        assert!(!name.contains("vmax"), "{name}");
    }

    let exact = get_list(&emulator, "/cards?q=!name:charizard").await;
    assert!(!exact.is_empty());
    assert!(exact.iter().all(|card| card["name"] == "Charizard"));

    let wildcard = get_list(&emulator, "/cards?q=name:char*%20set.id:base1").await;
    let names: HashSet<&str> = wildcard
        .iter()
        .filter_map(|card| card["name"].as_str())
        .collect();
    assert_eq!(
        names,
        HashSet::from(["Charizard", "Charmander", "Charmeleon"])
    );

    let not_water = get_list(&emulator, "/cards?q=set.id:xy7%20-types:water").await;
    assert!(!not_water.is_empty());
    for card in &not_water {
        let types = card["types"].as_array().cloned().unwrap_or_default();
        assert!(!types.contains(&Value::from("Water")), "{}", card["id"]);
    }

    let range = get_list(
        &emulator,
        "/cards?q=set.id:xy7%20nationalPokedexNumbers:[1%20TO%20151]",
    )
    .await;
    assert!(!range.is_empty());
    for card in &range {
        let numbers = card["nationalPokedexNumbers"].as_array().expect("numbers");
        assert!(
            numbers
                .iter()
                .any(|n| n.as_u64().is_some_and(|n| (1..=151).contains(&n)))
        );
    }

    let either = get_list(
        &emulator,
        "/cards?q=(set.id:base1%20OR%20set.id:base2)%20supertype:trainer",
    )
    .await;
    let sets: HashSet<&str> = either
        .iter()
        .filter_map(|card| card["set"]["id"].as_str())
        .collect();
    assert_eq!(sets, HashSet::from(["base1", "base2"]));
    assert!(either.iter().all(|card| card["supertype"] == "Trainer"));
}

#[tokio::test]
async fn set_index_matches_full_scan() {
    let emulator = start_default().await;
    let mut indexed = Vec::new();
    let mut scanned = Vec::new();
    for page in [1, 2] {
        let path = format!("/cards?q=set.id:sm11&orderBy=number&page={page}");
        indexed.extend(get_list(&emulator, &path).await);
        // An OR with a term outside `set` cannot use the set index, so this scans every card.
        let path = format!("/cards?q=set.id:sm11%20OR%20id:none-0&orderBy=number&page={page}");
        scanned.extend(get_list(&emulator, &path).await);
    }
    assert_eq!(indexed.len(), 261);
    assert_eq!(ids(&indexed), ids(&scanned));
}

#[tokio::test]
async fn vocabularies_come_from_data() {
    let emulator = start_default().await;
    let (status, supertypes) = get_json(&emulator, "/supertypes").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        supertypes["data"],
        serde_json::json!(["Energy", "Pokémon", "Trainer"])
    );

    let (_, types) = get_json(&emulator, "/types").await;
    let types: Vec<&str> = types["data"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(types.contains(&"Water"));
    assert!(types.windows(2).all(|pair| pair[0] < pair[1]), "{types:?}");

    let (_, rarities) = get_json(&emulator, "/rarities").await;
    let rarities = rarities["data"].as_array().expect("array");
    assert!(rarities.contains(&Value::from("MEGA_ATTACK_RARE")));
    assert!(rarities.contains(&Value::from("Rare Holo")));

    let (_, subtypes) = get_json(&emulator, "/subtypes").await;
    assert!(
        subtypes["data"]
            .as_array()
            .expect("array")
            .contains(&Value::from("Basic"))
    );
}

#[tokio::test]
async fn images_are_served_as_png() {
    let emulator = start_default().await;
    let (_, body) = get_json(&emulator, "/cards/xy7-96").await;
    let small = body["data"]["images"]["small"]
        .as_str()
        .expect("small URL")
        .to_owned();
    let response = client().get(&small).send().await.expect("image request");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/png");
    let tag = response.headers()["etag"].clone();
    let bytes = response.bytes().await.expect("image body");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));

    let revalidated = client()
        .get(&small)
        .header("if-none-match", tag)
        .send()
        .await
        .expect("conditional request");
    assert_eq!(revalidated.status(), StatusCode::NOT_MODIFIED);

    let missing = small.replace("96.png", "9999.png");
    let response = client().get(&missing).send().await.expect("image request");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn images_switch_off_and_on() {
    let emulator = start_default().await;
    let (_, body) = get_json(&emulator, "/cards/xy7-96").await;
    let small = body["data"]["images"]["small"]
        .as_str()
        .expect("small URL")
        .to_owned();
    let admin = emulator.base_url().replace("/v2", "/admin/images");

    let switched = client()
        .post(&admin)
        .json(&serde_json::json!({"available": false}))
        .send()
        .await
        .expect("admin request");
    assert_eq!(switched.status(), StatusCode::OK);
    let response = client().get(&small).send().await.expect("image request");
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let (status, _) = get_json(&emulator, "/cards/xy7-96").await;
    assert_eq!(status, StatusCode::OK, "the API stays up without images");

    client()
        .post(&admin)
        .json(&serde_json::json!({"available": true}))
        .send()
        .await
        .expect("admin request");
    let response = client().get(&small).send().await.expect("image request");
    assert_eq!(response.status(), StatusCode::OK);

    let rejected = client()
        .post(&admin)
        .json(&serde_json::json!({"available": "no"}))
        .send()
        .await
        .expect("admin request");
    assert_eq!(rejected.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn request_count_covers_only_v2() {
    let emulator = start_default().await;
    get_json(&emulator, "/sets/base1").await;
    get_json(&emulator, "/cards/xy7-96").await;
    get_json(&emulator, "/cards/missing-1").await;
    let (_, body) = get_json(&emulator, "/sets/xy7").await;
    let symbol = body["data"]["images"]["symbol"]
        .as_str()
        .expect("symbol")
        .to_owned();
    client().get(&symbol).send().await.expect("image request");
    let admin = emulator.base_url().replace("/v2", "/admin/price-date");
    client()
        .post(&admin)
        .json(&serde_json::json!({"date": "2026/12/02"}))
        .send()
        .await
        .expect("admin request");
    assert_eq!(emulator.request_count(), 4);
}

#[tokio::test]
async fn shutdown_closes_port() {
    let emulator = start_default().await;
    let url = format!("{}/sets/base1", emulator.base_url());
    assert!(client().get(&url).send().await.is_ok());
    emulator.shutdown().await.expect("clean shutdown");
    assert!(client().get(&url).send().await.is_err());
}
