//! Latency and every fault flag, over loopback HTTP.

mod common;

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{assert_error, client, config, get_json, get_list, start, start_default};
use holo_emulator::{ActiveData, Catalogue, EmulatorConfig, Error, FaultConfig, RunningEmulator};
use reqwest::StatusCode;
use serde_json::Value;

fn with_faults(faults: FaultConfig) -> EmulatorConfig {
    let mut config = config();
    config.faults = faults;
    config
}

#[tokio::test]
async fn latency_delays_without_blocking() {
    let latency = Duration::from_millis(1000);
    let mut config = config();
    config.latency = latency;
    let emulator = start(config).await;
    let started = Instant::now();
    get_json(&emulator, "/sets/base1").await;
    assert!(started.elapsed() >= latency, "{:?}", started.elapsed());

    let started = Instant::now();
    let (first, second) = tokio::join!(
        get_json(&emulator, "/sets/base1"),
        get_json(&emulator, "/sets/base2")
    );
    assert_eq!(first.0, StatusCode::OK);
    assert_eq!(second.0, StatusCode::OK);
    // One after the other would take at least two seconds; the margin absorbs a busy machine.
    assert!(
        started.elapsed() < latency * 19 / 10,
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn rate_limit_responds_429() {
    let emulator = start(with_faults(FaultConfig {
        rate_limit: Some(3),
        ..FaultConfig::default()
    }))
    .await;
    for _ in 0..3 {
        let (status, _) = get_json(&emulator, "/sets/base1").await;
        assert_eq!(status, StatusCode::OK);
    }
    let url = format!("{}/sets/base1", emulator.base_url());
    let response = client().get(&url).send().await.expect("request");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ASCII header")
        .parse()
        .expect("whole seconds");
    assert!((1..=60).contains(&retry_after), "Retry-After {retry_after}");
    let status = response.status();
    let body: Value = response.json().await.expect("JSON body");
    assert_error(status, &body, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(emulator.request_count(), 4);
}

#[tokio::test]
async fn error_rate_one_gives_json_and_html_5xx() {
    let emulator = start(with_faults(FaultConfig {
        error_rate: 1.0,
        ..FaultConfig::default()
    }))
    .await;
    let url = format!("{}/sets/base1", emulator.base_url());
    let mut statuses = HashSet::new();
    let (mut json, mut html) = (0, 0);
    for _ in 0..40 {
        let response = client().get(&url).send().await.expect("request");
        let status = response.status();
        statuses.insert(status.as_u16());
        let content_type = response.headers()["content-type"]
            .to_str()
            .expect("ASCII")
            .to_owned();
        let body = response.text().await.expect("body");
        if content_type.starts_with("text/html") {
            html += 1;
            assert!(body.contains(&status.as_u16().to_string()), "{body}");
        } else {
            json += 1;
            let body: Value = serde_json::from_str(&body).expect("JSON body");
            assert_error(status, &body, status);
        }
    }
    assert_eq!(statuses, HashSet::from([500, 502, 503, 504]));
    assert!(json > 0, "no JSON error among 40 responses");
    assert!(html > 0, "no HTML error page among 40 responses");
}

/// Returns the status of each of `count` sequential requests.
async fn status_sequence(emulator: &RunningEmulator, count: usize) -> Vec<u16> {
    let url = format!("{}/sets/base1", emulator.base_url());
    let mut statuses = Vec::with_capacity(count);
    for _ in 0..count {
        let response = client().get(&url).send().await.expect("request");
        statuses.push(response.status().as_u16());
    }
    statuses
}

#[tokio::test]
async fn faults_replay_from_seed() {
    let faults = |seed| FaultConfig {
        seed,
        error_rate: 0.5,
        ..FaultConfig::default()
    };
    let first = start(with_faults(faults(42))).await;
    let again = start(with_faults(faults(42))).await;
    let other = start(with_faults(faults(43))).await;
    let first = status_sequence(&first, 30).await;
    assert_eq!(first, status_sequence(&again, 30).await);
    assert_ne!(first, status_sequence(&other, 30).await);
    let failures = first.iter().filter(|status| **status >= 500).count();
    assert!(
        (5..=25).contains(&failures),
        "{failures} of 30 failed at rate 0.5"
    );
}

#[tokio::test]
async fn drop_rate_one_breaks_bodies() {
    let emulator = start(with_faults(FaultConfig {
        drop_rate: 1.0,
        ..FaultConfig::default()
    }))
    .await;
    let url = format!("{}/cards?q=set.id:xy7", emulator.base_url());
    for _ in 0..3 {
        let outcome = match client().get(&url).send().await {
            Ok(response) => response.bytes().await.map(|bytes| bytes.len()),
            Err(error) => Err(error),
        };
        assert!(
            outcome.is_err(),
            "a dropped response was read whole: {outcome:?}"
        );
    }
}

#[tokio::test]
async fn truncate_rate_one_cuts_json() {
    let emulator = start(with_faults(FaultConfig {
        truncate_rate: 1.0,
        ..FaultConfig::default()
    }))
    .await;
    let healthy = start_default().await;
    let path = "/cards?q=set.id:xy7";

    let full = client()
        .get(format!("{}{path}", healthy.base_url()))
        .send()
        .await
        .expect("request")
        .bytes()
        .await
        .expect("body");

    let response = client()
        .get(format!("{}{path}", emulator.base_url()))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let declared: usize = response.headers()["content-length"]
        .to_str()
        .expect("ASCII")
        .parse()
        .expect("number");
    let body = response
        .bytes()
        .await
        .expect("a truncated body is still read whole");

    assert_eq!(body.len(), declared);
    assert!(
        body.len() < full.len(),
        "{} of {} bytes",
        body.len(),
        full.len()
    );
    assert!(
        body.len() * 10 >= full.len(),
        "{} of {} bytes",
        body.len(),
        full.len()
    );
    assert!(body.starts_with(b"{\"data\":[{\"id\":\"xy7-1\""));
    assert!(serde_json::from_slice::<Value>(&body).is_err());
}

async fn page_ids(emulator: &RunningEmulator, query: &str, page: usize) -> Vec<String> {
    let path = format!("/cards?q={query}&orderBy=number&page={page}");
    let (status, body) = get_json(emulator, &path).await;
    assert_eq!(status, StatusCode::OK);
    let items = body["data"].as_array().expect("data array");
    assert_eq!(body["count"].as_u64(), Some(items.len() as u64));
    common::ids(items)
}

#[tokio::test]
async fn unstable_order_repeats_and_skips() {
    let emulator = start(with_faults(FaultConfig {
        unstable_order: true,
        ..FaultConfig::default()
    }))
    .await;
    let mut incomplete_syncs = 0;
    let mut repeats = 0;
    for _ in 0..10 {
        let mut ids = page_ids(&emulator, "set.id:swshp", 1).await;
        ids.extend(page_ids(&emulator, "set.id:swshp", 2).await);
        let unique: HashSet<&String> = ids.iter().collect();
        repeats += usize::from(unique.len() < ids.len());
        incomplete_syncs += usize::from(unique.len() < 304);
    }
    assert!(incomplete_syncs > 0, "every sync saw all 304 cards");
    assert!(repeats > 0, "no page repeated a card");

    // A result that fits one page is never shifted.
    let stable = start_default().await;
    for _ in 0..3 {
        assert_eq!(
            page_ids(&emulator, "set.id:xy7", 1).await,
            page_ids(&stable, "set.id:xy7", 1).await
        );
    }
}

/// A card field and a check of the JSON type the API documents for it.
type TypeCheck = (&'static str, fn(&Value) -> bool);

/// Returns the fields of a card that do not have the type the API documents.
fn wrong_typed_fields(card: &Value) -> Vec<&'static str> {
    let checks: [TypeCheck; 7] = [
        ("hp", Value::is_string),
        ("subtypes", Value::is_array),
        ("types", Value::is_array),
        ("number", Value::is_string),
        ("nationalPokedexNumbers", Value::is_array),
        ("convertedRetreatCost", Value::is_number),
        ("supertype", Value::is_string),
    ];
    checks
        .iter()
        .filter(|(field, expected)| card.get(*field).is_some_and(|value| !expected(value)))
        .map(|(field, _)| *field)
        .collect()
}

#[tokio::test]
async fn bad_card_rate_one_mistypes_every_card() {
    let emulator = start(with_faults(FaultConfig {
        bad_card_rate: 1.0,
        ..FaultConfig::default()
    }))
    .await;
    let cards = get_list(&emulator, "/cards?q=set.id:xy7").await;
    assert_eq!(cards.len(), 101);
    let mut fields_seen = HashSet::new();
    for card in &cards {
        let wrong = wrong_typed_fields(card);
        assert_eq!(wrong.len(), 1, "{}: {wrong:?}", card["id"]);
        fields_seen.extend(wrong);
    }
    assert!(
        fields_seen.contains("hp") && fields_seen.contains("subtypes"),
        "{fields_seen:?}"
    );
    let (_, single) = get_json(&emulator, "/cards/xy7-96").await;
    assert_eq!(wrong_typed_fields(&single["data"]).len(), 1);
}

#[tokio::test]
async fn bad_card_rate_is_a_share() {
    let emulator = start(with_faults(FaultConfig {
        bad_card_rate: 0.1,
        ..FaultConfig::default()
    }))
    .await;
    let mut bad = 0;
    let mut total = 0;
    for page in 1..=8 {
        let cards = get_list(&emulator, &format!("/cards?page={page}")).await;
        total += cards.len();
        bad += cards
            .iter()
            .filter(|card| !wrong_typed_fields(card).is_empty())
            .count();
    }
    assert_eq!(total, 2000);
    assert!(
        (120..=280).contains(&bad),
        "{bad} of {total} bad cards at rate 0.1"
    );
}

#[tokio::test]
async fn faults_spare_admin_and_images() {
    let emulator = start(with_faults(FaultConfig {
        error_rate: 1.0,
        ..FaultConfig::default()
    }))
    .await;
    let origin = emulator.base_url().trim_end_matches("/v2").to_owned();
    let image = client()
        .get(format!("{origin}/images/xy7/96.png"))
        .send()
        .await
        .expect("request");
    assert_eq!(image.status(), StatusCode::OK);
    let admin = client()
        .post(format!("{origin}/admin/price-date"))
        .json(&serde_json::json!({"date": "2026/12/05"}))
        .send()
        .await
        .expect("request");
    assert_eq!(admin.status(), StatusCode::OK);
    assert_eq!(emulator.request_count(), 0);
}

#[tokio::test]
async fn invalid_rates_are_rejected() {
    for rate in [-0.5, 1.5] {
        let result = holo_emulator::start(with_faults(FaultConfig {
            drop_rate: rate,
            ..FaultConfig::default()
        }))
        .await;
        assert!(
            matches!(result, Err(Error::InvalidRate { .. })),
            "rate {rate} accepted"
        );
    }
}

/// Writes a small second data folder: two sets, one card renamed, one removed, one added.
fn write_next_data(dir: &Path) {
    let shared = holo_emulator::default_data_dir();
    let read = |relative: &str| -> Value {
        let text = fs::read_to_string(shared.join(relative)).expect("read shared data");
        serde_json::from_str(&text).expect("parse shared data")
    };
    let sets: Vec<Value> = read("sets/en.json")
        .as_array()
        .expect("array")
        .iter()
        .filter(|set| set["id"] == "base1" || set["id"] == "xy7")
        .cloned()
        .collect();
    let mut xy7 = read("cards/en/xy7.json").as_array().expect("array").clone();
    for card in &mut xy7 {
        if card["id"] == "xy7-96" {
            card["name"] = Value::from("Primal Kyogre-EX (errata)");
        }
    }
    xy7.retain(|card| card["id"] != "xy7-1");
    let mut added = xy7[0].clone();
    added["id"] = Value::from("xy7-999");
    added["number"] = Value::from("999");
    xy7.push(added);

    fs::create_dir_all(dir.join("sets")).expect("create sets folder");
    fs::create_dir_all(dir.join("cards/en")).expect("create cards folder");
    let write = |relative: &str, value: &Value| {
        fs::write(dir.join(relative), value.to_string()).expect("write data file");
    };
    write("sets/en.json", &Value::from(sets));
    write("cards/en/xy7.json", &Value::from(xy7));
    write("cards/en/base1.json", &read("cards/en/base1.json"));
}

#[tokio::test]
async fn switch_data_serves_next_folder() {
    let folder = tempfile::tempdir().expect("temp dir");
    write_next_data(folder.path());
    let next = Catalogue::load(folder.path()).expect("next data loads");
    let mut config = config();
    config.next_data = Some(Arc::new(next).into());
    let emulator = start(config).await;

    let switch_url = emulator.base_url().replace("/v2", "/admin/switch-data");
    let response = client().post(&switch_url).send().await.expect("request");
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("JSON body");
    assert_eq!(body["data"]["active"], "next");

    let (_, sets) = get_json(&emulator, "/sets").await;
    assert_eq!(sets["totalCount"], 2);
    let (_, card) = get_json(&emulator, "/cards/xy7-96").await;
    assert_eq!(card["data"]["name"], "Primal Kyogre-EX (errata)");
    let (status, body) = get_json(&emulator, "/cards/xy7-1").await;
    assert_error(status, &body, StatusCode::NOT_FOUND);
    let (status, _) = get_json(&emulator, "/cards/xy7-999").await;
    assert_eq!(status, StatusCode::OK);

    assert_eq!(
        emulator.switch_data().expect("switch back"),
        ActiveData::Initial
    );
    let (_, sets) = get_json(&emulator, "/sets").await;
    assert_eq!(sets["totalCount"], 171);
}

#[tokio::test]
async fn switch_without_next_data_is_409() {
    let emulator = start_default().await;
    let switch_url = emulator.base_url().replace("/v2", "/admin/switch-data");
    let response = client().post(&switch_url).send().await.expect("request");
    let status = response.status();
    let body: Value = response.json().await.expect("JSON body");
    assert_error(status, &body, StatusCode::CONFLICT);
    assert!(matches!(emulator.switch_data(), Err(Error::NoNextData)));
}
