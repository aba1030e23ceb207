//! One phenomenon's year as an edition prints it: every figure already in words, and the
//! sentence that states it.

use super::Ctx;

/// One phenomenon's figures as the edition shows them.
pub(crate) struct Row {
    pub name: String,
    pub count: String,
    pub previous: String,
    pub change: String,
    pub p: String,
    pub verdict: String,
    pub rate: String,
    pub trend: String,
}

/// The sentence that states a phenomenon's year: count, the year before, change, verdict.
pub(crate) fn headline(ctx: &Ctx<'_>, r: &Row) -> String {
    ctx.tr.args(
        "report-headline",
        &[
            ("name", r.name.clone()),
            ("count", r.count.clone()),
            ("year", ctx.year().to_string()),
            ("previous", r.previous.clone()),
            ("before", (ctx.year() - 1).to_string()),
            ("change", r.change.clone()),
            ("verdict", r.verdict.clone()),
        ],
    )
}
