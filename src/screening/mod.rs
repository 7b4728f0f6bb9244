//! One screening as a pure state machine over a loaded questionnaire: which question is next,
//! going back, answers, raised indicators, positive dimensions and the outcome. Knows nothing of
//! storage or screens; every front end drives the same [`Session`].

pub mod answer;

pub use answer::Answer;
