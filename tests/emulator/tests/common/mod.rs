//! Helpers shared by the integration tests: one catalogue per test binary, emulators on free
//! ports and a small JSON client.

#![allow(dead_code)] // Each test binary uses a different subset of the helpers.

use std::sync::{Arc, OnceLock};

use holo_emulator::{Catalogue, EmulatorConfig, RunningEmulator};
use reqwest::StatusCode;
use serde_json::Value;

/// Returns the shared pokemon-tcg-data catalogue, loaded once per test binary.
pub fn catalogue() -> Arc<Catalogue> {
    static CATALOGUE: OnceLock<Arc<Catalogue>> = OnceLock::new();
    let catalogue = CATALOGUE.get_or_init(|| {
        let dir = holo_emulator::default_data_dir();
        let loaded = Catalogue::load(&dir)
            .unwrap_or_else(|error| panic!("failed to load {}: {error}", dir.display()));
        Arc::new(loaded)
    });
    Arc::clone(catalogue)
}

/// Returns a configuration serving the shared data with no faults.
pub fn config() -> EmulatorConfig {
    EmulatorConfig::with_catalogue(catalogue())
}

/// Starts an emulator on a free port.
pub async fn start(config: EmulatorConfig) -> RunningEmulator {
    holo_emulator::start(config).await.expect("emulator starts")
}

/// Starts an emulator serving the shared data with no faults.
pub async fn start_default() -> RunningEmulator {
    start(config()).await
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("HTTP client builds")
}

/// Sends a GET to `base_url` + `path` and returns the status and the parsed JSON body.
pub async fn get_json(emulator: &RunningEmulator, path: &str) -> (StatusCode, Value) {
    let url = format!("{}{path}", emulator.base_url());
    let response = client().get(&url).send().await.expect("request succeeds");
    let status = response.status();
    let body = response.text().await.expect("body is read");
    let json = serde_json::from_str(&body)
        .unwrap_or_else(|error| panic!("GET {url}: body is not JSON ({error}): {body:.300}"));
    (status, json)
}

/// Sends a GET and returns the `data` array of a list response.
pub async fn get_list(emulator: &RunningEmulator, path: &str) -> Vec<Value> {
    let (status, body) = get_json(emulator, path).await;
    assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
    body["data"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("GET {path}: no data array"))
}

/// Returns the `id` of each item.
pub fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|item| {
            item["id"]
                .as_str()
                .expect("item has a string id")
                .to_owned()
        })
        .collect()
}

/// Asserts the API's error shape with the given status.
pub fn assert_error(status: StatusCode, body: &Value, expected: StatusCode) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["error"]["code"], expected.as_u16(), "{body}");
    let message = body["error"]["message"].as_str().unwrap_or("");
    assert!(!message.is_empty(), "error without a message: {body}");
    let keys: Vec<&String> = body.as_object().expect("object body").keys().collect();
    assert_eq!(keys, ["error"], "{body}");
}
