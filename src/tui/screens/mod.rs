//! One file per screen: its state, its messages, the keys that produce them, `update` and
//! `view`; and the widgets a screen is built from (the interview's answer input).

pub mod answer_input;
pub mod details;
pub mod flag_panel;
pub mod help;
pub mod home;
pub mod interview;
pub mod referral;
pub mod sites;
pub mod summary;
