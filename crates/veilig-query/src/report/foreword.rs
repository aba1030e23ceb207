//! The chief's foreword: written before a report is issued (the command line and the
//! reports page call [`set_foreword`]), printed as the report's first chapter in its
//! language, signed.

use anyhow::{Result, bail};
use veilig_domain::Zone;
use veilig_report::doc::Block;
use veilig_store::{AuditEntry, Foreword, Store};

use super::{Ctx, Kind, h1};

/// The kinds of report a foreword opens: the documents a council receives from the chief.
pub const WITH_FOREWORD: [Kind; 3] = [Kind::Jaarverslag, Kind::Evaluation, Kind::Plan];

/// Writes (or rewrites, or with an empty body removes) the foreword of a report of a year.
#[allow(clippy::too_many_arguments)]
pub async fn set_foreword(
    store: &Store,
    zone: &Zone,
    kind: Kind,
    year: i32,
    lang: veilig_i18n::Lang,
    body: &str,
    signed: &str,
    audit: &AuditEntry,
) -> Result<()> {
    if !WITH_FOREWORD.contains(&kind) {
        bail!(
            "a {} report has no foreword (only the jaarverslag, the evaluation and the plan)",
            kind.as_str()
        );
    }
    if !body.trim().is_empty() && signed.trim().is_empty() {
        bail!("a foreword is signed: give the name and function of who writes it");
    }
    Ok(store
        .set_foreword(
            zone.id,
            kind.as_str(),
            year,
            lang.code(),
            body,
            signed,
            audit,
        )
        .await?)
}

/// The foreword of a report of a year, if written.
pub async fn foreword(
    store: &Store,
    zone: &Zone,
    kind: Kind,
    year: i32,
    lang: veilig_i18n::Lang,
) -> Result<Option<Foreword>> {
    Ok(store
        .foreword(zone.id, kind.as_str(), year, lang.code())
        .await?)
}

/// The foreword chapter: its paragraphs (blank lines part them) and the signature.
pub(crate) async fn chapter(ctx: &Ctx<'_>, store: &Store) -> Result<Vec<Block>> {
    let Some(f) = foreword(store, ctx.zone, ctx.req.kind, ctx.req.year, ctx.req.lang).await? else {
        return Ok(vec![]);
    };
    let mut out = vec![h1(ctx.t("report-foreword"))];
    out.extend(
        f.body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| Block::Para(p.split_whitespace().collect::<Vec<_>>().join(" "))),
    );
    out.push(Block::Strong(f.signed));
    Ok(out)
}
