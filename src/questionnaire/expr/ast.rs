//! The syntax tree of an expression, its values and its syntax errors.

/// A parsed expression. Offsets (`at`) are byte offsets into the expression's own text.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number literal (no sign; may have a fraction).
    Number(f64),
    /// A string literal, quotes removed.
    Str(String),
    /// `true` or `false`.
    Bool(bool),
    /// A bare id: a question's answer.
    Ident(Ident),
    /// A function call.
    Call(Call),
    /// `not e`.
    Not(Box<Expr>),
    /// `a and b`.
    And(Box<Expr>, Box<Expr>),
    /// `a or b`.
    Or(Box<Expr>, Box<Expr>),
    /// `a op b`.
    Compare {
        /// The operator.
        op: CompareOp,
        /// Left side.
        lhs: Box<Expr>,
        /// Right side.
        rhs: Box<Expr>,
        /// Byte offset of the operator.
        at: usize,
    },
    /// `a in [x, y]`.
    In {
        /// The value looked for.
        lhs: Box<Expr>,
        /// The list's atoms.
        list: Vec<Expr>,
        /// Byte offset of `in`.
        at: usize,
    },
    /// `a + b` or `a - b`.
    Arith {
        /// The operator.
        op: ArithOp,
        /// Left side.
        lhs: Box<Expr>,
        /// Right side.
        rhs: Box<Expr>,
        /// Byte offset of the operator.
        at: usize,
    },
}

/// An identifier inside an expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    /// The id.
    pub name: String,
    /// Byte offset in the expression text.
    pub at: usize,
}

/// A function call such as `has(q, 'x')`.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The function's name.
    pub name: Ident,
    /// Its arguments.
    pub args: Vec<Expr>,
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// `+` and `-`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
}

/// The value of an expression while it is evaluated.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A truth value.
    Bool(bool),
    /// A number.
    Number(f64),
    /// A string (choice ids, texts and ISO dates).
    Str(String),
    /// No value: a question not asked, not answered, or answered `dont_know`/`declined`.
    Missing,
}

/// An expression that does not parse.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    /// One sentence saying what is wrong.
    pub message: String,
    /// Byte offset in the expression text where the problem was seen.
    pub at: usize,
}
