//! Immediate flags on screen (format 1, `immediate: true`): the panel that interrupts the
//! interview the moment an answer raises one, with its advice, until the officer acknowledges
//! it (recorded through the store: when and by whom); and the line above the question that
//! lists every immediate flag raised in this screening for the rest of it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::questionnaire::Flag;
use crate::screening::ImmediateFlag;
use crate::tui::app::centered;
use crate::tui::chrome;
use crate::tui::theme::Theme;
use crate::words::officer::Strings;

/// The panel's lines for `flag`: what was raised, what to do now, and how to go on.
#[must_use]
pub fn lines(flag: &Flag, more: usize, lang: &str, s: &Strings, t: Theme) -> Vec<Line<'static>> {
    let mut out = vec![
        Line::styled(
            format!("{} {}", s.flag_now, flag.label.show(lang)),
            t.error(),
        ),
        Line::from(""),
        Line::from(flag.advice.show(lang).to_string()),
        Line::from(""),
    ];
    if more > 0 {
        out.push(Line::styled(
            s.flag_more.replace("{n}", &more.to_string()),
            t.dim(),
        ));
    }
    out.push(Line::from(vec![
        Span::styled("Enter", t.key()),
        Span::raw(format!(" {}", s.flag_ack)),
    ]));
    out
}

/// Draws the panel over `area` (the interview's body), wrapped to fit; `more` is how many
/// other flags wait after this one.
pub fn draw(
    frame: &mut Frame,
    area: Rect,
    flag: &Flag,
    more: usize,
    lang: &str,
    s: &Strings,
    t: Theme,
) {
    let width = area.width.saturating_sub(4).min(72);
    let text = lines(flag, more, lang, s, t);
    let height = (chrome::wrapped_height(&text, width.saturating_sub(2)) + 2).min(area.height);
    let panel = centered(area, width, height);
    frame.render_widget(Clear, panel);
    frame.render_widget(
        Paragraph::new(text).wrap(Wrap { trim: true }).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.error())
                .title(format!(" {} ", s.flag_title)),
        ),
        panel,
    );
}

/// The line listing the immediate flags raised so far (`None` when there are none): shown above
/// the question for the rest of the screening, so the officer never loses sight of them.
#[must_use]
pub fn top_line(
    flags: &[ImmediateFlag<'_>],
    lang: &str,
    s: &Strings,
    t: Theme,
) -> Option<Line<'static>> {
    if flags.is_empty() {
        return None;
    }
    let labels: Vec<String> = flags
        .iter()
        .map(|f| f.flag.label.show(lang).to_string())
        .collect();
    Some(Line::from(vec![
        Span::styled(format!("{} ", s.flag_line), t.error()),
        Span::styled(labels.join(" · "), t.bold()),
    ]))
}
