//! Where each key and value of a YAML file (an answers file, a scenario file) was written, so
//! that a problem found after reading (a wrong choice, an unknown question, a bad date) names
//! the line to fix, as lint does for questionnaires.
//!
//! The file is read a second time into a tree that keeps only positions; the files it serves
//! are small, and keeping the serde types of those files free of the YAML library's types
//! keeps every YAML detail in this module.

use std::collections::HashMap;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use super::errors::pos_of;
use super::parse_options;
use crate::questionnaire::model::Pos;

/// The positions of a YAML file's keys and values by key path (`["answers", "agrees"]`;
/// list items by index, `["cases", "2", "answers", "age"]`).
#[derive(Debug, Clone, Default)]
pub struct Positions {
    file: String,
    /// Joined path -> (where the key was written, where its value starts).
    at: HashMap<String, (Pos, Pos)>,
}

/// The separator of joined paths: a character no YAML key of ours contains.
const SEP: char = '\u{1f}';

fn join(path: &[&str]) -> String {
    path.join(&SEP.to_string())
}

impl Positions {
    /// Reads the positions of `text`. A file that does not parse gives an empty index (its
    /// reader has already reported why), so every lookup falls back to naming the file only.
    #[must_use]
    pub fn of(text: &str, file: &str) -> Self {
        let mut at = HashMap::new();
        if let Ok(root) = serde_saphyr::from_str_with_options::<Node>(text, parse_options()) {
            let mut path = Vec::new();
            collect(&root, &mut path, &mut at);
        }
        Self {
            file: file.to_owned(),
            at,
        }
    }

    /// The file name used in messages.
    #[must_use]
    pub fn file(&self) -> &str {
        &self.file
    }

    /// Where the key at `path` was written.
    #[must_use]
    pub fn key(&self, path: &[&str]) -> Option<Pos> {
        self.at.get(&join(path)).map(|(k, _)| *k)
    }

    /// Where the value at `path` starts.
    #[must_use]
    pub fn value(&self, path: &[&str]) -> Option<Pos> {
        self.at.get(&join(path)).map(|(_, v)| *v)
    }

    /// `file:line:col: message` at the value of `path` (or, when `key` is true, at its key),
    /// falling back to the nearest enclosing key that is known, then to `file: message`.
    #[must_use]
    pub fn message(&self, path: &[&str], key: bool, message: &str) -> String {
        let here = if key {
            self.key(path)
        } else {
            self.value(path)
        };
        let pos = here.or_else(|| {
            (1..path.len())
                .rev()
                .find_map(|n| path.get(..n).and_then(|p| self.key(p)))
        });
        match pos {
            Some(p) if p.line > 0 => {
                format!("{}:{}:{}: {message}", self.file, p.line, p.column.max(1))
            }
            _ => format!("{}: {message}", self.file),
        }
    }
}

/// A YAML node with only the positions kept.
enum Node {
    Map(Vec<(Spanned<String>, Spanned<Node>)>),
    Seq(Vec<Spanned<Node>>),
    Leaf,
}

fn collect(node: &Node, path: &mut Vec<String>, at: &mut HashMap<String, (Pos, Pos)>) {
    match node {
        Node::Map(entries) => {
            for (k, v) in entries {
                path.push(k.value.clone());
                record(at, path, pos_of(&k.referenced), pos_of(&v.referenced));
                collect(&v.value, path, at);
                path.pop();
            }
        }
        Node::Seq(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(i.to_string());
                let p = pos_of(&v.referenced);
                record(at, path, p, p);
                collect(&v.value, path, at);
                path.pop();
            }
        }
        Node::Leaf => {}
    }
}

fn record(at: &mut HashMap<String, (Pos, Pos)>, path: &[String], key: Pos, value: Pos) {
    let refs: Vec<&str> = path.iter().map(String::as_str).collect();
    at.entry(join(&refs)).or_insert((key, value));
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Node, E> {
                Ok(Node::Leaf)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Node, A::Error> {
                let mut items = Vec::new();
                while let Some(x) = s.next_element::<Spanned<Node>>()? {
                    items.push(x);
                }
                Ok(Node::Seq(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Node, A::Error> {
                let mut entries = Vec::new();
                while let Some(e) = m.next_entry::<Spanned<String>, Spanned<Node>>()? {
                    entries.push(e);
                }
                Ok(Node::Map(entries))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_by_path() {
        let text = "unit: A\nanswers:\n  agrees: yes\n  conds: [unpaid, x]\ncases:\n  - name: a\n    answers: {age: 30}\n";
        let p = Positions::of(text, "f.yaml");
        let k = p.key(&["answers", "agrees"]).unwrap();
        assert_eq!((k.line, k.column), (3, 3));
        let v = p.value(&["answers", "agrees"]).unwrap();
        assert_eq!((v.line, v.column), (3, 11));
        let v = p.value(&["answers", "conds", "1"]).unwrap();
        assert_eq!((v.line, v.column), (4, 19));
        let v = p.value(&["cases", "0", "answers", "age"]).unwrap();
        assert_eq!((v.line, v.column), (7, 20));
        assert_eq!(
            p.message(&["answers", "nope"], true, "m"),
            "f.yaml:2:1: m",
            "an unknown path falls back to its parent's key"
        );
        assert_eq!(p.message(&["nope"], true, "m"), "f.yaml: m");
    }

    #[test]
    fn a_broken_file_has_no_positions() {
        let p = Positions::of("a: [", "b.yaml");
        assert_eq!(p.message(&["a"], false, "m"), "b.yaml: m");
    }
}
