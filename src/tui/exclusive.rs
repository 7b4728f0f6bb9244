//! Exclusive choices (`exclusive: true` on a choice of a multi question) in the tick list: the
//! screen makes the contradiction impossible instead of refusing it afterwards. Ticking an
//! exclusive choice clears every other; ticking any other clears the exclusive ones. The caller
//! shows a short note saying which were cleared and why.

use crate::questionnaire::Question;

/// What a toggle changed besides the toggled row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleared {
    /// Rows un-ticked because of the toggle, in the question's order.
    pub rows: Vec<usize>,
    /// True when the toggled row is the exclusive one (the others were cleared); false when an
    /// exclusive row was cleared because another was ticked.
    pub by_exclusive: bool,
}

/// Toggles row `row` of `chosen` (one flag per choice of `q`) and keeps the exclusive rule.
pub fn toggle(q: &Question, chosen: &mut [bool], row: usize) -> Cleared {
    let Some(now) = chosen.get(row).map(|c| !c) else {
        return Cleared::default();
    };
    if let Some(c) = chosen.get_mut(row) {
        *c = now;
    }
    if !now {
        return Cleared::default();
    }
    let exclusive = |i: usize| q.choices.get(i).is_some_and(|c| c.exclusive);
    let by_exclusive = exclusive(row);
    let mut rows = Vec::new();
    for (i, c) in chosen.iter_mut().enumerate() {
        // Ticking the exclusive row clears all others; ticking another clears the exclusive.
        if i != row && *c && (by_exclusive || exclusive(i)) {
            *c = false;
            rows.push(i);
        }
    }
    Cleared { rows, by_exclusive }
}

/// The note for the officer after a toggle cleared something (`None` when nothing was), with
/// the choice labels in `lang`.
#[must_use]
pub fn note(
    q: &Question,
    row: usize,
    cleared: &Cleared,
    lang: &str,
    s: &crate::words::officer::Strings,
) -> Option<String> {
    if cleared.rows.is_empty() {
        return None;
    }
    let label = |i: usize| {
        q.choices
            .get(i)
            .map_or_else(String::new, |c| c.label.show(lang).to_string())
    };
    Some(if cleared.by_exclusive {
        s.exclusive_cleared_others.replace("{choice}", &label(row))
    } else {
        let names: Vec<String> = cleared.rows.iter().map(|&i| label(i)).collect();
        s.exclusive_cleared.replace("{choice}", &names.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEATURES: &str = include_str!("../../tests/fixtures/lint/format-features.yaml");

    fn q() -> Question {
        let q = crate::questionnaire::open(FEATURES, "f.yaml").unwrap();
        q.question("threats").cloned().unwrap()
    }

    #[test]
    fn ticking_the_exclusive_choice_clears_the_others_and_the_reverse() {
        let q = q();
        let s = crate::words::officer::strings("en");
        let mut chosen = vec![true, true, false];
        let c = toggle(&q, &mut chosen, 2);
        assert_eq!(chosen, [false, false, true]);
        assert_eq!(
            c,
            Cleared {
                rows: vec![0, 1],
                by_exclusive: true
            }
        );
        assert_eq!(
            note(&q, 2, &c, "en", s).as_deref(),
            Some(
                "\u{201c}None of these\u{201d} is chosen alone, so the other choices were cleared."
            )
        );
        let c = toggle(&q, &mut chosen, 1);
        assert_eq!(chosen, [false, true, false]);
        assert_eq!(
            c,
            Cleared {
                rows: vec![2],
                by_exclusive: false
            }
        );
        assert_eq!(
            note(&q, 1, &c, "en", s).as_deref(),
            Some("\u{201c}None of these\u{201d} was cleared: it can only be chosen alone.")
        );
        // Un-ticking or ticking an ordinary choice next to others clears nothing.
        assert_eq!(toggle(&q, &mut chosen, 0), Cleared::default());
        assert_eq!(toggle(&q, &mut chosen, 0), Cleared::default());
        assert_eq!(chosen, [false, true, false]);
        assert_eq!(toggle(&q, &mut chosen, 9), Cleared::default());
    }
}
