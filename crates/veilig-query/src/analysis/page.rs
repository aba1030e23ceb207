//! The picture as a stand-alone page (`veilig picture --out DIR`): index.html with its SVG
//! charts and picture.json, every word in the reader's language.

use veilig_analysis::Verdict;
use veilig_analysis::hotspot;
use veilig_i18n::Tr;
use veilig_report::{self as report, esc};

use super::PictureRun;
use crate::map_grid;

fn verdict(tr: &Tr, v: Verdict) -> String {
    tr.t(&format!("verdict-{}", v.as_str()))
}

/// The page's files by name; a chart without data (no areas, too few located incidents) is
/// left out rather than written empty.
pub fn files(run: &PictureRun, tr: &Tr) -> anyhow::Result<Vec<(&'static str, String)>> {
    let (l, pic) = (&run.loaded, &run.picture);
    let title = format!(
        "{} — {}{}",
        l.provenance.selection,
        l.zone.name,
        l.area
            .as_ref()
            .map(|x| format!(", {}", x.name))
            .unwrap_or_default()
    );
    let monthly = report::line_chart(
        &pic.monthly,
        &tr.arg("picture-page-monthly", "title", &title),
        &tr.t("picture-page-monthly-band"),
    );
    let days: Vec<String> = (0..7).map(|d| tr.t(&format!("day-{d}"))).collect();
    let days: [&str; 7] = std::array::from_fn(|d| days[d].as_str());
    let heat = report::heat_table(&pic.hour_weekday, &tr.t("picture-page-heat"), &days);
    let rate_areas: Vec<(&veilig_domain::MultiPolygon, Option<f64>, String)> = l
        .areas
        .iter()
        .zip(&pic.areas)
        .map(|(ar, f)| (&ar.geometry, f.rate_per_1000, ar.name.clone()))
        .collect();
    let chor = report::choropleth(&rate_areas, &tr.t("picture-page-rates"), tr.decimal_mark());
    let hot = density(run, tr);
    let html = html(run, tr, &title, [&monthly, &heat, &chor, &hot]);
    let mut out = Vec::new();
    for (name, svg) in [
        ("monthly.svg", monthly),
        ("hour-weekday.svg", heat),
        ("areas.svg", chor),
        ("hotspots.svg", hot),
    ] {
        if !svg.is_empty() {
            out.push((name, svg));
        }
    }
    out.push(("picture.json", serde_json::to_string_pretty(&run.value)?));
    out.push(("index.html", html));
    Ok(out)
}

/// The kernel density of the period's located incidents on a 150 m grid.
fn density(run: &PictureRun, tr: &Tr) -> String {
    let l = &run.loaded;
    let pts = l.points_in_period();
    let Some(h) = hotspot::default_bandwidth(&pts) else {
        return String::new();
    };
    let grid = map_grid(&l.areas, &pts, 150.0);
    let k = hotspot::kde(&grid, &pts, h.max(150.0));
    let outlines: Vec<&veilig_domain::MultiPolygon> = l.areas.iter().map(|a| &a.geometry).collect();
    let title = tr.arg(
        "picture-page-density",
        "bandwidth",
        format!("{:.0}", h.max(150.0)),
    );
    report::grid_map(&k, &outlines, None, &title, tr.decimal_mark())
}

fn row(cells: &[String], header: bool) -> String {
    let tag = if header { "th" } else { "td" };
    let inner: String = cells
        .iter()
        .map(|c| format!("<{tag}>{c}</{tag}>"))
        .collect();
    format!("<tr>{inner}</tr>")
}

fn published(run: &PictureRun, tr: &Tr) -> String {
    if run.published.is_empty() {
        return String::new();
    }
    let head = ["source", "area", "period", "figure", "count", "closing"]
        .map(|k| tr.t(&format!("picture-page-published-{k}")));
    let rows: String = run
        .published
        .iter()
        .map(|p| {
            let c = &p.cell;
            let provisional = if c.provisional {
                format!(" ({})", tr.t("picture-page-provisional"))
            } else {
                String::new()
            };
            row(
                &[
                    esc(&p.source),
                    esc(&c.area_code),
                    format!("{} – {}", c.period_start, c.period_end),
                    esc(&c.category),
                    tr.int(c.count.max(0) as u64),
                    format!("{}{provisional}", c.closing_date),
                ],
                false,
            )
        })
        .collect();
    format!(
        "<h2>{}</h2><p>{}</p><table>{}{rows}</table>",
        esc(&tr.t("picture-page-published")),
        esc(&tr.t("picture-page-published-note")),
        row(&head.map(|h| esc(&h)), true)
    )
}

fn comparisons(run: &PictureRun, tr: &Tr) -> String {
    let head = [
        "comparison",
        "period",
        "now",
        "baseline",
        "change",
        "p",
        "verdict",
    ]
    .map(|k| esc(&tr.t(&format!("picture-page-col-{k}"))));
    let mut rows = row(&head, true);
    for lc in &run.picture.comparisons {
        let c = &lc.comparison;
        rows.push_str(&row(
            &[
                esc(&tr.t(&format!("cmp-{}", lc.label))),
                format!("{} – {}", lc.current.start, lc.current.end),
                tr.int(c.current),
                tr.dec(c.baseline_per_period.unwrap_or(c.baseline), 1),
                c.change_pct
                    .map(|p| tr.pct(p))
                    .unwrap_or_else(|| "–".into()),
                tr.p(c.p_value),
                esc(&verdict(tr, c.verdict)),
            ],
            false,
        ));
    }
    format!("<table>{rows}</table>")
}

fn html(run: &PictureRun, tr: &Tr, title: &str, svgs: [&String; 4]) -> String {
    let (l, pic) = (&run.loaded, &run.picture);
    let p = &l.provenance;
    let trend = pic.trend.as_ref().map_or(String::new(), |t| {
        let s = tr.args(
            "trend-sentence",
            &[
                ("value", tr.pct(t.annual_change_pct)),
                ("low", tr.pct(t.annual_change_low_pct)),
                ("high", tr.pct(t.annual_change_high_pct)),
                ("p", tr.p(t.p_value)),
            ],
        );
        format!("<p>{}</p>", esc(&s))
    });
    let summary = tr.args(
        "picture-page-summary",
        &[
            ("from", l.period.start.to_string()),
            ("to", l.period.end.to_string()),
            ("count", tr.int(pic.count)),
            ("verdict", verdict(tr, pic.comparison.comparison.verdict)),
        ],
    );
    let method = tr.args(
        "picture-page-method",
        &[
            ("alpha", tr.dec(pic.rules.alpha, 2)),
            ("min", pic.rules.min_events.to_string()),
        ],
    );
    let imports: Vec<String> = p
        .batches
        .iter()
        .map(|b| {
            let on = b.imported_at.map_or("–".into(), |d| d.date().to_string());
            tr.args(
                "picture-page-import",
                &[
                    ("id", b.id.to_string()),
                    ("source", b.source.clone()),
                    ("on", on),
                ],
            )
        })
        .collect();
    let footer = tr.args(
        "picture-page-footer",
        &[
            ("sources", imports.join("; ")),
            (
                "extraction",
                p.extraction_date.map_or("–".into(), |d| d.to_string()),
            ),
            (
                "generated",
                p.generated_at.format("%Y-%m-%d %H:%M").to_string(),
            ),
        ],
    );
    let synthetic = if p.synthetic {
        format!(
            "<p class=\"synthetic\">{}</p>",
            esc(&tr.t("synthetic-banner"))
        )
    } else {
        String::new()
    };
    format!(
        r#"<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{t}</title>
<style>body{{font-family:sans-serif;max-width:980px;margin:1em auto;padding:0 1em;color:#111}} table{{border-collapse:collapse}} td,th{{border:1px solid #bbb;padding:3px 6px;text-align:left}} .synthetic{{background:#fde68a;padding:6px;font-weight:bold}} svg{{width:100%;height:auto;margin:1em 0}} footer{{font-size:90%;color:#333}}</style></head><body>
{synthetic}<h1>{t}</h1><p>{summary}</p>
{table}
<p>{method}</p>
{trend}{s0}{s1}{s2}{s3}{published}
<footer><p>{footer}</p></footer></body></html>"#,
        lang = tr.lang.tag(),
        t = esc(title),
        summary = esc(&summary),
        table = comparisons(run, tr),
        method = esc(&method),
        s0 = svgs[0],
        s1 = svgs[1],
        s2 = svgs[2],
        s3 = svgs[3],
        published = published(run, tr),
        footer = esc(&footer),
    )
}
