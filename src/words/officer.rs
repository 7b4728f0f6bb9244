//! The words of the officers' screens and plain mode in Norwegian (bokmål) and English.
//! Questions, choices, advice and labels come from the questionnaire; only the program's own
//! words live here. Placeholders in braces (`{field}`) are filled in by the screens.

super::table! {
    /// Every word the officers' screens and plain mode show, in one language.
    Strings {
        // The language of these words, to pick questionnaire texts (choice labels) in messages.
        lang: "en", "nb";
        // Frame and general words.
        error_word: "Error", "Feil";
        helpline_line: "ROSA helpline, 24 hours:", "ROSAs hjelpetelefon, døgnåpen:";
        too_small_title: "The window is too small.", "Vinduet er for lite.";
        too_small: "It is {w}x{h}; make it at least 80x24 (wider or a smaller font). Nothing is lost.",
            "Det er {w}x{h}; gjør det minst 80x24 (bredere eller mindre skrift). Ingenting går tapt.";
        quit_hint: "Ctrl+C quits; everything answered is already saved.",
            "Ctrl+C avslutter; alt som er besvart, er allerede lagret.";
        optional: "optional", "valgfritt";
        unknown_hint: "unknown", "ukjent";
        none_word: "none", "ingen";
        answered_count: "{n} answered", "{n} besvart";
        about_left: "about {n} left", "omtrent {n} igjen";
        read_out_word: "Read out", "Les opp";
        question_word: "Question", "Spørsmål";
        // Keys.
        key_move: "move", "flytt";
        key_choose: "choose", "velg";
        key_help: "help", "hjelp";
        key_quit: "quit", "avslutt";
        key_next_field: "next field", "neste felt";
        key_prev_field: "previous field", "forrige felt";
        key_change: "change", "endre";
        key_next_or_start: "next / start", "neste / start";
        key_next_or_send: "next / make referral", "neste / registrer";
        key_cancel: "cancel", "avbryt";
        key_answer: "answer", "svar";
        key_back: "back", "tilbake";
        key_forward: "forward", "fram";
        key_note: "note", "notat";
        key_declined: "declined", "vil ikke svare";
        key_guidance: "guidance", "veiledning";
        key_overview: "overview", "oversikt";
        key_language: "language", "språk";
        key_pause: "pause", "pause";
        key_toggle: "tick / untick", "kryss av / fjern";
        key_save_note: "save note", "lagre notat";
        key_jump: "go to question", "gå til spørsmålet";
        key_close: "close", "lukk";
        key_refer: "make a referral", "henvis";
        key_finish: "finish without referral", "avslutt uten henvisning";
        key_scroll: "scroll", "rull";
        key_confirm: "confirm", "bekreft";
        key_back_summary: "back to summary", "tilbake til oppsummeringen";
        key_home: "home", "hjem";
        // Home.
        home_title: "Home", "Start";
        home_intro: "Screening for signs of human trafficking. Use it with care: a screening is a conversation, not an interrogation.",
            "Kartlegging av tegn på menneskehandel. Bruk den med omtanke: en kartlegging er en samtale, ikke et avhør.";
        home_new: "new screening", "ny kartlegging";
        home_review: "review queue", "henvisningskø";
        home_new_row: "Start a new screening", "Start en ny kartlegging";
        home_unfinished: "Unfinished screenings:", "Uferdige kartlegginger:";
        home_none_unfinished: "  (no unfinished screenings)", "  (ingen uferdige kartlegginger)";
        home_resume: "Resume", "Fortsett";
        home_review_row: "Open the review queue", "Åpne henvisningskøen";
        home_quit_row: "Quit", "Avslutt";
        // Details.
        details_title: "New screening", "Ny kartlegging";
        details_intro: "No name is needed: use the prison's own reference for the person.",
            "Navn trengs ikke: bruk fengselets egen referanse for personen.";
        f_unit: "Prison or unit", "Fengsel eller avdeling";
        f_officer: "Officer (name and phone)", "Betjent (navn og telefon)";
        f_person: "Person's reference", "Personens referanse";
        f_gender: "Gender", "Kjønn";
        f_birth_year: "Year of birth", "Fødselsår";
        f_nationality: "Nationality (2 letters, e.g. NG)", "Statsborgerskap (f.eks. NG)";
        f_language: "Interview language", "Samtalespråk";
        f_interpreter: "Interpreter", "Tolk";
        f_person_language: "Person's language, if different", "Personens språk, hvis et annet";
        f_start: "Start the screening", "Start kartleggingen";
        asked_in_interview: "asked in the interview", "spørres i samtalen";
        g_female: "female", "kvinne";
        g_male: "male", "mann";
        g_other: "other", "annet";
        g_unknown: "unknown", "ukjent";
        i_none: "none", "ingen";
        i_in_person: "in person", "til stede";
        i_phone: "by phone", "på telefon";
        err_required: "{field} is needed.", "{field} må fylles ut.";
        err_birth_year: "Year of birth \"{value}\" is not a year between 1900 and {max}; leave it empty if unknown.",
            "Fødselsår «{value}» er ikke et år mellom 1900 og {max}; la feltet stå tomt hvis det er ukjent.";
        err_nationality: "Nationality \"{value}\" is not a two-letter country code (such as NG) or \"unknown\".",
            "Statsborgerskap «{value}» er ikke en landkode på to bokstaver (som NG) eller «unknown».";
        err_person_language: "Language \"{value}\" is not a language tag such as \"ro\" or \"pt-BR\".",
            "Språk «{value}» er ikke en språkkode som «ro» eller «pt-BR».";
        err_too_long: "{field} is {len} characters long; at most {max} are allowed.",
            "{field} er {len} tegn lang; høyst {max} tegn er tillatt.";
        err_control: "{field} contains a control character ({code}), which cannot be part of it; remove it.",
            "{field} inneholder et kontrolltegn ({code}) som ikke kan være med; fjern det.";
        err_bidi: "{field} contains a text-direction control ({code}), which could make it read as something else; remove it.",
            "{field} inneholder et tegn for skriveretning ({code}) som kan få teksten til å se ut som noe annet; fjern det.";
        err_date_window: "{value} is not a likely date; give a date from {from} to {to}.",
            "{value} er ikke en sannsynlig dato; oppgi en dato fra {from} til {to}.";
        // Interview.
        end_title: "End of the questions", "Slutt på spørsmålene";
        end_reached: "All questions on this path are done.", "Alle spørsmålene på denne veien er gjennomgått.";
        end_enter: "Press Enter to see the summary.", "Trykk Enter for å se oppsummeringen.";
        observation_mark: "[OBSERVATION] Answer from what you saw or know. Do not ask aloud.",
            "[OBSERVASJON] Svar ut fra det du har sett eller vet. Ikke spør høyt.";
        info_word: "[Read out] ", "[Les opp] ";
        guidance_word: "Guidance", "Veiledning";
        guidance_available: "(guidance available: g)", "(veiledning finnes: g)";
        press_enter: "Press Enter to continue.", "Trykk Enter for å gå videre.";
        answer_word: "Answer", "Svar";
        saved_word: "Saved", "Lagret";
        note_word: "Note", "Notat";
        note_title: "Note for this question", "Notat til dette spørsmålet";
        note_hint: "Enter saves, Esc cancels. Notes are for the officer's own words.",
            "Enter lagrer, Esc avbryter. Notater er for betjentens egne ord.";
        dont_know: "don't know", "vet ikke";
        declined: "declined to answer", "vil ikke svare";
        none_chosen: "none of them", "ingen av dem";
        date_hint: "A date: 15.01.2027 or 2027-01-15", "En dato: 15.01.2027 eller 2027-01-15";
        text_hint: "Type the answer in the person's own words where you can.",
            "Skriv svaret med personens egne ord der du kan.";
        number_between: "A number from {min} to {max}", "Et tall fra {min} til {max}";
        number_at_least: "A number, at least {min}", "Et tall, minst {min}";
        number_at_most: "A number, at most {max}", "Et tall, høyst {max}";
        number_any: "A number", "Et tall";
        at_first: "This is the first question.", "Dette er det første spørsmålet.";
        at_frontier: "There is no answered question after this one.", "Det finnes ikke noe besvart spørsmål etter dette.";
        special_not_allowed: "This question does not take that answer.", "Dette spørsmålet tar ikke det svaret.";
        required_no_skip: "This question needs an answer (don't know or declined where offered).",
            "Dette spørsmålet må besvares (vet ikke eller vil ikke svare der det tilbys).";
        choose_first: "Choose an answer first (arrow keys or its number).", "Velg et svar først (piltastene eller nummeret).";
        type_first: "Type an answer first.", "Skriv et svar først.";
        overview_title: "Overview: Enter goes to a question", "Oversikt: Enter går til et spørsmål";
        not_answered: "(not answered yet)", "(ikke besvart ennå)";
        left_empty: "(left empty)", "(stått tomt)";
        shown_word: "(shown)", "(vist)";
        also_word: "Also", "Også";
        skip_optional: "skip (optional)", "hopp over (valgfritt)";
        // Help.
        help_title: "Keys", "Taster";
        help_saved: "Every answer is saved the moment it is given.", "Hvert svar lagres i det øyeblikket det gis.";
        help_enter: "confirm the answer / continue", "bekreft svaret / gå videre";
        help_choose: "choose an answer", "velg et svar";
        help_skip: "leave an optional question empty", "hopp over et valgfritt spørsmål";
        help_pause: "pause: back to the start screen (resume later)", "pause (fortsett senere fra startskjermen)";
        help_quit_now: "quit now (nothing is lost)", "avslutt nå (ingenting går tapt)";
        help_close: "Any key closes this help.", "En hvilken som helst tast lukker hjelpen.";
        // Summary.
        summary_title: "Summary", "Oppsummering";
        flags_heading: "ACT ON THESE NOW", "GJØR DETTE NÅ";
        outcome_heading: "OUTCOME", "RESULTAT";
        indicators_heading: "INDICATORS BY DIMENSION", "INDIKATORER ETTER DIMENSJON";
        no_indicators: "No indicators were raised.", "Ingen indikatorer ble funnet.";
        positive_heading: "Positive dimensions", "Positive dimensjoner";
        positive_suffix: " (positive)", " (positiv)";
        because_word: "answer to", "svar på";
        strong: "strong", "sterk";
        medium: "medium", "middels";
        weak: "weak", "svak";
        referral_recommended: "Referral to ROSA: recommended, with the person's consent.",
            "Henvisning til ROSA: anbefalt, med personens samtykke.";
        referral_offered: "Referral to ROSA: offer it; the person decides.",
            "Henvisning til ROSA: tilby den; personen bestemmer.";
        referral_none: "Referral to ROSA: not from this outcome. You can always call ROSA for advice.",
            "Henvisning til ROSA: ikke ut fra dette resultatet. Du kan alltid ringe ROSA for råd.";
        no_referral_outcome: "This outcome does not lead to a referral; call ROSA for advice if you are concerned.",
            "Dette resultatet fører ikke til henvisning; ring ROSA for råd hvis du er bekymret.";
        already_finished: "The screening is finished; its answers can no longer be changed.",
            "Kartleggingen er avsluttet; svarene kan ikke lenger endres.";
        // Plain mode.
        plain_intro: "Plain mode: type your answer and press Enter. Type help for the commands. Every answer is saved at once.",
            "Enkel modus: skriv svaret og trykk Enter. Skriv hjelp for kommandoene. Hvert svar lagres med en gang.";
        plain_pick: "\"{value}\" is not a number from 1 to {n}.", "«{value}» er ikke et tall fra 1 til {n}.";
        plain_choose: "Choose a number", "Velg et nummer";
        plain_paused: "Paused. Everything answered is saved; start again to resume.",
            "Pause. Alt som er besvart, er lagret; start igjen for å fortsette.";
        plain_finished: "The screening is finished and saved.", "Kartleggingen er avsluttet og lagret.";
        plain_hint_single: "type the number of the answer", "skriv nummeret til svaret";
        plain_hint_multi: "type the numbers of all that apply, such as 1,3; Enter alone for none",
            "skriv numrene til alle som stemmer, som 1,3; bare Enter for ingen";
        plain_help: "Commands: a number (or numbers 1,3), dont_know or ?, declined or -, skip (optional questions), back, forward, note, guidance, pause. Enter alone keeps an answer already saved. Every answer is saved at once.",
            "Kommandoer: et nummer (eller numre 1,3), vet_ikke eller ?, vil_ikke eller - (vil ikke svare), hopp (valgfrie spørsmål), tilbake, fram, notat, veiledning, pause. Bare Enter beholder et svar som alt er lagret. Hvert svar lagres med en gang.";
        plain_keep: "Enter keeps it", "Enter beholder det";
        plain_not_started: "Input ended before a screening was started; nothing was saved.",
            "Inndata tok slutt før en kartlegging ble startet; ingenting ble lagret.";
        plain_no_referral: "No referral was made (input ended); the screening is finished and saved.",
            "Ingen henvisning ble registrert (inndata tok slutt); kartleggingen er avsluttet og lagret.";
        // Plain mode's command words, in the interview's language (the English words are always
        // understood too, so scripts keep working). Special answers are typed with `_`.
        cmd_back: "back", "tilbake";
        cmd_forward: "forward", "fram";
        cmd_note: "note", "notat";
        cmd_guidance: "guidance", "veiledning";
        cmd_help: "help", "hjelp";
        cmd_pause: "pause", "pause";
        cmd_skip: "skip", "hopp";
        cmd_dont_know: "dont_know", "vet_ikke";
        cmd_declined: "declined", "vil_ikke";
        plain_no_guidance: "This question has no guidance.", "Dette spørsmålet har ingen veiledning.";
        // Referral.
        referral_title: "Referral to ROSA", "Henvisning til ROSA";
        consent_question: "Does the person consent to a referral to ROSA?", "Samtykker personen til en henvisning til ROSA?";
        consent_explain: "Ask in the person's language. ROSA offers help whatever the person decides.",
            "Spør på personens språk. ROSA tilbyr hjelp uansett hva personen bestemmer.";
        consent_word: "Consent", "Samtykke";
        consent_named: "Yes, with their identity", "Ja, med identitet";
        consent_anonymous: "Yes, anonymously", "Ja, anonymt";
        consent_none: "No consent", "Ikke samtykke";
        no_consent_title: "No consent: no referral is made.", "Ikke samtykke: det blir ingen henvisning.";
        no_consent_text: "Call ROSA without giving the person's identity to get advice on what to do. Give the person the card with ROSA's helpline; they can call themselves at any time.",
            "Ring ROSA uten å oppgi personens identitet for å få råd om hva du kan gjøre. Gi personen kortet med ROSAs hjelpetelefon; de kan selv ringe når som helst.";
        urgency_explain: "Identification is urgent before release, transfer or deportation.",
            "Identifisering haster før løslatelse, overføring eller utsendelse.";
        f_release: "Release or transfer date", "Dato for løslatelse eller overføring";
        f_expulsion: "Expulsion decision", "Vedtak om utvisning";
        f_contact: "Your contact (name, phone)", "Din kontakt (navn, telefon)";
        date_optional: "DD.MM.YYYY, optional", "DD.MM.ÅÅÅÅ, valgfritt";
        date_understood: "read as {date}", "lest som {date}";
        carried_from: "from the answer to \u{201c}{question}\u{201d}; change it there",
            "fra svaret på «{question}»; endre det der";
        expulsion_unknown: "not known", "ukjent";
        expulsion_yes: "yes", "ja";
        expulsion_no: "no", "nei";
        expulsion_pending: "decision pending", "vedtak ventes";
        send_referral: "Make the referral", "Registrer henvisningen";
        err_range: "{value} is outside the range: {range}.", "{value} er utenfor det som kan brukes: {range}.";
        err_not_number: "\"{value}\" is not a number. {range}.", "«{value}» er ikke et tall. {range}.";
        err_date: "\"{value}\" is not a date; write it like 18.12.2026 or 2026-12-18.",
            "«{value}» er ikke en dato; skriv den som 18.12.2026 eller 2026-12-18.";
        err_exclusive: "\u{201c}{choice}\u{201d} can only be chosen alone; untick the others first.",
            "«{choice}» kan bare velges alene; fjern de andre valgene først.";
        flag_title: "Act now", "Handle nå";
        flag_now: "!", "!";
        flag_ack: "I have read this and will act on it (recorded with your login name)",
            "Jeg har lest dette og følger det opp (lagres med brukernavnet ditt)";
        flag_more: "{n} more after this one.", "{n} til etter denne.";
        flag_line: "! Act on:", "! Følg opp:";
        flag_plain_ack: "Press Enter to confirm you have read this", "Trykk Enter for å bekrefte at du har lest dette";
        key_acknowledge: "I have read it", "jeg har lest det";
        key_continue: "continue", "gå videre";
        key_page: "page", "side";
        key_finish_for_good: "finish for good", "avslutt for godt";
        key_back_to_summary: "back to the summary", "tilbake til oppsummeringen";
        finish_confirm_title: "Finish without a referral?", "Avslutte uten henvisning?";
        finish_confirm_question: "Finish this screening without a referral?",
            "Avslutte denne kartleggingen uten henvisning?";
        finish_confirm_means: "Finishing saves the result for good: the answers can no longer be changed, and no referral to ROSA is made from this screening. You can still call ROSA for advice at any time ({helpline}).",
            "Når du avslutter, lagres resultatet for godt: svarene kan ikke lenger endres, og det blir ikke laget noen henvisning til ROSA fra denne kartleggingen. Du kan fortsatt ringe ROSA for råd når som helst ({helpline}).";
        finish_confirm_refer: "This outcome allows a referral: to make one, go back to the summary and press r.",
            "Dette resultatet gir mulighet for henvisning: gå tilbake til oppsummeringen og trykk r for å henvise.";
        key_skip: "skip", "hopp over";
        exclusive_cleared_others: "\u{201c}{choice}\u{201d} is chosen alone, so the other choices were cleared.",
            "«{choice}» velges alene, så de andre valgene ble fjernet.";
        exclusive_cleared: "\u{201c}{choice}\u{201d} was cleared: it can only be chosen alone.",
            "«{choice}» ble fjernet: det kan bare velges alene.";
        err_none_chosen: "Choose at least one; if none applies, choose \u{201c}{choice}\u{201d}.",
            "Velg minst ett; hvis ingen passer, velg «{choice}».";
        err_contact: "Your contact is needed so that ROSA can reach you.", "Din kontakt må fylles ut slik at ROSA kan nå deg.";
        referral_made: "The referral is recorded for ROSA.", "Henvisningen er registrert for ROSA.";
        referral_id: "Referral id", "Henvisnings-id";
        referral_next: "ROSA will contact you once the referral reaches them. Tell the person how to reach ROSA.",
            "ROSA tar kontakt med deg når henvisningen har nådd dem. Fortell personen hvordan de når ROSA.";
    }
}

/// The words for `lang`: Norwegian for `nb`, `nn` and `no`, English otherwise.
#[must_use]
pub fn strings(lang: &str) -> &'static Strings {
    Strings::of(lang)
}
