//! Writing collection files: a streaming record writer and an atomic file replacement.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{FileError, holo_csv, holo_json, tcgplayer};
use crate::collection::record::{EntryRecord, FileFormat};

/// The UTF-8 byte order mark. Holo CSV starts with it, because Excel reads a CSV file without
/// it in the system's legacy code page and garbles names such as `Flabébé`.
const BYTE_ORDER_MARK: &[u8] = "\u{FEFF}".as_bytes();

/// Writes records to a file one at a time, so an export keeps one record in memory however
/// large the collection.
///
/// The TCGplayer format has no wishlist, so a record with quantity 0 is skipped there and
/// counted by [`RecordWriter::skipped`].
pub struct RecordWriter<W: Write> {
    output: Output<W>,
    written: usize,
    skipped: usize,
}

enum Output<W: Write> {
    HoloCsv(csv::Writer<W>),
    TcgplayerCsv(csv::Writer<W>),
    HoloJson { out: W, buffer: Vec<u8> },
}

impl<W: Write> RecordWriter<W> {
    /// Starts a file of `format` on `out`, writing its header. Fails with
    /// [`FileError::Unsupported`] for [`FileFormat::CollectrCsv`], which Holo only reads.
    pub fn new(format: FileFormat, mut out: W) -> Result<Self, FileError> {
        let output = match format {
            FileFormat::HoloCsv => {
                out.write_all(BYTE_ORDER_MARK)?;
                let mut writer = csv::Writer::from_writer(out);
                holo_csv::write_header(&mut writer)?;
                Output::HoloCsv(writer)
            }
            FileFormat::TcgplayerCsv => {
                let mut writer = csv::Writer::from_writer(out);
                tcgplayer::write_header(&mut writer)?;
                Output::TcgplayerCsv(writer)
            }
            FileFormat::HoloJson => {
                holo_json::write_start(&mut out)?;
                Output::HoloJson {
                    out,
                    buffer: Vec::new(),
                }
            }
            FileFormat::CollectrCsv => return Err(FileError::Unsupported { format }),
        };
        Ok(RecordWriter {
            output,
            written: 0,
            skipped: 0,
        })
    }

    /// Writes one record, or skips it when the format cannot carry it.
    pub fn write(&mut self, record: &EntryRecord) -> Result<(), FileError> {
        match &mut self.output {
            Output::HoloCsv(writer) => holo_csv::write_row(writer, record)?,
            Output::TcgplayerCsv(writer) => {
                if !tcgplayer::is_writable(record) {
                    self.skipped += 1;
                    return Ok(());
                }
                tcgplayer::write_row(writer, record)?;
            }
            Output::HoloJson { out, buffer } => {
                holo_json::write_entry(out, buffer, record, self.written == 0)?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Returns how many records were written.
    pub fn written(&self) -> usize {
        self.written
    }

    /// Returns how many records were skipped because the format cannot carry them.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Ends the file (closing the JSON document), flushes it and returns the output.
    pub fn finish(self) -> Result<W, FileError> {
        let mut out = match self.output {
            Output::HoloCsv(writer) | Output::TcgplayerCsv(writer) => writer
                .into_inner()
                .map_err(|error| FileError::Io(error.into_error()))?,
            Output::HoloJson { mut out, .. } => {
                holo_json::write_end(&mut out)?;
                out
            }
        };
        out.flush()?;
        Ok(out)
    }
}

/// Tells apart the temporary files of concurrent writes from one process.
static TEMPORARY_FILE_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Writes a file atomically: `write` fills a temporary file in the same folder, which is then
/// flushed, synced to disk and renamed over `path`. Readers see the old file or the new one,
/// never a part. On any error the temporary file is removed and `path` is left as it was.
///
/// An existing file's permissions carry over to the new one. I/O errors, including those that
/// `write` returns as [`FileError::Io`], come back as [`FileError::Write`] naming `path`.
pub fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<T, FileError>,
) -> Result<T, FileError> {
    let temporary = temporary_path(path)?;
    let result = write_then_rename(path, &temporary, write);
    if result.is_err()
        && let Err(error) = fs::remove_file(&temporary)
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(path = %temporary.display(), %error, "cannot remove the temporary file");
    }
    result.map_err(|error| match error {
        FileError::Io(source) => FileError::Write {
            path: path.to_owned(),
            source,
        },
        other => other,
    })
}

/// Returns `.NAME.tmp-PID-N` next to `path`: hidden, and unique within this process.
fn temporary_path(path: &Path) -> Result<PathBuf, FileError> {
    let Some(name) = path.file_name() else {
        return Err(FileError::NotAFilePath {
            path: path.to_owned(),
        });
    };
    let counter = TEMPORARY_FILE_COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut temporary_name = std::ffi::OsString::from(".");
    temporary_name.push(name);
    temporary_name.push(format!(".tmp-{}-{counter}", std::process::id()));
    Ok(path.with_file_name(temporary_name))
}

fn write_then_rename<T>(
    path: &Path,
    temporary: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<T, FileError>,
) -> Result<T, FileError> {
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temporary)?;
    if let Ok(existing) = fs::metadata(path) {
        file.set_permissions(existing.permissions())?;
    }
    let mut writer = BufWriter::new(file);
    let value = write(&mut writer)?;
    let file = writer.into_inner().map_err(|error| error.into_error())?;
    file.sync_all()?;
    drop(file);
    fs::rename(temporary, path)?;
    sync_folder(path);
    Ok(value)
}

/// Syncs the folder of `path`, so that the rename itself survives a power cut. The file is
/// already in place, so a failure is logged rather than returned.
#[cfg(unix)]
fn sync_folder(path: &Path) {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if let Err(error) = File::open(folder).and_then(|folder| folder.sync_all()) {
        tracing::warn!(path = %folder.display(), %error, "cannot sync the folder after a write");
    }
}

/// Standard Rust cannot open a folder on Windows to sync it, so there the rename is not synced.
#[cfg(not(unix))]
fn sync_folder(_path: &Path) {}
