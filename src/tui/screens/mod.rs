//! One file per screen: its state, its messages, the keys that produce them, `update` and
//! `view`.

pub mod details;
pub mod flag_panel;
pub mod help;
pub mod home;
pub mod interview;
pub mod referral;
pub mod sites;
pub mod summary;
