//! Starting, controlling and stopping an emulator.
//!
//! Startup binds the port first, because the served image URLs contain it, then renders the
//! catalogue for that origin and only then accepts connections.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::config::EmulatorConfig;
use crate::faults::FaultLayer;
use crate::price_date::PriceDate;
use crate::render::Rendition;
use crate::routes::router;
use crate::state::{ActiveData, AppState};
use crate::{Catalogue, Error};

/// How long [`RunningEmulator::shutdown`] waits for open requests before cutting them off.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// Loads the data, binds 127.0.0.1 on the configured port and serves until shut down.
///
/// Must be called inside a Tokio runtime, which then runs the server.
pub async fn start(config: EmulatorConfig) -> Result<RunningEmulator, Error> {
    let started = Instant::now();
    config.faults.validate()?;
    let initial = config.data.load().await?;
    let next = match config.next_data {
        Some(source) => Some(source.load().await?),
        None => None,
    };

    let requested = SocketAddr::from((Ipv4Addr::LOCALHOST, config.port));
    let listener = TcpListener::bind(requested)
        .await
        .map_err(|source| Error::Bind {
            addr: requested,
            source,
        })?;
    let address = listener.local_addr().map_err(|source| Error::Bind {
        addr: requested,
        source,
    })?;
    let origin = format!("http://{address}");

    let (initial, next) = render_both(initial, next, origin.clone()).await?;
    let state = Arc::new(AppState::new(initial, next, config.price_date));
    let faults = Arc::new(FaultLayer::new(
        config.faults,
        config.latency,
        Arc::clone(&state.requests),
    ));
    let app = router(Arc::clone(&state), faults);

    let (stop_sender, stop_receiver) = oneshot::channel::<()>();
    let server = axum::serve(listener, app).with_graceful_shutdown(async {
        // A dropped sender stops the server too.
        let _ = stop_receiver.await;
    });
    let task = tokio::spawn(async move { server.await });
    tracing::info!(
        %address,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "emulator started"
    );
    Ok(RunningEmulator {
        address,
        base_url: format!("{origin}/v2"),
        state,
        stop: Some(stop_sender),
        task: Some(task),
    })
}

/// Renders the catalogues on a blocking thread: it is a few hundred milliseconds of CPU work.
async fn render_both(
    initial: Arc<Catalogue>,
    next: Option<Arc<Catalogue>>,
    origin: String,
) -> Result<(Rendition, Option<Rendition>), Error> {
    tokio::task::spawn_blocking(move || {
        let initial = Rendition::build(initial, &origin);
        let next = next.map(|catalogue| Rendition::build(catalogue, &origin));
        (initial, next)
    })
    .await
    .map_err(|error| Error::Task(error.to_string()))
}

/// An emulator serving on 127.0.0.1. Dropping it stops the server without waiting.
pub struct RunningEmulator {
    address: SocketAddr,
    base_url: String,
    state: Arc<AppState>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
}

impl RunningEmulator {
    /// Returns the API's base URL, `http://127.0.0.1:PORT/v2`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Returns the address the emulator listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Returns the number of requests that reached `/v2` so far, including those that got an
    /// injected fault. Requests to `/admin` and `/images` are not counted.
    pub fn request_count(&self) -> u64 {
        self.state.requests.load(Ordering::Relaxed)
    }

    /// Returns the date whose prices are served.
    pub fn price_date(&self) -> PriceDate {
        self.state.price_date()
    }

    /// Serves the prices of another date (`YYYY/MM/DD`) from the next request on.
    pub fn set_price_date(&self, date: &str) -> Result<(), Error> {
        self.state.set_price_date(date.parse()?);
        Ok(())
    }

    /// Switches between the initial and the next data set and returns which is now served.
    pub fn switch_data(&self) -> Result<ActiveData, Error> {
        self.state.switch_data()
    }

    /// Stops accepting connections and waits for open requests, for at most a few seconds.
    pub async fn shutdown(mut self) -> Result<(), Error> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let Some(mut task) = self.task.take() else {
            return Ok(());
        };
        let outcome = match tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await {
            Ok(joined) => joined,
            Err(_) => {
                tracing::warn!(address = %self.address, "open requests outlived the shutdown grace period; aborting them");
                task.abort();
                return Ok(());
            }
        };
        tracing::info!(address = %self.address, "emulator stopped");
        match outcome {
            Ok(served) => served.map_err(Error::Serve),
            Err(error) => Err(Error::Task(error.to_string())),
        }
    }
}

impl std::fmt::Debug for RunningEmulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningEmulator")
            .field("base_url", &self.base_url)
            .field("request_count", &self.request_count())
            .finish_non_exhaustive()
    }
}

impl Drop for RunningEmulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
