//! The serde types of scenario files (`questionnaire test`), and [`AnswerInput`], the way
//! answers are written in YAML (scenario files and `interview --answers` files).
//!
//! No YAML library is used here: files are read with `questionnaire::load::from_yaml`, which
//! keeps booleans strict (`yes` and `no` stay strings).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

/// A scenario file: a questionnaire and cases that walk it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Path of the questionnaire, relative to the scenario file.
    pub questionnaire: String,
    /// The cases, run in order.
    pub cases: Vec<Case>,
}

/// One case: answers by question id and what they must lead to.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Shown in `pass: <name>` / `FAIL: <name>: ...`.
    pub name: String,
    /// Question id -> answer.
    #[serde(default)]
    pub answers: BTreeMap<String, AnswerInput>,
    /// What the walk must give; every key optional.
    #[serde(default)]
    pub expect: Expect,
}

/// The expectations of a case. A key left out is not checked.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The outcome id.
    pub outcome: Option<String>,
    /// The exact set of raised indicators.
    pub raised: Option<Vec<String>>,
    /// The exact set of raised flags.
    pub flags: Option<Vec<String>>,
    /// The exact set of positive dimensions.
    pub positive: Option<Vec<String>>,
    /// The exact order of asked questions (`info` items are not listed).
    pub asked: Option<Vec<String>>,
}

/// An answer as written in YAML, before it is checked against its question: a scalar (a
/// choice id, `yes`/`no`, a text, a date, `dont_know`, `declined`), a number, or a list of
/// choice ids for a `multi` question. `true`/`false` are kept so that the error can say to
/// write `yes` or `no` instead.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AnswerInput {
    /// A string scalar.
    Text(String),
    /// A number.
    Number(f64),
    /// A YAML boolean (`true`/`false`): never a valid answer, reported clearly.
    Bool(bool),
    /// A list of strings.
    List(Vec<String>),
}

impl fmt::Display for AnswerInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(s) => f.write_str(s),
            Self::Number(n) => write!(f, "{n}"),
            Self::Bool(b) => write!(f, "{b}"),
            Self::List(v) => write!(f, "[{}]", v.join(", ")),
        }
    }
}

impl<'de> Deserialize<'de> for AnswerInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(AnswerInputVisitor)
    }
}

struct AnswerInputVisitor;

impl<'de> Visitor<'de> for AnswerInputVisitor {
    type Value = AnswerInput;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an answer: a word such as yes, a number, a date, or a list of choice ids")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<AnswerInput, E> {
        Ok(AnswerInput::Text(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<AnswerInput, E> {
        Ok(AnswerInput::Text(v))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<AnswerInput, E> {
        Ok(AnswerInput::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<AnswerInput, E> {
        // Answers are small numbers (ages, hours); any precision lost above 2^53 is moot.
        #[allow(clippy::cast_precision_loss)]
        Ok(AnswerInput::Number(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<AnswerInput, E> {
        #[allow(clippy::cast_precision_loss)]
        Ok(AnswerInput::Number(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<AnswerInput, E> {
        Ok(AnswerInput::Number(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<AnswerInput, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<ListItem>()? {
            items.push(item.0);
        }
        Ok(AnswerInput::List(items))
    }
}

/// A list element: a choice id. Numbers are accepted and kept as written so the answer check
/// can name them ("`3` is not a choice of ...") rather than failing as a type error.
struct ListItem(String);

impl<'de> Deserialize<'de> for ListItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ListItem;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a choice id")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ListItem, E> {
                Ok(ListItem(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ListItem, E> {
                Ok(ListItem(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ListItem, E> {
                Ok(ListItem(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ListItem, E> {
                Ok(ListItem(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<ListItem, E> {
                Ok(ListItem(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_inputs_from_json_values() {
        // serde_json stands in for YAML here: the visitor is the same for any format.
        let v: BTreeMap<String, AnswerInput> = serde_json::from_str(
            r#"{"a": "yes", "b": 14, "c": 1.5, "d": ["x", "y"], "e": true, "f": [], "g": -3}"#,
        )
        .unwrap_or_default();
        assert_eq!(v.get("a"), Some(&AnswerInput::Text("yes".into())));
        assert_eq!(v.get("b"), Some(&AnswerInput::Number(14.0)));
        assert_eq!(v.get("c"), Some(&AnswerInput::Number(1.5)));
        assert_eq!(
            v.get("d"),
            Some(&AnswerInput::List(vec!["x".into(), "y".into()]))
        );
        assert_eq!(v.get("e"), Some(&AnswerInput::Bool(true)));
        assert_eq!(v.get("f"), Some(&AnswerInput::List(vec![])));
        assert_eq!(v.get("g"), Some(&AnswerInput::Number(-3.0)));
    }

    #[test]
    fn scenario_file_rejects_unknown_keys() {
        let bad =
            r#"{"questionnaire": "q.yaml", "cases": [{"name": "x", "expect": {"outcom": "a"}}]}"#;
        let err = serde_json::from_str::<ScenarioFile>(bad).err();
        assert!(err.is_some_and(|e| e.to_string().contains("outcom")));
        let good = r#"{"questionnaire": "q.yaml", "cases": [{"name": "x", "answers": {"a": "no"}, "expect": {"outcome": "a"}}]}"#;
        let f: ScenarioFile = serde_json::from_str(good).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.cases[0].expect.outcome.as_deref(), Some("a"));
    }
}
