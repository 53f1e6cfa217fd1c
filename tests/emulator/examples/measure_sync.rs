//! Measures emulator startup and a full catalogue sync the way Holo's client pages through it.
//!
//! Run in release mode for meaningful numbers:
//!
//! ```text
//! cargo run --release -p holo-emulator --example measure_sync [DATA_DIR]
//! ```
//!
//! It loads the data, starts an emulator in-process, then fetches `/v2/sets` and every set's
//! cards with `q=set.id:X&pageSize=250&orderBy=number`, one request at a time, and prints the
//! timings. The client shares the process and its cores with the server, so the numbers are an
//! upper bound on the server's own time.

use std::time::{Duration, Instant};

use holo_emulator::{Catalogue, EmulatorConfig};
use serde_json::Value;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .map(Into::into)
        .unwrap_or_else(holo_emulator::default_data_dir);

    let started = Instant::now();
    let catalogue = std::sync::Arc::new(Catalogue::load(&dir)?);
    let loaded = started.elapsed();
    let emulator = holo_emulator::start(EmulatorConfig::with_catalogue(catalogue)).await?;
    let ready = started.elapsed();
    println!("load {loaded:?}, load + bind + render {ready:?}");

    let client = reqwest::Client::builder().no_proxy().build()?;
    let sync_started = Instant::now();
    let sets: Value = client
        .get(format!("{}/sets", emulator.base_url()))
        .send()
        .await?
        .json()
        .await?;
    let mut page_times = Vec::new();
    let mut cards = 0;
    for set in sets["data"].as_array().into_iter().flatten() {
        let id = set["id"].as_str().unwrap_or_default();
        for page in 1.. {
            let url = format!(
                "{}/cards?q=set.id:{id}&pageSize=250&orderBy=number&page={page}",
                emulator.base_url()
            );
            let page_started = Instant::now();
            let body = client.get(&url).send().await?.bytes().await?;
            let elapsed = page_started.elapsed();
            let parsed: Value = serde_json::from_slice(&body)?;
            let count = parsed["count"].as_u64().unwrap_or(0);
            page_times.push((elapsed, count));
            cards += count;
            if count < 250 {
                break;
            }
        }
    }
    let sync = sync_started.elapsed();
    report(sync, cards, &mut page_times);
    emulator.shutdown().await?;
    Ok(())
}

/// Prints the sync time and the request times. `page_times` contains each request's time and
/// card count.
fn report(sync: Duration, cards: u64, page_times: &mut [(Duration, u64)]) {
    let full_pages: Vec<Duration> = page_times
        .iter()
        .filter(|(_, count)| *count == 250)
        .map(|(time, _)| *time)
        .collect();
    page_times.sort_by_key(|(time, _)| *time);
    let median = page_times[page_times.len() / 2].0;
    let total: Duration = page_times.iter().map(|(time, _)| *time).sum();
    let slowest = page_times[page_times.len() - 1];
    println!(
        "sync: {} card requests + 1 set request, {cards} cards, {sync:?} including client JSON parsing",
        page_times.len()
    );
    println!(
        "card request time (send to last byte): sum {total:?}, median {median:?}, \
         slowest {:?} ({} cards)",
        slowest.0, slowest.1
    );
    if !full_pages.is_empty() {
        let mean = full_pages.iter().sum::<Duration>() / full_pages.len() as u32;
        println!("250-card pages: {}, mean {mean:?}", full_pages.len());
    }
}
