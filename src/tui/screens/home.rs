//! Home: start a new screening, resume an unfinished one, the hand-off to ROSA, open the review
//! queue, import referrals, see the registered prisons, quit.
//!
//! What is offered follows the site (product.md, "Deployment"): a prison gets screenings and
//! the hand-off (with its counts), ROSA the review queue, imports and sites, and a machine with
//! no `site` set gets everything. When a purge period is configured and a purge is overdue, the
//! screen says so.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Position};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::details;
use super::sites::{self, SiteFacts};
use crate::settings::Site;
use crate::store::ScreeningSummary;
use crate::tui::app::{Effect, Exit, Msg, Screen, State};
use crate::tui::chrome;
use crate::words::HELPLINE;
use crate::words::fmt;
use crate::words::sites::site_words;

/// The home screen's own state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HomeState {
    /// Unfinished screenings, newest first.
    pub unfinished: Vec<ScreeningSummary>,
    /// The focused row (see [`HomeState::rows`]).
    pub selected: usize,
    /// The kind of site, which decides the rows offered (`None`: everything).
    pub site: Option<Site>,
    /// Hand-off counts, imports waiting, registered prisons and a purge that is due.
    pub facts: SiteFacts,
}

/// One row of the home menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// Start a new screening.
    New,
    /// Resume the unfinished screening at this index.
    Resume(usize),
    /// Open the hand-off to ROSA (prison).
    Handoff,
    /// Open the review queue.
    Review,
    /// Import referrals from the inbox (ROSA).
    Import,
    /// The registered prisons (ROSA).
    Sites,
    /// Quit.
    Quit,
}

impl HomeState {
    /// A home screen listing these unfinished screenings.
    #[must_use]
    pub fn with(unfinished: Vec<ScreeningSummary>) -> Self {
        Self {
            unfinished,
            selected: 0,
            site: None,
            facts: SiteFacts::default(),
        }
        .focus_first()
    }

    /// The same home screen at a site of this kind.
    #[must_use]
    pub fn at_site(mut self, site: Option<Site>) -> Self {
        self.site = site;
        self.focus_first()
    }

    /// Focuses the first row an officer most likely wants: the latest unfinished screening when
    /// there is one (after a crash or a pause, Enter must resume it, not start a second
    /// screening of the same person), else the first row.
    fn focus_first(mut self) -> Self {
        self.selected = self
            .rows()
            .iter()
            .position(|r| matches!(r, Row::Resume(_)))
            .unwrap_or(0);
        self
    }

    /// Whether screenings (new and resumed) are offered: not at ROSA.
    #[must_use]
    pub fn offers_screenings(&self) -> bool {
        self.site != Some(Site::Rosa)
    }

    /// Whether the review queue is offered: not at a prison.
    #[must_use]
    pub fn offers_review(&self) -> bool {
        self.site != Some(Site::Prison)
    }

    /// The rows in order.
    #[must_use]
    pub fn rows(&self) -> Vec<Row> {
        let mut rows = Vec::new();
        if self.offers_screenings() {
            rows.push(Row::New);
            rows.extend((0..self.unfinished.len()).map(Row::Resume));
            rows.push(Row::Handoff);
        }
        if self.offers_review() {
            rows.extend([Row::Review, Row::Import, Row::Sites]);
        }
        rows.push(Row::Quit);
        rows
    }
}

/// What the officer can do on the home screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HomeMsg {
    /// Focus the row above.
    Up,
    /// Focus the row below.
    Down,
    /// Act on the focused row.
    Choose,
    /// Start a new screening.
    New,
    /// Open the review queue.
    Review,
    /// Open the hand-off to ROSA.
    Handoff,
    /// Open the import of referrals.
    Import,
    /// Open the registered prisons.
    Sites,
    /// Switch the screens' language.
    Language,
}

/// Maps a key to a home message.
#[must_use]
pub fn key(_s: &HomeState, key: KeyEvent) -> Option<Msg> {
    let m = match key.code {
        KeyCode::Up | KeyCode::Char('k') => HomeMsg::Up,
        KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => HomeMsg::Down,
        KeyCode::Enter => HomeMsg::Choose,
        KeyCode::Char('n') => HomeMsg::New,
        KeyCode::Char('r') => HomeMsg::Review,
        KeyCode::Char('h') => HomeMsg::Handoff,
        KeyCode::Char('i') => HomeMsg::Import,
        KeyCode::Char('p') => HomeMsg::Sites,
        KeyCode::Char('l') => HomeMsg::Language,
        KeyCode::Char('?') => return Some(Msg::Help),
        KeyCode::Char('q') | KeyCode::Esc => return Some(Msg::Quit),
        _ => return None,
    };
    Some(Msg::Home(m))
}

/// Applies a home message.
pub fn update(state: &mut State, msg: HomeMsg) -> Vec<Effect> {
    if msg == HomeMsg::Language {
        state.lang = state.next_lang(&state.questionnaire);
        return Vec::new();
    }
    let Screen::Home(h) = &mut state.screen else {
        return Vec::new();
    };
    let rows = h.rows();
    let row = match msg {
        HomeMsg::Up => {
            h.selected = h.selected.checked_sub(1).unwrap_or(rows.len() - 1);
            return Vec::new();
        }
        HomeMsg::Down => {
            h.selected = (h.selected + 1) % rows.len();
            return Vec::new();
        }
        HomeMsg::New => Row::New,
        HomeMsg::Review => Row::Review,
        HomeMsg::Handoff => Row::Handoff,
        HomeMsg::Import => Row::Import,
        HomeMsg::Sites => Row::Sites,
        HomeMsg::Language => return Vec::new(),
        HomeMsg::Choose => rows.get(h.selected).copied().unwrap_or(Row::Quit),
    };
    // A shortcut for what this site is not offered does nothing.
    if !rows.contains(&row) {
        return Vec::new();
    }
    match row {
        Row::New => {
            details::open(state);
            Vec::new()
        }
        Row::Resume(i) => match h.unfinished.get(i) {
            Some(u) => vec![Effect::Resume(u.id.clone())],
            None => Vec::new(),
        },
        Row::Review => {
            state.exit = Some(Exit::OpenReview);
            Vec::new()
        }
        Row::Handoff => sites::open_handoff(state),
        Row::Import => sites::open_import(state),
        Row::Sites => sites::open_sites(state),
        Row::Quit => {
            state.exit = Some(Exit::Quit);
            Vec::new()
        }
    }
}

/// Draws the home screen.
pub fn view(state: &State, h: &HomeState, frame: &mut Frame) {
    let s = state.strings();
    let sw = site_words(&state.lang);
    let t = state.theme;
    let keys: Vec<(&str, &str)> = [
        ("↑↓", s.key_move),
        ("Enter", s.key_choose),
        ("n", s.home_new),
        ("h", sw.home_handoff),
        ("r", s.home_review),
        ("i", sw.home_import),
        ("p", sw.home_sites),
        ("l", s.key_language),
        ("?", s.key_help),
        ("q", s.key_quit),
    ]
    .into_iter()
    .filter(|(k, _)| match *k {
        "n" | "h" => h.offers_screenings(),
        "r" | "i" | "p" => h.offers_review(),
        _ => true,
    })
    .collect();
    let body = chrome::draw(state, frame, s.home_title, &keys);
    let inner = body.inner(ratatui::layout::Margin {
        horizontal: 2,
        vertical: 1,
    });
    let intro_lines = [
        Line::styled(state.questionnaire.title.show(&state.lang), t.bold()),
        Line::from(s.home_intro),
        Line::from(format!("{} {}", s.helpline_line, HELPLINE)),
    ];
    let width = usize::from(inner.width.max(1));
    let mut intro_lines: Vec<Line> = intro_lines
        .iter()
        .flat_map(|l| crate::tui::wrap::wrap_line_hanging(l, width, 0))
        .collect();
    if let Some(purge) = sites::purge_text(sw, &h.facts) {
        intro_lines.extend(crate::tui::wrap::wrap_line(
            &Line::styled(format!("! {purge}"), t.warn()),
            width,
        ));
    }
    let intro_h = u16::try_from(intro_lines.len() + 1).unwrap_or(5).max(5);
    let [intro, list] =
        Layout::vertical([Constraint::Length(intro_h), Constraint::Min(1)]).areas(inner);
    frame.render_widget(Paragraph::new(intro_lines), intro);

    let mut lines = Vec::new();
    let mut cursor_row = 0;
    for (i, row) in h.rows().into_iter().enumerate() {
        let gap = match row {
            Row::Handoff => true,
            Row::Review => h.offers_screenings(),
            _ => false,
        };
        if gap || row == Row::Resume(0) {
            let label = if row == Row::Resume(0) {
                s.home_unfinished
            } else {
                ""
            };
            lines.push(Line::styled(label, t.dim()));
        }
        let text = match row {
            Row::New => s.home_new_row.to_string(),
            Row::Resume(u) => h.unfinished.get(u).map_or_else(String::new, |u| {
                format!(
                    "{} {} · {} · {} · {}",
                    s.home_resume,
                    crate::tui::shown(&u.person),
                    crate::tui::shown(&u.unit),
                    fmt::local_time(&u.started_at),
                    s.answered_count.replace("{n}", &u.answers.to_string())
                )
            }),
            Row::Handoff => sites::handoff_row_text(sw, &h.facts),
            Row::Review => s.home_review_row.to_string(),
            Row::Import => match h.facts.inbox {
                Some(n) => sw.import_row.replace("{n}", &n.to_string()),
                None => sw.import_row_unset.to_owned(),
            },
            Row::Sites => sw.sites_row.replace("{n}", &h.facts.sites.to_string()),
            Row::Quit => s.home_quit_row.to_string(),
        };
        let focused = i == h.selected;
        if focused {
            cursor_row = lines.len();
        }
        let marker = if focused { "> " } else { "  " };
        let style = if focused { t.focus() } else { t.bold() };
        lines.push(Line::from(vec![
            Span::raw(marker),
            Span::styled(text, style),
        ]));
    }
    if h.unfinished.is_empty() && h.offers_screenings() {
        lines.insert(1, Line::styled(s.home_none_unfinished, t.dim()));
        if cursor_row >= 1 {
            cursor_row += 1;
        }
    }
    let top = cursor_row.saturating_sub(usize::from(list.height.saturating_sub(1)));
    frame.render_widget(
        Paragraph::new(lines).scroll((u16::try_from(top).unwrap_or(0), 0)),
        list,
    );
    let y = list.y + u16::try_from(cursor_row - top).unwrap_or(0);
    if y < list.bottom() {
        frame.set_cursor_position(Position::new(list.x, y));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn u(id: &str) -> ScreeningSummary {
        ScreeningSummary {
            id: id.into(),
            started_at: "today".into(),
            ended_at: None,
            unit: "U".into(),
            officer: "O".into(),
            person: "P".into(),
            questionnaire_id: "q".into(),
            questionnaire_version: "1".into(),
            entries: 2,
            answers: 1,
        }
    }

    #[test]
    fn rows_list_unfinished_between_new_and_review() {
        let h = HomeState::with(vec![u("a"), u("b")]);
        assert_eq!(
            h.rows(),
            vec![
                Row::New,
                Row::Resume(0),
                Row::Resume(1),
                Row::Handoff,
                Row::Review,
                Row::Import,
                Row::Sites,
                Row::Quit
            ]
        );
    }
}

#[cfg(test)]
mod update_tests {
    use super::*;
    use crate::tui::app::tests::{bare, press};
    use crate::tui::app::update;
    use crate::tui::theme::Theme;

    #[test]
    fn rows_wrap_and_enter_acts() {
        let mut s = State::new(bare(), Some("en"), Theme::new(false));
        update(
            &mut s,
            Msg::HomeLoaded {
                unfinished: vec![super::tests::u("s1")],
                defaults: None,
            },
        );
        // The cursor starts on the unfinished screening (row 1): up twice wraps to Quit.
        for _ in 0..2 {
            let up = press(&s, KeyCode::Up).expect("up");
            update(&mut s, up);
        }
        let Screen::Home(h) = &s.screen else {
            panic!("home");
        };
        assert_eq!(h.selected, 6, "wrapped to Quit");
        update(&mut s, Msg::Home(HomeMsg::Down));
        update(&mut s, Msg::Home(HomeMsg::Down));
        let effects = update(&mut s, Msg::Home(HomeMsg::Choose));
        assert!(matches!(effects.as_slice(), [Effect::Resume(id)] if id == "s1"));
    }

    #[test]
    fn the_cursor_starts_on_resume_when_a_screening_is_unfinished() {
        let mut s = State::new(bare(), Some("en"), Theme::new(false));
        update(
            &mut s,
            Msg::HomeLoaded {
                unfinished: vec![super::tests::u("s1"), super::tests::u("s2")],
                defaults: None,
            },
        );
        // Enter resumes the latest (listed first); it never starts a second screening.
        let effects = update(&mut s, Msg::Home(HomeMsg::Choose));
        assert!(matches!(effects.as_slice(), [Effect::Resume(id)] if id == "s1"));
        // With nothing unfinished the first row (a new screening) is focused.
        let mut s = State::new(bare(), Some("en"), Theme::new(false));
        update(
            &mut s,
            Msg::HomeLoaded {
                unfinished: Vec::new(),
                defaults: None,
            },
        );
        assert!(matches!(&s.screen, Screen::Home(h) if h.selected == 0));
        update(&mut s, Msg::Home(HomeMsg::Choose));
        assert!(matches!(s.screen, Screen::Details(_)));
    }

    #[test]
    fn review_and_quit_end_the_loop() {
        let mut s = State::new(bare(), Some("en"), Theme::new(false));
        let m = press(&s, KeyCode::Char('r')).expect("r");
        update(&mut s, m);
        assert_eq!(s.exit, Some(Exit::OpenReview));
        let mut s = State::new(bare(), Some("en"), Theme::new(false));
        let m = press(&s, KeyCode::Char('q')).expect("q");
        update(&mut s, m);
        assert_eq!(s.exit, Some(Exit::Quit));
    }

    #[test]
    fn typed_text_on_screen_shows_control_characters_visibly() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let mut s = State::new(bare(), Some("en"), Theme::new(false));
        let mut row = super::tests::u("s1");
        row.person = "B-1\u{1b}]0;owned\u{7}".into();
        row.unit = "Ila\u{202e}evil".into();
        update(
            &mut s,
            Msg::HomeLoaded {
                unfinished: vec![row],
                defaults: None,
            },
        );
        let Ok(mut t) = Terminal::new(TestBackend::new(100, 24));
        let _ = t.draw(|f| crate::tui::app::view(&s, f));
        let text: String = t
            .backend()
            .buffer()
            .content()
            .iter()
            .map(ratatui::buffer::Cell::symbol)
            .collect();
        assert!(text.contains("B-1\\u{1b}]0;owned\\u{7}"), "{text}");
        assert!(text.contains("Ila\\u{202e}evil"), "{text}");
        assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'));
    }
}

#[cfg(test)]
mod site_tests {
    //! What each kind of site is offered (product.md, "Deployment"), with 80x24 snapshots.
    use super::*;
    use crate::tui::testing::Driver;

    /// The home screen at `site`, with one unfinished screening, in English.
    fn home_at(site: Option<Site>) -> Driver {
        let mut d = Driver::new("en");
        d.start("B-1");
        d.key(KeyCode::Esc);
        d.state.site = site;
        let m = crate::tui::runner::perform(&mut d.store, crate::tui::app::Effect::LoadHome);
        crate::tui::runner::dispatch(&mut d.state, &mut d.store, m);
        d
    }

    fn rows(d: &Driver) -> Vec<Row> {
        match &d.state.screen {
            Screen::Home(h) => h.rows(),
            other => panic!("not home: {other:?}"),
        }
    }

    fn shot(name: &str, d: &Driver) {
        let mut s = insta::Settings::clone_current();
        s.add_filter(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", "[time]");
        s.bind(|| insta::assert_snapshot!(name, d.screen()));
    }

    #[test]
    fn a_prison_is_offered_screenings_and_no_review_queue() {
        let mut d = home_at(Some(Site::Prison));
        assert_eq!(
            rows(&d),
            [Row::New, Row::Resume(0), Row::Handoff, Row::Quit]
        );
        shot("home_site_prison_en", &d);
        // The review shortcut does nothing here.
        d.key(KeyCode::Char('r'));
        assert_eq!(d.state.exit, None);
    }

    #[test]
    fn rosa_is_offered_the_review_queue_and_no_screenings() {
        let mut d = home_at(Some(Site::Rosa));
        assert_eq!(rows(&d), [Row::Review, Row::Import, Row::Sites, Row::Quit]);
        shot("home_site_rosa_en", &d);
        d.key(KeyCode::Char('n'));
        assert!(
            matches!(d.state.screen, Screen::Home(_)),
            "no new screening"
        );
        d.key(KeyCode::Enter);
        assert_eq!(d.state.exit, Some(Exit::OpenReview));
    }

    #[test]
    fn no_site_offers_both_as_before() {
        let d = home_at(None);
        assert_eq!(
            rows(&d),
            [
                Row::New,
                Row::Resume(0),
                Row::Handoff,
                Row::Review,
                Row::Import,
                Row::Sites,
                Row::Quit
            ]
        );
    }
}
