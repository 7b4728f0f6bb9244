//! `questionnaire graph`: the branching of a questionnaire drawn as Graphviz DOT or as a
//! Mermaid flowchart, so trainers can see at a glance where each answer leads.
//!
//! Both formats are rendered from one neutral [`Graph`] built here, so they always show the
//! same thing: sections as clusters, questions as nodes in file order, the fall-through order
//! as plain edges (labelled with the `show_if` that must hold to ask the next item), `goto`
//! jumps as dashed labelled edges, and the outcomes after the end, each with its `when`.

use std::fmt::Write as _;

use super::model::{Kind, Named, Question, Questionnaire};

/// How many characters of a question's text a node shows; the full text belongs in the file.
const SHORT_TEXT: usize = 48;

/// The widest line of a condition in the drawing: longer ones wrap between words, so a long
/// `when` or `show_if` does not stretch the picture sideways until it cannot be read.
const CONDITION_WIDTH: usize = 40;

/// `s` broken between words into lines of at most `width` characters (a longer word keeps a
/// line of its own), joined by line breaks.
fn wrap(s: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines.join("\n")
}

/// The Graphviz DOT drawing of `q`, texts in `lang` (falling back to the first language).
#[must_use]
pub fn dot(q: &Questionnaire, lang: &str) -> String {
    render_dot(&Graph::build(q, lang))
}

/// The Mermaid `flowchart TD` drawing of `q`, texts in `lang`.
#[must_use]
pub fn mermaid(q: &Questionnaire, lang: &str) -> String {
    render_mermaid(&Graph::build(q, lang))
}

/// A node of the drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// Where every interview starts.
    Start,
    /// The end of the questions; the outcome is decided here.
    End,
    /// A question by file-order index.
    Question(usize),
    /// A section without questions (drawn as a placeholder so jumps to it can be seen).
    EmptySection(usize),
    /// An outcome by index.
    Outcome(usize),
}

/// Where an edge points: a node, or a whole section (its cluster).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Node(Key),
    Section(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    /// Fall-through to the next item in file order.
    Flow,
    /// A `goto`.
    Goto,
    /// Past an item whose `show_if` does not hold.
    Skip,
    /// From the end to an outcome.
    Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Question,
    Observation,
    Info,
    Placeholder,
    Outcome,
}

#[derive(Debug, Clone)]
struct Node {
    key: Key,
    shape: Shape,
    /// Lines of the label, unescaped.
    lines: Vec<String>,
}

#[derive(Debug, Clone)]
struct Cluster {
    section: usize,
    /// Lines of the label, unescaped.
    lines: Vec<String>,
    nodes: Vec<Node>,
}

#[derive(Debug, Clone)]
struct Edge {
    from: Key,
    to: Target,
    label: Option<String>,
    style: Style,
}

/// The drawing, independent of the output format.
#[derive(Debug, Clone)]
struct Graph {
    name: String,
    title: String,
    clusters: Vec<Cluster>,
    outcomes: Vec<Node>,
    edges: Vec<Edge>,
}

/// The first `max` characters of `s` on one line, with `…` when cut.
fn short(s: &str, max: usize) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    cut = cut.trim_end().to_string();
    cut.push('…');
    cut
}

impl Graph {
    fn build(q: &Questionnaire, lang: &str) -> Self {
        let mut clusters = Vec::new();
        let mut edges = Vec::new();
        let mut index = 0;
        // The item the walk falls through from; `Start` before the first question.
        let mut prev: Option<Key> = Some(Key::Start);
        // (from, file-order index of the target, condition) of the edges taken when a
        // `show_if` does not hold; resolved once the number of questions is known.
        let mut skips: Vec<(Key, usize, String)> = Vec::new();
        for (si, s) in q.sections.iter().enumerate() {
            let mut lines = vec![format!(
                "{}: {}",
                s.id.name,
                short(s.title.show(lang), SHORT_TEXT)
            )];
            if let Some(c) = &s.show_if {
                lines.extend(
                    wrap(&format!("show if: {}", c.source), CONDITION_WIDTH)
                        .split('\n')
                        .map(str::to_owned),
                );
            }
            let mut nodes = Vec::new();
            if s.questions.is_empty() {
                let key = Key::EmptySection(si);
                nodes.push(Node {
                    key,
                    shape: Shape::Placeholder,
                    lines: vec!["(no questions)".to_string()],
                });
                if let Some(p) = prev {
                    edges.push(flow(p, key, s.show_if.as_ref().map(|c| c.source.clone())));
                }
                prev = Some(key);
            }
            for (qi, question) in s.questions.iter().enumerate() {
                let key = Key::Question(index);
                nodes.push(question_node(key, question, lang));
                // The conditions that must hold for the walk to stop here: the section's
                // (when entering it) and the question's own.
                let mut conds = Vec::new();
                if qi == 0
                    && let Some(c) = &s.show_if
                {
                    conds.push(c.source.clone());
                }
                if let Some(c) = &question.show_if {
                    conds.push(c.source.clone());
                }
                let label = match conds.len() {
                    0 => None,
                    1 => Some(wrap(&format!("if {}", conds.join("")), CONDITION_WIDTH)),
                    _ => Some(wrap(
                        &format!("if ({})", conds.join(") and (")),
                        CONDITION_WIDTH,
                    )),
                };
                if let Some(p) = prev {
                    edges.push(flow(p, key, label));
                    // When a condition fails the walk goes on with the next item in file
                    // order: after the whole section for the section's, after the question
                    // for its own.
                    if qi == 0
                        && let Some(c) = &s.show_if
                    {
                        skips.push((p, index + s.questions.len(), c.source.clone()));
                    }
                    if let Some(c) = &question.show_if {
                        skips.push((p, index + 1, c.source.clone()));
                    }
                }
                let mut always_jumps = false;
                for g in &question.goto {
                    let to = match q.lookup(&g.to.name) {
                        _ if g.is_end() => Target::Node(Key::End),
                        Some(Named::Question(i)) => Target::Node(Key::Question(i)),
                        Some(Named::Section(i)) => Target::Section(i),
                        // A broken target is a lint error; a drawing of it has no edge.
                        _ => continue,
                    };
                    let label = match &g.cond {
                        Some(c) => wrap(&format!("goto if {}", c.source), CONDITION_WIDTH),
                        None => "goto always".to_string(),
                    };
                    always_jumps |= g.cond.is_none();
                    edges.push(Edge {
                        from: key,
                        to,
                        label: Some(label),
                        style: Style::Goto,
                    });
                }
                // After an unconditional goto the walk never falls through.
                prev = if always_jumps { None } else { Some(key) };
                index += 1;
            }
            clusters.push(Cluster {
                section: si,
                lines,
                nodes,
            });
        }
        if let Some(p) = prev {
            edges.push(flow(p, Key::End, None));
        }
        for (from, to, cond) in skips {
            let to = if to < index {
                Key::Question(to)
            } else {
                Key::End
            };
            edges.push(Edge {
                from,
                to: Target::Node(to),
                label: Some(wrap(&format!("if not ({cond})"), CONDITION_WIDTH)),
                style: Style::Skip,
            });
        }
        let mut outcomes = Vec::new();
        for (i, o) in q.outcomes.iter().enumerate() {
            let key = Key::Outcome(i);
            // The condition goes inside the outcome's box, wrapped, rather than on its arrow:
            // every outcome's arrow leaves the same end node, and long labels side by side
            // there overlap until none can be read. The arrow keeps the order it is tried in.
            let mut lines = vec![
                format!("{}. {}", i + 1, o.id.name),
                short(o.label.show(lang), SHORT_TEXT),
                format!("referral: {}", o.referral.as_str()),
            ];
            let when = match &o.when {
                Some(c) => format!("when {}", c.source),
                None => "otherwise".to_owned(),
            };
            lines.extend(wrap(&when, CONDITION_WIDTH).split('\n').map(str::to_owned));
            outcomes.push(Node {
                key,
                shape: Shape::Outcome,
                lines,
            });
            let label = format!("{}", i + 1);
            edges.push(Edge {
                from: Key::End,
                to: Target::Node(key),
                label: Some(label),
                style: Style::Outcome,
            });
        }
        Self {
            name: q.id.clone(),
            title: q.title.show(lang).to_string(),
            clusters,
            outcomes,
            edges,
        }
    }

    /// The node a section's cluster starts with (what a DOT edge to the section points at).
    fn section_entry(&self, section: usize) -> Option<Key> {
        self.clusters
            .iter()
            .find(|c| c.section == section)
            .and_then(|c| c.nodes.first())
            .map(|n| n.key)
    }
}

fn flow(from: Key, to: Key, label: Option<String>) -> Edge {
    Edge {
        from,
        to: Target::Node(to),
        label,
        style: Style::Flow,
    }
}

fn question_node(key: Key, q: &Question, lang: &str) -> Node {
    let (shape, tag) = match (q.kind, q.observation) {
        (Kind::Info, _) => (Shape::Info, "info".to_string()),
        (kind, true) => (
            Shape::Observation,
            format!("{}, observation", kind.as_str()),
        ),
        (kind, false) => (Shape::Question, kind.as_str().to_string()),
    };
    Node {
        key,
        shape,
        lines: vec![
            format!("{} ({tag})", q.id.name),
            short(q.text.show(lang), SHORT_TEXT),
        ],
    }
}

/// A DOT id for a node; always quoted by the caller.
fn dot_id(key: Key) -> String {
    match key {
        Key::Start => "start".into(),
        Key::End => "end".into(),
        Key::Question(i) => format!("q{i}"),
        Key::EmptySection(i) => format!("s{i}"),
        Key::Outcome(i) => format!("o{i}"),
    }
}

/// A DOT double-quoted string: quotes and backslashes escaped, line breaks as `\n` (a
/// backslash in a condition must stay a backslash, not become a DOT escape).
fn dot_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Several label lines as one DOT string, centred line by line.
fn dot_lines(lines: &[String]) -> String {
    dot_str(&lines.join("\n"))
}

fn render_dot(g: &Graph) -> String {
    let mut o = String::new();
    // Writing to a String cannot fail, so the results of writeln! are ignored below.
    let _ = writeln!(o, "digraph {} {{", dot_str(&g.name));
    let _ = writeln!(
        o,
        "  graph [compound=true, rankdir=TB, fontname=\"Helvetica\", labelloc=t, label={}];",
        dot_str(&g.title)
    );
    o.push_str("  node [shape=box, style=rounded, fontname=\"Helvetica\", fontsize=11];\n");
    o.push_str("  edge [fontname=\"Helvetica\", fontsize=9];\n");
    o.push_str("  \"start\" [shape=circle, label=\"start\"];\n");
    for c in &g.clusters {
        let _ = writeln!(o, "  subgraph \"cluster_s{}\" {{", c.section);
        let _ = writeln!(o, "    label={};", dot_lines(&c.lines));
        o.push_str("    style=rounded; color=\"#888888\";\n");
        for n in &c.nodes {
            dot_node(&mut o, n, "    ");
        }
        o.push_str("  }\n");
    }
    o.push_str("  \"end\" [shape=doublecircle, label=\"end\"];\n");
    o.push_str("  subgraph \"cluster_outcomes\" {\n    label=\"outcomes (first that holds)\";\n    style=dashed; color=\"#888888\";\n");
    for n in &g.outcomes {
        dot_node(&mut o, n, "    ");
    }
    o.push_str("  }\n");
    for e in &g.edges {
        let mut attrs = Vec::new();
        let to = match e.to {
            Target::Node(k) => dot_id(k),
            Target::Section(s) => {
                // Point at the section's first node and clip the arrow at its cluster.
                let Some(k) = g.section_entry(s) else {
                    continue;
                };
                attrs.push(format!("lhead=\"cluster_s{s}\""));
                dot_id(k)
            }
        };
        if let Some(l) = &e.label {
            attrs.push(format!("label={}", dot_str(l)));
        }
        match e.style {
            Style::Flow => {}
            Style::Goto => {
                attrs.push("style=dashed, color=\"#1f5fbf\", fontcolor=\"#1f5fbf\"".into())
            }
            Style::Outcome => attrs.push("style=dotted".into()),
            Style::Skip => {
                attrs.push("style=dotted, color=\"#777777\", fontcolor=\"#555555\"".into())
            }
        }
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attrs.join(", "))
        };
        let _ = writeln!(
            o,
            "  {} -> {}{attrs};",
            dot_str(&dot_id(e.from)),
            dot_str(&to)
        );
    }
    o.push_str("}\n");
    o
}

fn dot_node(o: &mut String, n: &Node, indent: &str) {
    let shape = match n.shape {
        Shape::Question => "shape=box, style=rounded",
        Shape::Observation => "shape=box, style=\"rounded,dashed\"",
        Shape::Info => "shape=note",
        Shape::Placeholder => "shape=plaintext",
        Shape::Outcome => "shape=box, style=\"filled\", fillcolor=\"#f2f2f2\"",
    };
    let _ = writeln!(
        o,
        "{indent}{} [{shape}, label={}];",
        dot_str(&dot_id(n.key)),
        dot_lines(&n.lines)
    );
}

/// A Mermaid node id: short, ASCII and never a keyword (`end` is one), whatever the file's
/// ids are. None starts with `o` or `x`, which Mermaid could read as an arrow head (`--o`).
fn mermaid_id(key: Key) -> String {
    match key {
        Key::Start => "n_start".into(),
        Key::End => "n_end".into(),
        Key::Question(i) => format!("q{i}"),
        Key::EmptySection(i) => format!("s{i}_empty"),
        Key::Outcome(i) => format!("r{i}"),
    }
}

/// Text for inside a quoted Mermaid label: characters Mermaid or its HTML labels would read
/// as syntax become entity codes (`#quot;`), so conditions like `a == 'x' or b < 3` and
/// Norwegian text show as written.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Label lines as one quoted Mermaid label.
fn mermaid_lines(lines: &[String]) -> String {
    let parts: Vec<String> = lines.iter().map(|l| mermaid_text(l)).collect();
    format!("\"{}\"", parts.join("<br/>"))
}

fn render_mermaid(g: &Graph) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "---\ntitle: {}\n---", mermaid_front_matter(&g.title));
    o.push_str("flowchart TD\n");
    o.push_str("  n_start((\"start\"))\n");
    for c in &g.clusters {
        let _ = writeln!(o, "  subgraph s{}[{}]", c.section, mermaid_lines(&c.lines));
        o.push_str("    direction TB\n");
        for n in &c.nodes {
            mermaid_node(&mut o, n, "    ");
        }
        o.push_str("  end\n");
    }
    o.push_str("  n_end(((\"end\")))\n");
    o.push_str("  subgraph results[\"outcomes (first that holds)\"]\n    direction TB\n");
    for n in &g.outcomes {
        mermaid_node(&mut o, n, "    ");
    }
    o.push_str("  end\n");
    for e in &g.edges {
        let to = match e.to {
            Target::Node(k) => mermaid_id(k),
            Target::Section(s) => format!("s{s}"),
        };
        let arrow = match e.style {
            Style::Flow => "-->",
            Style::Goto => "-.->",
            Style::Outcome | Style::Skip => "-->",
        };
        let label = e
            .label
            .as_ref()
            .map(|l| {
                let parts: Vec<String> = l.split('\n').map(mermaid_text).collect();
                format!("|\"{}\"|", parts.join("<br/>"))
            })
            .unwrap_or_default();
        let _ = writeln!(o, "  {} {arrow}{label} {to}", mermaid_id(e.from));
    }
    o.push_str("  classDef observation stroke-dasharray: 5 5\n");
    o.push_str("  classDef outcome fill:#f2f2f2\n");
    let obs: Vec<String> = g
        .clusters
        .iter()
        .flat_map(|c| &c.nodes)
        .filter(|n| n.shape == Shape::Observation)
        .map(|n| mermaid_id(n.key))
        .collect();
    if !obs.is_empty() {
        let _ = writeln!(o, "  class {} observation", obs.join(","));
    }
    if !g.outcomes.is_empty() {
        let ids: Vec<String> = g.outcomes.iter().map(|n| mermaid_id(n.key)).collect();
        let _ = writeln!(o, "  class {} outcome", ids.join(","));
    }
    o
}

/// The title in the YAML front matter, as a double-quoted YAML string.
fn mermaid_front_matter(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn mermaid_node(o: &mut String, n: &Node, indent: &str) {
    let id = mermaid_id(n.key);
    let label = mermaid_lines(&n.lines);
    let _ = match n.shape {
        Shape::Question | Shape::Observation => writeln!(o, "{indent}{id}({label})"),
        Shape::Info => writeln!(o, "{indent}{id}>{label}]"),
        Shape::Placeholder | Shape::Outcome => writeln!(o, "{indent}{id}[{label}]"),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::fixture::{cond, id, one_of_each};
    use crate::questionnaire::model::{Goto, Pos, Section, Text};

    /// The fixture with branching: a section condition, a question condition, an
    /// observation item, a conditional goto to the end, an unconditional goto to a section,
    /// an empty section and texts that need escaping.
    fn branching() -> Questionnaire {
        let mut q = one_of_each();
        q.title = Text {
            entries: vec![("en".into(), "Screening \"small\" \\ test".into())],
            pos: Pos::default(),
        };
        let start = &mut q.sections[0];
        start.questions[0].goto = vec![Goto {
            cond: Some(cond("agrees == 'no'")),
            to: id("end"),
            pos: Pos::default(),
        }];
        start.questions[2].observation = true;
        start.questions[3].show_if = Some(cond("age >= 18 and agrees != \"no\""));
        start.questions[3].text.entries[0].1 = "Hvem ordnet reisen? <«blå» & #1 | `x`>".into();
        start.questions[3].goto = vec![Goto {
            cond: None,
            to: id("work"),
            pos: Pos::default(),
        }];
        q.sections[1].show_if = Some(cond("arrived == 'job_offer'"));
        q.sections.push(Section {
            id: id("empty"),
            title: Text {
                entries: vec![("en".into(), "Nothing here".into())],
                pos: Pos::default(),
            },
            intro: None,
            show_if: None,
            questions: vec![],
            pos: Pos::default(),
        });
        q.index();
        q
    }

    #[test]
    fn dot_shows_order_conditions_jumps_and_outcomes() {
        let out = dot(&branching(), "en");
        assert!(out.starts_with("digraph \"t\" {"), "{out}");
        assert!(
            out.contains("label=\"Screening \\\"small\\\" \\\\ test\""),
            "{out}"
        );
        assert!(out.contains("\"start\" -> \"q0\";"), "{out}");
        assert!(
            out.contains("\"q0\" -> \"end\" [label=\"goto if agrees == 'no'\", style=dashed"),
            "{out}"
        );
        assert!(
            out.contains("\"q2\" -> \"q3\" [label=\"if age >= 18 and agrees != \\\"no\\\"\"]"),
            "{out}"
        );
        assert!(
            out.contains("\"q3\" -> \"q4\" [lhead=\"cluster_s1\", label=\"goto always\""),
            "{out}"
        );
        // No fall-through after an unconditional goto: q3 reaches q4 only by the jump.
        assert!(
            !out.contains("\"q3\" -> \"q4\" [label=\"if arrived"),
            "{out}"
        );
        assert!(
            out.contains("shape=box, style=\"rounded,dashed\", label=\"age (number, observation)"),
            "{out}"
        );
        assert!(
            out.contains("label=\"work: Work\\nshow if: arrived == 'job_offer'\""),
            "{out}"
        );
        assert!(out.contains("\"q8\" -> \"s2\";"), "{out}");
        // Where the walk goes when a show_if does not hold.
        assert!(
            out.contains("\"q2\" -> \"q4\" [label=\"if not (age >= 18 and agrees != \\\"no\\\")\", style=dotted"),
            "{out}"
        );
        assert!(out.contains("\"s2\" -> \"end\";"), "{out}");
        // The outcome's condition is in its box, the arrow keeps the order it is tried in.
        assert!(
            out.contains("\"end\" -> \"o0\" [label=\"1\", style=dotted]"),
            "{out}"
        );
        assert!(
            out.contains("label=\"1. done\\nDone\\nreferral: none\\notherwise\""),
            "{out}"
        );
        assert!(out.ends_with("}\n"));
    }

    #[test]
    fn long_conditions_wrap_between_words() {
        assert_eq!(wrap("a b c", 40), "a b c");
        assert_eq!(
            wrap("positive(recruitment) and positive(exploitation)", 30),
            "positive(recruitment) and\npositive(exploitation)"
        );
        // A word longer than the width keeps a line of its own rather than being cut.
        assert_eq!(
            wrap("x averyveryverylongword y", 8),
            "x\naveryveryverylongword\ny"
        );
    }

    #[test]
    fn mermaid_ids_are_safe_and_labels_quoted() {
        let out = mermaid(&branching(), "en");
        assert!(out.contains("flowchart TD\n"), "{out}");
        assert!(
            out.contains("title: \"Screening \\\"small\\\" \\\\ test\""),
            "{out}"
        );
        assert!(out.contains("  n_start --> q0\n"), "{out}");
        assert!(
            out.contains("  q0 -.->|\"goto if agrees == 'no'\"| n_end\n"),
            "{out}"
        );
        assert!(
            out.contains("q2 -->|\"if age #gt;= 18 and agrees != #quot;no#quot;\"| q3"),
            "{out}"
        );
        assert!(
            out.contains("Hvem ordnet reisen? #lt;«blå» #amp; #35;1 #124; #96;x#96;#gt;"),
            "{out}"
        );
        assert!(out.contains("  q3 -.->|\"goto always\"| s1\n"), "{out}");
        assert!(
            out.contains("  subgraph s1[\"work: Work<br/>show if: arrived == 'job_offer'\"]\n"),
            "{out}"
        );
        assert!(out.contains("  class q2 observation\n"), "{out}");
        assert!(out.contains("  n_end -->|\"1\"| r0\n"), "{out}");
        assert!(
            out.contains("r0[\"1. done<br/>Done<br/>referral: none<br/>otherwise\"]"),
            "{out}"
        );
        // Every node id is a plain ASCII word, never the keyword `end`.
        for line in out
            .lines()
            .skip_while(|l| !l.starts_with("flowchart"))
            .skip(1)
        {
            let word: String = line
                .trim_start()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            assert_ne!(word, "", "{line}");
            assert!(!word.starts_with('o') && !word.starts_with('x'), "{line}");
        }
        // Every quote opened in a line is closed in it.
        for line in out.lines() {
            assert_eq!(line.matches('"').count() % 2, 0, "{line}");
        }
    }

    #[test]
    fn short_texts_cut_on_characters() {
        assert_eq!(short("  a\n b  ", 10), "a b");
        assert_eq!(short("ææææææææææ", 5), "ææææ…");
        assert_eq!(short("abc def", 5), "abc…");
    }

    #[test]
    fn dot_output_is_accepted_by_graphviz() {
        let out = dot(&branching(), "en");
        let child = std::process::Command::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn();
        let Ok(mut child) = child else {
            eprintln!("note: `dot` (graphviz) is not installed; DOT validity not checked");
            return;
        };
        {
            use std::io::Write as _;
            let mut stdin = child.stdin.take().unwrap_or_else(|| unreachable!());
            stdin
                .write_all(out.as_bytes())
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let res = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
        let err = String::from_utf8_lossy(&res.stderr);
        assert!(
            res.status.success() && err.trim().is_empty(),
            "{err}\n{out}"
        );
    }
}
