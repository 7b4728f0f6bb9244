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
