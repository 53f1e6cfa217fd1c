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
    let target = replaced_file(path)?;
    let path = target.as_path();
    let temporary = temporary_path(path)?;
    let result = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .map_err(FileError::Io)
        .and_then(|file| {
            // From here on the temporary file is ours to remove.
            let result = write_then_rename(path, &temporary, file, write);
            if result.is_err() {
                remove_temporary(&temporary);
            }
            result
        });
    result.map_err(|error| match error {
        FileError::Io(source) => FileError::Write {
            path: path.to_owned(),
            source,
        },
        other => other,
    })
}

/// Returns the file a write to `path` replaces: `path` itself, or the file a symbolic link at
/// `path` points to, so that the link stays a link. A folder, a device, a pipe or a broken link
/// is rejected, because renaming over it would destroy it instead of writing to it.
fn replaced_file(path: &Path) -> Result<PathBuf, FileError> {
    if path.file_name().is_none() {
        return Err(FileError::NotAFilePath {
            path: path.to_owned(),
        });
    }
    let not_regular = |kind| FileError::NotARegularFile {
        path: path.to_owned(),
        kind,
    };
    let metadata = match fs::symlink_metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(path.to_owned()),
        Err(error) => {
            return Err(FileError::Write {
                path: path.to_owned(),
                source: error,
            });
        }
    };
    let file_type = metadata.file_type();
    if file_type.is_file() {
        return Ok(path.to_owned());
    }
    if !file_type.is_symlink() {
        return Err(not_regular(if file_type.is_dir() {
            "a folder"
        } else {
            "a device, pipe or socket"
        }));
    }
    let target = fs::canonicalize(path).map_err(|_| not_regular("a broken symbolic link"))?;
    match fs::metadata(&target) {
        Ok(metadata) if metadata.is_file() => Ok(target),
        _ => Err(not_regular(
            "a symbolic link to something other than a file",
        )),
    }
}

fn remove_temporary(temporary: &Path) {
    if let Err(error) = fs::remove_file(temporary)
        && error.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(path = %temporary.display(), %error, "cannot remove the temporary file");
    }
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
    file: File,
    write: impl FnOnce(&mut BufWriter<File>) -> Result<T, FileError>,
) -> Result<T, FileError> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collection::files::test_support::sample_records;

    fn folder_entries(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn collectr_cannot_be_written() {
        let error = RecordWriter::new(FileFormat::CollectrCsv, Vec::new())
            .err()
            .unwrap();
        assert!(
            matches!(
                error,
                FileError::Unsupported {
                    format: FileFormat::CollectrCsv
                }
            ),
            "{error:?}"
        );
        assert!(
            error
                .to_string()
                .starts_with("Holo reads Collectr CSV files but cannot write them."),
            "{error}"
        );
    }

    /// An output that accepts `limit` bytes, then fails like a full disk.
    struct FullDisk {
        limit: usize,
    }

    impl Write for FullDisk {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            if self.limit == 0 {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "no space left",
                ));
            }
            let accepted = bytes.len().min(self.limit);
            self.limit -= accepted;
            Ok(accepted)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn writer_reports_output_errors_as_io() {
        for format in [
            FileFormat::HoloCsv,
            FileFormat::HoloJson,
            FileFormat::TcgplayerCsv,
        ] {
            let result = (|| {
                let mut writer = RecordWriter::new(format, FullDisk { limit: 300 })?;
                for record in sample_records() {
                    writer.write(&record)?;
                }
                writer.finish()
            })();
            match result {
                Err(FileError::Io(error)) => {
                    assert_eq!(error.kind(), std::io::ErrorKind::StorageFull, "{format:?}");
                }
                other => panic!("{format:?}: expected an I/O error, got {:?}", other.err()),
            }
        }
    }

    #[test]
    fn write_atomically_replaces_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("collection.csv");
        fs::write(&path, "old").unwrap();

        let value = write_atomically(&path, |out| {
            out.write_all(b"new")?;
            Ok(42)
        })
        .unwrap();

        assert_eq!(value, 42);
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(folder_entries(folder.path()), ["collection.csv"]);
    }

    #[test]
    fn write_atomically_creates_new_file() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("export.json");
        let records = sample_records();
        write_atomically(&path, |out| {
            super::super::write_all(FileFormat::HoloJson, out, &records)?;
            Ok(())
        })
        .unwrap();
        let file = super::super::read(&fs::read(&path).unwrap()).unwrap();
        assert_eq!(file.rows.len(), records.len());
        assert_eq!(folder_entries(folder.path()), ["export.json"]);
    }

    #[test]
    fn write_atomically_keeps_old_file_on_error() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("collection.csv");
        fs::write(&path, "old").unwrap();

        let result: Result<(), FileError> = write_atomically(&path, |out| {
            out.write_all(b"half of the new file")?;
            out.flush()?;
            Err(FileError::Unsupported {
                format: FileFormat::CollectrCsv,
            })
        });

        assert!(matches!(result, Err(FileError::Unsupported { .. })));
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(folder_entries(folder.path()), ["collection.csv"]);
    }

    #[test]
    fn write_atomically_names_path_in_io_errors() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("collection.csv");
        let result: Result<(), FileError> = write_atomically(&path, |_| {
            Err(std::io::Error::new(std::io::ErrorKind::StorageFull, "no space left").into())
        });
        match result {
            Err(FileError::Write {
                path: reported,
                source,
            }) => {
                assert_eq!(reported, path);
                assert_eq!(source.kind(), std::io::ErrorKind::StorageFull);
            }
            other => panic!("expected FileError::Write, got {other:?}"),
        }
        assert!(!path.exists());
        assert!(folder_entries(folder.path()).is_empty());
    }

    #[test]
    fn write_atomically_fails_in_missing_folder() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("missing").join("collection.csv");
        let result = write_atomically(&path, |_| Ok(()));
        match result {
            Err(error @ FileError::Write { .. }) => {
                assert!(error.to_string().contains("collection.csv"), "{error}");
            }
            other => panic!("expected FileError::Write, got {other:?}"),
        }
    }

    #[test]
    fn write_atomically_rejects_folder_path() {
        for path in ["/", ".."] {
            let result = write_atomically(Path::new(path), |_| Ok(()));
            assert!(
                matches!(result, Err(FileError::NotAFilePath { .. })),
                "{path}: {result:?}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn write_atomically_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;

        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("collection.csv");
        fs::write(&path, "old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();

        write_atomically(&path, |out| Ok(out.write_all(b"new")?)).unwrap();

        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn write_atomically_writes_through_symlink() {
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("target.csv");
        fs::write(&target, "old").unwrap();
        let link = folder.path().join("link.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();

        write_atomically(&link, |out| Ok(out.write_all(b"new")?)).unwrap();

        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn write_atomically_rejects_special_files() {
        let folder = tempfile::tempdir().unwrap();
        let broken = folder.path().join("broken.csv");
        std::os::unix::fs::symlink(folder.path().join("missing.csv"), &broken).unwrap();
        let cases = [
            (folder.path().to_path_buf(), "a folder"),
            (PathBuf::from("/dev/null"), "a device, pipe or socket"),
            (broken.clone(), "a broken symbolic link"),
        ];
        for (path, expected_kind) in cases {
            let result = write_atomically(&path, |out| Ok(out.write_all(b"new")?));
            match result {
                Err(FileError::NotARegularFile { kind, .. }) => {
                    assert_eq!(kind, expected_kind, "{}", path.display())
                }
                other => panic!(
                    "{}: expected NotARegularFile, got {other:?}",
                    path.display()
                ),
            }
        }
        use std::os::unix::fs::FileTypeExt;
        let device = fs::symlink_metadata("/dev/null").unwrap().file_type();
        assert!(device.is_char_device(), "/dev/null was replaced");
    }
}
