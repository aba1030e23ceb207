//! Reports as documents for the councils, partners and citizens: the jaarverslag, the ZVR's
//! evaluation of a plan year, a municipality's council brief, the Compstat book of a review,
//! the plan itself and a partner's feedback report. Each is assembled here from the same
//! views the pages show (the figures of [`crate::figures`], the plan, the monitoring, the
//! survey) into a [`Doc`], typeset by `veilig_report::pdf`, and kept as issued with the data
//! version, batches and parameters it was made from.
//!
//! Editions (who reads which is in the disclosure rules, `[editions]`): a report for an
//! elected body (`council`) and the citizens' (`public`) take every figure from the
//! protected tables of disclosure control (the same figures the council's pages, the public
//! page and open data publish, so that combining them with any other answer reveals
//! nothing: council papers become public); the `staff` edition (chief, analysts, and always
//! the Compstat book) carries the exact figures, small counts included, marked internal; a
//! `partner` report holds the partner's actions and the words of their indicators'
//! verdicts, no count.
//!
//! A report is reproducible: nothing in it depends on the clock or the machine, so the same
//! data and parameters give the same bytes.

mod capacity;
mod compstat;
mod council;
mod foreword;
mod in_figures;
mod indicators;
mod jaarverslag;
mod key_messages;
mod methods;
mod partner;
mod plan;
mod plan_tables;
mod request;
mod row;
mod survey;
mod traffic;
mod wijken;

use anyhow::{Result, bail};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use veilig_analysis::Verdict;
use veilig_disclosure::{Rules, Status};
use veilig_domain::Zone;
use veilig_i18n::{Lang, Tr};
use veilig_report::doc::{Block, Doc};
use veilig_store::{AuditEntry, NewReport, Store};

pub use foreword::{WITH_FOREWORD, foreword, set_foreword};
pub use partner::partner_actions;
pub use request::{Kind, Request};

/// One figure a report prints, as the disclosure attack reads it: phenomenon, unit (`zone`,
/// `m:NIS`, `nl` for incidents in no wijk), period and the count shown (None: hidden).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShownFigure {
    pub phenomenon: String,
    pub unit: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub count: Option<u64>,
}

/// A report ready to typeset, with what it was made from.
#[derive(Debug, Clone, Serialize)]
pub struct Built {
    pub request: Request,
    pub doc: Doc,
    /// The zone's data version (its last finished import batch).
    pub data_version: i64,
    /// The import batches the figures were read from.
    pub batches: Vec<String>,
    /// Every count printed, per phenomenon, unit and period.
    pub figures: Vec<ShownFigure>,
}

impl Built {
    /// The parameters that, with the data version, determine the report.
    pub fn parameters(&self, rules: &Rules) -> serde_json::Value {
        serde_json::json!({
            "kind": self.request.kind,
            "year": self.request.year,
            "municipality": self.request.municipality,
            "edition": self.request.edition(),
            "lang": self.request.lang.code(),
            "organisation": self.request.organisation,
            "review": self.request.review,
            "plan": self.request.plan,
            "disclosure": self.request.protected().then_some(rules),
        })
    }
}

/// Builds a report of `zone` (figures read under `rules` for the public edition), with a
/// figure cache of its own (the command line).
pub async fn build(
    store: &Store,
    zone: &Zone,
    rules: &Rules,
    tr: Tr<'_>,
    req: &Request,
) -> Result<Built> {
    let cache = crate::figures::Cache::default();
    let figs = crate::figures::ZoneFigures::new(&cache, store, zone, rules).await?;
    build_with(&figs, tr, req).await
}

/// Builds a report from the zone's figures at one data version (the web passes its cache,
/// so a report reuses every figure the pages already computed).
pub async fn build_with(
    figs: &crate::figures::ZoneFigures<'_>,
    tr: Tr<'_>,
    req: &Request,
) -> Result<Built> {
    let (store, zone, rules) = (figs.store_ref(), figs.zone, figs.rules());
    if req.kind == Kind::Council && req.municipality.is_none() {
        bail!("a council brief is for one municipality: --municipality NIS");
    }
    if req.kind == Kind::Partner && req.organisation.is_none() {
        bail!("a partner report is for one organisation: --organisation ORG");
    }
    if req.public && req.staff {
        bail!("a report is either the public edition or the staff edition, not both");
    }
    if req.public && matches!(req.kind, Kind::Compstat | Kind::Partner) {
        bail!(
            "the {} report has no public edition (it is for the zone's staff or one partner)",
            req.kind.as_str()
        );
    }
    let data_version = store.data_version(zone.id).await?;
    let covered = crate::zone_coverage(store, zone.id).await?;
    if matches!(req.kind, Kind::Jaarverslag | Kind::Council) {
        year_in_data(req.year, covered)?;
    }
    // A protected edition reads the latest release (made now if the zone has none yet).
    let release = if req.protected() && rules.protection {
        figs.complete_through().await?;
        figs.release()
    } else {
        None
    };
    let mut ctx = Ctx {
        tr,
        req,
        zone,
        data_version,
        threshold: rules.threshold,
        figures: Vec::new(),
        batches: Vec::new(),
        release,
        covered,
    };
    let doc = match req.kind {
        Kind::Jaarverslag => jaarverslag::build(&mut ctx, figs).await?,
        Kind::Council => council::build(&mut ctx, figs).await?,
        Kind::Plan => plan::plan(&mut ctx, store).await?,
        Kind::Evaluation => plan::evaluation(&mut ctx, store).await?,
        Kind::Compstat => compstat::build(&mut ctx, store).await?,
        Kind::Partner => partner::build(&mut ctx, store).await?,
    };
    Ok(Built {
        request: req.clone(),
        doc,
        data_version,
        batches: ctx.batches,
        figures: ctx.figures,
    })
}

/// Typesets a built report.
pub fn render(b: &Built) -> Result<Vec<u8>> {
    Ok(veilig_report::pdf::pdf(&b.doc)?)
}

/// Keeps an issued report with its audit line; returns its id.
pub async fn issue(
    store: &Store,
    zone: &Zone,
    b: &Built,
    pdf: &[u8],
    rules: &Rules,
    by: &str,
    audit: &AuditEntry,
) -> Result<i64> {
    Ok(store
        .issue_report(
            &NewReport {
                zone_id: zone.id,
                kind: b.request.kind.as_str().into(),
                year: b.request.year,
                municipality: b.request.municipality.clone(),
                organisation: b.request.organisation.clone(),
                edition: b.request.edition().into(),
                lang: b.request.lang.code().into(),
                data_version: b.data_version,
                batches: b.batches.clone(),
                parameters: b.parameters(rules),
                content_sha256: b.doc.content_sha256(),
                pdf,
                issued_by: by.into(),
            },
            audit,
        )
        .await?)
}

/// What every report's builder shares: the words, the request, and what it printed.
pub(crate) struct Ctx<'a> {
    pub tr: Tr<'a>,
    pub req: &'a Request,
    pub zone: &'a Zone,
    pub data_version: i64,
    /// The disclosure threshold: indicator verdicts resting on smaller counts are withheld
    /// in every report (reports are read outside the zone's staff).
    pub threshold: u64,
    pub figures: Vec<ShownFigure>,
    pub batches: Vec<String>,
    /// The release of the published tables a protected edition reads its counts from.
    pub release: Option<veilig_store::Release>,
    /// What the zone's data cover: a year's report is about its covered days only.
    pub covered: Option<veilig_analysis::Period>,
}

/// Refuses a year report for a year the data do not reach: no report of zeros for a year
/// before the first import or after the last.
fn year_in_data(year: i32, covered: Option<veilig_analysis::Period>) -> Result<()> {
    let Some(c) = covered else {
        return Err(veilig_domain::Refusal::new(
            "refusal-report-no-data",
            &[],
            "the zone has no incident data yet: import them before a year report",
        )
        .into());
    };
    if year < c.start.year() || year > c.end.year() {
        let d = |x: NaiveDate| x.format("%d/%m/%Y").to_string();
        return Err(veilig_domain::Refusal::new(
            "refusal-report-year-no-data",
            &[
                ("year", year.to_string()),
                ("first", d(c.start)),
                ("last", d(c.end)),
            ],
            format!(
                "the data cover {} to {}: there is nothing to report for {year}",
                c.start, c.end
            ),
        )
        .into());
    }
    Ok(())
}

impl Ctx<'_> {
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }

    pub fn year(&self) -> i32 {
        self.req.year
    }

    /// The report's year, cut to the days the data cover (a staff edition of the current
    /// year runs to the last covered day; no window reaches past it).
    pub fn period(&self) -> (NaiveDate, NaiveDate) {
        let (from, to) = (
            NaiveDate::from_ymd_opt(self.req.year, 1, 1).expect("date"),
            NaiveDate::from_ymd_opt(self.req.year, 12, 31).expect("date"),
        );
        match self.covered {
            Some(c) if c.start <= to && c.end >= from => (from.max(c.start), to.min(c.end)),
            _ => (from, to),
        }
    }

    /// The last day the data cover, when the report's year runs past it (a partial year).
    pub fn partial_to(&self) -> Option<NaiveDate> {
        let to = self.period().1;
        (to < NaiveDate::from_ymd_opt(self.req.year, 12, 31).expect("date")).then_some(to)
    }

    /// Records a count a chart draws (for the disclosure attack).
    pub fn record(
        &mut self,
        phenomenon: &str,
        unit: &str,
        from: NaiveDate,
        to: NaiveDate,
        v: Option<u64>,
    ) {
        self.figures.push(ShownFigure {
            phenomenon: phenomenon.into(),
            unit: unit.into(),
            from,
            to,
            count: v,
        });
    }

    /// Records a printed count (for the disclosure attack) and gives its text.
    pub fn count(
        &mut self,
        phenomenon: &str,
        unit: &str,
        from: NaiveDate,
        to: NaiveDate,
        v: Option<u64>,
        status: Status,
    ) -> String {
        self.record(phenomenon, unit, from, to, v);
        match v {
            Some(v) => self.tr.int(v),
            None => self.hidden(status),
        }
    }

    /// The word for a hidden figure.
    pub fn hidden(&self, status: Status) -> String {
        match status {
            Status::Secondary => self.t("report-hidden-secondary"),
            _ => self.t("report-hidden"),
        }
    }

    pub fn verdict(&self, v: Verdict) -> String {
        self.t(&format!("verdict-{}", v.as_str()))
    }

    pub fn pct(&self, v: Option<f64>) -> String {
        match v {
            Some(p) => format!("{}{} %", if p > 0.0 { "+" } else { "" }, self.tr.dec(p, 1)),
            None => "–".into(),
        }
    }

    pub fn p(&self, p: Option<f64>) -> String {
        match p {
            Some(p) if p < 0.001 => format!("< 0{}001", self.tr.decimal_mark()),
            Some(p) => self.tr.dec(p, 3),
            None => "–".into(),
        }
    }

    pub fn rate(&self, r: Option<f64>) -> String {
        r.map(|r| self.tr.dec(r, 2)).unwrap_or_else(|| "–".into())
    }

    /// Remembers the batches figures were read from.
    pub fn batches_of(&mut self, provenance: &crate::Provenance) {
        for b in &provenance.batches {
            let s = format!("{} ({})", b.source, b.file);
            if !self.batches.contains(&s) {
                self.batches.push(s);
            }
        }
    }

    /// The document's frame: title, subtitle, banner, footer and colophon.
    pub fn doc(&self, title: String, subtitle: String, blocks: Vec<Block>) -> Doc {
        let edition = self.t(&format!("report-edition-{}", self.req.edition()));
        let mut banner = Vec::new();
        if self.zone.synthetic {
            banner.push(self.t("report-banner-synthetic"));
        }
        banner.push(edition.clone());
        let mut colophon = vec![
            (
                self.t("report-colophon-zone"),
                format!("{} ({})", self.zone.name, self.zone.code.as_str()),
            ),
            (self.t("report-colophon-edition"), edition.clone()),
            (
                self.t("report-colophon-data-version"),
                self.data_version.to_string(),
            ),
            (
                self.t("report-colophon-sources"),
                if self.batches.is_empty() {
                    "–".into()
                } else {
                    self.batches.join("; ")
                },
            ),
            (
                self.t("report-colophon-made-with"),
                format!("Veilig {}", env!("CARGO_PKG_VERSION")),
            ),
        ];
        if let Some(c) = self.covered {
            colophon.push((self.t("report-colophon-data-through"), self.tr.date(c.end)));
        }
        if matches!(
            self.req.kind,
            Kind::Jaarverslag | Kind::Plan | Kind::Evaluation
        ) {
            // Who the document is for follows the zone's kind: a one-municipality zone has
            // no police council; its gemeenteraad and college hold those powers.
            let to = match self.zone.kind {
                veilig_domain::ZoneKind::SingleMunicipality => "report-addressee-single",
                veilig_domain::ZoneKind::MultiMunicipality => "report-addressee-multi",
            };
            colophon.push((self.t("report-colophon-addressee"), self.t(to)));
        }
        if let Some(to) = self.partial_to() {
            banner.push(
                self.tr
                    .args("report-banner-partial", &[("date", self.tr.date(to))]),
            );
        }
        if self.req.protected() {
            colophon.push((
                self.t("report-colophon-disclosure"),
                self.t("report-disclosure-note"),
            ));
        }
        if let Some(r) = &self.release {
            colophon.push((
                self.t("report-colophon-release"),
                self.tr.args(
                    "report-release",
                    &[
                        ("number", r.number.to_string()),
                        ("date", r.released_on.to_string()),
                    ],
                ),
            ));
        }
        Doc {
            lang: self.req.lang.code().into(),
            footer: format!(
                "{} · {} · {} · {} {}",
                self.zone.name,
                title,
                edition,
                self.t("report-colophon-data-version"),
                self.data_version
            ),
            title,
            subtitle,
            banner: Some(banner.join(" · ")),
            header_mark: self.zone.synthetic.then(|| self.t("report-mark-synthetic")),
            colophon,
            contents: self.t("report-contents"),
            blocks,
        }
    }
}

pub(crate) fn h1(text: String) -> Block {
    Block::Heading { level: 1, text }
}

pub(crate) fn h2(text: String) -> Block {
    Block::Heading { level: 2, text }
}

/// The localised name of a phenomenon.
pub(crate) fn name_of(lang: Lang, nl: &str, fr: &str, en: &str) -> String {
    match lang {
        Lang::Nl => nl,
        Lang::Fr => fr,
        Lang::En => en,
    }
    .to_string()
}

/// An organisation as people write it, from its code (`gemeente-mol`: "Gemeente Mol",
/// "Commune de Mol"): a known kind before the first hyphen is named in the reader's
/// language (`org-KIND` in the translation files), the place after it capitalised; any
/// other code is written as words.
pub fn organisation_name(tr: Tr<'_>, code: &str) -> String {
    let words = |s: &str| {
        s.split('-')
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_uppercase().chain(c).collect::<String>())
                    .unwrap_or_default()
            })
            .collect::<Vec<_>>()
    };
    if let Some((kind, place)) = code.split_once('-') {
        let key = format!("org-{kind}");
        let named = tr.args(&key, &[("place", words(place).join("-"))]);
        if named != key {
            return named;
        }
    }
    let mut all = words(code);
    for w in all.iter_mut().skip(1) {
        *w = w.to_lowercase();
    }
    all.join(" ")
}
