//! Collection files: format detection, reading and writing. Nothing here opens the database.
