//! A recursive-descent parser for the expression language (grammar in the format reference).
//!
//! It works on bytes and returns a [`SyntaxError`] for anything it does not understand; it
//! never panics and its recursion is bounded, so any string a trainer (or a fuzzer) writes is
//! safe to parse.

use super::ast::{ArithOp, Call, CompareOp, Expr, Ident, SyntaxError};

/// How deeply expressions may nest (brackets, calls, `not`); far beyond any real condition,
/// well below the stack limit.
const MAX_DEPTH: usize = 64;

/// How many levels of operators the syntax tree may have, counting every `and`, `or`, `not`,
/// comparison, `+`, `-` and call on the way down (a flat chain of 300 `or`s is 300 levels).
/// A real condition has a handful; the limit keeps the recursive walks over the tree (check,
/// lint, evaluation) far from the stack's end.
pub const MAX_HEIGHT: usize = 256;

/// Parses an expression.
///
/// # Errors
/// A [`SyntaxError`] with the byte offset where the text stopped making sense.
pub fn parse(src: &str) -> Result<Expr, SyntaxError> {
    let tokens = lex(src)?;
    let mut p = Parser {
        tokens,
        pos: 0,
        depth: 0,
        len: src.len(),
    };
    if p.tokens.is_empty() {
        return Err(SyntaxError {
            message: "the expression is empty".into(),
            at: 0,
        });
    }
    let e = p.or()?;
    match p.peek() {
        None => Ok(e.e),
        Some(t) => Err(SyntaxError {
            message: format!(
                "unexpected {} after a complete expression",
                t.kind.describe()
            ),
            at: t.at,
        }),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Number(f64),
    Str(String),
    Ident(String),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Plus,
    Minus,
    Cmp(CompareOp),
}

impl Tok {
    fn describe(&self) -> String {
        match self {
            Self::Number(n) => format!("number {n}"),
            Self::Str(s) => format!("string '{s}'"),
            Self::Ident(s) => format!("`{s}`"),
            Self::LParen => "`(`".into(),
            Self::RParen => "`)`".into(),
            Self::LBracket => "`[`".into(),
            Self::RBracket => "`]`".into(),
            Self::Comma => "`,`".into(),
            Self::Plus => "`+`".into(),
            Self::Minus => "`-`".into(),
            Self::Cmp(op) => format!("`{}`", op_str(*op)),
        }
    }
}

/// The operator as written.
#[must_use]
pub fn op_str(op: CompareOp) -> &'static str {
    match op {
        CompareOp::Eq => "==",
        CompareOp::Ne => "!=",
        CompareOp::Lt => "<",
        CompareOp::Le => "<=",
        CompareOp::Gt => ">",
        CompareOp::Ge => ">=",
    }
}

#[derive(Debug, Clone)]
struct Token {
    kind: Tok,
    at: usize,
}

fn lex(src: &str) -> Result<Vec<Token>, SyntaxError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let at = i;
        let two = |n: u8| b.get(i + 1) == Some(&n);
        let kind = match c {
            b' ' | b'\t' | b'\n' | b'\r' => {
                i += 1;
                continue;
            }
            b'(' => Tok::LParen,
            b')' => Tok::RParen,
            b'[' => Tok::LBracket,
            b']' => Tok::RBracket,
            b',' => Tok::Comma,
            b'+' => Tok::Plus,
            b'-' => Tok::Minus,
            b'=' if two(b'=') => {
                i += 1;
                Tok::Cmp(CompareOp::Eq)
            }
            b'!' if two(b'=') => {
                i += 1;
                Tok::Cmp(CompareOp::Ne)
            }
            b'<' if two(b'=') => {
                i += 1;
                Tok::Cmp(CompareOp::Le)
            }
            b'>' if two(b'=') => {
                i += 1;
                Tok::Cmp(CompareOp::Ge)
            }
            b'<' => Tok::Cmp(CompareOp::Lt),
            b'>' => Tok::Cmp(CompareOp::Gt),
            b'=' => {
                return Err(SyntaxError {
                    message: "a single `=` is not an operator; compare with `==`".into(),
                    at,
                });
            }
            b'\'' | b'"' => {
                let end = b[i + 1..]
                    .iter()
                    .position(|&x| x == c)
                    .ok_or_else(|| SyntaxError {
                        message: "a string is not closed".into(),
                        at,
                    })?;
                let text = src.get(i + 1..i + 1 + end).unwrap_or_default().to_string();
                i += end + 1;
                Tok::Str(text)
            }
            b'0'..=b'9' => {
                let mut j = i;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                if j < b.len() && b[j] == b'.' {
                    j += 1;
                    let frac = j;
                    while j < b.len() && b[j].is_ascii_digit() {
                        j += 1;
                    }
                    if j == frac {
                        return Err(SyntaxError {
                            message: "a number ends with `.`; write digits after it".into(),
                            at,
                        });
                    }
                }
                if j < b.len() && (b[j].is_ascii_alphabetic() || b[j] == b'_') {
                    return Err(SyntaxError {
                        message: "a number runs into a name; ids start with a letter".into(),
                        at,
                    });
                }
                let text = src.get(i..j).unwrap_or_default();
                let n = text.parse::<f64>().map_err(|_| SyntaxError {
                    message: format!("`{text}` is not a number"),
                    at,
                })?;
                i = j - 1;
                Tok::Number(n)
            }
            b'a'..=b'z' => {
                let mut j = i;
                while j < b.len() && matches!(b[j], b'a'..=b'z' | b'0'..=b'9' | b'_') {
                    j += 1;
                }
                if j < b.len() && b[j].is_ascii_uppercase() {
                    return Err(SyntaxError {
                        message: "ids are written in lower case".into(),
                        at,
                    });
                }
                let text = src.get(i..j).unwrap_or_default().to_string();
                i = j - 1;
                Tok::Ident(text)
            }
            b'A'..=b'Z' => {
                return Err(SyntaxError {
                    message: "ids are written in lower case (and `and`, `or`, `not` too)".into(),
                    at,
                });
            }
            _ => {
                let ch = src.get(i..).and_then(|s| s.chars().next()).unwrap_or('?');
                let hint = match ch {
                    '&' => "; write `and`",
                    '|' => "; write `or`",
                    '!' => "; write `not`",
                    '’' | '‘' | '“' | '”' => "; use plain quotes ' or \"",
                    _ => "",
                };
                return Err(SyntaxError {
                    message: format!("unexpected character `{ch}`{hint}"),
                    at,
                });
            }
        };
        out.push(Token { kind, at });
        i += 1;
    }
    Ok(out)
}

/// A parsed part and the height of its tree.
struct Node {
    e: Expr,
    h: usize,
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    depth: usize,
    len: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn at(&self) -> usize {
        self.peek().map_or(self.len, |t| t.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    fn is_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Token { kind: Tok::Ident(s), .. }) if s == w)
    }

    fn eat(&mut self, kind: &Tok) -> bool {
        if self.peek().is_some_and(|t| &t.kind == kind) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, kind: &Tok, what: &str) -> Result<(), SyntaxError> {
        if self.eat(kind) {
            Ok(())
        } else {
            Err(self.error(&format!("expected {what}")))
        }
    }

    fn error(&self, expected: &str) -> SyntaxError {
        match self.peek() {
            Some(t) => SyntaxError {
                message: format!("{expected}, found {}", t.kind.describe()),
                at: t.at,
            },
            None => SyntaxError {
                message: format!("{expected}, but the expression ends"),
                at: self.len,
            },
        }
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(SyntaxError {
                message: format!("the expression nests more than {MAX_DEPTH} levels deep"),
                at: self.at(),
            });
        }
        Ok(())
    }

    /// The height of a new node over children of height `h`, refused past [`MAX_HEIGHT`]. A
    /// chain `a or b or c ...` is parsed by a loop, but it builds a tree one level deeper per
    /// operator, and everything that walks the tree afterwards (the checker, the linter,
    /// evaluation, even dropping it) recurses once per level; so every level counts here.
    fn level(&self, h: usize, at: usize) -> Result<usize, SyntaxError> {
        let h = h + 1;
        if h > MAX_HEIGHT {
            return Err(SyntaxError {
                message: format!(
                    "the expression is too long: it joins more than {MAX_HEIGHT} levels of operators (`and`, `or`, `not`, comparisons, `+`, `-`, calls); split it into shorter conditions"
                ),
                at,
            });
        }
        Ok(h)
    }

    fn or(&mut self) -> Result<Node, SyntaxError> {
        self.enter()?;
        let mut e = self.and()?;
        while self.is_word("or") {
            let at = self.at();
            self.pos += 1;
            let r = self.and()?;
            e = Node {
                h: self.level(e.h.max(r.h), at)?,
                e: Expr::Or(Box::new(e.e), Box::new(r.e)),
            };
        }
        self.depth -= 1;
        Ok(e)
    }

    fn and(&mut self) -> Result<Node, SyntaxError> {
        let mut e = self.not()?;
        while self.is_word("and") {
            let at = self.at();
            self.pos += 1;
            let r = self.not()?;
            e = Node {
                h: self.level(e.h.max(r.h), at)?,
                e: Expr::And(Box::new(e.e), Box::new(r.e)),
            };
        }
        Ok(e)
    }

    fn not(&mut self) -> Result<Node, SyntaxError> {
        if self.is_word("not") {
            let at = self.at();
            self.pos += 1;
            self.enter()?;
            let e = self.not()?;
            self.depth -= 1;
            return Ok(Node {
                h: self.level(e.h, at)?,
                e: Expr::Not(Box::new(e.e)),
            });
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Node, SyntaxError> {
        let lhs = self.sum()?;
        if let Some(Token {
            kind: Tok::Cmp(op),
            at,
        }) = self.peek().cloned()
        {
            self.pos += 1;
            let rhs = self.sum()?;
            if matches!(
                self.peek(),
                Some(Token {
                    kind: Tok::Cmp(_),
                    ..
                })
            ) {
                return Err(self.error("comparisons cannot be chained; join them with `and`"));
            }
            return Ok(Node {
                h: self.level(lhs.h.max(rhs.h), at)?,
                e: Expr::Compare {
                    op,
                    lhs: Box::new(lhs.e),
                    rhs: Box::new(rhs.e),
                    at,
                },
            });
        }
        if self.is_word("in") {
            let at = self.at();
            self.pos += 1;
            self.expect(&Tok::LBracket, "`[` to start the list after `in`")?;
            let mut list = Vec::new();
            let mut h = lhs.h;
            if !self.eat(&Tok::RBracket) {
                loop {
                    let x = self.atom()?;
                    h = h.max(x.h);
                    list.push(x.e);
                    if self.eat(&Tok::RBracket) {
                        break;
                    }
                    self.expect(&Tok::Comma, "`,` or `]` in the list")?;
                }
            }
            return Ok(Node {
                h: self.level(h, at)?,
                e: Expr::In {
                    lhs: Box::new(lhs.e),
                    list,
                    at,
                },
            });
        }
        Ok(lhs)
    }

    fn sum(&mut self) -> Result<Node, SyntaxError> {
        let mut e = self.atom()?;
        loop {
            let op = match self.peek() {
                Some(Token {
                    kind: Tok::Plus, ..
                }) => ArithOp::Add,
                Some(Token {
                    kind: Tok::Minus, ..
                }) => ArithOp::Sub,
                _ => break,
            };
            let at = self.at();
            self.pos += 1;
            let r = self.atom()?;
            e = Node {
                h: self.level(e.h.max(r.h), at)?,
                e: Expr::Arith {
                    op,
                    lhs: Box::new(e.e),
                    rhs: Box::new(r.e),
                    at,
                },
            };
        }
        Ok(e)
    }

    fn atom(&mut self) -> Result<Node, SyntaxError> {
        let leaf = |e| Ok(Node { e, h: 1 });
        let Some(tok) = self.next() else {
            return Err(self.error("expected a value"));
        };
        match tok.kind {
            Tok::Number(n) => leaf(Expr::Number(n)),
            Tok::Str(s) => leaf(Expr::Str(s)),
            Tok::LParen => {
                let e = self.or()?;
                self.expect(&Tok::RParen, "`)`")?;
                Ok(e)
            }
            Tok::Ident(name) => match name.as_str() {
                "true" => leaf(Expr::Bool(true)),
                "false" => leaf(Expr::Bool(false)),
                "and" | "or" | "not" | "in" => Err(SyntaxError {
                    message: format!("expected a value, found `{name}`"),
                    at: tok.at,
                }),
                _ => {
                    let ident = Ident { name, at: tok.at };
                    if self.eat(&Tok::LParen) {
                        self.enter()?;
                        let mut args = Vec::new();
                        let mut h = 0;
                        if !self.eat(&Tok::RParen) {
                            loop {
                                let a = self.or()?;
                                h = h.max(a.h);
                                args.push(a.e);
                                if self.eat(&Tok::RParen) {
                                    break;
                                }
                                self.expect(&Tok::Comma, "`,` or `)` after an argument")?;
                            }
                        }
                        self.depth -= 1;
                        Ok(Node {
                            h: self.level(h, ident.at)?,
                            e: Expr::Call(Call { name: ident, args }),
                        })
                    } else {
                        leaf(Expr::Ident(ident))
                    }
                }
            },
            other => {
                self.pos -= 1;
                Err(SyntaxError {
                    message: format!("expected a value, found {}", other.describe()),
                    at: tok.at,
                })
            }
        }
    }
}

/// Writes `e` back as expression text that parses to the same tree (offsets aside), with
/// only the parentheses the grammar needs; used to quote conditions in messages and drawings.
#[must_use]
pub fn to_source(e: &Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, e, 0);
    out
}

/// Binding strength, loosest first; a part is parenthesised when it binds more loosely than
/// its place needs.
fn precedence(e: &Expr) -> u8 {
    match e {
        Expr::Or(..) => 1,
        Expr::And(..) => 2,
        Expr::Not(_) => 3,
        Expr::Compare { .. } | Expr::In { .. } => 4,
        Expr::Arith { .. } => 5,
        Expr::Number(_) | Expr::Str(_) | Expr::Bool(_) | Expr::Ident(_) | Expr::Call(_) => 6,
    }
}

fn write_expr(out: &mut String, e: &Expr, min: u8) {
    if precedence(e) < min {
        out.push('(');
        write_expr(out, e, 0);
        out.push(')');
        return;
    }
    match e {
        Expr::Number(n) => out.push_str(&n.to_string()),
        Expr::Str(s) => {
            // The lexer ends a string at the quote that opened it, so pick the quote the
            // text does not contain.
            let q = if s.contains('\'') { '"' } else { '\'' };
            out.push(q);
            out.push_str(s);
            out.push(q);
        }
        Expr::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Expr::Ident(id) => out.push_str(&id.name),
        Expr::Call(c) => {
            out.push_str(&c.name.name);
            out.push('(');
            for (i, a) in c.args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, a, 0);
            }
            out.push(')');
        }
        Expr::Not(x) => {
            out.push_str("not ");
            write_expr(out, x, 3);
        }
        // `and` and `or` group to the left, so a right operand of the same kind needs
        // parentheses.
        Expr::And(a, b) => {
            write_expr(out, a, 2);
            out.push_str(" and ");
            write_expr(out, b, 3);
        }
        Expr::Or(a, b) => {
            write_expr(out, a, 1);
            out.push_str(" or ");
            write_expr(out, b, 2);
        }
        Expr::Compare { op, lhs, rhs, .. } => {
            write_expr(out, lhs, 5);
            out.push(' ');
            out.push_str(op_str(*op));
            out.push(' ');
            write_expr(out, rhs, 5);
        }
        Expr::In { lhs, list, .. } => {
            write_expr(out, lhs, 5);
            out.push_str(" in [");
            for (i, x) in list.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, x, 6);
            }
            out.push(']');
        }
        Expr::Arith { op, lhs, rhs, .. } => {
            write_expr(out, lhs, 5);
            out.push_str(match op {
                ArithOp::Add => " + ",
                ArithOp::Sub => " - ",
            });
            write_expr(out, rhs, 6);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> Expr {
        parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    #[test]
    fn precedence_or_and_not_compare() {
        let e = ok("not a == 'x' or b and c > 1");
        assert!(matches!(e, Expr::Or(..)), "{e:?}");
        if let Expr::Or(l, r) = e {
            assert!(matches!(*l, Expr::Not(_)));
            assert!(matches!(*r, Expr::And(..)));
        }
    }

    #[test]
    fn calls_lists_and_sums() {
        ok("strong() >= 2 or (strong() >= 1 and medium() + weak() >= 1) or medium() >= 3");
        ok("has(conditions, 'unpaid')");
        ok("x in ['a', \"b\", 3]");
        ok("x in []");
        ok("count(a) + count(b) - 1 >= 1.5");
        ok("true");
    }

    #[test]
    fn errors_name_the_place() {
        let e = parse("a == ").unwrap_err();
        assert_eq!(e.at, 5);
        assert!(e.message.contains("ends"), "{}", e.message);
        assert_eq!(parse("a = 'x'").unwrap_err().at, 2);
        assert_eq!(parse("a == 'x").unwrap_err().at, 5);
        assert!(parse("a && b").unwrap_err().message.contains("and"));
        assert!(parse("1 < a < 3").is_err());
        assert!(parse("").is_err());
        assert!(parse("(a").is_err());
        assert!(parse("a b").is_err());
        assert!(parse("-1 < a").is_err());
        assert!(parse("Agrees == 'yes'").is_err());
    }

    #[test]
    fn long_flat_chains_are_refused_not_a_stack_overflow() {
        // A flat chain is parsed by a loop, but its tree is one level deeper per operator.
        for chain in [
            vec!["1"; 30_000].join("+"),
            vec!["a == 'x'"; 30_000].join(" or "),
            vec!["true"; 30_000].join(" and "),
            "not ".repeat(30_000) + "a",
        ] {
            let e = parse(&chain).unwrap_err();
            assert!(
                e.message.contains("too long") || e.message.contains("nests"),
                "{e:?}"
            );
            assert!(e.at < chain.len());
        }
        let e = parse(&vec!["1"; MAX_HEIGHT + 2].join("+")).unwrap_err();
        assert!(
            e.message
                .contains(&format!("more than {MAX_HEIGHT} levels")),
            "{}",
            e.message
        );
        // Up to the limit is fine, and so is a wide list or many arguments (no deeper tree).
        assert!(parse(&vec!["1"; MAX_HEIGHT - 1].join("+")).is_ok());
        let long_or = vec!["a == 'x'"; 100].join(" or ");
        assert!(parse(&long_or).is_ok());
        let list = format!("a in [{}]", vec!["'x'"; 10_000].join(", "));
        assert!(parse(&list).is_ok());
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = format!("{}a{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(parse(&deep).is_err());
        let nots = format!("{}a", "not ".repeat(10_000));
        assert!(parse(&nots).is_err());
    }

    #[test]
    fn to_source_keeps_needed_parentheses_only() {
        for src in [
            "a == 'x' or b and c > 1",
            "(a or b) and c",
            "a or (b or c)",
            "not (a and b)",
            "not not a",
            "x - (y - z) > 1 + 2.5",
            "has(q, \"it's\") and x in ['a', 3, (1 + 2)]",
            "strong() >= 2 or strong() >= 1 and medium() + weak() >= 1",
        ] {
            assert_eq!(to_source(&ok(src)), src);
        }
        assert_eq!(to_source(&ok("((a))")), "a");
    }

    #[test]
    fn non_ascii_does_not_panic() {
        assert!(parse("spørsmål == 'ja'").is_err());
        assert!(parse("a == ’x’").is_err());
        assert_eq!(ok("a == 'blå'"), ok("a == \"blå\""));
    }
}
