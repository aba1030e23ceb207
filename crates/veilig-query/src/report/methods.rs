//! The jaarverslag's methods annex: what the figures cover (the days the zone's data reach
//! in the year), how facts are counted, the tests behind every verdict (the year against the
//! year before, the trend, the response times, the plan's indicators, the survey), and the
//! disclosure control of the edition, in the reader's words.

use veilig_report::doc::Block;

use super::{Ctx, h1};

pub(crate) fn section(ctx: &Ctx<'_>) -> Vec<Block> {
    let (from, to) = ctx.period();
    let mut items = vec![
        ctx.tr.args(
            "report-method-coverage",
            &[("from", ctx.tr.date(from)), ("to", ctx.tr.date(to))],
        ),
        ctx.t("report-method-counts"),
        ctx.t("report-method"),
        ctx.t("report-method-trend"),
        ctx.t("report-method-no-total"),
        ctx.t("ind-method"),
        ctx.t("report-method-survey"),
    ];
    if ctx.req.protected() {
        items.push(ctx.t("report-method-public"));
        items.push(ctx.tr.args(
            "report-method-disclosure",
            &[("threshold", ctx.threshold.to_string())],
        ));
    } else {
        items.push(ctx.t("report-method-staff"));
    }
    vec![h1(ctx.t("report-method-title")), Block::List(items)]
}
