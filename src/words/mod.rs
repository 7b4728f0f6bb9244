//! The program's own words, in every language it speaks, and the helpers that put answers,
//! numbers, refusals and a screening's summary into them.
//!
//! Questions, choices, advice and labels come from the questionnaire; everything else the
//! officers' screens, plain mode, the review screens and reports say lives here, below all of
//! those front ends, so none of them imports another's internals to find a word. Each table
//! is declared with `table!`: one row per id, with its text in each language.

pub mod fmt;
pub mod officer;
pub mod review;
pub mod sites;
pub mod summary;

/// ROSA's 24-hour helpline, shown on every screen, in plain mode and in every summary.
pub const HELPLINE: &str = "+47 22 33 11 60";

/// Whether `lang` asks for the Norwegian (bokmål) words: `nb`, `nn` and `no` do; every other
/// language gets English.
#[must_use]
pub fn is_norwegian(lang: &str) -> bool {
    matches!(lang, "nb" | "nn" | "no")
}

/// Declares a table of words: one row per id, with its English and its Norwegian (bokmål)
/// text (`id: "English", "norsk";`). It makes the struct (one field per id, so a missing or
/// misspelt id is a compile error), the statics `EN` and `NB`, `of(lang)` to pick one, and
/// `IDS` / `get(id)` to reach a row by its id (for checks over every row and for translations
/// keyed by id).
macro_rules! table {
    ($(#[$doc:meta])* $table:ident { $($name:ident: $en:expr, $nb:expr;)* }) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $table {
            $(#[doc = $en] pub $name: &'static str,)*
        }
        /// English.
        pub static EN: $table = $table { $($name: $en,)* };
        /// Norwegian bokmål.
        pub static NB: $table = $table { $($name: $nb,)* };
        impl $table {
            /// Every id of the table, in the order written.
            pub const IDS: &'static [&'static str] = &[$(stringify!($name),)*];

            /// The words for `lang`: Norwegian for `nb`, `nn` and `no`, English otherwise.
            #[must_use]
            pub fn of(lang: &str) -> &'static Self {
                if $crate::words::is_norwegian(lang) { &NB } else { &EN }
            }

            /// The text of row `id` in this language, if the table has that row.
            #[must_use]
            pub fn get(&self, id: &str) -> Option<&'static str> {
                match id {
                    $(stringify!($name) => Some(self.$name),)*
                    _ => None,
                }
            }
        }
    };
}
pub(crate) use table;

#[cfg(test)]
mod tests {
    use super::{officer, review, sites};

    /// The `{name}` placeholders of a text, sorted.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        found.sort_unstable();
        found
    }

    /// A row whose languages name different placeholders would leave `{x}` on screen in one
    /// of them.
    fn same_placeholders(
        ids: &[&str],
        en: impl Fn(&str) -> Option<&'static str>,
        nb: impl Fn(&str) -> Option<&'static str>,
    ) {
        for id in ids {
            let (Some(e), Some(n)) = (en(id), nb(id)) else {
                panic!("row {id} is missing a language");
            };
            assert_eq!(placeholders(e), placeholders(n), "row {id}");
            assert!(!e.is_empty() && !n.is_empty(), "row {id} is empty");
        }
    }

    #[test]
    fn every_row_has_both_languages_with_the_same_placeholders() {
        same_placeholders(
            officer::Strings::IDS,
            |id| officer::EN.get(id),
            |id| officer::NB.get(id),
        );
        same_placeholders(
            review::Words::IDS,
            |id| review::EN.get(id),
            |id| review::NB.get(id),
        );
        same_placeholders(
            sites::SiteWords::IDS,
            |id| sites::EN.get(id),
            |id| sites::NB.get(id),
        );
    }

    #[test]
    fn a_row_is_reached_by_its_id_and_the_language_by_its_code() {
        assert_eq!(officer::EN.get("error_word"), Some("Error"));
        assert_eq!(review::NB.get("queue_title"), Some("Henvisningskø"));
        assert_eq!(officer::EN.get("no_such_row"), None);
        assert_eq!(officer::Strings::of("nn").lang, "nb");
        assert_eq!(officer::Strings::of("de").lang, "en");
    }
}
