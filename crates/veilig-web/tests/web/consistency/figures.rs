//! A view's figures as the suite reads them from each output, and how two views differ.

use serde_json::Value;

/// A view's figures of one phenomenon and period (None: not shown there).
#[derive(Debug, Clone, Default)]
pub(super) struct Figures {
    pub(super) count: Option<u64>,
    pub(super) previous: Option<u64>,
    pub(super) change: Option<f64>,
    pub(super) p: Option<f64>,
    pub(super) verdict: Option<String>,
    pub(super) trend: Option<f64>,
    pub(super) rate: Option<f64>,
    /// `YYYY-MM` → count.
    pub(super) months: Vec<(String, Option<u64>)>,
    /// Wijk code → count.
    pub(super) wijken: Vec<(String, Option<u64>)>,
}

pub(super) fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

pub(super) fn int(v: &Value) -> Option<u64> {
    v.as_u64()
}

/// What `veilig picture --json` prints, read as a user's script would.
pub(super) fn from_picture(v: &Value) -> Figures {
    let c = &v["comparison"];
    Figures {
        count: int(&v["count"]),
        previous: int(&c["baseline_events"]),
        change: num(&c["change_pct"]),
        p: num(&c["p_value"]),
        verdict: c["verdict"].as_str().map(str::to_string),
        trend: num(&v["trend"]["annual_change_pct"]),
        rate: num(&v["zone"]["rate_per_1000"]),
        months: v["monthly"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|m| (m["month"].as_str().unwrap().to_string(), int(&m["count"])))
                    .collect()
            })
            .unwrap_or_default(),
        wijken: v["areas"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|w| (w["code"].as_str().unwrap().to_string(), int(&w["count"])))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// The API's answer for one phenomenon (`summary` and `areas`), as any role receives it.
pub(super) fn from_api(v: &Value) -> Figures {
    let s = &v["summary"];
    Figures {
        count: int(&s["count"]),
        previous: int(&s["baseline"]),
        change: num(&s["change_pct"]),
        p: num(&s["p_value"]),
        verdict: s["verdict"]
            .as_str()
            .filter(|v| *v != "withheld")
            .map(str::to_string),
        trend: num(&s["trend_pct"]),
        rate: num(&s["zone_rate_per_1000"]),
        months: s["monthly"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|m| (m[0].as_str().unwrap().to_string(), int(&m[1])))
                    .collect()
            })
            .unwrap_or_default(),
        wijken: v["areas"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|w| (w["code"].as_str().unwrap().to_string(), int(&w["count"])))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Every difference between the reference figures and a view's, where the view shows one.
pub(super) fn differences(what: &str, truth: &Figures, view: &Figures) -> Vec<String> {
    let mut out = Vec::new();
    let mut same_f = |name: &str, a: Option<f64>, b: Option<f64>| {
        if let (Some(a), Some(b)) = (a, b)
            && (a - b).abs() > 1e-9 * a.abs().max(1.0)
        {
            out.push(format!("{what}: {name} {b} where the truth is {a}"));
        }
    };
    same_f(
        "count",
        truth.count.map(|v| v as f64),
        view.count.map(|v| v as f64),
    );
    same_f(
        "previous",
        truth.previous.map(|v| v as f64),
        view.previous.map(|v| v as f64),
    );
    same_f("change", truth.change, view.change);
    same_f("p", truth.p, view.p);
    same_f("trend", truth.trend, view.trend);
    same_f("rate", truth.rate, view.rate);
    // A change is what a reader recomputes from the two counts shown beside it.
    if let (Some(c), Some(b), Some(ch)) = (view.count, view.previous, view.change)
        && b > 0
        && ((c as f64 / b as f64 - 1.0) * 100.0 - ch).abs() > 1e-9
    {
        out.push(format!("{what}: change {ch} is not {c} against {b}"));
    }
    if let (Some(a), Some(b)) = (&truth.verdict, &view.verdict)
        && a != b
    {
        out.push(format!("{what}: verdict {b} where the truth is {a}"));
    }
    for (list, name) in [(&view.months, "month"), (&view.wijken, "wijk")] {
        let reference = if name == "month" {
            &truth.months
        } else {
            &truth.wijken
        };
        for (key, v) in list {
            let t = reference
                .iter()
                .find(|(k, _)| k == key)
                .and_then(|(_, c)| *c);
            if let (Some(t), Some(v)) = (t, v)
                && t != *v
            {
                out.push(format!("{what}: {name} {key} {v} where the truth is {t}"));
            }
        }
    }
    out
}

/// The PDF's text as pdftotext reads it, every run of white space one space.
pub(super) fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("r.pdf");
    std::fs::write(&f, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&f)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/setup and .ci/run");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The report's headline and trend of a phenomenon, as its words print the truth.
pub(super) fn printed(
    tr: &veilig_i18n::Tr<'_>,
    name: &str,
    year: i32,
    f: &Figures,
) -> (String, String) {
    let n = |v: Option<u64>| v.map_or("–".to_string(), |v| tr.int(v));
    let pct = |v: Option<f64>| v.map_or("–".into(), |p| tr.pct(p).replace('\u{a0}', " "));
    let verdict = f
        .verdict
        .as_deref()
        .map(|v| tr.t(&format!("verdict-{v}")))
        .unwrap_or_default();
    let headline = tr
        .args(
            "report-headline",
            &[
                ("name", name.to_string()),
                ("count", n(f.count)),
                ("year", year.to_string()),
                ("previous", n(f.previous)),
                ("before", (year - 1).to_string()),
                ("change", pct(f.change)),
                ("verdict", verdict),
            ],
        )
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let trend = format!("Trend: {} per jaar", pct(f.trend));
    (headline, trend)
}
