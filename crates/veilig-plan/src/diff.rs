//! Two versions of a plan compared item by item, field by field.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::document::{PlanDoc, Snapshot};

/// One difference between two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// `priority`, `objective`, `action`, `chapter`, `plan`.
    pub item: &'static str,
    pub code: String,
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// For `changed`: the fields with their old and new values.
    pub fields: Vec<(String, serde_json::Value, serde_json::Value)>,
}

fn fields_of<T: Serialize>(x: &T) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(x).expect("serialisable") {
        serde_json::Value::Object(m) => m,
        _ => serde_json::Map::new(),
    }
}

fn changed_fields<T: Serialize>(
    a: &T,
    b: &T,
) -> Vec<(String, serde_json::Value, serde_json::Value)> {
    let (fa, fb) = (fields_of(a), fields_of(b));
    let keys: BTreeSet<&String> = fa.keys().chain(fb.keys()).collect();
    keys.into_iter()
        .filter_map(|k| {
            let (va, vb) = (
                fa.get(k).cloned().unwrap_or_default(),
                fb.get(k).cloned().unwrap_or_default(),
            );
            (va != vb).then(|| (k.clone(), va, vb))
        })
        .collect()
}

fn diff_items<T: Serialize>(
    item: &'static str,
    a: &[T],
    b: &[T],
    code: impl Fn(&T) -> &str,
    out: &mut Vec<Change>,
) {
    for x in a {
        match b.iter().find(|y| code(y) == code(x)) {
            None => out.push(Change {
                item,
                code: code(x).into(),
                change: "removed",
                fields: vec![],
            }),
            Some(y) => {
                let f = changed_fields(x, y);
                if !f.is_empty() {
                    out.push(Change {
                        item,
                        code: code(x).into(),
                        change: "changed",
                        fields: f,
                    });
                }
            }
        }
    }
    for y in b {
        if !a.iter().any(|x| code(x) == code(y)) {
            out.push(Change {
                item,
                code: code(y).into(),
                change: "added",
                fields: vec![],
            });
        }
    }
}

/// What changed from version `a` to version `b`, item by item (snapshots are compared by
/// kind and date only: their figures are what they were).
pub fn diff(a: &PlanDoc, b: &PlanDoc) -> Vec<Change> {
    let mut out = Vec::new();
    let head = |d: &PlanDoc| (d.title.clone(), d.period_start, d.period_end);
    if head(a) != head(b) {
        let f = changed_fields(
            &serde_json::json!({"title": a.title, "period_start": a.period_start, "period_end": a.period_end}),
            &serde_json::json!({"title": b.title, "period_start": b.period_start, "period_end": b.period_end}),
        );
        out.push(Change {
            item: "plan",
            code: String::new(),
            change: "changed",
            fields: f,
        });
    }
    let f = changed_fields(&a.chapters, &b.chapters);
    if !f.is_empty() {
        out.push(Change {
            item: "chapter",
            code: String::new(),
            change: "changed",
            fields: f,
        });
    }
    let snap = |s: &Snapshot| format!("{}@{}", s.kind, s.taken_at);
    let (sa, sb): (Vec<String>, Vec<String>) = (
        a.snapshots.iter().map(snap).collect(),
        b.snapshots.iter().map(snap).collect(),
    );
    diff_items("snapshot", &sa, &sb, |s| s.as_str(), &mut out);
    diff_items(
        "priority",
        &a.priorities,
        &b.priorities,
        |p| &p.code,
        &mut out,
    );
    diff_items(
        "objective",
        &a.objectives,
        &b.objectives,
        |o| &o.code,
        &mut out,
    );
    diff_items("action", &a.actions, &b.actions, |x| &x.code, &mut out);
    out
}
