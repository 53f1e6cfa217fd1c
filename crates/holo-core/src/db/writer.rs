//! The single writer thread.
//!
//! One thread owns the only connection that writes. Callers send it closures and await their
//! results, so writes are serialised without locks and a long write never blocks a reader
//! (readers have their own connections; WAL lets them read the last commit).

use std::sync::mpsc;
use std::thread;

use rusqlite::Connection;
use tokio::sync::oneshot;
use tracing::Span;

use crate::{Error, Result};

type Job = Box<dyn FnOnce(&mut Connection) + Send>;

/// A handle to the writer thread. Cloning it is cheap; the thread ends when every handle is
/// dropped and the queued jobs are done.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    pub(super) fn spawn(mut connection: Connection) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        thread::Builder::new()
            .name("holo-db-writer".into())
            .spawn(move || {
                for job in queue {
                    job(&mut connection);
                }
            })
            .expect("failed to start the database writer thread");
        Self { jobs }
    }

    /// Runs `work` on the writer thread and returns its result. The caller's tracing span is
    /// entered on the writer thread, so log lines keep their run id.
    pub async fn run<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        self.submit(work)?.await.map_err(|_| Error::WriterStopped)?
    }

    /// Runs `work` on the writer thread and blocks the calling thread until it is done.
    /// For synchronous callers such as the CLI; never call it from an async task.
    pub fn run_blocking<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        self.submit(work)?
            .blocking_recv()
            .map_err(|_| Error::WriterStopped)?
    }

    fn submit<T, F>(&self, work: F) -> Result<oneshot::Receiver<Result<T>>>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let (reply, receiver) = oneshot::channel();
        let span = Span::current();
        let job: Job = Box::new(move |connection| {
            let _entered = span.enter();
            // The caller may have stopped waiting; the work is done all the same.
            let _ = reply.send(work(connection));
        });
        self.jobs.send(job).map_err(|_| Error::WriterStopped)?;
        Ok(receiver)
    }
}

#[cfg(test)]
mod tests {
    use crate::db::Database;

    #[tokio::test]
    async fn writes_are_visible_to_readers() {
        let folder = tempfile::tempdir().unwrap();
        let database = Database::open(folder.path().join("holo.db")).unwrap();
        database
            .writer()
            .run(|connection| {
                connection.execute_batch(
                    "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('hi');",
                )?;
                Ok(())
            })
            .await
            .unwrap();
        let text: String = database
            .reader()
            .unwrap()
            .query_row("SELECT text FROM notes", [], |row| row.get(0))
            .unwrap();
        assert_eq!(text, "hi");
    }

    #[test]
    fn run_blocking_returns_the_error() {
        let folder = tempfile::tempdir().unwrap();
        let database = Database::open(folder.path().join("holo.db")).unwrap();
        let result = database.writer().run_blocking(|connection| {
            connection.execute("INSERT INTO no_such_table VALUES (1)", [])?;
            Ok(())
        });
        assert!(result.is_err());
    }
}
