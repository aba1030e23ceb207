//! Veilig's optimisation models, solved by HiGHS and reported honestly (status, objective,
//! proven bound, gap): the minimum-cost shift design, rostering (a zone's week of
//! intervention officers, the golden instance, the Curtois & Qu benchmark by branch and
//! price) and the allocation of the corps' hours over norms and plan projects. The pure
//! capacity model they build on (norms, net hours, demand, coverage proof) is in
//! `veilig-capacity`, which has no solver.

pub mod allocation;
pub mod curtois;
pub mod mip;
pub mod roster;
pub mod rostering;
pub mod shifts;
