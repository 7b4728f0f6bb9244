//! The review screens' own words in English and Norwegian (bokmål). Questions, labels and
//! advice come from the questionnaire snapshot; the officers' words stay in
//! [`super::officer`], which these screens only read (for answers such as "don't know").

super::table! {
    /// Every word the review screens show, in one language.
    Words {
        queue_title: "Review queue", "Henvisningskø";
        detail_title: "Referral", "Henvisning";
        figures_title: "Figures", "Tall";
        too_small: "The window is {w}x{h}; make it at least 80x24. Nothing is lost.",
            "Vinduet er {w}x{h}; gjør det minst 80x24. Ingenting går tapt.";
        error_word: "Error", "Feil";
        all_word: "all", "alle";
        loading: "Loading…", "Laster…";
        filter_word: "Filter", "Filter";
        status_word: "status", "status";
        unit_word: "unit", "enhet";
        outcome_word: "outcome", "resultat";
        search_word: "search", "søk";
        search_prompt: "Person reference contains (Enter applies, Esc cancels):",
            "Personens referanse inneholder (Enter bruker, Esc avbryter):";
        shown_of: "{from}-{to} of {n}", "{from}-{to} av {n}";
        none_match: "No referral matches this filter.", "Ingen henvisning passer med dette filteret.";
        col_urgency: "Urgency", "Haster";
        col_received: "Received", "Mottatt";
        col_unit: "Unit", "Enhet";
        col_outcome: "Outcome", "Resultat";
        col_status: "Status", "Status";
        col_flags: "Flags", "Flagg";
        col_person: "Person", "Person";
        urgency_hint: "! flag raised or expulsion expected · 12d: days to release · E expulsion",
            "! flagg eller utvisning ventet · 12d: dager til løslatelse · E utvisning";
        key_move: "move", "flytt";
        key_open: "open", "åpne";
        key_status: "status", "status";
        key_unit: "unit", "enhet";
        key_outcome: "outcome", "resultat";
        key_search: "search", "søk";
        key_clear: "clear filters", "nullstill";
        key_figures: "figures", "tall";
        key_language: "language", "språk";
        key_quit: "quit", "avslutt";
        key_back: "back", "tilbake";
        key_scroll: "scroll", "rull";
        key_change_status: "change status", "endre status";
        key_note: "add note", "nytt notat";
        key_export: "export", "eksporter";
        key_choose: "choose", "velg";
        key_cancel: "cancel", "avbryt";
        key_save: "save", "lagre";
        key_year: "year", "år";
        key_part: "part", "del";
        // Parts of a referral, as tabs (jump keys 1-7); short enough for 80 columns.
        part_referral: "Referral", "Henvisning";
        part_person: "Person", "Person";
        part_outcome: "Outcome", "Resultat";
        part_flags: "Flags", "Flagg";
        part_indicators: "Indicators", "Indikatorer";
        part_answers: "Answers", "Svar";
        part_history: "History", "Historikk";
        lines_of: "lines {from}-{to} of {n}", "linje {from}-{to} av {n}";
        at_end: "end", "slutt";
        // Statuses, as shown (the stored ids stay in exports and the audit log).
        st_new: "new", "ny";
        st_in_review: "in review", "vurderes";
        st_contacted: "contacted", "kontaktet";
        st_accepted: "accepted help", "tok imot hjelp";
        st_declined: "declined help", "takket nei";
        st_other_help: "other help", "annen hjelp";
        st_closed: "closed", "lukket";
        // Detail.
        referral_heading: "REFERRAL", "HENVISNING";
        person_heading: "PERSON AND SCREENING", "PERSON OG KARTLEGGING";
        outcome_heading: "OUTCOME", "RESULTAT";
        flags_heading: "FLAGS: ACT ON THESE", "FLAGG: GJØR NOE MED DISSE";
        indicators_heading: "INDICATORS AND THE ANSWERS THAT RAISED THEM", "INDIKATORER OG SVARENE SOM GA DEM";
        answers_heading: "ALL ANSWERS, AS ASKED", "ALLE SVAR, SLIK DE BLE STILT";
        history_heading: "STATUS HISTORY AND NOTES", "STATUSHISTORIKK OG NOTATER";
        none_raised: "None raised.", "Ingen.";
        raised_by_rule: "raised by the questionnaire's rule", "gitt av spørreskjemaets regel";
        not_given: "not given", "ikke oppgitt";
        not_known: "not known", "ukjent";
        pending_word: "decision pending", "vedtak ventes";
        yes_word: "yes", "ja";
        no_word: "no", "nei";
        f_status: "Status", "Status";
        f_received: "Received", "Mottatt";
        f_release: "Release or transfer", "Løslatelse eller overføring";
        f_expulsion: "Expulsion expected", "Utvisning ventet";
        f_consent: "Consent", "Samtykke";
        consent_named: "named referral", "henvisning med navn";
        consent_anonymous: "anonymous", "anonym";
        f_contact: "Officer's contact", "Betjentens kontakt";
        f_person: "Person reference", "Personens referanse";
        f_unit: "Unit", "Enhet";
        f_officer: "Officer", "Betjent";
        f_gender: "Gender", "Kjønn";
        f_birth_year: "Year of birth", "Fødselsår";
        f_nationality: "Nationality", "Statsborgerskap";
        f_language: "Interview language", "Samtalespråk";
        f_interpreter: "Interpreter", "Tolk";
        f_screened: "Screened", "Kartlagt";
        f_questionnaire: "Questionnaire used", "Spørreskjema brukt";
        snapshot_missing: "The questionnaire this screening used could not be read; ids are shown instead.",
            "Spørreskjemaet denne kartleggingen brukte, kunne ikke leses; id-er vises i stedet.";
        officer_note: "Officer's note", "Betjentens notat";
        changed_word: "changed; earlier answers kept", "endret; tidligere svar er tatt vare på";
        left_empty: "(left empty)", "(stått tomt)";
        days_left: "{n} days left", "{n} dager igjen";
        passed: "passed", "passert";
        today_word: "today", "i dag";
        ev_created: "referral made", "henvisning registrert";
        ev_status: "status", "status";
        ev_note: "note", "notat";
        choose_status: "Move to which status? (only the allowed next statuses are offered)",
            "Til hvilken status? (bare lovlige neste statuser vises)";
        closed_final: "This referral is closed; its status can no longer change.",
            "Denne henvisningen er lukket; statusen kan ikke lenger endres.";
        status_note_prompt: "Note for the change to {to} (optional; needed when closing before a decision):",
            "Notat til endringen til {to} (valgfritt; påkrevd når den lukkes før en avgjørelse):";
        note_prompt: "New note (Enter saves, Esc cancels):", "Nytt notat (Enter lagrer, Esc avbryter):";
        export_prompt: "Export the summary as Markdown to this file (Enter writes, Esc cancels):",
            "Eksporter oppsummeringen som Markdown til denne filen (Enter skriver, Esc avbryter):";
        status_changed: "Status changed: {from} -> {to}.", "Status endret: {from} -> {to}.";
        note_added: "Note added.", "Notatet er lagt til.";
        note_empty: "The note is empty; nothing was added.", "Notatet er tomt; ingenting ble lagt til.";
        path_empty: "Give a file name to export to.", "Oppgi et filnavn å eksportere til.";
        exported: "Exported to {path} (recorded in the audit log).", "Eksportert til {path} (ført i revisjonsloggen).";
        // Figures.
        figures_year: "Year {y}: {s} screenings ({f} finished), {r} referrals",
            "År {y}: {s} kartlegginger ({f} fullført), {r} henvisninger";
        fig_outcome: "Screenings by outcome", "Kartlegginger etter resultat";
        fig_status: "Referrals by status", "Henvisninger etter status";
        fig_unit: "Referrals by unit", "Henvisninger etter enhet";
        fig_gender: "Screenings by gender", "Kartlegginger etter kjønn";
        fig_none: "none this year", "ingen dette året";
    }
}

/// The words for `lang`: Norwegian for `nb`, `nn` and `no`, English otherwise.
#[must_use]
pub fn words(lang: &str) -> &'static Words {
    Words::of(lang)
}

impl Words {
    /// The parts of a referral in the order of their jump keys.
    #[must_use]
    pub fn parts(&self) -> [&'static str; 7] {
        [
            self.part_referral,
            self.part_person,
            self.part_outcome,
            self.part_flags,
            self.part_indicators,
            self.part_answers,
            self.part_history,
        ]
    }
}

/// A status as the screens show it, in the words' language. Matched on the stored id so a
/// status added later still shows (as its id) before it has words here.
#[must_use]
pub fn status_label(w: &Words, s: crate::store::Status) -> &'static str {
    match s.as_str() {
        "new" => w.st_new,
        "in_review" => w.st_in_review,
        "contacted" => w.st_contacted,
        "accepted" => w.st_accepted,
        "declined" => w.st_declined,
        "other_help" => w.st_other_help,
        "closed" => w.st_closed,
        other => other,
    }
}
