//! One phenomenon's year as an edition prints it: every figure already in words.

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
