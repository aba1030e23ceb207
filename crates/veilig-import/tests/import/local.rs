//! Local phenomena a zone adds to its catalogue through its mapping (GAS nuisance,
//! sluikstorten), with their words, without editing code; a malformed one is refused whole.

use super::*;

fn mapping_with(dir: &Path, extra: &str) -> PathBuf {
    let text = std::fs::read_to_string(data("belgian-export.toml")).unwrap();
    let text = text.replace(
        "[categories]\n",
        "[categories]\n\"Overlast\" = \"gas-overlast\"\n",
    );
    let m = dir.join("local.toml");
    std::fs::write(&m, format!("{text}\n{extra}")).unwrap();
    m
}

both_backends!(
    a_mapping_adds_a_local_phenomenon_with_its_words,
    |store: Store| async move {
        let z = zone(&store, "bdm", 3812).await;
        let dir = tempfile::tempdir().unwrap();
        let bad = mapping_with(
            dir.path(),
            "[phenomena.\"GAS Overlast\"]\nnl = \"GAS\"\nfr = \"SAC\"\nen = \"ASB\"\n",
        );
        let e = incidents(
            &store,
            &z,
            "generic",
            Some(&bad),
            &data("belgian-export-100.csv"),
        )
        .await
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("phenomena.GAS Overlast") && e.contains("local.toml"),
            "{e}"
        );
        assert!(
            store.batches(z.id).await.unwrap().is_empty(),
            "refused whole"
        );
        let m = mapping_with(
            dir.path(),
            "[phenomena.gas-overlast]\nnl = \"GAS-overlast\"\nfr = \"Nuisances SAC\"\nen = \"Nuisance under administrative sanctions\"\n",
        );
        let s = incidents(
            &store,
            &z,
            "generic",
            Some(&m),
            &data("belgian-export-100.csv"),
        )
        .await
        .unwrap();
        assert_eq!(s.stored, 97);
        let defs = store.phenomena(z.id).await.unwrap();
        let gas = defs.iter().find(|p| p.code == "gas-overlast").unwrap();
        assert_eq!(
            (gas.nl.as_str(), gas.fr.as_str(), gas.mapped),
            ("GAS-overlast", "Nuisances SAC", true)
        );
        let st = store.status(&z).await.unwrap();
        let counted = st
            .phenomena
            .iter()
            .find(|p| p.code == "gas-overlast")
            .unwrap();
        assert_eq!(
            counted.total, 18,
            "every Overlast row under the local phenomenon"
        );
        // The same mapping again: the phenomenon is known, nothing is added twice.
        let again = incidents(
            &store,
            &z,
            "generic",
            Some(&m),
            &data("belgian-export-100.csv"),
        )
        .await
        .unwrap();
        assert_eq!(again.stored, 0);
        assert_eq!(
            store
                .phenomena(z.id)
                .await
                .unwrap()
                .iter()
                .filter(|p| p.code == "gas-overlast")
                .count(),
            1
        );
    }
);
