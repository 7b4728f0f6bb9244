//! The format's `immediate` flags, `exclusive` choices and `fills`, as the loader reads them and
//! as the JSON Schema describes them. (Lint codes for their mistakes: tests/fixtures/lint/
//! fills-*.yaml, checked by tests/lint.rs; the session's rules: src/screening/session/features.rs.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use rosa_screen::questionnaire::{self, FillField};
use serde_json::Value;

const FEATURES: &str = include_str!("fixtures/lint/format-features.yaml");

#[test]
fn the_loader_keeps_immediate_exclusive_and_fills() {
    let q = questionnaire::open(FEATURES, "format-features.yaml").expect("lint-clean");
    let danger = q.flag("acute_danger").unwrap();
    assert!(danger.immediate);
    let threats = q.question("threats").unwrap();
    let exclusive: Vec<&str> = threats
        .choices
        .iter()
        .filter(|c| c.exclusive)
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(exclusive, ["no_threats"]);
    let fields: Vec<(&str, FillField)> = q
        .questions()
        .filter_map(|x| Some((x.id.as_str(), x.fills?.field)))
        .collect();
    assert_eq!(
        fields,
        [
            ("custody", FillField::DetailsCustody),
            ("interpreter", FillField::DetailsInterpreter),
            ("release", FillField::ReferralReleaseDate),
            ("expulsion", FillField::ReferralExpulsion),
            ("consent", FillField::ReferralConsent),
        ]
    );
    let expulsion = q.question("expulsion").unwrap();
    let values: Vec<&str> = expulsion
        .choices
        .iter()
        .map(|c| c.fills.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(values, ["yes", "no", "pending", "unknown"]);
    // Defaults: not immediate, not exclusive, fills nothing.
    let passport = q.question("passport").unwrap();
    assert!(passport.fills.is_none());
    assert!(
        passport
            .choices
            .iter()
            .all(|c| !c.exclusive && c.fills.is_none())
    );
}

#[test]
fn the_json_schema_takes_the_new_fields_and_refuses_wrong_ones() {
    let schema: Value = serde_json::from_str(&questionnaire::schema::json_schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let check = |yaml: &str| -> usize {
        let v: Value = questionnaire::load::from_yaml(yaml, "x.yaml").unwrap();
        validator.iter_errors(&v).count()
    };
    assert_eq!(check(FEATURES), 0);
    assert!(check(&FEATURES.replace("fills: details.custody", "fills: details.custdy")) > 0);
    assert!(check(&FEATURES.replace("immediate: true", "immediate: \"yes\"")) > 0);
    assert!(check(&FEATURES.replace("exclusive: true", "exclusive: 1")) > 0);
}
