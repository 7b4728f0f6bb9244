//! The words of the two-site screens (the hand-off at a prison; imports and registered prisons
//! at ROSA; the home screen's rows and purge reminder; what the review screens add for an
//! imported referral; what an officer is told after a referral) in English and Norwegian
//! (bokmål). Placeholders in braces are filled in by the screens.

super::table! {
    /// Every word the two-site screens show, in one language.
    SiteWords {
        // Home rows.
        home_handoff: "hand-off", "overlevering";
        home_import: "import", "import";
        home_sites: "prisons", "fengsler";
        handoff_row: "Hand-off to ROSA: {waiting} waiting · {sealed} sealed, no receipt yet · {delivered} delivered",
            "Overlevering til ROSA: {waiting} venter · {sealed} forseglet, uten kvittering · {delivered} levert";
        import_row: "Import referrals from the inbox (files waiting: {n})",
            "Importer henvisninger fra innboksen (filer som venter: {n})";
        import_row_unset: "Import referrals (no inbox folder set yet)",
            "Importer henvisninger (ingen innboks er satt opp ennå)";
        sites_row: "Registered prisons ({n})", "Registrerte fengsler ({n})";
        purge_overdue: "A purge is overdue. Older than the {days} days kept: screenings {screenings}, referrals among them {referrals}. Run `rosa-screen purge` (last purge: {last}).",
            "Sletting er på overtid. Eldre enn de {days} dagene de skal beholdes: kartlegginger {screenings}, av dem med henvisning {referrals}. Kjør `rosa-screen purge` (siste sletting: {last}).";
        never: "never", "aldri";
        // Hand-off states.
        st_waiting: "waiting", "venter";
        st_sealed: "sealed, no receipt yet", "forseglet, uten kvittering";
        st_delivered: "delivered", "levert";
        st_withdrawn: "withdrawn, notice {notice}", "trukket tilbake, varsel {notice}";
        notice_waiting: "waiting", "venter";
        notice_sealed: "sealed", "forseglet";
        notice_delivered: "delivered", "levert";
        notice_none: "not needed", "ikke nødvendig";
        anonymous: "(anonymous)", "(anonym)";
        // Hand-off screen (prison).
        handoff_title: "Hand-off to ROSA", "Overlevering til ROSA";
        handoff_intro: "Each referral travels to ROSA as a sealed file only ROSA can open. Seal what waits, send the files by the agreed channel, and confirm ROSA's receipts when they come back.",
            "Hver henvisning går til ROSA som en forseglet fil bare ROSA kan åpne. Forsegl det som venter, send filene på den avtalte måten, og bekreft ROSAs kvitteringer når de kommer tilbake.";
        outbox_line: "Sealed files go to: {path}", "Forseglede filer legges i: {path}";
        inbox_receipts_line: "Receipts are read from: {path} ({n} found)", "Kvitteringer leses fra: {path} ({n} funnet)";
        folder_unset: "(not set: add {key} to the [handoff] table of the config)",
            "(ikke satt: legg {key} i [handoff]-tabellen i oppsettfilen)";
        col_referral: "Referral", "Henvisning";
        col_made: "Made", "Laget";
        col_person: "Person", "Person";
        col_state: "Hand-off", "Overlevering";
        no_referrals: "No referrals have been made here yet.", "Ingen henvisninger er laget her ennå.";
        nothing_waits: "Nothing waits to be sealed.", "Ingenting venter på å bli forseglet.";
        no_receipts: "No receipts were found in the inbox.", "Ingen kvitteringer ble funnet i innboksen.";
        key_seal: "seal waiting", "forsegl det som venter";
        key_confirm: "confirm receipts", "bekreft kvitteringer";
        key_import: "import all", "importer alle";
        key_back: "home", "hjem";
        key_move: "move", "flytt";
        key_quit: "quit", "avslutt";
        sent_next: "Now send the sealed files to ROSA by the agreed channel, then delete them from the folder.",
            "Send nå de forseglede filene til ROSA på den avtalte måten, og slett dem deretter fra mappen.";
        refused_word: "refused", "avvist";
        // Passphrase.
        passphrase_prompt: "The secret key {path} is protected by a passphrase. Type it and press Enter (Esc cancels):",
            "Den hemmelige nøkkelen {path} er beskyttet av en passordfrase. Skriv den og trykk Enter (Esc avbryter):";
        key_cancel: "cancel", "avbryt";
        key_enter: "use it", "bruk den";
        // Import screen (ROSA).
        import_title: "Import referrals", "Importer henvisninger";
        import_intro: "Bundles from the prisons are opened with ROSA's key, checked, and added to the review queue; a receipt for each goes back to the prison.",
            "Filer fra fengslene åpnes med ROSAs nøkkel, kontrolleres og legges i henvisningskøen; en kvittering for hver går tilbake til fengselet.";
        inbox_line: "Bundles are read from: {path} ({n} found)", "Filer leses fra: {path} ({n} funnet)";
        receipts_line: "Receipts are written to: {path}", "Kvitteringer skrives til: {path}";
        no_bundles: "No bundles (*.age) were found in the inbox.", "Ingen filer (*.age) ble funnet i innboksen.";
        import_next: "Send the receipts back to each prison; imported referrals are in the review queue.",
            "Send kvitteringene tilbake til hvert fengsel; importerte henvisninger ligger i henvisningskøen.";
        // Sites screen (ROSA).
        sites_title: "Registered prisons", "Registrerte fengsler";
        sites_intro: "Bundles are accepted only from these prisons' keys. Register a new one with `rosa-screen sites add PUBLIC_FILE --unit NAME` after reading its fingerprint back on the phone.",
            "Filer godtas bare fra disse fengslenes nøkler. Registrer et nytt med `rosa-screen sites add OFFENTLIG_FIL --unit NAVN` etter å ha lest fingeravtrykket tilbake på telefon.";
        no_sites: "No prison is registered yet.", "Ingen fengsler er registrert ennå.";
        col_unit: "Unit", "Enhet";
        col_fingerprint: "Fingerprint", "Fingeravtrykk";
        col_added: "Added", "Lagt til";
        col_last: "Last bundle", "Siste fil";
        // The review queue and referral (ROSA) for imported referrals.
        f_sent_by: "Sent by", "Sendt fra";
        f_arrived: "Arrived", "Kom inn";
        f_made_at_prison: "Made at the prison", "Laget i fengselet";
        f_withdrawn: "Consent withdrawn (notice imported)", "Samtykke trukket tilbake (varsel importert)";
        arrived_detail: "{at} (bundle format {format}, key {key})", "{at} (filformat {format}, nøkkel {key})";
        not_sent_anonymous: "not sent (anonymous referral)", "ikke sendt (anonym henvisning)";
        // After a referral.
        next_prison: "It waits here for the hand-off: seal it on the home screen (Hand-off to ROSA) or with `rosa-screen handoff seal`, and send the file to ROSA. Tell the person how to reach ROSA.",
            "Den venter her på overlevering: forsegl den på startskjermen (Overlevering til ROSA) eller med `rosa-screen handoff seal`, og send filen til ROSA. Fortell personen hvordan de når ROSA.";
        next_prison_plain: "It waits here for the hand-off: `rosa-screen handoff seal` (or Hand-off to ROSA on the home screen) seals it; send the file to ROSA.",
            "Den venter her på overlevering: `rosa-screen handoff seal` (eller Overlevering til ROSA på startskjermen) forsegler den; send filen til ROSA.";
        next_direct: "It is in ROSA's review queue now; ROSA will contact you. Tell the person how to reach ROSA.",
            "Den ligger nå i ROSAs henvisningskø; ROSA tar kontakt med deg. Fortell personen hvordan de når ROSA.";
    }
}

/// The words for `lang`: Norwegian for `nb`, `nn` and `no`, English otherwise.
#[must_use]
pub fn site_words(lang: &str) -> &'static SiteWords {
    SiteWords::of(lang)
}
