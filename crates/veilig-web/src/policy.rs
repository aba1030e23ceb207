//! Every permission decision of the application, in one place. Handlers ask [`allows`] (or
//! [`zone_access`] for how much of a zone's figures a user sees); nothing else looks at
//! roles.
//!
//! | role            | zone figures        | hotspot maps, near repeat | data page | capacity | survey | import | users, audit |
//! |-----------------|---------------------|---------------------------|-----------|----------|--------|--------|--------------|
//! | administrator   | full, every zone    | yes                       | yes       | yes      | yes    | yes    | yes          |
//! | chief           | full, own zone      | yes                       | yes       | yes      | yes    | no     | no           |
//! | analyst         | full, own zone      | yes                       | yes       | yes      | yes    | yes    | no           |
//! | wijkinspecteur  | own wijken          | own wijken                | no        | no       | yes    | no     | no           |
//! | council         | aggregated, own zone| no                        | no        | yes      | yes    | no     | no           |
//! | partner         | aggregated, own zone| no                        | no        | no       | yes    | no     | no           |
//! | public          | the public page     | no                        | no        | no       | no     | no     | no           |
//!
//! The policy cycle (priority matrix, the ZVR's decisions, the zonal security plan):
//!
//! | role            | matrix | read the plan          | edit the draft | record a ZVR decision | record an approval step |
//! |-----------------|--------|------------------------|----------------|-----------------------|-------------------------|
//! | administrator   | yes    | whole                  | yes            | yes                   | yes                     |
//! | chief           | yes    | whole                  | yes            | yes                   | yes                     |
//! | analyst         | yes    | whole                  | yes            | yes (as secretary)    | no                      |
//! | wijkinspecteur  | no     | whole                  | no             | no                    | no                      |
//! | council         | no     | whole                  | no             | yes                   | yes                     |
//! | partner         | no     | its own actions only   | no             | no                    | no                      |
//! | public          | no     | no                     | no             | no                    | no                      |
//!
//! The matrix answers any period with every count, small ones included: it is for the
//! zone's own staff, never under disclosure control. The plan holds no figure from records.
//!
//! Following the plan:
//!
//! | role            | indicators with figures, Compstat reviews | problem files (SARA)        |
//! |-----------------|-------------------------------------------|-----------------------------|
//! | administrator   | yes                                       | all, edit                   |
//! | chief           | yes                                       | all, edit                   |
//! | analyst         | yes                                       | all, edit                   |
//! | wijkinspecteur  | no                                        | own wijken, edit            |
//! | council         | verdicts only, on the plan's tree         | no                          |
//! | partner         | no                                        | no                          |
//! | public          | no                                        | no                          |
//!
//! Indicator values are counts for any unit and period (Mol's quarter, a wijk): small counts,
//! so only full access sees them; the council reads each indicator's verdict word.
//!
//! Reports (PDF) and partners' feedback:
//!
//! | role            | issue reports, read all | download issued reports                     | remarks on actions |
//! |-----------------|-------------------------|---------------------------------------------|--------------------|
//! | administrator   | yes                     | all                                         | answer             |
//! | chief           | yes                     | all                                         | answer             |
//! | analyst         | yes                     | all                                         | answer             |
//! | wijkinspecteur  | no                      | public editions                             | no                 |
//! | council         | no                      | elected bodies' and public editions (the Compstat book is the staff's) | no |
//! | partner         | no                      | its organisation's feedback reports, public editions | leave, on its own actions |
//! | public          | no                      | public editions (public page, Atom feed)    | no                 |
//!
//! Forecasts (next week's likeliest cells beside the naive count, their backtest and model
//! card): administrator, chief and analyst only. Cells drawn from incident locations, and a
//! tool for directing patrols: never a wijkinspecteur's, the council's, a partner's or the
//! public's.
//!
//! "Aggregated" means disclosure control: no count under the threshold, secondary
//! suppression, no locations, no incident ids. The capacity page (norm check, net hours,
//! officers needed per hour) holds staff aggregates and no record; the council, which
//! approves the corps' staffing, sees it.

use veilig_domain::{Role, User};

pub use veilig_query::figures::Access;

/// What a request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The overview and phenomenon pages of a zone (at the user's level of access).
    ZoneFigures,
    /// Hotspot maps, near-repeat tables, hour × weekday detail: derived from incident records.
    RecordDerived,
    /// The figures of one area.
    Area(i64),
    /// The data page: sources, batches, rejected rows with their reasons.
    Data,
    /// The capacity page: norm check, net hours, officers needed per hour.
    Capacity,
    /// The population survey page: weighted estimates under the small-sample rule
    /// (aggregates; every role of the zone).
    Survey,
    /// Importing files.
    Import,
    /// The priority matrix (every count, any period: full access only).
    PlanMatrix,
    /// Reading the plan (a partner only its own actions: see [`plan_scope`]).
    PlanRead,
    /// Changing the draft plan: priorities, objectives, actions, new versions.
    PlanEdit,
    /// Recording a decision of the zonal security council.
    PlanDecide,
    /// Recording an approval step of the plan.
    PlanApprove,
    /// Indicators with their figures, Compstat agendas and reviews (full access).
    PlanMonitor,
    /// Indicator verdicts (words, no figures) on the plan's tree.
    PlanVerdicts,
    /// Problem files: reading and writing (a wijkinspecteur: files on own wijken only, see
    /// [`problem_scope`]).
    Problems,
    /// Short-term place forecasts (analysts and chiefs).
    Forecast,
    /// Issuing reports (PDF) and reading every issued report of the zone.
    Reports,
    /// The list of issued reports a user may download (see [`report_visible`]).
    ReportsReceived,
    /// A partner's remarks on the plan's actions it takes part in.
    Feedback,
    /// Answering partners' remarks.
    FeedbackAnswer,
    /// Accounts and roles.
    ManageUsers,
    /// Reading the audit trail.
    Audit,
}

/// How much of zone `zone_id` the user sees; `None` when nothing (the public page is not
/// decided here: it is aggregated for everyone).
pub fn zone_access(user: Option<&User>, zone_id: i64) -> Option<Access> {
    let u = user.filter(|u| !u.disabled)?;
    if u.role == Role::Administrator {
        return Some(Access::Full);
    }
    if u.zone_id != Some(zone_id) {
        return None;
    }
    Some(match u.role {
        Role::Administrator | Role::Chief | Role::Analyst => Access::Full,
        Role::Wijkinspecteur => Access::Areas(u.areas.clone()),
        Role::Council | Role::Partner => Access::Aggregate,
    })
}

/// The one permission check. `zone_id` is the zone the action concerns (None for
/// installation-wide actions such as managing users).
pub fn allows(user: Option<&User>, zone_id: Option<i64>, action: Action) -> bool {
    let Some(u) = user.filter(|u| !u.disabled) else {
        return false;
    };
    match action {
        Action::ManageUsers | Action::Audit => u.role == Role::Administrator,
        _ => {
            let Some(access) = zone_id.and_then(|z| zone_access(Some(u), z)) else {
                return false;
            };
            match action {
                Action::ZoneFigures | Action::Survey => true,
                Action::RecordDerived => access.record_derived(),
                Action::Area(id) => access.covers_area(id),
                Action::Data => matches!(u.role, Role::Administrator | Role::Chief | Role::Analyst),
                Action::Capacity => matches!(
                    u.role,
                    Role::Administrator | Role::Chief | Role::Analyst | Role::Council
                ),
                Action::Import => matches!(u.role, Role::Administrator | Role::Analyst),
                Action::Reports | Action::FeedbackAnswer => {
                    matches!(u.role, Role::Administrator | Role::Chief | Role::Analyst)
                }
                Action::ReportsReceived => !matches!(u.role, Role::Wijkinspecteur),
                Action::Feedback => u.role == Role::Partner,
                Action::PlanMatrix | Action::PlanEdit | Action::Forecast => {
                    matches!(u.role, Role::Administrator | Role::Chief | Role::Analyst)
                }
                Action::PlanRead => true,
                Action::PlanDecide => matches!(
                    u.role,
                    Role::Administrator | Role::Chief | Role::Analyst | Role::Council
                ),
                Action::PlanApprove => {
                    matches!(u.role, Role::Administrator | Role::Chief | Role::Council)
                }
                Action::PlanMonitor => {
                    matches!(u.role, Role::Administrator | Role::Chief | Role::Analyst)
                }
                Action::PlanVerdicts => matches!(
                    u.role,
                    Role::Administrator
                        | Role::Chief
                        | Role::Analyst
                        | Role::Wijkinspecteur
                        | Role::Council
                ),
                Action::Problems => matches!(
                    u.role,
                    Role::Administrator | Role::Chief | Role::Analyst | Role::Wijkinspecteur
                ),
                Action::ManageUsers | Action::Audit => unreachable!("answered above"),
            }
        }
    }
}

/// Whether a user may download an issued report of zone `zone_id`: the readers of its
/// edition in the disclosure rules (`[editions]`: by default the staff edition to the
/// administrator, chief and analysts; an elected body's to them and the council; a partner's
/// feedback report to them and that partner's own organisation; the public editions to
/// anyone). `organisation` is the partner account's organisation.
pub fn report_visible(
    user: Option<&User>,
    zone_id: i64,
    organisation: Option<&str>,
    r: &veilig_store::IssuedReport,
    editions: &veilig_disclosure::Editions,
) -> bool {
    if r.zone_id != zone_id {
        return false;
    }
    if r.edition == "public" {
        return editions.reads(user.map(|u| u.role.as_str()), "public");
    }
    // The zone's own readers only.
    let Some(u) = user.filter(|_| {
        allows(user, Some(zone_id), Action::Reports)
            || allows(user, Some(zone_id), Action::ReportsReceived)
    }) else {
        return false;
    };
    if !editions.reads(Some(u.role.as_str()), &r.edition) {
        return false;
    }
    match u.role {
        Role::Partner => {
            r.edition == "partner"
                && organisation.is_some()
                && r.organisation.as_deref() == organisation
        }
        _ => true,
    }
}

/// How much of the zone's plan a user reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanScope {
    Whole,
    /// The actions this organisation takes part in (a partner account); `None` when the
    /// account speaks for no organisation yet (then it sees no action).
    Partner(Option<String>),
}

/// The part of the plan a user reads, when [`Action::PlanRead`] allows it; `organisation` is
/// the partner account's organisation.
pub fn plan_scope(
    user: Option<&User>,
    zone_id: i64,
    organisation: Option<String>,
) -> Option<PlanScope> {
    let u = user?;
    if !allows(Some(u), Some(zone_id), Action::PlanRead) {
        return None;
    }
    Some(if u.role == Role::Partner {
        PlanScope::Partner(organisation)
    } else {
        PlanScope::Whole
    })
}

/// Which problem files a user reads and writes: `None` every file of the zone, `Some(ids)`
/// only files whose place lies in these areas (a wijkinspecteur's wijken).
pub fn problem_scope(user: Option<&User>, zone_id: i64) -> Option<Option<Vec<i64>>> {
    if !allows(user, Some(zone_id), Action::Problems) {
        return None;
    }
    match zone_access(user, zone_id)? {
        Access::Areas(a) => Some(Some(a)),
        _ => Some(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role, zone: Option<i64>, areas: Vec<i64>) -> User {
        User {
            id: 1,
            username: "u".into(),
            display_name: "U".into(),
            role,
            zone_id: zone,
            areas,
            disabled: false,
        }
    }

    #[test]
    fn the_table_in_the_module_doc_holds() {
        let z = Some(7);
        let check = |u: &User, a: Action| allows(Some(u), z, a);
        let admin = user(Role::Administrator, None, vec![]);
        let chief = user(Role::Chief, z, vec![]);
        let analyst = user(Role::Analyst, z, vec![]);
        let wi = user(Role::Wijkinspecteur, z, vec![3]);
        let council = user(Role::Council, z, vec![]);
        let partner = user(Role::Partner, z, vec![]);
        let other_zone = user(Role::Analyst, Some(8), vec![]);
        for u in [&admin, &chief, &analyst, &wi, &council, &partner] {
            assert!(check(u, Action::ZoneFigures), "{:?}", u.role);
        }
        assert!(!check(&other_zone, Action::ZoneFigures));
        assert!(!allows(None, z, Action::ZoneFigures));
        for (u, yes) in [
            (&admin, true),
            (&chief, true),
            (&analyst, true),
            (&wi, true),
            (&council, false),
            (&partner, false),
        ] {
            assert_eq!(check(u, Action::RecordDerived), yes, "{:?}", u.role);
        }
        assert!(check(&wi, Action::Area(3)));
        assert!(!check(&wi, Action::Area(4)));
        assert!(check(&partner, Action::Area(4)));
        assert!(check(&chief, Action::Data) && !check(&chief, Action::Import));
        assert!(check(&analyst, Action::Import));
        assert!(!check(&wi, Action::Data) && !check(&partner, Action::Data));
        for (u, yes) in [
            (&admin, true),
            (&chief, true),
            (&analyst, true),
            (&wi, false),
            (&council, true),
            (&partner, false),
        ] {
            assert_eq!(check(u, Action::Capacity), yes, "{:?}", u.role);
        }
        assert!(!check(&other_zone, Action::Capacity));
        assert!(allows(Some(&admin), None, Action::ManageUsers));
        assert!(!allows(Some(&analyst), None, Action::ManageUsers));
        let mut off = analyst.clone();
        off.disabled = true;
        assert!(!check(&off, Action::ZoneFigures));
        assert_eq!(zone_access(Some(&wi), 7), Some(Access::Areas(vec![3])));
        assert_eq!(zone_access(Some(&council), 7), Some(Access::Aggregate));
        // The policy cycle's table, row by row: matrix, read, edit, decide, approve.
        for (u, row) in [
            (&admin, [true, true, true, true, true]),
            (&chief, [true, true, true, true, true]),
            (&analyst, [true, true, true, true, false]),
            (&wi, [false, true, false, false, false]),
            (&council, [false, true, false, true, true]),
            (&partner, [false, true, false, false, false]),
        ] {
            let got = [
                Action::PlanMatrix,
                Action::PlanRead,
                Action::PlanEdit,
                Action::PlanDecide,
                Action::PlanApprove,
            ]
            .map(|a| check(u, a));
            assert_eq!(got, row, "{:?}", u.role);
        }
        assert!(!check(&other_zone, Action::PlanRead));
        assert_eq!(plan_scope(Some(&chief), 7, None), Some(PlanScope::Whole));
        assert_eq!(
            plan_scope(Some(&partner), 7, Some("ocmw-mol".into())),
            Some(PlanScope::Partner(Some("ocmw-mol".into())))
        );
        assert_eq!(plan_scope(None, 7, None), None);
        for (u, row) in [
            (&admin, [true, true, true]),
            (&chief, [true, true, true]),
            (&analyst, [true, true, true]),
            (&wi, [false, true, true]),
            (&council, [false, true, false]),
            (&partner, [false, false, false]),
        ] {
            let got =
                [Action::PlanMonitor, Action::PlanVerdicts, Action::Problems].map(|a| check(u, a));
            assert_eq!(got, row, "{:?}", u.role);
        }
        assert_eq!(problem_scope(Some(&wi), 7), Some(Some(vec![3])));
        assert_eq!(problem_scope(Some(&analyst), 7), Some(None));
        assert_eq!(problem_scope(Some(&council), 7), None);
        assert_eq!(plan_scope(Some(&other_zone), 7, None), None);
    }
}
