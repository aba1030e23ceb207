//! The policy-cycle pages' heaviest figures, the priority matrix and the Compstat agenda,
//! from the figure cache. Both read the council's decisions and inputs, the indicators and
//! the plans besides the data, so they are keyed by the data version and a fingerprint of
//! that state (`veilig_query::plan_state`): a new decision shows at once. The background
//! worker warms them at their default periods after the data change.

use std::future::Future;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use veilig_domain::Zone;
use veilig_query::monitor as qm;
use veilig_query::plan::{self as qp, Matrix, MatrixOptions};

use super::{last_year, today};
use crate::AppState;
use crate::error::{WebError, WebResult};

/// `compute`'s value under `key`, the data version and the zone's policy-cycle state.
async fn under_plan_state<T, F>(
    state: &AppState,
    zone: &Zone,
    key: String,
    compute: F,
) -> WebResult<Arc<T>>
where
    T: Send + Sync + 'static,
    F: Future<Output = anyhow::Result<T>>,
{
    let fp = veilig_query::plan_state::fingerprint(&state.store, zone).await?;
    let figs = state.figures_for(zone).await?;
    Ok(figs.cached(&format!("{key}:{fp:x}"), compute).await?)
}

/// The priority matrix over a period.
pub async fn matrix_for(
    state: &AppState,
    zone: &Zone,
    from: NaiveDate,
    to: NaiveDate,
) -> WebResult<Arc<Matrix>> {
    if to < from {
        return Err(WebError::BadRequest("error-bad-period"));
    }
    let options = MatrixOptions::builtin(from, to);
    under_plan_state(
        state,
        zone,
        format!("matrix:{from}:{to}"),
        qp::matrix(&state.store, zone, &options),
    )
    .await
}

/// The last complete calendar month up to `through` (a month ending on it counts).
fn last_month(through: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = through.with_day(1).expect("day 1");
    let end = match through.succ_opt() {
        Some(next) if next.month() != through.month() => through,
        _ => first.pred_opt().expect("date"),
    };
    (end.with_day(1).expect("day 1"), end)
}

/// The Compstat agenda of the last complete month the data cover (not a month after the
/// data's end, whose sections would all be empty).
pub(super) async fn agenda_for(state: &AppState, zone: &Zone) -> WebResult<Arc<qm::Agenda>> {
    let yesterday = today().pred_opt().expect("date");
    let figs = state.figures_for(zone).await?;
    let through = figs
        .coverage()
        .await?
        .map_or(yesterday, |c| c.end.min(yesterday));
    let (from, to) = last_month(through);
    under_plan_state(
        state,
        zone,
        format!("agenda:{from}:{to}"),
        qm::agenda(&state.store, zone, from, to, qp::DEFAULT_RULES),
    )
    .await
}

/// Fills the figure cache with both at their default periods (the matrix of last year, the
/// agenda of last month).
pub(crate) async fn warm(state: &AppState, zone: &Zone) -> WebResult<()> {
    let (from, to) = last_year();
    matrix_for(state, zone, from, to).await?;
    agenda_for(state, zone).await?;
    Ok(())
}
