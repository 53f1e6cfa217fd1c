//! Consistency checks of a database, for `holo verify`: the things a sync must never leave
//! behind, checked from the rows themselves.

use rusqlite::Connection;
use serde::Serialize;

use crate::Result;

/// Findings listed per check before the rest are summarised as a count.
const DETAILS_PER_CHECK: usize = 20;

/// One problem found, named by the check that found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub check: &'static str,
    pub detail: String,
}

/// Runs every check and returns what is wrong; an empty list means the database is consistent.
///
/// Needs a writable connection, because FTS5 runs its index check as a special `INSERT`
/// (which changes nothing).
pub fn verify(connection: &Connection) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    check_rows(
        connection,
        "integrity",
        "SELECT integrity_check FROM pragma_integrity_check WHERE integrity_check <> 'ok'",
        &mut findings,
    )?;
    check_rows(
        connection,
        "foreign keys",
        "SELECT format('%s row %d points at a missing %s row', \"table\", rowid, parent) \
         FROM pragma_foreign_key_check",
        &mut findings,
    )?;
    check_rows(
        connection,
        "cards without a variation",
        "SELECT cards.id FROM cards \
         WHERE NOT EXISTS (SELECT 1 FROM card_variations WHERE card_id = cards.id) ORDER BY cards.id",
        &mut findings,
    )?;
    check_rows(
        connection,
        "duplicate variations",
        "SELECT format('%s (%s, %s) %d times', card_id, variation_type, treatment, count(*)) \
         FROM card_variations GROUP BY card_id, variation_type, treatment HAVING count(*) > 1",
        &mut findings,
    )?;
    check_rows(
        connection,
        "set counts",
        "WITH latest AS (
             SELECT set_id, status, api_total_count, max(finished_at) AS finished_at
             FROM sync_set_results GROUP BY set_id
         )
         SELECT format('%s has %d listed cards but its last complete sync counted %d',
                       latest.set_id,
                       (SELECT count(*) FROM cards
                        WHERE set_id = latest.set_id AND delisted_at IS NULL),
                       latest.api_total_count)
         FROM latest
         WHERE latest.status = 'succeeded'
           -- A delisted card stays stored but is no longer in the API's count.
           AND latest.api_total_count <> (SELECT count(*) FROM cards
                                          WHERE set_id = latest.set_id AND delisted_at IS NULL)
         ORDER BY latest.set_id",
        &mut findings,
    )?;
    check_search_index(connection, &mut findings)?;
    Ok(findings)
}

/// Adds one finding per row the query returns (each row is one text column), at most
/// [`DETAILS_PER_CHECK`] of them, then a count of the rest.
fn check_rows(
    connection: &Connection,
    check: &'static str,
    sql: &str,
    findings: &mut Vec<Finding>,
) -> Result<()> {
    let mut statement = connection.prepare(sql)?;
    let details = statement
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let total = details.len();
    for detail in details.into_iter().take(DETAILS_PER_CHECK) {
        findings.push(Finding { check, detail });
    }
    if total > DETAILS_PER_CHECK {
        findings.push(Finding {
            check,
            detail: format!("and {} more", total - DETAILS_PER_CHECK),
        });
    }
    Ok(())
}

/// Compares the full-text index with the cards table, using FTS5's own `integrity-check`.
fn check_search_index(connection: &Connection, findings: &mut Vec<Finding>) -> Result<()> {
    let outcome = connection.execute(
        "INSERT INTO cards_search (cards_search, rank) VALUES ('integrity-check', 1)",
        [],
    );
    match outcome {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(error, message))
            if error.code == rusqlite::ErrorCode::DatabaseCorrupt =>
        {
            findings.push(Finding {
                check: "search index",
                detail: message.unwrap_or_else(|| "the index does not match the cards".into()),
            });
            Ok(())
        }
        Err(error) => Err(error.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Database;

    fn seeded() -> (tempfile::TempDir, Database) {
        let folder = tempfile::tempdir().unwrap();
        let database = Database::open(folder.path().join("holo.db")).unwrap();
        database
            .writer()
            .run_blocking(|connection| {
                connection.execute_batch(
                    "INSERT INTO sets (id, name, series, release_date, data, created_at, changed_at)
                         VALUES ('s1', 'Set', 'Series', '2020-01-01', '{}', 't', 't');
                     INSERT INTO cards (id, set_id, name, number, number_sort, supertype, data,
                                        created_at, changed_at)
                         VALUES ('s1-1', 's1', 'Pikachu', '1', '1', 'Pokémon', '{}', 't', 't'),
                                ('s1-2', 's1', 'Raichu', '2', '2', 'Pokémon', '{}', 't', 't');
                     INSERT INTO card_variations (card_id, variation_type, treatment, position,
                                                  created_at, changed_at)
                         VALUES ('s1-1', 'Standard', 'Normal', 0, 't', 't');",
                )?;
                Ok(())
            })
            .unwrap();
        (folder, database)
    }

    fn findings(database: &Database) -> Vec<Finding> {
        database
            .writer()
            .run_blocking(|connection| verify(connection))
            .unwrap()
    }

    #[test]
    fn card_without_variation_is_found() {
        let (_folder, database) = seeded();
        let found = findings(&database);
        assert_eq!(
            found,
            [Finding {
                check: "cards without a variation",
                detail: "s1-2".into()
            }]
        );
    }

    #[test]
    fn clean_database_has_no_findings() {
        let (_folder, database) = seeded();
        database
            .writer()
            .run_blocking(|connection| {
                connection.execute(
                    "INSERT INTO card_variations (card_id, variation_type, treatment, position,
                                                  created_at, changed_at)
                     VALUES ('s1-2', 'Standard', 'Normal', 0, 't', 't')",
                    [],
                )?;
                Ok(())
            })
            .unwrap();
        assert_eq!(findings(&database), []);
    }

    #[test]
    fn set_count_against_last_sync() {
        let (_folder, database) = seeded();
        database
            .writer()
            .run_blocking(|connection| {
                connection.execute_batch(
                    "INSERT INTO card_variations (card_id, variation_type, treatment, position,
                                                  created_at, changed_at)
                         VALUES ('s1-2', 'Standard', 'Normal', 0, 't', 't');
                     INSERT INTO sync_runs (id, status, api_url, pid, started_at)
                         VALUES ('r1', 'succeeded', 'u', 1, 't');
                     INSERT INTO sync_set_results (run_id, set_id, status, api_total_count,
                         cards_seen, cards_inserted, cards_updated, cards_unchanged, cards_failed,
                         variations_inserted, variations_updated, variations_unchanged,
                         prices_recorded, finished_at)
                         VALUES ('r1', 's1', 'succeeded', 3, 3, 3, 0, 0, 0, 3, 0, 0, 0, 't');",
                )?;
                Ok(())
            })
            .unwrap();
        let found = findings(&database);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].check, "set counts");
        assert_eq!(
            found[0].detail,
            "s1 has 2 listed cards but its last complete sync counted 3"
        );
    }

    #[test]
    fn delisted_card_not_counted() {
        let (_folder, database) = seeded();
        database
            .writer()
            .run_blocking(|connection| {
                connection.execute_batch(
                    "INSERT INTO card_variations (card_id, variation_type, treatment, position,
                                                  created_at, changed_at)
                         VALUES ('s1-2', 'Standard', 'Normal', 0, 't', 't');
                     UPDATE cards SET delisted_at = 't' WHERE id = 's1-2';
                     INSERT INTO sync_runs (id, status, api_url, pid, started_at)
                         VALUES ('r1', 'succeeded', 'u', 1, 't');
                     INSERT INTO sync_set_results (run_id, set_id, status, api_total_count,
                         cards_seen, cards_inserted, cards_updated, cards_unchanged, cards_failed,
                         variations_inserted, variations_updated, variations_unchanged,
                         prices_recorded, finished_at)
                         VALUES ('r1', 's1', 'succeeded', 1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 't');",
                )?;
                Ok(())
            })
            .unwrap();
        assert_eq!(findings(&database), []);
    }

    #[test]
    fn broken_search_index_is_found() {
        let (_folder, database) = seeded();
        database
            .writer()
            .run_blocking(|connection| {
                connection.execute_batch(
                    "INSERT INTO card_variations (card_id, variation_type, treatment, position,
                                                  created_at, changed_at)
                         VALUES ('s1-2', 'Standard', 'Normal', 0, 't', 't');
                     DROP TRIGGER cards_search_after_update;
                     UPDATE cards SET name = 'Mew' WHERE id = 's1-1';",
                )?;
                Ok(())
            })
            .unwrap();
        let found = findings(&database);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].check, "search index");
    }
}
