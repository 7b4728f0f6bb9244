//! rosa-screen: screening prisoners for signs of human trafficking, with referrals to ROSA.
//!
//! Dependencies point one way: [`questionnaire`] (the file format) <- [`screening`] (a pure
//! state machine over one interview) <- storage, screens, plain mode, reports and the CLI.

pub mod cli;
pub mod commands;
pub mod handoff;
pub mod plain;
pub mod questionnaire;
pub mod report;
pub mod sanitize;
pub mod screening;
pub mod settings;
pub mod store;
pub mod system;
pub mod tui;
pub mod words;

// The test fixtures shared with the integration tests are one file under tests/common/, which
// names this crate `rosa_screen` as those tests do.
#[cfg(test)]
extern crate self as rosa_screen;
#[cfg(test)]
#[path = "../tests/common/fixtures.rs"]
pub(crate) mod fixtures;
#[cfg(test)]
#[path = "../tests/common/mutate.rs"]
pub(crate) mod mutate;
