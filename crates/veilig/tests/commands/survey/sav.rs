//! A wave delivered as an SPSS file imports through a codebook that leaves the answers to the
//! file's value labels; a value without a label is quarantined with its case's line and the
//! variable; the declared missing code counts as no answer.

use super::common::{data, json, run};

#[test]
fn an_spss_wave_imports_with_its_labels_and_a_bad_value_quarantined() {
    let (_dir, db) = super::demo();
    let book = data("survey/local-survey-sav.codebook.toml");
    let file = data("survey/local-survey-2025.sav");
    let args = [
        "survey",
        "import",
        "--zone",
        "demo-bdm",
        "--codebook",
        book.to_str().unwrap(),
        file.to_str().unwrap(),
        "--json",
    ];
    let first = json(&run(&db, &args));
    assert_eq!(
        (&first["rows_read"], &first["stored"], &first["rejected"]),
        (&12.into(), &11.into(), &1.into()),
        "{first}"
    );
    let batch = first["batch"].as_i64().unwrap().to_string();
    let rejects = json(&run(&db, &["rejects", &batch, "--json"]));
    let r = &rejects["rows"][0];
    // Case 4 is line 5 (the header is line 1); its answer 7 has no label.
    assert_eq!((&r["line"], &r["field"]), (&5.into(), &"onveilig".into()));
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("\"7\" is not an answer code")
    );
    let again = json(&run(&db, &args));
    assert_eq!(
        (&again["stored"], &again["duplicates"]),
        (&0.into(), &11.into())
    );
    let v = json(&run(
        &db,
        &[
            "survey",
            "indicators",
            "--survey",
            "lokale-bevraging",
            "--json",
        ],
    ));
    let zone = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"]["level"] == "zone")
        .unwrap();
    // 11 stored, one answered 9 (geen antwoord, declared missing in the file): 10 answers.
    assert_eq!(zone["n"], 10, "{zone}");
}
