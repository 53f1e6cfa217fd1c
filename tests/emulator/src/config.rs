//! What an emulator is started with.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::catalogue::Catalogue;
use crate::faults::FaultConfig;
use crate::price_date::PriceDate;

/// Where an emulator's data comes from: a folder to load, or a catalogue already loaded.
///
/// Tests that start several emulators load the catalogue once and share it.
#[derive(Debug, Clone)]
pub enum DataSource {
    Folder(PathBuf),
    Loaded(Arc<Catalogue>),
}

impl DataSource {
    /// Returns the catalogue, loading the folder on a blocking thread if needed.
    pub async fn load(self) -> Result<Arc<Catalogue>, crate::Error> {
        match self {
            DataSource::Loaded(catalogue) => Ok(catalogue),
            DataSource::Folder(dir) => tokio::task::spawn_blocking(move || Catalogue::load(dir))
                .await
                .map_err(|error| crate::Error::Task(error.to_string()))?
                .map(Arc::new),
        }
    }
}

impl From<PathBuf> for DataSource {
    fn from(dir: PathBuf) -> Self {
        DataSource::Folder(dir)
    }
}

impl From<&Path> for DataSource {
    fn from(dir: &Path) -> Self {
        DataSource::Folder(dir.to_path_buf())
    }
}

impl From<Arc<Catalogue>> for DataSource {
    fn from(catalogue: Arc<Catalogue>) -> Self {
        DataSource::Loaded(catalogue)
    }
}

/// How to start an emulator.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// The data served at startup.
    pub data: DataSource,
    /// A second data set to switch to with `POST /admin/switch-data`.
    pub next_data: Option<DataSource>,
    /// The port to listen on at 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Delay added to every `/v2` response.
    pub latency: Duration,
    /// The date whose prices are served.
    pub price_date: PriceDate,
    /// Faults to inject into `/v2` responses.
    pub faults: FaultConfig,
}

impl EmulatorConfig {
    /// Returns a configuration that serves a pokemon-tcg-data folder on a free port, with no
    /// latency or faults and the default price date.
    pub fn new(data_dir: impl Into<PathBuf>) -> EmulatorConfig {
        EmulatorConfig::from_source(DataSource::Folder(data_dir.into()))
    }

    /// Like [`EmulatorConfig::new`], for a catalogue already loaded.
    pub fn with_catalogue(catalogue: Arc<Catalogue>) -> EmulatorConfig {
        EmulatorConfig::from_source(DataSource::Loaded(catalogue))
    }

    fn from_source(data: DataSource) -> EmulatorConfig {
        EmulatorConfig {
            data,
            next_data: None,
            port: 0,
            latency: Duration::ZERO,
            price_date: PriceDate::DEFAULT,
            faults: FaultConfig::default(),
        }
    }
}
