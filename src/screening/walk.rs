//! The walk: which items an interview shows, recomputed from the file order and the recorded
//! entries alone, so that it is a pure function of the answers (going back and changing an
//! answer can never leave the path in a state no fresh interview would reach).

use std::cell::OnceCell;

use super::Answer;
use super::env::{WalkEnv, cond_holds};
use crate::questionnaire::{Goto, Named, Questionnaire};

/// What the walk knows about one item (by file-order index).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Seen<'a> {
    /// The item was dealt with: answered, left empty (optional questions) or continued
    /// (`info`). Only such items let the walk go past them.
    pub(crate) done: bool,
    /// The answer, when there is one.
    pub(crate) answer: Option<&'a Answer>,
}

/// The result of a walk.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Walk {
    /// File-order indices of the shown items, in order; when not finished the last one is the
    /// frontier (the first shown item that was not dealt with).
    pub(crate) path: Vec<usize>,
    /// The walk reached the end (past the last item, or a `goto: end`).
    pub(crate) finished: bool,
}

/// Where the walk goes after an item.
enum Next {
    At(usize),
    End,
}

/// Walks the questionnaire over `seen` (indexed by file order). With `project` the walk does
/// not stop at items that were not dealt with but goes on as if they were left empty: the
/// estimate of what is still to come, for progress.
pub(crate) fn walk(q: &Questionnaire, seen: &[Seen<'_>], project: bool) -> Walk {
    let n = q.question_count();
    let mut given: Vec<Option<&Answer>> = vec![None; n];
    let mut cache: OnceCell<super::env::Raised> = OnceCell::new();
    let mut path = Vec::new();
    let mut checked_section: Option<usize> = None;
    let mut i = 0;
    loop {
        let Some(question) = q.question_at(i) else {
            return Walk {
                path,
                finished: true,
            };
        };
        let s = question.section;
        if checked_section != Some(s) {
            // Entering a section (by walking into it or by a jump into its middle): its
            // show_if is evaluated once, with the answers given so far.
            checked_section = Some(s);
            if let Some(cond) = q.sections.get(s).and_then(|sec| sec.show_if.as_ref()) {
                let env = WalkEnv {
                    q,
                    given: &given,
                    cache: &cache,
                };
                if !cond_holds(Some(cond), &env, None) {
                    i = q.section_start(s + 1).max(i + 1);
                    continue;
                }
            }
        }
        if let Some(cond) = &question.show_if {
            let env = WalkEnv {
                q,
                given: &given,
                cache: &cache,
            };
            if !cond_holds(Some(cond), &env, None) {
                i += 1;
                continue;
            }
        }
        path.push(i);
        let item = seen.get(i).copied().unwrap_or_default();
        if !item.done && !project {
            return Walk {
                path,
                finished: false,
            };
        }
        if item.answer.is_some() {
            if let Some(slot) = given.get_mut(i) {
                *slot = item.answer;
            }
            // What the answers raise changes with this answer.
            cache = OnceCell::new();
        }
        let next = {
            let env = WalkEnv {
                q,
                given: &given,
                cache: &cache,
            };
            question
                .goto
                .iter()
                .find(|g| g.cond.is_none() || cond_holds(g.cond.as_ref(), &env, None))
                .map_or(Next::At(i + 1), |g| target(q, g, i))
        };
        match next {
            Next::End => {
                return Walk {
                    path,
                    finished: true,
                };
            }
            Next::At(j) => i = j,
        }
    }
}

/// Where a goto from item `from` leads. A target that is unknown or not after the item (lint
/// reports both) is ignored, so the walk always moves forward and always ends.
fn target(q: &Questionnaire, g: &Goto, from: usize) -> Next {
    if g.is_end() {
        return Next::End;
    }
    let to = match q.lookup(g.to.as_str()) {
        Some(Named::Question(j)) => j,
        Some(Named::Section(s)) => q.section_start(s),
        _ => from + 1,
    };
    Next::At(to.max(from + 1))
}
