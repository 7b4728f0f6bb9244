//! The JSON Schema of format 1, for editors (VS Code's YAML extension and the like).
//!
//! It is generated from the loader's own raw serde types, so it cannot drift from what the
//! loader accepts. It describes the shape only: references, expressions and translations are
//! checked by `questionnaire lint`.

use super::load::RawQuestionnaire;

/// The JSON Schema (draft 2020-12) of a format-1 questionnaire file, pretty-printed.
#[must_use]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(RawQuestionnaire);
    // Serialising a `serde_json::Value` tree cannot fail; fall back to the compact form anyway
    // rather than panic.
    serde_json::to_string_pretty(&schema).unwrap_or_else(|_| schema.as_value().to_string())
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::json_schema;
    use crate::questionnaire::load::from_yaml;

    const EXAMPLE: &str = include_str!("../../tests/fixtures/examples/small-screening.yaml");

    fn validator() -> jsonschema::Validator {
        let schema: Value = serde_json::from_str(&json_schema()).unwrap();
        jsonschema::validator_for(&schema).unwrap()
    }

    fn errors(yaml: &str) -> Vec<String> {
        let instance: Value = from_yaml(yaml, "x.yaml").unwrap();
        validator()
            .iter_errors(&instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    #[test]
    fn the_example_questionnaire_validates() {
        assert_eq!(errors(EXAMPLE), Vec::<String>::new());
    }

    #[test]
    fn the_schema_refuses_what_the_loader_refuses() {
        let typo = EXAMPLE.replace(
            "show_if: \"came_for_job == 'yes'\"\n        text",
            "show_fi: x\n        text",
        );
        assert!(!errors(&typo).is_empty());
        let kind = EXAMPLE.replace("kind: single", "kind: singel");
        assert!(!errors(&kind).is_empty());
        let format = EXAMPLE.replace("format: 1", "format: 2");
        assert!(!errors(&format).is_empty());
        let missing = EXAMPLE.replace("    referral: none\n", "");
        assert!(!errors(&missing).is_empty());
    }

    #[test]
    fn the_schema_names_every_top_level_field_and_is_closed() {
        let schema: Value = serde_json::from_str(&json_schema()).unwrap();
        let props = schema["properties"].as_object().unwrap();
        let mut names: Vec<&str> = props.keys().map(String::as_str).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "description",
                "dimensions",
                "flags",
                "format",
                "id",
                "indicators",
                "languages",
                "outcomes",
                "sections",
                "title",
                "translations",
                "version"
            ]
        );
        assert_eq!(schema["additionalProperties"], false);
        let required: Vec<&str> = schema["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for f in [
            "format",
            "id",
            "version",
            "languages",
            "title",
            "dimensions",
            "indicators",
            "sections",
            "outcomes",
        ] {
            assert!(required.contains(&f), "`{f}` should be required");
        }
        assert!(!required.contains(&"flags"));
    }
}
