//! A plan's words as every page and report writes them: its approval steps as the zone's
//! procedure labels them, a version's status (in the procedure's own word where it has one,
//! the gemeenteraad's agreement in a one-municipality zone, else the general word), and the
//! one-line summary of period, version and status.

use veilig_i18n::Tr;

use super::PlanView;

impl PlanView {
    /// An approval step in the reader's language; its code only for a step the procedure
    /// does not know (a step stored under an older procedure).
    pub fn step_label(&self, tr: &Tr, code: &str) -> String {
        self.procedure
            .step(code)
            .map_or_else(|| code.to_string(), |s| s.label(tr.lang.code()).to_string())
    }

    /// A version's status in the reader's words.
    pub fn status_word(&self, tr: &Tr, status: &str) -> String {
        self.procedure
            .status_word(status, tr.lang.code())
            .map_or_else(|| tr.t(&format!("plan-status-{status}")), str::to_string)
    }

    /// "Periode 1 januari 2026 tot 31 december 2031 · versie 3: goedgekeurd".
    pub fn summary(&self, tr: &Tr) -> String {
        let d = &self.document;
        tr.args(
            "plan-summary",
            &[
                ("from", tr.date(d.period_start)),
                ("to", tr.date(d.period_end)),
                ("version", self.version.to_string()),
                ("status", self.status_word(tr, &self.status)),
            ],
        )
    }
}
