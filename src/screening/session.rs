//! [`Session`]: one interview over a questionnaire.
//!
//! The session keeps the recorded entries (answers and notes) and a cursor; the path (which
//! items are shown, in order) is recomputed from the file order and the entries after every
//! change, so it is always what a fresh interview with the same answers would show. Entries of
//! questions that fall off the path stay stored (nothing typed is thrown away) but are ignored
//! by conditions, indicators and the outcome until their question is on the path again.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::error::AnswerError;
use super::result::{ScreeningResult, compute};
use super::typed;
use super::walk::{Seen, Walk, walk};
use super::{Answer, validate};
use crate::questionnaire::{FillField, Flag, Kind, Question, Questionnaire};

/// What is recorded for one question: its answer and the officer's note.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Entry {
    /// The answer; `None` for an optional question left empty, an `info` item that was
    /// continued, or a question that so far only has a note.
    pub answer: Option<Answer>,
    /// The officer's note, if any.
    pub note: Option<String>,
}

/// How far the interview has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Progress {
    /// Questions on the path that were dealt with (answered or left empty); `info` items are
    /// not counted.
    pub answered: usize,
    /// Questions still to come on the current path, the current one included, estimated by
    /// walking on as if each were left empty (the real number changes with the answers).
    pub remaining: usize,
}

/// An immediate flag raised in this screening, and whether the officer acknowledged it.
#[derive(Debug, Clone, Copy)]
pub struct ImmediateFlag<'a> {
    /// The flag, with its label and advice.
    pub flag: &'a Flag,
    /// The officer acknowledged it (the store records when and by whom).
    pub acknowledged: bool,
}

/// What the answers fill (`fills:` in the questionnaire): fields of the screening or referral
/// that the forms then take instead of asking again.
///
/// A field is filled by a question on the current path answered with a value: the choice's
/// `fills` value, or the date itself. A special answer (`dont_know`, `declined`) or an empty
/// optional question fills nothing, so the form asks for that field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filled {
    /// `(field, value, question id)` in file order.
    entries: Vec<(FillField, String, String)>,
}

impl Filled {
    /// The value filled into `field`, if any (`named`, `pending`, `2027-01-15`, ...).
    #[must_use]
    pub fn get(&self, field: FillField) -> Option<&str> {
        self.entries
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, v, _)| v.as_str())
    }

    /// The id of the question whose answer filled `field`.
    #[must_use]
    pub fn question(&self, field: FillField) -> Option<&str> {
        self.entries
            .iter()
            .find(|(f, _, _)| *f == field)
            .map(|(_, _, q)| q.as_str())
    }

    /// Every filled field with its value, in file order.
    pub fn iter(&self) -> impl Iterator<Item = (FillField, &str)> {
        self.entries.iter().map(|(f, v, _)| (*f, v.as_str()))
    }

    /// True when nothing is filled.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// What the officer (or an answers file) does at the item under the cursor.
#[derive(Debug, Clone, PartialEq)]
pub enum Move {
    /// Answer the question.
    Answer(Answer),
    /// Leave an optional question empty, or continue past an `info` item.
    Skip,
    /// Set the officer's note on the question (`None` or blank text clears it). Notes never
    /// move the walk.
    Note(Option<String>),
}

/// What a prepared move does to the session once applied.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Answer(Answer),
    Skip,
    Note(Option<String>),
}

/// A move checked by [`Session::prepare`], waiting for the store: save [`Pending::entry`]
/// (when there is one), and only after that commit succeeded call [`Session::apply`]. So the
/// screen never moves past an answer that is not on disk.
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a prepared move does nothing until it is saved and applied"]
pub struct Pending {
    index: usize,
    question: String,
    entry: Option<Entry>,
    step: Step,
    /// The screening detail the question fills (`fills: details.*`) and the value the entry
    /// gives it (`None`: not known, e.g. `dont_know` or skipped).
    fills: Option<(FillField, Option<String>)>,
}

impl Pending {
    /// The screening detail the question's answer fills (`details.interpreter`,
    /// `details.custody`) and the value the saved entry gives it; `None` when the question
    /// fills no screening detail, or the move saves nothing. The store sets the detail in the
    /// same transaction as the answer.
    #[must_use]
    pub fn fills_detail(&self) -> Option<(FillField, Option<&str>)> {
        self.entry.as_ref()?;
        self.fills.as_ref().map(|(f, v)| (*f, v.as_deref()))
    }

    /// The id of the question the move is for.
    #[must_use]
    pub fn question(&self) -> &str {
        &self.question
    }

    /// The question's whole entry as the store must save it before the move is applied;
    /// `None` when there is nothing to save (a note typed before the answer waits for it).
    #[must_use]
    pub fn entry(&self) -> Option<&Entry> {
        self.entry.as_ref()
    }

    /// True when applying moves the cursor on (an answer or a skip; not a note).
    #[must_use]
    pub fn moves_on(&self) -> bool {
        !matches!(self.step, Step::Note(_))
    }
}

/// One slot per question in file order.
#[derive(Debug, Clone, Default)]
struct Slot {
    entry: Option<Entry>,
    /// Dealt with: answered, left empty or continued. A note alone does not make a question
    /// dealt with, so typing a note first never lets the walk pass a required question.
    done: bool,
}

/// One screening interview as a pure state machine: no IO, no screens. Every front end (TUI,
/// plain mode, `--answers`, scenario tests) drives this same type.
#[derive(Debug, Clone)]
pub struct Session {
    q: Arc<Questionnaire>,
    slots: Vec<Slot>,
    /// Restored entries whose id the questionnaire does not know: kept so that nothing is
    /// lost, never read.
    orphans: Vec<(String, Entry)>,
    walk: Walk,
    cursor: usize,
    /// Immediate flags raised so far, by flag index, in the order they were first raised,
    /// with whether they were acknowledged. Never shrinks: nothing is un-raised.
    immediate: Vec<(usize, bool)>,
    /// Immediate flags the last answer (or skip) raised for the first time.
    newly: Vec<usize>,
}

impl Session {
    /// A new interview at its first shown item.
    #[must_use]
    pub fn new(q: Arc<Questionnaire>) -> Session {
        Self::restore(q, std::iter::empty())
    }

    /// An interview resumed from stored entries, with the cursor at the frontier (the first
    /// shown item without an answer), or at the end when the walk is complete.
    ///
    /// A stored entry counts as dealt with when it has an answer, or when its question is an
    /// `info` item or optional (left empty); a required question with only a note is asked
    /// again. Entries for ids the questionnaire does not have are kept but never read.
    #[must_use]
    pub fn restore(
        q: Arc<Questionnaire>,
        entries: impl IntoIterator<Item = (String, Entry)>,
    ) -> Session {
        let mut slots = vec![Slot::default(); q.question_count()];
        let mut orphans = Vec::new();
        for (id, entry) in entries {
            let index = q.question_index(&id);
            match (
                index.and_then(|i| slots.get_mut(i)),
                index.and_then(|i| q.question_at(i)),
            ) {
                (Some(slot), Some(question)) => {
                    slot.done =
                        entry.answer.is_some() || question.kind == Kind::Info || !question.required;
                    slot.entry = Some(entry);
                }
                _ => orphans.push((id, entry)),
            }
        }
        let mut s = Session {
            q,
            slots,
            orphans,
            walk: Walk::default(),
            cursor: 0,
            immediate: Vec::new(),
            newly: Vec::new(),
        };
        s.refresh();
        s.cursor = s.last_cursor();
        // Immediate flags the stored answers raise count as raised and not yet acknowledged,
        // so a resumed screening shows them again until the store says otherwise
        // (`restore_immediate`).
        s.note_raised();
        s.newly.clear();
        s
    }

    /// Restores what the store recorded about an immediate flag: that it was raised (even if
    /// the answers as they are now no longer raise it) and whether it was acknowledged. An id
    /// that names no immediate flag of the questionnaire is ignored.
    pub fn restore_immediate(&mut self, flag_id: &str, acknowledged: bool) {
        let Some(i) = self.immediate_index(flag_id) else {
            return;
        };
        match self.immediate.iter_mut().find(|(f, _)| *f == i) {
            Some(entry) => entry.1 = acknowledged,
            None => self.immediate.push((i, acknowledged)),
        }
    }

    /// The immediate flags that the last answer or skip raised for the first time in this
    /// screening, in file order: what a front end shows at once, before the next question.
    /// Recomputed by every answer or skip.
    #[must_use]
    pub fn newly_raised(&self) -> Vec<&Flag> {
        self.newly
            .iter()
            .filter_map(|&i| self.q.flags.get(i))
            .collect()
    }

    /// Every immediate flag raised in this screening, in the order first raised, with whether
    /// it was acknowledged. A flag stays here when a changed answer no longer raises it.
    #[must_use]
    pub fn immediate_flags(&self) -> Vec<ImmediateFlag<'_>> {
        self.immediate
            .iter()
            .filter_map(|&(i, acknowledged)| {
                Some(ImmediateFlag {
                    flag: self.q.flags.get(i)?,
                    acknowledged,
                })
            })
            .collect()
    }

    /// The immediate flags raised and not yet acknowledged: what a front end must show (again,
    /// after a resume) before the next question.
    #[must_use]
    pub fn unacknowledged(&self) -> Vec<&Flag> {
        self.immediate_flags()
            .into_iter()
            .filter(|f| !f.acknowledged)
            .map(|f| f.flag)
            .collect()
    }

    /// Records that the officer acknowledged the immediate flag `flag_id`. False (and no
    /// change) when it names no immediate flag raised in this screening; acknowledging twice
    /// is harmless.
    pub fn acknowledge(&mut self, flag_id: &str) -> bool {
        let Some(i) = self.immediate_index(flag_id) else {
            return false;
        };
        match self.immediate.iter_mut().find(|(f, _)| *f == i) {
            Some(entry) => {
                entry.1 = true;
                true
            }
            None => false,
        }
    }

    /// What the answers on the current path fill (see [`Filled`]).
    #[must_use]
    pub fn filled(&self) -> Filled {
        let mut entries = Vec::new();
        for &i in &self.walk.path {
            let (Some(question), Some(slot)) = (self.q.question_at(i), self.slots.get(i)) else {
                continue;
            };
            let Some(fills) = question.fills else {
                continue;
            };
            let answer = slot.entry.as_ref().and_then(|e| e.answer.as_ref());
            let value = match answer {
                Some(Answer::Choice(c)) => question
                    .choice(c)
                    .and_then(|c| c.fills.as_ref())
                    .map(|v| v.name.clone()),
                Some(Answer::Date(d)) => Some(d.clone()),
                _ => None,
            };
            if let (true, Some(value)) = (slot.done, value) {
                entries.push((fills.field, value, question.id.name.clone()));
            }
        }
        Filled { entries }
    }

    /// The questionnaire being run.
    #[must_use]
    pub fn questionnaire(&self) -> &Questionnaire {
        &self.q
    }

    /// The shared questionnaire, for front ends that keep their own handle.
    #[must_use]
    pub fn questionnaire_arc(&self) -> &Arc<Questionnaire> {
        &self.q
    }

    /// The item at the cursor; `None` when the walk reached the end and the cursor is there.
    #[must_use]
    pub fn current(&self) -> Option<&Question> {
        let i = *self.walk.path.get(self.cursor)?;
        self.q.question_at(i)
    }

    /// The shown items in order, up to and including the frontier (every one when finished).
    #[must_use]
    pub fn path(&self) -> Vec<&Question> {
        self.walk
            .path
            .iter()
            .filter_map(|&i| self.q.question_at(i))
            .collect()
    }

    /// The ids of the shown questions in order, `info` items left out: what scenario files
    /// call `asked`.
    #[must_use]
    pub fn asked(&self) -> Vec<&str> {
        self.path()
            .into_iter()
            .filter(|q| q.kind != Kind::Info)
            .map(|q| q.id.as_str())
            .collect()
    }

    /// The cursor: an index into [`Session::path`]; equal to its length when at the end.
    #[must_use]
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// True when the question is on the current path (its answer counts).
    #[must_use]
    pub fn on_path(&self, question_id: &str) -> bool {
        self.q
            .question_index(question_id)
            .is_some_and(|i| self.walk.path.contains(&i))
    }

    /// Checks a move at the item under the cursor and says what the store must save first;
    /// the session itself does not change until [`Session::apply`]. This is the one place for
    /// the rules every front end shares: a required question cannot be left empty, an answer
    /// must suit its question, an answer keeps the note the question already has (or the one
    /// typed before it), a note on a question already dealt with is saved on its own at once,
    /// and a note typed before the answer waits for it (nothing to save yet).
    ///
    /// # Errors
    /// [`AnswerError::Finished`] at the end, or why the move is refused (the answer does not
    /// suit the question, a required question left empty, a note that is not text).
    pub fn prepare(&self, mv: Move) -> Result<Pending, AnswerError> {
        let (index, question) = self.current_item().ok_or(AnswerError::Finished)?;
        let slot = self.slots.get(index);
        let note = slot
            .and_then(|s| s.entry.as_ref())
            .and_then(|e| e.note.clone());
        let (entry, step) = match mv {
            Move::Answer(a) => {
                validate(question, &a)?;
                let a = normalise(question, a);
                (
                    Some(Entry {
                        answer: Some(a.clone()),
                        note,
                    }),
                    Step::Answer(a),
                )
            }
            Move::Skip => {
                if question.kind != Kind::Info && question.required {
                    return Err(AnswerError::Required {
                        question: question.id.name.clone(),
                        hint: special_hint(question),
                    });
                }
                (Some(Entry { answer: None, note }), Step::Skip)
            }
            Move::Note(text) => {
                let text = text.filter(|n| !n.trim().is_empty());
                if let Some(t) = &text {
                    check_note(question, t)?;
                }
                let done = slot.is_some_and(|s| s.done);
                let entry = done.then(|| Entry {
                    answer: slot
                        .and_then(|s| s.entry.as_ref())
                        .and_then(|e| e.answer.clone()),
                    note: text.clone(),
                });
                (entry, Step::Note(text))
            }
        };
        let fills = question
            .fills
            .filter(|f| {
                matches!(
                    f.field,
                    FillField::DetailsInterpreter | FillField::DetailsCustody
                )
            })
            .map(|f| {
                let value = match entry.as_ref().and_then(|e| e.answer.as_ref()) {
                    Some(Answer::Choice(c)) => question
                        .choice(c)
                        .and_then(|c| c.fills.as_ref())
                        .map(|v| v.name.clone()),
                    _ => None,
                };
                (f.field, value)
            });
        Ok(Pending {
            index,
            question: question.id.name.clone(),
            entry,
            step,
            fills,
        })
    }

    /// Applies a move prepared by [`Session::prepare`], once the store has saved
    /// [`Pending::entry`] (if there was one): records it and, for an answer or a skip, moves
    /// to the next item on the recomputed path.
    ///
    /// # Errors
    /// [`AnswerError::Moved`] when the cursor is no longer at the question the move was
    /// prepared for (nothing changes).
    pub fn apply(&mut self, p: Pending) -> Result<(), AnswerError> {
        if self.current_item().map(|(i, _)| i) != Some(p.index) {
            return Err(AnswerError::Moved {
                question: p.question,
            });
        }
        match p.step {
            Step::Answer(a) => self.record(p.index, Some(a)),
            Step::Skip => self.record(p.index, None),
            Step::Note(note) => self.set_note(&p.question, note),
        }
        Ok(())
    }

    /// Validates `a` for the item at the cursor, records it (keeping any note) and moves to
    /// the next item on the recomputed path. A `multi` answer is stored in the question's
    /// choice order. For callers without a store (scenario tests); front ends that save use
    /// [`Session::prepare`] and [`Session::apply`].
    ///
    /// # Errors
    /// [`AnswerError::Finished`] at the end, or why the question cannot take `a`.
    pub fn answer(&mut self, a: Answer) -> Result<(), AnswerError> {
        let p = self.prepare(Move::Answer(a))?;
        self.apply(p)
    }

    /// Leaves an optional question empty (clearing an answer it had), or continues past an
    /// `info` item, and moves to the next item.
    ///
    /// # Errors
    /// [`AnswerError::Required`] for a required question, [`AnswerError::Finished`] at the end.
    pub fn skip(&mut self) -> Result<(), AnswerError> {
        let p = self.prepare(Move::Skip)?;
        self.apply(p)
    }

    /// Moves the cursor one item back; false at the start.
    pub fn back(&mut self) -> bool {
        if self.cursor == 0 {
            return false;
        }
        self.cursor -= 1;
        true
    }

    /// Moves the cursor one item forward over items already dealt with; false at the
    /// frontier or the end.
    pub fn forward(&mut self) -> bool {
        if self.cursor >= self.last_cursor() {
            return false;
        }
        self.cursor += 1;
        true
    }

    /// Moves the cursor to a question on the path; false (and no move) when it is not on it.
    pub fn jump_to(&mut self, question_id: &str) -> bool {
        let Some(i) = self.q.question_index(question_id) else {
            return false;
        };
        match self.walk.path.iter().position(|&p| p == i) {
            Some(pos) => {
                self.cursor = pos;
                true
            }
            None => false,
        }
    }

    /// Sets or clears the officer's note on a question (an empty note clears it). Notes never
    /// change the path. An id the questionnaire does not have is ignored.
    pub fn set_note(&mut self, question_id: &str, note: Option<String>) {
        let Some(slot) = self
            .q
            .question_index(question_id)
            .and_then(|i| self.slots.get_mut(i))
        else {
            return;
        };
        let note = note.filter(|n| !n.trim().is_empty());
        match &mut slot.entry {
            Some(entry) => {
                entry.note = note;
                if entry.note.is_none() && entry.answer.is_none() && !slot.done {
                    slot.entry = None;
                }
            }
            None if note.is_some() => slot.entry = Some(Entry { answer: None, note }),
            None => {}
        }
    }

    /// The entry recorded for a question (on the path or not).
    #[must_use]
    pub fn entry(&self, question_id: &str) -> Option<&Entry> {
        match self.q.question_index(question_id) {
            Some(i) => self.slots.get(i).and_then(|s| s.entry.as_ref()),
            None => self
                .orphans
                .iter()
                .find(|(id, _)| id == question_id)
                .map(|(_, e)| e),
        }
    }

    /// Every recorded entry, in file order, stale ones included (then any restored entries
    /// for ids the questionnaire does not have): what a store saves.
    pub fn entries(&self) -> impl Iterator<Item = (&str, &Entry)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let entry = s.entry.as_ref()?;
                Some((self.q.question_at(i)?.id.as_str(), entry))
            })
            .chain(self.orphans.iter().map(|(id, e)| (id.as_str(), e)))
    }

    /// Every recorded entry as owned pairs, what [`Session::restore`] takes back.
    #[must_use]
    pub fn entries_owned(&self) -> Vec<(String, Entry)> {
        self.entries()
            .map(|(id, e)| (id.to_owned(), e.clone()))
            .collect()
    }

    /// True when the walk reached the end (past the last item, or a `goto: end`).
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.walk.finished
    }

    /// Questions dealt with, and an estimate of those still to come.
    #[must_use]
    pub fn progress(&self) -> Progress {
        let is_question = |&&i: &&usize| {
            self.q
                .question_at(i)
                .is_some_and(|question| question.kind != Kind::Info)
        };
        let dealt_with = if self.walk.finished {
            &self.walk.path[..]
        } else {
            let frontier = self.walk.path.len().saturating_sub(1);
            self.walk.path.get(..frontier).unwrap_or_default()
        };
        let answered = dealt_with.iter().filter(is_question).count();
        if self.walk.finished {
            return Progress {
                answered,
                remaining: 0,
            };
        }
        let projected = walk(&self.q, &self.seen(), true);
        let remaining = projected
            .path
            .get(dealt_with.len()..)
            .unwrap_or_default()
            .iter()
            .filter(is_question)
            .count();
        Progress {
            answered,
            remaining,
        }
    }

    /// The result over the answers of the questions on the path (stale answers ignored).
    /// Meaningful at any time; final once [`Session::is_finished`].
    #[must_use]
    pub fn result(&self) -> ScreeningResult {
        let mut given: Vec<Option<&Answer>> = vec![None; self.q.question_count()];
        for &i in &self.walk.path {
            if let (Some(slot), Some(g)) = (self.slots.get(i), given.get_mut(i))
                && slot.done
            {
                *g = slot.entry.as_ref().and_then(|e| e.answer.as_ref());
            }
        }
        let mut result = compute(&self.q, &given);
        // An immediate flag, once raised, stays raised for the screening (it was shown and
        // acknowledged as such) even when a changed answer no longer raises it. It belongs to
        // no dimension, so only the list of flags changes, not the outcome.
        if self.immediate.iter().any(|(i, _)| {
            self.q
                .flags
                .get(*i)
                .is_some_and(|f| !result.flags.iter().any(|r| r.id == f.id.name))
        }) {
            let mut flags = Vec::new();
            for (i, flag) in self.q.flags.iter().enumerate() {
                if let Some(r) = result.flags.iter().find(|r| r.id == flag.id.name) {
                    flags.push(r.clone());
                } else if self.immediate.iter().any(|(f, _)| *f == i) {
                    flags.push(super::RaisedItem {
                        id: flag.id.name.clone(),
                        because: Vec::new(),
                    });
                }
            }
            result.flags = flags;
        }
        result
    }

    /// Checks that `q` can take `a`: the kind matches, choices exist (a `multi` answer lists
    /// each known choice once; an empty list means none), numbers are finite and within
    /// `min`..=`max`, dates are real ISO dates, special answers are allowed.
    ///
    /// # Errors
    /// One sentence naming the question and the value.
    pub fn validate(q: &Question, a: &Answer) -> Result<(), AnswerError> {
        validate(q, a)
    }

    fn seen(&self) -> Vec<Seen<'_>> {
        self.slots
            .iter()
            .map(|s| Seen {
                done: s.done,
                answer: if s.done {
                    s.entry.as_ref().and_then(|e| e.answer.as_ref())
                } else {
                    None
                },
            })
            .collect()
    }

    fn refresh(&mut self) {
        self.walk = walk(&self.q, &self.seen(), false);
    }

    fn immediate_index(&self, flag_id: &str) -> Option<usize> {
        self.q
            .flags
            .iter()
            .position(|f| f.immediate && f.id.name == flag_id)
    }

    /// Adds the immediate flags the answers raise now and were not raised before to the
    /// screening's list, and remembers them as newly raised.
    fn note_raised(&mut self) {
        self.newly.clear();
        if !self.q.flags.iter().any(|f| f.immediate) {
            return;
        }
        let result = self.result();
        for (i, flag) in self.q.flags.iter().enumerate() {
            if flag.immediate
                && !self.immediate.iter().any(|(f, _)| *f == i)
                && result.flags.iter().any(|r| r.id == flag.id.name)
            {
                self.immediate.push((i, false));
                self.newly.push(i);
            }
        }
    }

    /// The largest cursor: the frontier, or one past the path when finished.
    fn last_cursor(&self) -> usize {
        if self.walk.finished {
            self.walk.path.len()
        } else {
            self.walk.path.len().saturating_sub(1)
        }
    }

    fn current_item(&self) -> Option<(usize, &Question)> {
        let i = *self.walk.path.get(self.cursor)?;
        Some((i, self.q.question_at(i)?))
    }

    /// Records the item at file index `index` as dealt with and moves the cursor to the item
    /// after it on the recomputed path (its own position cannot change: the walk up to it
    /// reads only earlier answers).
    fn record(&mut self, index: usize, answer: Option<Answer>) {
        if let Some(slot) = self.slots.get_mut(index) {
            let note = slot.entry.take().and_then(|e| e.note);
            // An entry even without answer or note: a store saves it, so that a resumed
            // interview knows the info item was continued or the question left empty.
            slot.entry = Some(Entry { answer, note });
            slot.done = true;
        }
        self.refresh();
        self.note_raised();
        let pos = self.walk.path.iter().position(|&p| p == index);
        self.cursor = pos.map_or(self.last_cursor(), |p| (p + 1).min(self.last_cursor()));
    }
}

/// A `multi` answer in the question's choice order, so equal answers are stored equally.
fn normalise(q: &Question, a: Answer) -> Answer {
    match a {
        Answer::Choices(mut cs) => {
            cs.sort_by_key(|c| q.choices.iter().position(|x| x.id.name == *c));
            Answer::Choices(cs)
        }
        other => other,
    }
}

/// Checks a note typed on question `q`.
fn check_note(q: &Question, note: &str) -> Result<(), AnswerError> {
    typed::check_text(note, typed::NOTE_MAX).map_err(|problem| AnswerError::BadText {
        question: q.id.name.clone(),
        what: "note",
        problem,
    })
}

/// ": give `dont_know` or `declined` if needed" for the required-question message.
pub(crate) fn special_hint(q: &Question) -> String {
    match (q.allow.dont_know, q.allow.declined) {
        (true, true) => "; `dont_know` or `declined` can be given instead".into(),
        (true, false) => "; `dont_know` can be given instead".into(),
        (false, true) => "; `declined` can be given instead".into(),
        (false, false) => String::new(),
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod features;
