//! A set that cannot be fetched after every retry: the run is partial, the set is left exactly
//! as it was, and the next run fetches it again. A tiny API server replaces the emulator
//! here, so that one set can fail on purpose while the other is served.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use holo_core::api::{ApiClient, ApiConfig, RetryPolicy};
use holo_core::db::Database;
use holo_core::queries;
use holo_core::sync::{ErrorKind, RunStatus, SyncOptions, SyncSummary, run_sync};
use serde_json::{Value, json};
use tokio::sync::mpsc;

#[derive(Default)]
struct Api {
    /// When set, every request for set t1's cards gets a 503.
    t1_broken: AtomicBool,
    /// The name of card t1-1 and the `updatedAt` of set t1.
    t1_state: Mutex<(String, String)>,
}

fn set(id: &str, updated_at: &str) -> Value {
    json!({"id": id, "name": id, "series": "Test", "releaseDate": "2020/01/01", "updatedAt": updated_at})
}

fn card(id: &str, name: &str) -> Value {
    json!({"id": id, "name": name, "supertype": "Trainer", "number": "1", "rarity": "Common"})
}

fn page(data: Vec<Value>) -> Response {
    let count = data.len();
    Json(json!({"data": data, "page": 1, "pageSize": 250, "count": count, "totalCount": count}))
        .into_response()
}

async fn sets(State(api): State<Arc<Api>>) -> Response {
    let updated_at = api.t1_state.lock().unwrap().1.clone();
    page(vec![
        set("t1", &updated_at),
        set("t2", "2020/01/01 00:00:00"),
    ])
}

async fn cards(
    State(api): State<Arc<Api>>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let q = query
        .iter()
        .find(|(key, _)| key == "q")
        .map(|(_, value)| value.as_str());
    match q {
        Some("set.id:t1") if api.t1_broken.load(Ordering::SeqCst) => {
            (StatusCode::SERVICE_UNAVAILABLE, "<html>busy</html>").into_response()
        }
        Some("set.id:t1") => page(vec![card("t1-1", &api.t1_state.lock().unwrap().0)]),
        Some("set.id:t2") => page(vec![card("t2-1", "Potion")]),
        _ => (StatusCode::BAD_REQUEST, "unexpected query").into_response(),
    }
}

async fn serve(api: Arc<Api>) -> String {
    let router = Router::new()
        .route("/v2/sets", get(sets))
        .route("/v2/cards", get(cards))
        .with_state(api);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/v2", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

async fn sync(database: &Database, url: &str) -> SyncSummary {
    let mut config = ApiConfig::new(url, None);
    config.retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(10),
        max_retry_after: Duration::from_millis(10),
        rate_limit_delay: Duration::from_millis(10),
    };
    let client = ApiClient::new(config).unwrap();
    let (events, _receiver) = mpsc::unbounded_channel();
    run_sync(database, &client, SyncOptions::default(), events)
        .await
        .unwrap()
}

#[tokio::test]
async fn failed_set_is_kept_and_retried() {
    let api = Arc::new(Api::default());
    *api.t1_state.lock().unwrap() = ("Bill".into(), "2020/01/01 00:00:00".into());
    let url = serve(Arc::clone(&api)).await;
    let folder = tempfile::tempdir().unwrap();
    let database = Database::open(folder.path().join("holo.db")).unwrap();
    assert_eq!(sync(&database, &url).await.status, RunStatus::Succeeded);

    // The card changes, but the API fails every request for its set.
    *api.t1_state.lock().unwrap() = ("Professor Oak".into(), "2020/02/01 00:00:00".into());
    api.t1_broken.store(true, Ordering::SeqCst);
    let failed = sync(&database, &url).await;

    assert_eq!(failed.status, RunStatus::Partial);
    assert_eq!(failed.sets_failed, 1);
    assert_eq!(failed.sets_up_to_date, 1);
    assert_eq!(failed.errors.len(), 1);
    assert_eq!(failed.errors[0].kind, ErrorKind::FetchSet);
    assert_eq!(failed.errors[0].set_id.as_deref(), Some("t1"));
    assert!(
        failed.errors[0].message.contains("503"),
        "{}",
        failed.errors[0].message
    );
    assert_eq!(failed.retries, 2, "both retries of the set's page");
    let reader = database.reader().unwrap();
    assert_eq!(
        queries::card_name(&reader, "t1-1").unwrap().as_deref(),
        Some("Bill")
    );
    let stored_updated_at: String = reader
        .query_row(
            "SELECT api_updated_at FROM sets WHERE id = 't1'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(
        stored_updated_at, "2020/01/01 00:00:00",
        "the failed set is left as it was"
    );

    // The API recovers: the next run fetches the set again and stores the change.
    api.t1_broken.store(false, Ordering::SeqCst);
    let retried = sync(&database, &url).await;

    assert_eq!(retried.status, RunStatus::Succeeded);
    assert_eq!(retried.sets_succeeded, 1);
    assert_eq!(retried.counts.cards_updated, 1);
    assert_eq!(
        queries::card_name(&reader, "t1-1").unwrap().as_deref(),
        Some("Professor Oak")
    );
}
