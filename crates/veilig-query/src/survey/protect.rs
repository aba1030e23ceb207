//! Complementary suppression of survey estimates. An estimate hidden under the small-sample
//! rule must not come back from the ones shown beside it: the zone's estimate is the
//! weighted mean of its municipalities', a municipality's of its wijken', and the weights'
//! totals are the populations they are calibrated to, which anyone can look up. So when one
//! member of such a group (the whole and its parts) is hidden and all the others are shown,
//! the hidden one follows exactly; a second member is hidden with it (the part with the
//! fewest respondents), until no group has exactly one hidden member.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use veilig_survey::{Design, SmallSample};

use super::{Unit, Wave};

impl Wave {
    /// The groups of units whose estimates are tied: (whole, parts).
    fn groups(&self) -> Vec<(Unit, Vec<Unit>)> {
        let mut wijken: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut municipalities = BTreeSet::new();
        for r in &self.responses {
            if let Some(m) = &r.municipality {
                municipalities.insert(m.clone());
                if let Some(w) = &r.area_code {
                    wijken.entry(m.clone()).or_default().insert(w.clone());
                }
            }
        }
        let mut out = vec![(
            Unit::Zone,
            municipalities
                .iter()
                .cloned()
                .map(Unit::Municipality)
                .collect(),
        )];
        for (m, ws) in wijken {
            out.push((
                Unit::Municipality(m),
                ws.into_iter().map(Unit::Wijk).collect(),
            ));
        }
        out
    }

    /// The units of one indicator hidden only to protect another (complementary), given the
    /// small-sample rule's verdict on each.
    pub(crate) fn complementary(
        &self,
        design: &Design,
        indicator: &str,
        rule: &SmallSample,
        level: f64,
    ) -> Result<BTreeSet<Unit>> {
        // Every unit with respondents: its n and whether the rule hides it.
        let mut units: BTreeMap<Unit, (usize, bool)> = BTreeMap::new();
        for unit in self.units() {
            let e = self.estimate(design, indicator, &unit, true)?;
            if e.n > 0 {
                units.insert(unit, (e.n, !rule.judge(&e, level).shown()));
            }
        }
        let mut extra = BTreeSet::new();
        let groups = self.groups();
        loop {
            let hidden = |u: &Unit, extra: &BTreeSet<Unit>| {
                extra.contains(u) || units.get(u).is_some_and(|x| x.1)
            };
            let mut changed = false;
            for (whole, parts) in &groups {
                let members: Vec<&Unit> = std::iter::once(whole)
                    .chain(parts)
                    .filter(|u| units.contains_key(u))
                    .collect();
                if members.iter().filter(|u| hidden(u, &extra)).count() != 1 {
                    continue;
                }
                // The shown part with the fewest respondents, or the whole when no part is
                // shown.
                let pick = members
                    .iter()
                    .skip(1)
                    .filter(|u| !hidden(u, &extra))
                    .min_by_key(|u| (units[**u].0, (**u).clone()))
                    .or_else(|| members.first().filter(|u| !hidden(u, &extra)));
                if let Some(u) = pick {
                    extra.insert((*u).clone());
                    changed = true;
                }
            }
            if !changed {
                return Ok(extra);
            }
        }
    }
}
