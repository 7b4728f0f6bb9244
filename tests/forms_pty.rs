//! The referral form in a real pseudo-terminal (`common::pty`), in Norwegian: a release date
//! typed the Norwegian way (`18.12.2026`) is read as it is typed, the expulsion the answers
//! filled is not asked again, and the referral stores the date in ISO form.

mod common;

use common::pty::Pty;
use common::pty::keys::{ENTER, TAB};
use rosa_screen::store::{Expulsion, Store};

#[test]
fn a_norwegian_date_typed_in_the_referral_form() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db_path = dir.path().join("screenings.db");
    let db = db_path.to_str().expect("a UTF-8 temp path");
    let args = [
        "--db",
        db,
        "interview",
        "--questionnaire",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/examples/forms-fills.yaml"
        ),
        "--lang",
        "nb",
    ];
    let mut t = Pty::start(dir.path(), &args);
    t.wait_for("Fengsel eller avdeling");
    t.keys(&format!("Bredtveit{TAB}Betjent B{TAB}PTY-NB-1{TAB}"));
    for _ in 0..6 {
        t.keys(TAB);
    }
    t.wait_for("[ Start kartleggingen ]");
    t.keys(ENTER);
    t.wait_for("Har noen andre passet ditt?");
    t.keys(&format!("1{ENTER}"));
    // The date is left empty in the interview, so the referral form asks for it.
    t.wait_for("Hvilken dato skal personen");
    t.keys(ENTER);
    t.wait_for("Er det et vedtak om utvisning?");
    t.keys(&format!("3{ENTER}"));
    t.wait_for("Tegn på kontroll");
    t.keys("r");
    t.wait_for("Samtykker personen");
    t.keys(&format!("1{ENTER}"));
    let form = t.wait_for("Dato for løslatelse eller overføring");
    // Expulsion came from the answers: shown, with where it came from, not asked.
    assert!(form.contains("vedtak ventes"), "{form}");
    assert!(
        form.contains("fra svaret på «Er det et vedtak om utvisning?»"),
        "{form}"
    );
    t.keys("18.12.2026");
    let read = t.wait_for("lest som 2026-12-18");
    assert!(!read.contains("Feil:"), "{read}");
    // Enter: the contact (expulsion is skipped), Enter: the button, Enter: make it.
    t.keys(ENTER);
    t.keys(ENTER);
    t.keys(ENTER);
    let done = t.wait_for("Henvisningen er registrert");
    assert!(done.contains("2026-12-18"), "{done}");
    t.keys(ENTER);
    t.wait_for("Start en ny kartlegging");
    let status = t.quit_with("q");
    assert!(status.success(), "{status:?}");

    let store = Store::open(&db_path).expect("store");
    let refs = store.referrals(&Default::default()).expect("referrals");
    assert_eq!(refs.len(), 1);
    assert_eq!(refs[0].release_date.as_deref(), Some("2026-12-18"));
    assert_eq!(refs[0].expulsion, Some(Expulsion::Pending));
}
