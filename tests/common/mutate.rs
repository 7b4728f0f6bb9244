//! Mutations that break a valid file in the ways people and transfers do (a line lost,
//! repeated or moved, indentation off, a stray token, a cut), shared by the reader fuzz tests
//! (`tests/fuzz_readers.rs`) and the YAML fast path's differential tests
//! (`questionnaire/load/fast.rs`), so both break files the same way.

use proptest::prelude::*;

/// One way to break a file: by lines, by an inserted token, or cut short.
#[derive(Debug, Clone)]
pub enum Mutation {
    DropLine(usize),
    RepeatLine(usize),
    SwapLines(usize, usize),
    Indent(usize, usize),
    Dedent(usize),
    Insert(usize, &'static str),
    Cut(usize),
}

/// A random mutation, inserting one of `tokens` four times as often as each other kind.
pub fn mutation(tokens: &'static [&'static str]) -> impl Strategy<Value = Mutation> {
    let n = any::<usize>();
    prop_oneof![
        1 => n.prop_map(Mutation::DropLine),
        1 => n.prop_map(Mutation::RepeatLine),
        1 => (n, any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => (n, 1usize..5).prop_map(|(a, k)| Mutation::Indent(a, k)),
        1 => n.prop_map(Mutation::Dedent),
        4 => (n, prop::sample::select(tokens)).prop_map(|(a, t)| Mutation::Insert(a, t)),
        1 => n.prop_map(Mutation::Cut),
    ]
}

/// `text` with `m` applied (indices wrap around; inserts and cuts stay on character
/// boundaries).
pub fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let n = lines.len().max(1);
    match *m {
        Mutation::DropLine(i) if !lines.is_empty() => {
            lines.remove(i % n);
        }
        Mutation::RepeatLine(i) if !lines.is_empty() => {
            let l = lines[i % n].clone();
            lines.insert(i % n, l);
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => lines.swap(a % n, b % n),
        Mutation::Indent(i, k) if !lines.is_empty() => {
            lines[i % n] = format!("{}{}", " ".repeat(k), lines[i % n]);
        }
        Mutation::Dedent(i) if !lines.is_empty() => {
            lines[i % n] = lines[i % n].trim_start().to_owned();
        }
        Mutation::Insert(at, token) => {
            let mut s = text.to_owned();
            let mut at = at % (s.len() + 1);
            while !s.is_char_boundary(at) {
                at -= 1;
            }
            s.insert_str(at, token);
            return s;
        }
        Mutation::Cut(at) => {
            let mut at = at % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            return text[..at].to_owned();
        }
        _ => {}
    }
    let mut s = lines.join("\n");
    s.push('\n');
    s
}
