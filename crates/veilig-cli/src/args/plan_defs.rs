//! From `veilig plan matrix|priority|objective|action`'s flags to the options and plan items
//! `veilig_plan` checks: a flag with an unknown word is refused naming the flag and the words
//! it takes.

use anyhow::{Result, anyhow};
use veilig_plan::{
    Action, Domain, Level, Method, Objective, PartnerRole, Phase, Priority, PriorityKind,
    ReferencePlan,
};
use veilig_query::plan::MatrixOptions;

use crate::args::plan::{ActionArgs, MatrixArgs, ObjectiveArgs, PriorityArgs};

/// The reference plans of a directory (`--references DIR`), else the built-in ones.
pub fn references(dir: Option<&std::path::Path>) -> Result<Vec<ReferencePlan>> {
    Ok(match dir {
        Some(d) => veilig_plan::reference::load_dir(d)?,
        None => veilig_plan::reference::builtin(),
    })
}

impl MatrixArgs {
    /// The matrix's options, the method and reference plans read from their files if given.
    pub fn options(&self) -> Result<MatrixOptions> {
        Ok(MatrixOptions {
            from: self.at.days.from,
            to: self.at.days.to,
            baseline: self.test.baseline(),
            rules: self.test.rules(),
            method: match &self.method {
                Some(f) => Method::load(f)?,
                None => Method::builtin(),
            },
            references: references(self.references.as_deref())?,
        })
    }
}

impl PriorityArgs {
    pub fn priority(&self) -> Result<Priority> {
        let kind = PriorityKind::parse(&self.kind).ok_or_else(|| {
            anyhow!(
                "--kind {:?}: prioriteit or bijzonder-aandachtspunt",
                self.kind
            )
        })?;
        let domain = Domain::parse(&self.domain)
            .ok_or_else(|| anyhow!("--domain {:?}: external or internal", self.domain))?;
        Ok(Priority {
            code: self.code.clone(),
            subject: self.subject.clone(),
            title: self.title.clone(),
            kind,
            domain,
            decision: self.decision,
            references: self.references.clone(),
        })
    }
}

impl ObjectiveArgs {
    pub fn objective(&self) -> Result<Objective> {
        let level = Level::parse(&self.level).ok_or_else(|| {
            anyhow!(
                "--level {:?}: strategic, tactical or operational",
                self.level
            )
        })?;
        Ok(Objective {
            code: self.code.clone(),
            level,
            parent: self.parent.clone(),
            priority: self.priority.clone(),
            statement: self.statement.clone(),
            target: self.target.clone(),
            due: self.due,
            owner: self.owner.clone(),
        })
    }
}

impl ActionArgs {
    pub fn action(&self) -> Result<Action> {
        let phases = self
            .phases
            .iter()
            .map(|p| {
                Phase::parse(p)
                    .ok_or_else(|| anyhow!("--phase {p:?}: proactie, preventie, reactie or nazorg"))
            })
            .collect::<Result<Vec<_>>>()?;
        let partners = self
            .partners
            .iter()
            .map(|p| PartnerRole::parse(p).map_err(|e| anyhow!("--{e}")))
            .collect::<Result<Vec<_>>>()?;
        Ok(Action {
            code: self.code.clone(),
            objective: self.objective.clone(),
            year: self.year,
            title: self.title.clone(),
            phases,
            partners,
            owner: self.owner.clone(),
            hours: self.hours,
            functionalities: self.functionalities.clone(),
        })
    }
}
