//! Crash safety: `holo sync` killed with SIGKILL at random moments must leave a database that
//! passes SQLite's integrity check and Holo's own checks, from which the next sync finishes the
//! job, ending equal to a database made by one clean sync.

mod common;

use std::time::{Duration, Instant};

use common::{assert_verifies, catalogue_dump, start_emulator, sync_command};
use rusqlite::Connection;

/// Kills per run of the test.
const KILLS: usize = 20;

#[test]
fn sync_killed_at_random_moments_recovers() {
    let (_runtime, emulator) = start_emulator(Duration::ZERO);
    let folder = tempfile::tempdir().unwrap();

    let reference = folder.path().join("reference.db");
    let started = Instant::now();
    let clean = sync_command(&reference, emulator.base_url())
        .output()
        .unwrap();
    let clean_duration = started.elapsed();
    assert_eq!(clean.status.code(), Some(0));
    let expected = catalogue_dump(&reference);

    // Replay a failure with HOLO_KILL_SEED=<the seed printed below>.
    let seed = std::env::var("HOLO_KILL_SEED")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    eprintln!("kill seed {seed}; a clean sync took {clean_duration:?}");
    let mut random = fastrand::Rng::with_seed(seed);

    for attempt in 0..KILLS {
        let database = folder.path().join(format!("killed-{attempt}.db"));
        // Anywhere from process start to a little past a clean sync's end.
        let moment = clean_duration.mul_f64(random.f64() * 1.1);

        let mut doomed = sync_command(&database, emulator.base_url())
            .spawn()
            .unwrap();
        std::thread::sleep(moment);
        doomed.kill().unwrap();
        doomed.wait().unwrap();

        if database.exists() {
            let connection = Connection::open(&database).unwrap();
            let integrity: String = connection
                .query_row("PRAGMA integrity_check", [], |row| row.get(0))
                .unwrap();
            assert_eq!(integrity, "ok", "kill {attempt} at {moment:?}");
            drop(connection);
            assert_verifies(
                &database,
                &format!("kill {attempt} at {moment:?} left a half-written set"),
            );
        }

        let resumed = sync_command(&database, emulator.base_url())
            .output()
            .unwrap();
        assert_eq!(
            resumed.status.code(),
            Some(0),
            "resume after kill {attempt} at {moment:?}: {}",
            String::from_utf8_lossy(&resumed.stderr)
        );
        assert!(
            catalogue_dump(&database) == expected,
            "kill {attempt} at {moment:?}: the resumed database differs from a clean sync's"
        );
    }
}
