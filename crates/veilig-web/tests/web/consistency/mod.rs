//! One figure, one truth (issue 27): each figure of a phenomenon (count, previous year,
//! change, p, verdict, trend, rate, months, wijk and municipality rows) is read from the
//! outputs themselves (the JSON `veilig picture` prints, the analyst's and the council's
//! API, the public API and open data, the text of the staff and public jaarverslag through
//! pdftotext) and must be the same in every view that shows it. On the demo zone and on a
//! one-municipality zone generated here (data from 2022, some phenomena starting later), on
//! SQLite and PostgreSQL. The last test shifts one view's exposure and checks the suite
//! catches it.

mod figures;
mod zone;

use chrono::NaiveDate;
use serde_json::Value;
use veilig_domain::Role;
use veilig_i18n::{I18n, Lang};

use super::common::*;
use figures::*;
use zone::{answered, one_municipality_zone, zone_account};

/// What `veilig picture --zone ZONE --phenomenon CODE` computes for a calendar year, against
/// the year before (the one application function the command prints).
async fn picture_of(
    app: &App,
    zone: &str,
    code: &str,
    year: i32,
) -> veilig_query::analysis::PictureRun {
    let sel = veilig_query::Selection {
        phenomenon: code.to_string(),
        zone: Some(zone.to_string()),
        area: None,
        from: NaiveDate::from_ymd_opt(year, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(year, 12, 31).unwrap(),
    };
    veilig_query::analysis::picture(
        &app.store,
        &sel,
        "previous-year",
        veilig_analysis::TestRules::default(),
    )
    .await
    .unwrap()
}

/// Reads every view of every phenomenon of `zone` for the years given and returns each
/// difference from `veilig picture`'s figures (empty: one truth).
async fn disagreements(app: &App, zone: &str, years: &[i32]) -> (Vec<String>, usize, usize) {
    let z = app.store.zone(zone).await.unwrap().unwrap();
    let mut analyst = zone_account(app, &z, Role::Analyst).await;
    let mut council = zone_account(app, &z, Role::Council).await;
    let mut public = logged_in(app, None).await;
    let phenomena: Vec<(String, String)> = app
        .store
        .status(&z)
        .await
        .unwrap()
        .phenomena
        .iter()
        .filter(|p| p.total > 0)
        .map(|p| (p.code.clone(), p.name_nl.clone()))
        .collect();
    let i18n = I18n::load().unwrap();
    let tr = i18n.tr(Lang::Nl);
    let rules = veilig_web::Config::default().disclosure;
    let (mut out, mut checked, mut published_years) = (Vec::new(), 0, 0);
    for &year in years {
        let q = format!("from={year}-01-01&to={year}-12-31");
        let staff = {
            let mut r =
                veilig_query::report::Request::new(veilig_query::report::Kind::Jaarverslag, year);
            r.staff = true;
            let b = veilig_query::report::build(&app.store, &z, &rules, tr, &r)
                .await
                .unwrap();
            pdf_text(&veilig_query::report::render(&b).unwrap())
        };
        // The public answers exist for complete years the data cover (2025 in a zone whose
        // data end before 31 December is not published: a 400, and nothing to compare).
        let public_api = public.get(&format!("/api/v1/public/{zone}?{q}")).await;
        let published = public_api.status.is_success();
        published_years += usize::from(published);
        // The council's edition of the jaarverslag (figures under disclosure control), for a
        // published year.
        let mut council_headlines = 0;
        let council_pdf = if published {
            let r =
                veilig_query::report::Request::new(veilig_query::report::Kind::Jaarverslag, year);
            let b = veilig_query::report::build(&app.store, &z, &rules, tr, &r)
                .await
                .unwrap();
            pdf_text(&veilig_query::report::render(&b).unwrap())
        } else {
            String::new()
        };
        let public_json: Value = if published {
            answered("public API", public_api)
        } else {
            Value::Null
        };
        let open = if published {
            answered(
                "open data",
                public
                    .get(&format!("/api/v1/public/{zone}/open-data.json?{q}"))
                    .await,
            )
        } else {
            Value::Null
        };
        for (code, name) in &phenomena {
            let run = picture_of(app, zone, code, year).await;
            let truth = from_picture(&run.value);
            let path = format!("/api/v1/zones/{zone}/phenomena/{code}?{q}");
            let a = answered("analyst API", analyst.get(&path).await);
            out.extend(differences(
                &format!("{code} {year} analyst API"),
                &truth,
                &from_api(&a),
            ));
            // The analyst's page says the same: count, previous year and change in its text.
            let answer = analyst.get(&format!("/z/{zone}/p/{code}?{q}")).await;
            let page = answer.body;
            if !answer.status.is_success() {
                out.push(format!("{code} {year} analyst page: {}", answer.status));
            }
            for (what, shown) in [
                (
                    "count",
                    truth
                        .count
                        .map(|n| format!("data-n=\"{n}\">{}<", tr.int(n))),
                ),
                (
                    "previous",
                    truth
                        .previous
                        .map(|n| format!("data-n=\"{n}\">{}<", tr.int(n))),
                ),
                ("change", truth.change.map(|c| format!(">{}<", tr.pct(c)))),
            ] {
                if let Some(shown) = shown
                    && !page.contains(&shown)
                {
                    let at = page.find("<main").unwrap_or(0);
                    let near: String = page[at..].chars().take(900).collect();
                    out.push(format!(
                        "{code} {year} analyst page: {what} {shown:?} not shown: {near}"
                    ));
                }
            }
            let c = council.get(&path).await;
            if published || c.status.is_success() {
                let c = from_api(&answered("council API", c));
                out.extend(differences(
                    &format!("{code} {year} council API"),
                    &truth,
                    &c,
                ));
                // Its jaarverslag prints the council's figures where all of them are shown.
                if published && c.count.is_some() && c.previous.is_some() && c.verdict.is_some() {
                    council_headlines += 1;
                    let (headline, _) = printed(&tr, name, year, &c);
                    if !council_pdf.contains(&headline) {
                        out.push(format!(
                            "{code} {year} council jaarverslag: {headline:?} not printed"
                        ));
                    }
                }
            }
            if let Some(row) = public_json["rows"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|r| r["code"] == code.as_str())
            {
                let view = Figures {
                    count: int(&row["total"]),
                    previous: int(&row["previous"]),
                    verdict: row["verdict"]
                        .as_str()
                        .filter(|v| *v != "withheld")
                        .map(str::to_string),
                    ..Figures::default()
                };
                out.extend(differences(
                    &format!("{code} {year} public API"),
                    &truth,
                    &view,
                ));
            }
            for r in open["rows"].as_array().into_iter().flatten() {
                if r["phenomenon"] == code.as_str() && r["level"] == "zone" {
                    let view = Figures {
                        count: int(&r["count"]),
                        ..Figures::default()
                    };
                    out.extend(differences(
                        &format!("{code} {year} open data"),
                        &truth,
                        &view,
                    ));
                }
            }
            let (headline, trend) = printed(&tr, name, year, &truth);
            if !staff.contains(&headline) {
                let at = staff.find(&format!("{name}: ")).unwrap_or(0);
                let near: String = staff[at..].chars().take(200).collect();
                out.push(format!(
                    "{code} {year} staff jaarverslag: {headline:?} not printed (there: {near:?})"
                ));
            }
            if truth.trend.is_some() {
                let at = staff.find(&headline).unwrap_or(0);
                let section: String = staff[at..].chars().take(3000).collect();
                if !section.contains(&trend) {
                    out.push(format!(
                        "{code} {year} staff jaarverslag: {trend:?} not printed"
                    ));
                }
            }
            checked += 1;
        }
        if published && council_headlines == 0 {
            out.push(format!("{year}: no council jaarverslag headline compared"));
        }
    }
    (out, checked, published_years)
}

async fn one_truth(app: App) {
    let (diffs, checked, published) = disagreements(&app, ZONE, &[2024, 2025]).await;
    assert!(checked >= 20, "{checked} figures checked");
    assert_eq!(published, 2, "both years published and compared");
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
    let schoten = one_municipality_zone(&app).await;
    // The zone has no population of its own: its municipality's counts for it.
    let run = picture_of(&app, schoten, "woninginbraak", 2024).await;
    let zone = run.picture.zone.as_ref().unwrap();
    assert_eq!(zone.population, Some(34_000));
    assert_eq!(
        zone.rate_per_1000,
        Some(run.picture.count as f64 * 1000.0 / 34_000.0)
    );
    let (diffs, checked, published) = disagreements(&app, schoten, &[2024, 2025]).await;
    assert!(checked >= 6, "{checked} figures checked");
    // Its data end on the last incident of 2025 (before 31 December): 2025 is not a
    // complete year to publish, 2024 is.
    assert_eq!(published, 1);
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[tokio::test]
async fn every_view_tells_one_truth_on_sqlite() {
    one_truth(app().await).await;
}

#[tokio::test]
async fn every_view_tells_one_truth_on_postgres() {
    if let Some(app) = postgres_app(veilig_web::Config::default()).await {
        one_truth(app).await;
    }
}

/// The suite can fail: a view whose trend takes its exposure from the phenomenon's first
/// record (the old fault) differs from the truth and is named.
#[tokio::test]
async fn a_shifted_exposure_is_caught() {
    let app = app().await;
    let run = picture_of(&app, ZONE, "woninginbraak", 2025).await;
    let truth = from_picture(&run.value);
    let t = run.picture.trend.clone().unwrap();
    // The same counts, the first year's exposure cut by a month.
    let mut exposure = t.exposure.clone();
    exposure[0] -= 31.0;
    let shifted = veilig_analysis::trend::poisson_trend(&t.years, &t.counts, &exposure).unwrap();
    let view = Figures {
        trend: Some(shifted.annual_change_pct),
        ..truth.clone()
    };
    let d = differences("shifted view", &truth, &view);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].contains("trend"), "{d:?}");
    assert!(differences("same view", &truth, &truth).is_empty());
}
