//! The restricted master LP of the branch and price: one column per pattern, convexity and
//! cover rows with their slack, kept in HiGHS between rounds.

use std::time::Instant;

use highs::{Col, ColProblem, HighsModelStatus, Model, Row, Sense};

use super::Instance;
use super::pricing::Pattern;

/// One column of the master: an employee's pattern and what it costs in requests.
pub(super) struct Column {
    pub(super) employee: usize,
    pub(super) pattern: Pattern,
    pub(super) cost: f64,
}

/// The rows of the master (one convexity row per employee, one cover row per day and shift,
/// each with its under and over slack), in the order HiGHS numbers them: convexity rows,
/// then cover rows by day and shift. Slack columns come first: under then over, per cover
/// row.
pub(super) struct Rows {
    pub(super) convexity: Vec<Row>,
    /// cover[day][t]
    pub(super) cover: Vec<Vec<Row>>,
}

impl Rows {
    pub(super) fn new(inst: &Instance, pb: &mut ColProblem) -> Rows {
        let convexity = (0..inst.staff.len())
            .map(|_| pb.add_row(1.0..=1.0))
            .collect();
        let mut cover = Vec::new();
        for day in 0..inst.days {
            let mut rows = Vec::new();
            for t in 0..inst.shifts.len() {
                let (req, under, over) = inst.cover[day][t];
                let row = pb.add_row(req as f64..=req as f64);
                pb.add_column(under as f64, 0.0.., [(row, 1.0)]);
                pb.add_column(over as f64, 0.0.., [(row, -1.0)]);
                rows.push(row);
            }
            cover.push(rows);
        }
        Rows { convexity, cover }
    }

    pub(super) fn slack_columns(&self) -> usize {
        2 * self.cover.len() * self.cover[0].len()
    }

    /// The entries of a pattern's column.
    pub(super) fn of(&self, c: &Column) -> Vec<(Row, f64)> {
        std::iter::once((self.convexity[c.employee], 1.0))
            .chain(
                c.pattern
                    .iter()
                    .enumerate()
                    .filter_map(|(day, t)| t.map(|t| (self.cover[day][t], 1.0))),
            )
            .collect()
    }
}

/// One solve of the restricted master LP.
pub(super) struct Lp {
    pub(super) value: f64,
    /// Cover duals pi[day][t].
    pub(super) pi: Vec<Vec<f64>>,
    /// Convexity duals mu[e].
    pub(super) mu: Vec<f64>,
    /// The value of each pattern column, in the order they were added.
    pub(super) lambda: Vec<f64>,
}

/// The restricted master LP, kept in HiGHS between rounds so each solve starts from the last
/// basis.
pub(super) struct Master {
    pub(super) model: Option<Model>,
    /// HiGHS measures its time limit from the model's creation, not from each solve.
    pub(super) created: Instant,
    pub(super) rows: Rows,
    pub(super) columns: Vec<Col>,
}

impl Master {
    pub(super) fn new(inst: &Instance) -> Master {
        let mut pb = ColProblem::default();
        let rows = Rows::new(inst, &mut pb);
        let mut model = pb.optimise(Sense::Minimise);
        model.make_quiet();
        Master {
            model: Some(model),
            created: Instant::now(),
            rows,
            columns: Vec::new(),
        }
    }

    pub(super) fn model(&mut self) -> &mut Model {
        self.model.as_mut().expect("the master is between solves")
    }

    pub(super) fn add(&mut self, c: &Column) {
        let entries = self.rows.of(c);
        let col = self.model().add_col(c.cost, 0.0..=1.0, entries);
        self.columns.push(col);
    }

    /// Allows (`true`) or forbids (`false`) the k-th pattern column.
    pub(super) fn allow(&mut self, k: usize, allowed: bool) {
        let col = self.columns[k];
        let top = if allowed { 1.0 } else { 0.0 };
        self.model().change_column_bounds(col, 0.0..=top);
    }

    /// Solves the LP; `None` when the time ran out first.
    pub(super) fn solve(&mut self, time_limit: f64) -> Result<Option<Lp>, String> {
        let mut model = self.model.take().expect("the master is between solves");
        let limit = self.created.elapsed().as_secs_f64() + time_limit.max(0.01);
        model.set_option("time_limit", limit);
        let solved = model
            .try_solve()
            .map_err(|e| format!("HiGHS failed on the master LP: {e:?}"))?;
        let status = solved.status();
        let lp = if status == HighsModelStatus::Optimal {
            let solution = solved.get_solution();
            let y = solution.dual_rows();
            let ne = self.rows.convexity.len();
            let slacks = self.rows.slack_columns();
            Some(Lp {
                value: solved.objective_value(),
                mu: y[..ne].to_vec(),
                pi: y[ne..]
                    .chunks(self.rows.cover[0].len())
                    .map(<[f64]>::to_vec)
                    .collect(),
                lambda: solution.columns()[slacks..].to_vec(),
            })
        } else if status == HighsModelStatus::ReachedTimeLimit {
            None
        } else {
            return Err(format!("master LP not solved ({status:?})"));
        };
        self.model = Some(Model::from(solved));
        Ok(lp)
    }
}
