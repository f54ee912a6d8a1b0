//! X lengths against twitter-text's own conformance vectors (v3 weighting,
//! emoji discount, directional markers): `tests/fixtures/twitter-text/`.

use std::collections::BTreeMap;

use chorus::share::length::x_weighted;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Case {
    description: String,
    text: String,
    expected: Expected,
}

#[derive(Debug, Deserialize)]
struct Expected {
    #[serde(rename = "weightedLength")]
    weighted_length: usize,
}

#[test]
fn weighted_lengths_match_twitter_text() {
    let text = include_str!("fixtures/twitter-text/validate-v3.yml");
    let suites: BTreeMap<String, Vec<Case>> = serde_yaml::from_str(text).expect("conformance file parses");
    let mut checked = 0;
    let mut failures = Vec::new();
    for (suite, cases) in &suites {
        for case in cases {
            let got = x_weighted(&case.text);
            if got != case.expected.weighted_length {
                failures.push(format!("{suite} / {}: expected {}, got {got}", case.description, case.expected.weighted_length));
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} vectors read");
    assert!(failures.is_empty(), "{} of {checked} vectors fail:\n{}", failures.len(), failures.join("\n"));
}
