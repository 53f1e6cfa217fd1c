//! The state shared by the handlers of one emulator and its [`crate::RunningEmulator`].

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};

use crate::Error;
use crate::price_date::PriceDate;
use crate::render::Rendition;

/// Which data set is being served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActiveData {
    /// The data the emulator started with.
    Initial,
    /// The second data set (`--data-next`).
    Next,
}

pub(crate) struct AppState {
    /// The initial rendition, then the next one if configured.
    renditions: Vec<Arc<Rendition>>,
    active: AtomicUsize,
    price_date: AtomicU32,
    /// Requests that reached `/v2`, counted by the fault middleware.
    pub(crate) requests: Arc<AtomicU64>,
    /// Whether `/images` serves images. When off, it returns 503, as an unreachable image host would.
    images_available: AtomicBool,
}

impl AppState {
    pub(crate) fn new(initial: Rendition, next: Option<Rendition>, price_date: PriceDate) -> Self {
        let renditions = std::iter::once(initial).chain(next).map(Arc::new).collect();
        AppState {
            renditions,
            active: AtomicUsize::new(0),
            price_date: AtomicU32::new(price_date.to_packed()),
            requests: Arc::new(AtomicU64::new(0)),
            images_available: AtomicBool::new(true),
        }
    }

    pub(crate) fn images_available(&self) -> bool {
        self.images_available.load(Ordering::Acquire)
    }

    pub(crate) fn set_images_available(&self, available: bool) {
        self.images_available.store(available, Ordering::Release);
        tracing::info!(available, "image serving changed");
    }

    /// Returns the rendition being served.
    pub(crate) fn rendition(&self) -> Arc<Rendition> {
        let index = self.active.load(Ordering::Acquire);
        Arc::clone(&self.renditions[index.min(self.renditions.len() - 1)])
    }

    pub(crate) fn active_data(&self) -> ActiveData {
        match self.active.load(Ordering::Acquire) {
            0 => ActiveData::Initial,
            _ => ActiveData::Next,
        }
    }

    pub(crate) fn price_date(&self) -> PriceDate {
        PriceDate::from_packed(self.price_date.load(Ordering::Acquire))
    }

    pub(crate) fn set_price_date(&self, date: PriceDate) {
        self.price_date.store(date.to_packed(), Ordering::Release);
        tracing::info!(price_date = %date, "price date changed");
    }

    /// Switches between the initial and the next data, returning which is now served.
    pub(crate) fn switch_data(&self) -> Result<ActiveData, Error> {
        if self.renditions.len() < 2 {
            return Err(Error::NoNextData);
        }
        let previous = self.active.fetch_xor(1, Ordering::AcqRel);
        let active = self.active_data();
        let dir: &Path = self.renditions[previous ^ 1].catalogue().dir();
        tracing::info!(?active, dir = %dir.display(), "switched data");
        Ok(active)
    }
}
