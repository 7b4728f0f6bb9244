//! Turning store errors into command failures, and the database openers behind
//! [`super::open_store`] and [`super::open_existing_store`] (handlers call those, with the
//! settings).

use std::path::Path;

use super::Failure;
use crate::store::{Store, StoreError};

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Self {
        Self {
            code: e.exit_code(),
            message: e.to_string(),
        }
    }
}

/// Opens (creating if needed) the database for a command that records something.
pub fn open(db: Option<&Path>) -> Result<Store, Failure> {
    Ok(Store::open_default(db)?)
}

/// Opens an existing database for a command that reads or acts on what is recorded.
pub fn open_existing(db: Option<&Path>) -> Result<Store, Failure> {
    Ok(Store::open_existing(db)?)
}
