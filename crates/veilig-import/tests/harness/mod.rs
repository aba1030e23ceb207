//! The fuzzing harness shared by `tests/mutations.rs` (the seeded mutation run in CI and
//! `scripts/bench-fuzz`) and the cargo-fuzz targets in `fuzz/` (coverage-guided): every
//! importer and mapping file, a base input from the test data, and the properties every
//! input must keep (stored and balanced with each reject's line and reason, or refused whole
//! with the file named and nothing stored; never a panic, never a store error).
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use veilig_domain::*;
use veilig_import::*;
use veilig_store::{Store, Table, testing};

pub fn data(name: &str) -> PathBuf {
    // The repository's testdata, from this crate's tests or from fuzz/.
    // Read when the test runs (cargo sets it then too), not when it is compiled: a test binary
    // reused from a build elsewhere must still find this checkout's files.
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut d = PathBuf::from(&manifest);
    while !d.join("testdata").is_dir() {
        assert!(d.pop(), "no testdata above {manifest}");
    }
    d.join("testdata").join(name)
}

/// xorshift64*: small, seeded, the same cases for the same seed on every machine.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INTERESTING: &[&[u8]] = &[
    b";",
    b",",
    b"\"",
    b"\n",
    b"\r\n",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\t",
    b" ",
    b"-",
    b"e",
    b"0",
    b"99999999999999999999",
    b"-1",
    b"NaN",
    b"inf",
    b"2024-02-30",
    b"31/12/9999",
    b"1e309",
    b"\xef\xbb\xbf",
    b"\"\"",
    b"[",
    b"]",
    b"{",
    b"}",
    b"=",
    b"#",
    b"\xe2\x80\xaf",
];

fn lines(b: &[u8]) -> Vec<Vec<u8>> {
    b.split_inclusive(|c| *c == b'\n')
        .map(|l| l.to_vec())
        .collect()
}

/// One to four random mutations of `input`.
pub fn mutate(input: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        match rng.below(8) {
            0 if !b.is_empty() => {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
            1 => {
                let i = rng.below(b.len() + 1);
                let s = INTERESTING[rng.below(INTERESTING.len())];
                b.splice(i..i, s.iter().copied());
            }
            2 if !b.is_empty() => {
                let i = rng.below(b.len());
                let n = (1 + rng.below(16)).min(b.len() - i);
                b.drain(i..i + n);
            }
            3 => {
                let mut ls = lines(&b);
                if !ls.is_empty() {
                    let i = rng.below(ls.len());
                    let l = ls[i].clone();
                    ls.insert(i, l);
                }
                b = ls.concat();
            }
            4 => {
                let mut ls = lines(&b);
                if ls.len() > 1 {
                    let (i, j) = (rng.below(ls.len()), rng.below(ls.len()));
                    ls.swap(i, j);
                }
                b = ls.concat();
            }
            5 if !b.is_empty() => {
                b.truncate(rng.below(b.len()));
            }
            6 => {
                // A field replaced by an extreme value: between two delimiters.
                let seps: Vec<usize> = b
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| matches!(**c, b',' | b';' | b':'))
                    .map(|(i, _)| i)
                    .collect();
                if seps.len() > 1 {
                    let k = rng.below(seps.len() - 1);
                    let (a, z) = (seps[k] + 1, seps[k + 1]);
                    let s = INTERESTING[rng.below(INTERESTING.len())];
                    b.splice(a..z, s.iter().copied());
                }
            }
            _ => {
                // Invalid UTF-8 in the middle of a line.
                let i = rng.below(b.len() + 1);
                b.splice(i..i, [0xe9, 0x80]);
            }
        }
    }
    b
}

/// What an importer is given: its data file and, for some, a mapping file.
pub struct Case {
    pub data: Vec<u8>,
    pub mapping: Option<Vec<u8>>,
    pub data_name: &'static str,
    pub mapping_name: &'static str,
}

#[derive(Clone, Copy, Debug)]
pub enum Importer {
    PoliceUk,
    Toronto,
    Generic,
    GenericMapping,
    Areas,
    Population,
    Statistics,
    StatisticsMapping,
    Calls,
    CallsMapping,
    Staff,
    Survey,
    SurveyCodebook,
    PopulationGroups,
}

pub const ALL: [Importer; 14] = [
    Importer::PoliceUk,
    Importer::Toronto,
    Importer::Generic,
    Importer::GenericMapping,
    Importer::Areas,
    Importer::Population,
    Importer::Statistics,
    Importer::StatisticsMapping,
    Importer::Calls,
    Importer::CallsMapping,
    Importer::Staff,
    Importer::Survey,
    Importer::SurveyCodebook,
    Importer::PopulationGroups,
];

const STATS: &str = "NIS;Periode;Figuur;Aantal\n13025;2023;Woninginbraak;84\n13025;2023;Fietsdiefstal;301\n13025;2024-Q1;Woninginbraak;19\n13003;2023;Woninginbraak;<5\n";
const STATS_MAP: &str = "source = \"federale-politie\"\ncategory_kind = \"criminal-figure\"\nclosing_date = \"2024-01-26\"\n[columns]\narea = \"NIS\"\nperiod = \"Periode\"\ncategory = \"Figuur\"\ncount = \"Aantal\"\n";
const CALLS: &str = "nr,ontvangen,prio,aard,vrij,ter plaatse\nA1,2024-03-01 10:00:00,P1,inbraak,2024-03-01 11:30:00,2024-03-01 10:12:30\nA2,2024-03-01 10:05:00,P3,,,\nA3,2024-03-01 10:10:00,P2,geluid,2024-03-01 09:00:00,\n";
const CALLS_MAP: &str = "source = \"cad\"\n[columns]\nid = \"nr\"\nreceived_at = \"ontvangen\"\npriority = \"prio\"\ncategory = \"aard\"\ncleared_at = \"vrij\"\narrived_at = \"ter plaatse\"\n";
const STAFF: &str = "code,functionality,rank,fte,contract_hours_week,skills,area_code\nD-1,interventie,INP,1,38,OBP|rijbewijs-c,\nD-2,wijkwerking,HINP,0.8,30.4,,W01\nD-3,boekhouding,CALog,1,38,,\n";

/// The first `n` lines of a test data file.
fn head(name: &str, n: usize) -> Vec<u8> {
    let b = std::fs::read(data(name)).unwrap();
    lines(&b).into_iter().take(n).collect::<Vec<_>>().concat()
}

impl Importer {
    pub fn base(self) -> Case {
        let case = |data: Vec<u8>, mapping: Option<Vec<u8>>, data_name, mapping_name| Case {
            data,
            mapping,
            data_name,
            mapping_name,
        };
        match self {
            Importer::PoliceUk => {
                case(head("police-uk-2016-07-sample.csv", 40), None, "in.csv", "")
            }
            Importer::Toronto => case(head("toronto-mci-sample.csv", 40), None, "in.csv", ""),
            Importer::Generic | Importer::GenericMapping => case(
                head("belgian-export-100.csv", 40),
                Some(std::fs::read(data("belgian-export.toml")).unwrap()),
                "in.csv",
                "map.toml",
            ),
            Importer::Areas => case(
                std::fs::read(data("canton-mol-geel-1.geojson")).unwrap(),
                None,
                "in.geojson",
                "",
            ),
            Importer::Population => {
                case(head("lsoa-population-sample.csv", 15), None, "in.csv", "")
            }
            Importer::Statistics | Importer::StatisticsMapping => {
                case(STATS.into(), Some(STATS_MAP.into()), "in.csv", "map.toml")
            }
            Importer::Calls | Importer::CallsMapping => {
                case(CALLS.into(), Some(CALLS_MAP.into()), "in.csv", "map.toml")
            }
            Importer::Staff => case(STAFF.into(), None, "in.csv", ""),
            Importer::Survey | Importer::SurveyCodebook => case(
                std::fs::read(data("survey/local-survey-2025.csv")).unwrap(),
                Some(std::fs::read(data("survey/local-survey.codebook.toml")).unwrap()),
                "in.csv",
                "codebook.toml",
            ),
            Importer::PopulationGroups => case(
                std::fs::read(data("survey/population-groups-sample.csv")).unwrap(),
                None,
                "in.csv",
                "",
            ),
        }
    }

    /// Mutates the data, or the mapping for the mapping-file targets.
    pub fn case(self, rng: &mut Rng) -> Case {
        let mut c = self.base();
        match self {
            Importer::GenericMapping
            | Importer::StatisticsMapping
            | Importer::CallsMapping
            | Importer::SurveyCodebook => {
                c.mapping = c.mapping.map(|m| mutate(&m, rng));
            }
            // The areas file is one large polygon: mutate a window of it, not only its start.
            _ => c.data = mutate(&c.data, rng),
        }
        c
    }

    pub fn crs(self) -> i32 {
        match self {
            Importer::PoliceUk | Importer::Population => 27700,
            Importer::Toronto => 32617,
            _ => 3812,
        }
    }
}

pub async fn run(
    store: &Store,
    zone: &Zone,
    imp: Importer,
    dir: &Path,
    c: &Case,
) -> Result<ImportSummary, ImportError> {
    let f = dir.join(c.data_name);
    std::fs::write(&f, &c.data).unwrap();
    let m = dir.join(if c.mapping_name.is_empty() {
        "none"
    } else {
        c.mapping_name
    });
    if let Some(b) = &c.mapping {
        std::fs::write(&m, b).unwrap();
    }
    match imp {
        Importer::PoliceUk => {
            import_incidents(store, zone, incident_format("police-uk", None)?, &f, &Quiet).await
        }
        Importer::Toronto => {
            import_incidents(
                store,
                zone,
                incident_format("toronto-mci", None)?,
                &f,
                &Quiet,
            )
            .await
        }
        Importer::Generic | Importer::GenericMapping => {
            import_incidents(
                store,
                zone,
                incident_format("generic", Some(&m))?,
                &f,
                &Quiet,
            )
            .await
        }
        Importer::Areas => {
            let opts = AreaOptions {
                code_field: "canton".into(),
                name_field: Some("name_nl".into()),
                kind: "kanton".into(),
                ..AreaOptions::default()
            };
            import_areas(store, zone, &f, &opts, &Quiet).await
        }
        Importer::Population => {
            let opts = PopulationOptions {
                level: PopulationLevel::Area,
                code_column: "lsoa_code".into(),
                inhabitants_column: "persons".into(),
                dwellings_column: None,
                households_column: Some("households".into()),
                ref_date: Some(chrono::NaiveDate::from_ymd_opt(2011, 3, 27).unwrap()),
                date_column: None,
                source: "ONS Census 2011".into(),
            };
            import_population(store, zone, &f, &opts, &Quiet).await
        }
        Importer::Statistics | Importer::StatisticsMapping => {
            import_stat_counts(store, zone, &f, &m, &Quiet).await
        }
        Importer::Calls | Importer::CallsMapping => import_calls(store, zone, &f, &m, &Quiet).await,
        Importer::Staff => import_staff(store, zone, &f, &Quiet).await,
        Importer::Survey | Importer::SurveyCodebook => {
            import_survey(store, zone, &f, &m, &Quiet).await
        }
        Importer::PopulationGroups => {
            let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
            import_population_groups(store, zone, &f, d, "Statbel 2024", &Quiet).await
        }
    }
}

/// Checks one mutated input; returns whether it was stored (Ok) or refused whole.
pub async fn check(
    store: &Store,
    zone: &Zone,
    imp: Importer,
    dir: &Path,
    c: &Case,
    what: &str,
) -> bool {
    let batches = store.count(zone.id, Table::Batches).await.unwrap();
    match run(store, zone, imp, dir, c).await {
        Ok(s) => {
            assert!(s.balanced(), "{what}: unbalanced {s:?}");
            let physical = lines(&c.data).len() as u64 + 1;
            for r in store.rejects(s.batch).await.unwrap() {
                assert!(
                    r.line >= 1 && r.line <= physical,
                    "{what}: rejected row at line {} of {physical}",
                    r.line
                );
                assert!(!r.reason.is_empty(), "{what}: a reject without a reason");
            }
            true
        }
        Err(ImportError::File { file, message }) => {
            assert!(!message.is_empty(), "{what}: an empty message");
            assert!(
                file.contains(c.data_name)
                    || file.contains(c.mapping_name)
                    || file.contains("none"),
                "{what}: the message names {file:?}, not the file"
            );
            assert_eq!(
                store.count(zone.id, Table::Batches).await.unwrap(),
                batches,
                "{what}: a refused file left a batch"
            );
            false
        }
        Err(ImportError::Store(e)) => panic!("{what}: a store error on bad input: {e}"),
    }
}

impl Importer {
    /// Whether the fuzzed bytes are the mapping file (else the data file).
    pub fn mapping_target(self) -> bool {
        matches!(
            self,
            Importer::GenericMapping
                | Importer::StatisticsMapping
                | Importer::CallsMapping
                | Importer::SurveyCodebook
        )
    }

    /// The base input with `bytes` in place of the file this target fuzzes.
    pub fn with(self, bytes: &[u8]) -> Case {
        let mut c = self.base();
        if self.mapping_target() {
            c.mapping = Some(bytes.to_vec());
        } else {
            c.data = bytes.to_vec();
        }
        c
    }
}

/// A store with one zone for an importer's inputs.
pub async fn store_for(imp: Importer) -> (testing::TestStore, Zone) {
    let t = testing::sqlite().await;
    let zone = t
        .store
        .create_zone(
            &NewZone {
                code: ZoneCode::parse("fuzz").unwrap(),
                name: "fuzz".into(),
                kind: ZoneKind::MultiMunicipality,
                crs: imp.crs(),
                synthetic: false,
            },
            &Catalogue::builtin(),
        )
        .await
        .unwrap();
    (t, zone)
}

/// One input of a cargo-fuzz target: checked against a store kept for the process.
pub fn fuzz_one(imp: Importer, bytes: &[u8]) {
    use std::sync::OnceLock;
    struct Env {
        rt: tokio::runtime::Runtime,
        store: testing::TestStore,
        zone: Zone,
        dir: tempfile::TempDir,
    }
    static ENV: OnceLock<Env> = OnceLock::new();
    let env = ENV.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let (store, zone) = rt.block_on(store_for(imp));
        Env {
            rt,
            store,
            zone,
            dir: tempfile::tempdir().unwrap(),
        }
    });
    let c = imp.with(bytes);
    env.rt.block_on(check(
        &env.store.store,
        &env.zone,
        imp,
        env.dir.path(),
        &c,
        &format!("{imp:?}"),
    ));
}
