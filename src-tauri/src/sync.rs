//! The app's sync runs: at most one at a time, shared by every caller.
//!
//! A run's events are kept while it goes on. A caller that asks to sync during a run (a second
//! press of Sync now, or a reloaded window) receives the events so far and then follows the
//! same run instead of starting another. A sync in another process is refused by the core's
//! lock and reported as [`ErrorCode::SyncRunningElsewhere`](crate::error::ErrorCode).

use std::sync::{Arc, Mutex, MutexGuard};

use holo_core::api::{ApiClient, ApiConfig};
use holo_core::db::Database;
use holo_core::sync::{self, SyncEvent, SyncMode, SyncOptions, SyncSummary};
use tauri::ipc::Channel;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::error::{CommandError, ErrorCode};
use crate::settings::Settings;

type Outcome = Option<Result<SyncSummary, CommandError>>;

#[derive(Default)]
pub struct SyncHub {
    active: Arc<Mutex<Option<ActiveRun>>>,
}

struct ActiveRun {
    cancel: CancellationToken,
    events: Vec<SyncEvent>,
    subscribers: Vec<Channel<SyncEvent>>,
    outcome: watch::Receiver<Outcome>,
}

impl SyncHub {
    /// Starts a run with `settings` in `mode`, or joins the one in progress whatever its mode,
    /// and streams its events to `subscriber`. Resolves when the run ends, with its summary.
    pub async fn run(
        &self,
        database: Arc<Database>,
        settings: &Settings,
        mode: SyncMode,
        subscriber: Channel<SyncEvent>,
    ) -> Result<SyncSummary, CommandError> {
        let mut outcome = self.join_or_start(database, settings, mode, subscriber)?;
        let finished = outcome.wait_for(Option::is_some).await.map_err(|_| {
            CommandError::new(ErrorCode::Internal, "The sync stopped without a result.")
        })?;
        finished
            .clone()
            .expect("wait_for returned a finished outcome")
    }

    /// Cancels the run in progress at its next set boundary. Returns whether there was one.
    pub fn cancel(&self) -> bool {
        match lock(&self.active).as_ref() {
            Some(run) => {
                info!("sync cancel requested");
                run.cancel.cancel();
                true
            }
            None => false,
        }
    }

    fn join_or_start(
        &self,
        database: Arc<Database>,
        settings: &Settings,
        mode: SyncMode,
        subscriber: Channel<SyncEvent>,
    ) -> Result<watch::Receiver<Outcome>, CommandError> {
        let mut active = lock(&self.active);
        if let Some(run) = active.as_mut() {
            info!("sync requested while one runs; following the running one");
            for event in &run.events {
                let _ = subscriber.send(event.clone());
            }
            run.subscribers.push(subscriber);
            return Ok(run.outcome.clone());
        }

        let client = ApiClient::new(ApiConfig::new(&settings.api_url, settings.api_key.clone()))
            .map_err(|error| {
                CommandError::logged(
                    ErrorCode::ApiSettings,
                    "The API settings are not usable",
                    &error,
                )
            })?;
        let (outcome_sender, outcome) = watch::channel(None);
        let cancel = CancellationToken::new();
        *active = Some(ActiveRun {
            cancel: cancel.clone(),
            events: Vec::new(),
            subscribers: vec![subscriber],
            outcome: outcome.clone(),
        });
        let options = SyncOptions {
            concurrency: settings.concurrency as usize,
            cancel,
            mode,
            ..SyncOptions::default()
        };
        let hub = Arc::clone(&self.active);
        tauri::async_runtime::spawn(async move {
            let result = drive(&hub, &database, &client, options).await;
            // Clear the slot before publishing, so a caller woken by the outcome can start anew.
            *lock(&hub) = None;
            let _ = outcome_sender.send(Some(result));
        });
        Ok(outcome)
    }
}

/// Runs one sync, fanning its events out to the run's subscribers as they arrive.
async fn drive(
    hub: &Arc<Mutex<Option<ActiveRun>>>,
    database: &Database,
    client: &ApiClient,
    options: SyncOptions,
) -> Result<SyncSummary, CommandError> {
    let (sender, mut receiver) = mpsc::unbounded_channel::<SyncEvent>();
    let forward_hub = Arc::clone(hub);
    let forwarder = tauri::async_runtime::spawn(async move {
        while let Some(event) = receiver.recv().await {
            if let Some(run) = lock(&forward_hub).as_mut() {
                // A subscriber whose window has gone is dropped rather than retried.
                run.subscribers
                    .retain(|channel| channel.send(event.clone()).is_ok());
                run.events.push(event);
            }
        }
    });
    let result = sync::run_sync(database, client, options, sender).await;
    if forwarder.await.is_err() {
        warn!("the sync event forwarder stopped early");
    }
    result.map_err(CommandError::from)
}

/// Locks the hub's slot. A panic while it was held leaves plain data behind, so a poisoned
/// lock is still used.
fn lock(active: &Mutex<Option<ActiveRun>>) -> MutexGuard<'_, Option<ActiveRun>> {
    active
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use holo_core::sync::{LockHolder, SyncLock};
    use holo_emulator::EmulatorConfig;
    use tauri::ipc::InvokeResponseBody;

    use super::*;

    /// Returns a channel that records the events sent to it.
    fn recording_channel() -> (Arc<Mutex<Vec<SyncEvent>>>, Channel<SyncEvent>) {
        let events = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&events);
        let channel = Channel::new(move |body| {
            if let InvokeResponseBody::Json(json) = body {
                sink.lock()
                    .unwrap()
                    .push(serde_json::from_str(&json).unwrap());
            }
            Ok(())
        });
        (events, channel)
    }

    fn settings(api_url: &str) -> Settings {
        Settings {
            api_url: api_url.to_string(),
            api_key: None,
            concurrency: 4,
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn second_request_follows_running_sync() {
        let config = EmulatorConfig::new(holo_emulator::default_data_dir());
        let emulator = holo_emulator::start(config).await.unwrap();
        let folder = tempfile::tempdir().unwrap();
        let database = Arc::new(Database::open(folder.path().join("holo.db")).unwrap());
        let settings = settings(emulator.base_url());
        let hub = SyncHub::default();
        let (first_events, first_channel) = recording_channel();
        let (second_events, second_channel) = recording_channel();

        let first = hub.run(
            Arc::clone(&database),
            &settings,
            SyncMode::Incremental,
            first_channel,
        );
        let second = async {
            // A full sync of the emulator's data takes seconds, so the first is still running.
            tokio::time::sleep(Duration::from_millis(100)).await;
            hub.run(
                Arc::clone(&database),
                &settings,
                SyncMode::Full,
                second_channel,
            )
            .await
        };
        let (first, second) = tokio::join!(first, second);

        let (first, second) = (first.unwrap(), second.unwrap());
        assert_eq!(
            first.run_id, second.run_id,
            "the second request started another run"
        );
        let second_events = second_events.lock().unwrap();
        assert!(
            matches!(second_events.first(), Some(SyncEvent::RunStarted { .. })),
            "the second caller missed the events before it joined"
        );
        assert!(matches!(
            second_events.last(),
            Some(SyncEvent::RunFinished { .. })
        ));
        assert_eq!(first_events.lock().unwrap().len(), second_events.len());
        let runs: i64 = database
            .reader()
            .unwrap()
            .query_row("SELECT count(*) FROM sync_runs", [], |row| row.get(0))
            .unwrap();
        assert_eq!(runs, 1);
    }

    /// Returns the `holo` CLI binary: `HOLO_TEST_BIN` when set (`make app-tests` sets it), else
    /// the one Cargo built beside this test's target folder.
    fn holo_binary() -> std::path::PathBuf {
        if let Some(path) = std::env::var_os("HOLO_TEST_BIN") {
            return path.into();
        }
        let test_binary = std::env::current_exe().unwrap();
        // The test runs from target/<profile>/deps/, and binaries live in target/<profile>/.
        let profile_folder = test_binary.parent().unwrap().parent().unwrap();
        let candidate = profile_folder.join("holo");
        assert!(
            candidate.exists(),
            "no holo binary at {}: build it with `cargo build -p holo-cli` or set HOLO_TEST_BIN",
            candidate.display()
        );
        candidate
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn app_and_two_cli_syncs_run_one() {
        // Latency keeps whichever sync wins running while the others start.
        let mut config = EmulatorConfig::new(holo_emulator::default_data_dir());
        config.latency = Duration::from_millis(20);
        let emulator = holo_emulator::start(config).await.unwrap();
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("holo.db");
        // The app opens its database at start-up, before any sync is asked for.
        let database = Arc::new(Database::open(&path).unwrap());
        let cli_sync = || {
            std::process::Command::new(holo_binary())
                .args(["sync", "--json", "--db"])
                .arg(&path)
                .args(["--api-url", emulator.base_url()])
                .env_remove("HOLO_API_KEY")
                .env_remove("HOLO_DB")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };

        let first_cli = cli_sync();
        let second_cli = cli_sync();
        let hub = SyncHub::default();
        let (_events, channel) = recording_channel();
        let app_result = hub
            .run(
                Arc::clone(&database),
                &settings(emulator.base_url()),
                SyncMode::Incremental,
                channel,
            )
            .await;
        let cli_outputs = tokio::task::spawn_blocking(move || {
            [
                first_cli.wait_with_output().unwrap(),
                second_cli.wait_with_output().unwrap(),
            ]
        })
        .await
        .unwrap();

        let cli_codes: Vec<Option<i32>> = cli_outputs
            .iter()
            .map(|output| output.status.code())
            .collect();
        let cli_winners = cli_codes.iter().filter(|code| **code == Some(0)).count();
        let cli_refused = cli_codes.iter().filter(|code| **code == Some(3)).count();
        assert_eq!(
            cli_winners + cli_refused,
            2,
            "each CLI sync either runs or exits 3: {cli_codes:?}"
        );
        match &app_result {
            Ok(summary) => {
                assert_eq!(cli_winners, 0, "the app and a CLI sync both ran");
                assert_eq!(summary.counts.cards_inserted, 20_078);
            }
            Err(error) => {
                assert_eq!(
                    error.code,
                    ErrorCode::SyncRunningElsewhere,
                    "{}",
                    error.message
                );
                assert_eq!(cli_winners, 1, "no sync ran: {cli_codes:?}");
            }
        }
        let reader = database.reader().unwrap();
        let runs: i64 = reader
            .query_row("SELECT count(*) FROM sync_runs", [], |row| row.get(0))
            .unwrap();
        assert_eq!(runs, 1, "more than one sync ran");
        let cards: i64 = reader
            .query_row("SELECT count(*) FROM cards", [], |row| row.get(0))
            .unwrap();
        assert_eq!(cards, 20_078);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn lock_held_elsewhere_is_reported() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("holo.db");
        let database = Arc::new(Database::open(&path).unwrap());
        let holder = LockHolder {
            run_id: "cli-run".into(),
            pid: 4242,
            started_at: "2026-12-04T10:00:00.000Z".into(),
        };
        let _lock = SyncLock::try_acquire(&path, &holder).unwrap();
        let (events, channel) = recording_channel();

        let hub = SyncHub::default();
        let error = hub
            .run(
                database,
                &settings("http://127.0.0.1:9/v2"),
                SyncMode::Incremental,
                channel,
            )
            .await
            .unwrap_err();

        assert_eq!(error.code, ErrorCode::SyncRunningElsewhere);
        assert!(error.message.contains("process 4242"), "{}", error.message);
        assert!(events.lock().unwrap().is_empty());
        assert!(!hub.cancel(), "a refused sync must not stay registered");
    }
}
