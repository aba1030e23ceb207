//! The capacity, forecast and survey pages, and a page whose job still runs.

use axum::http::StatusCode;
use veilig_domain::Role;

use super::common::*;

/// The capacity page shows the demo zone's norm check (the wijk norm: ⌈inhabitants / 4,000⌉
/// wijkinspecteurs, at least 18 here, with its citation and confidence), the net hours and the
/// officers needed in each of the 168 hours, in Dutch by default and in French on request.
#[tokio::test]
async fn the_capacity_page_shows_the_norm_check_and_the_hourly_need() {
    let app = app().await;
    let mut c = logged_in(&app, Some(Role::Chief)).await;
    let a = c.get("/z/demo-bdm/capacity").await;
    assert_eq!(a.status, StatusCode::OK);
    let b = &a.body;
    assert!(b.contains("Normtoets"), "{}", &b[..b.len().min(500)]);
    // The zone's wijk rule: 18 required.
    let zone_row = b
        .split("<tr>")
        .find(|r| r.contains("<code>wijk-per-inwoners</code>") && r.contains("<td>zone</td>"))
        .expect("the wijk norm for the zone");
    let inhabitants: u64 = zone_row
        .split('⌈')
        .nth(1)
        .and_then(|x| x.split(' ').next())
        .and_then(|x| x.parse().ok())
        .expect("the basis names the inhabitants");
    let required = inhabitants.div_ceil(4000);
    assert!(required >= 18, "{inhabitants} inhabitants");
    assert!(
        zone_row.contains(&format!(">{required},00<")),
        "{required} required: {zone_row}"
    );
    assert!(zone_row.contains(">H<"), "confidence mark: {zone_row}");
    // The skill-on-shift rule is marked as an assumption.
    assert!(b.contains("ploegverantwoordelijke-per-ploeg"));
    // 24 hour rows × 7 days, the floor hours marked.
    let heat = &b[b.find("figures heat").expect("the hourly table")..];
    let heat = &heat[..heat.find("</table>").unwrap()];
    assert_eq!(heat.matches("<th scope=\"row\">").count(), 24);
    assert_eq!(heat.matches("<td class=\"num").count(), 168);
    // Never under the floor of one intervention team (2 officers) in any hour.
    for cell in heat.split("<td class=\"num").skip(1) {
        let n: u32 = cell[cell.find('>').unwrap() + 1..cell.find('<').unwrap()]
            .parse()
            .unwrap();
        assert!(n >= 2, "{cell}");
    }
    assert!(b.contains("Erlang C"));
    // French on request.
    c.get("/lang/fr?next=/z/demo-bdm/capacity").await;
    let f = c.get("/z/demo-bdm/capacity").await;
    assert!(
        f.body.contains("Contrôle des normes"),
        "{}",
        &f.body[..f.body.len().min(300)]
    );
    assert!(
        f.body.contains("lang=\"nl\""),
        "the Dutch rule texts are marked as Dutch"
    );
}

/// The forecast page: the evidence badge decides what is shown, the naive count stands beside
/// it, the model card names its limits; cells only, no incident points; NL, FR and EN.
#[tokio::test]
async fn the_forecast_page_shows_the_evidence_the_count_beside_and_the_model_card() {
    let app = app().await;
    let mut c = logged_in(&app, Some(Role::Analyst)).await;
    // The first view asks for the forecast; a worker computes it; then it is there.
    let first = c
        .get("/z/demo-bdm/forecast?phenomenon=woninginbraak&coverage=1")
        .await;
    assert!(first.body.contains("Deze voorspelling wordt berekend"));
    run_jobs(&app).await;
    let a = c
        .get("/z/demo-bdm/forecast?phenomenon=woninginbraak&coverage=1")
        .await;
    assert_eq!(a.status, StatusCode::OK);
    let b = &a.body;
    assert!(
        b.contains("Voorspelling volgende week"),
        "{}",
        &b[..b.len().min(400)]
    );
    assert!(b.contains("Modelkaart") && b.contains("Terugkoppeling"));
    // The demo's data end on 31 October: the week forecast is the one after them, and the
    // page says it is not the coming week.
    assert!(
        b.contains("De gegevens lopen tot en met 31/10/2026")
            && b.contains("niet voor de komende week"),
        "{}",
        &b[..b.len().min(400)]
    );
    assert!(b.contains("de eenvoudige telling van vroegere feiten per cel"));
    // Exactly one of the two badges, and what is shown follows it.
    let better = b.contains("De methode verslaat de telling.");
    let not_better = b.contains("Veilig toont daarom de telling.");
    assert!(better ^ not_better, "one verdict");
    if not_better {
        assert!(b.contains("Getoond: eenvoudige telling"));
    } else {
        assert!(b.contains("Getoond: Poisson-regressie op meerdere vensters"));
    }
    // Two tables of ceil(1 % of the mask) cells each.
    let tables: Vec<&str> = b.split("<table class=\"figures\">").skip(1).collect();
    assert!(tables.len() >= 2);
    let rows = |t: &str| {
        t[..t.find("</table>").unwrap()]
            .matches("<tr><td class=\"num\">")
            .count()
    };
    assert_eq!(rows(tables[0]), rows(tables[1]));
    assert!(rows(tables[0]) > 0);
    // Above the tables, the same cells on a map of the wijken, each wijk by its name, with
    // a legend for the shown method's cells (and the naive count's when it is not shown).
    let at = b
        .find("<figure class=\"chart map-figure\">")
        .expect("a map of the cells");
    let map = &b[at..at + b[at..].find("</figure>").unwrap()];
    assert!(map.contains("De waarschijnlijkste cellen van"));
    let zone = app.store.zone("demo-bdm").await.unwrap().unwrap();
    for a in app.store.areas(zone.id).await.unwrap() {
        assert!(
            map.contains(&format!(">{}</text>", a.name)),
            "{} on the map",
            a.name
        );
    }
    let cells = map.matches("<rect").count() - if not_better { 1 } else { 2 };
    let drawn = if not_better {
        rows(tables[0])
    } else {
        2 * rows(tables[0])
    };
    assert_eq!(cells, drawn, "every flagged cell drawn once per layer");
    assert!(map.contains(": gemarkeerde cel"));
    // No incident record reaches the page: no map layer of points, no incident id.
    assert!(!b.contains("leaflet") && !b.contains("incident_id"));
    assert!(b.contains("McNemar"));
    c.get("/lang/fr?next=/z/demo-bdm/forecast").await;
    let f = c.get("/z/demo-bdm/forecast").await;
    assert!(f.body.contains("Fiche du modèle") && f.body.contains("Rétroaction"));
    c.get("/lang/en?next=/z/demo-bdm/forecast").await;
    let e = c.get("/z/demo-bdm/forecast").await;
    assert!(e.body.contains("Model card") && e.body.contains("Feedback loop"));
    // The nav offers it to the analyst, not to a partner.
    assert!(e.body.contains("/z/demo-bdm/forecast"));
    let mut p = logged_in(&app, Some(Role::Partner)).await;
    let o = p.get("/z/demo-bdm").await;
    assert!(!o.body.contains("/forecast"));
}

/// Heavy figures are computed when the data change, never in the reader's request: a page
/// opened while its job runs answers at once that it is being computed (and polls for the
/// result), then shows the figures; new data make the stored figures stale at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_opened_while_its_job_runs_says_so_at_once_then_shows_the_figures() {
    use veilig_query::refresh;
    let app = app().await;
    let zone = app.store.zone(ZONE).await.unwrap().unwrap();
    let version = app.store.data_version(zone.id).await.unwrap();
    let scheduled = refresh::schedule(&app.store, &zone).await.unwrap();
    assert_eq!(scheduled.data_version, version);
    assert_eq!(
        scheduled.queued, scheduled.jobs,
        "one forecast per phenomenon with data"
    );
    assert!(scheduled.jobs >= 14);
    // A worker takes the first job (the page's default forecast) and computes it.
    let store = app.store.clone();
    let job = tokio::spawn(async move { refresh::run_next(&store, "test-worker", None).await });
    while app
        .store
        .job_progress(zone.id, version)
        .await
        .unwrap()
        .running
        == 0
    {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let mut c = logged_in(&app, Some(Role::Analyst)).await;
    let url = "/z/demo-bdm/forecast";
    let waiting = c.get(url).await;
    assert_eq!(waiting.status, StatusCode::OK);
    let b = &waiting.body;
    assert!(b.contains("Deze voorspelling wordt berekend"), "{b}");
    assert!(b.contains("0 van "), "the progress");
    assert!(b.contains("aria-busy=\"true\""));
    assert!(b.contains("id=\"forecast-result\""));
    assert!(!b.contains("Modelkaart"), "no figures yet");
    assert!(
        !job.is_finished(),
        "the page answered while the job was still running"
    );
    let ran = job.await.unwrap().unwrap().expect("a job ran");
    assert!(ran.error.is_none(), "{:?}", ran.error);
    assert!(
        ran.params.contains("woninginbraak"),
        "the page's default first"
    );
    let ready = c.get(url).await;
    assert!(ready.body.contains("Modelkaart"));
    assert!(!ready.body.contains("aria-busy"), "no more polling");
    // New data: the stored forecast belongs to the old version and is not shown.
    let tx = app
        .store
        .begin_import(&veilig_store::NewBatch {
            zone_id: zone.id,
            kind: veilig_domain::BatchKind::Incidents,
            source: "islp",
            file_name: "late.csv",
            sha256: "late",
            mapping: None,
            synthetic: true,
        })
        .await
        .unwrap();
    tx.finish(0, 0, 0, 0).await.unwrap();
    let after = c.get(url).await;
    assert!(after.body.contains("Deze voorspelling wordt berekend"));
    assert!(!after.body.contains("Modelkaart"));
}

#[tokio::test]
async fn the_survey_page_shows_weighted_indicators_with_intervals_and_verdicts() {
    let app = app().await;
    let mut c = logged_in(&app, Some(Role::Council)).await;
    let page = c.get("/z/demo-bdm/survey").await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Voelt zich vaak of altijd onveilig",
        "Hoe vaak voelt u zich onveilig in uw buurt?",
        "Korn-Graubard",
        "tegenover de rest van de zone",
        "2024 tegenover 2021",
        "niet getoond (",
        "Parker JD",
        "gewichten geraked naar de bevolking",
    ] {
        assert!(page.body.contains(text), "{text}");
    }
    // Five indicators, each with its chart and table.
    assert_eq!(page.body.matches("class=\"survey-indicator\"").count(), 5);
    assert_eq!(page.body.matches("<svg").count(), 5);
    // French: the question and the names in French.
    c.get("/lang/fr?next=/").await;
    let fr = c.get("/z/demo-bdm/survey").await;
    assert!(
        fr.body
            .contains("Se sent souvent ou toujours en insécurité")
    );
    assert!(fr.body.contains("Enquête auprès de la population"));
    // The public page carries the latest wave's zone and municipality estimates.
    let mut public = Client::new(&app);
    let p = public.get("/public/demo-bdm").await;
    assert!(
        p.body.contains("bevolkingsbevraging 2024"),
        "public survey section"
    );
    assert!(p.body.contains("Voelt zich vaak of altijd onveilig"));
}
