//! Crosswalks between indicator systems (`assets/profiles/crosswalk-*.yaml`): which indicator
//! of the inspection's system each indicator and assessment point of the catalogue's system
//! serves, so that one catalogue answers both the provincial and the national inspection.

use serde::Deserialize;
use std::collections::BTreeMap;

/// The crosswalks compiled into the binary: (catalogue profile, inspection profile, YAML).
pub const BUILTIN: [(&str, &str, &str); 1] = [(
    "jiangxi-2018",
    "national-2017",
    include_str!("../../assets/profiles/crosswalk-jiangxi-2018-national-2017.yaml"),
)];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Crosswalk {
    pub from: String,
    pub to: String,
    pub map: Vec<Entry>,
    /// Veto items: catalogue id → the inspection's ids it is (none: no counterpart).
    #[serde(default)]
    pub veto: BTreeMap<String, Vec<String>>,
    /// Indicators of the inspection's system that no catalogue indicator serves.
    #[serde(default)]
    pub uncovered: Vec<Uncovered>,
}

/// One catalogue indicator: the inspection indicators it serves (none: it has no counterpart),
/// and the points that serve others.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub from: String,
    pub to: Vec<String>,
    pub note: String,
    #[serde(default)]
    pub points: BTreeMap<String, PointEntry>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointEntry {
    pub to: Vec<String>,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Uncovered {
    pub id: String,
    pub note: String,
}

impl Crosswalk {
    /// The built-in crosswalk from catalogue profile `from` to inspection profile `to`.
    pub fn builtin(from: &str, to: &str) -> Option<Crosswalk> {
        let (_, _, text) = BUILTIN.iter().find(|(f, t, _)| *f == from && *t == to)?;
        serde_yaml::from_str(text).ok()
    }

    pub fn entry(&self, indicator: &str) -> Option<&Entry> {
        self.map.iter().find(|e| e.from == indicator)
    }

    /// The inspection indicators a catalogue point serves, and why; `None` when the crosswalk
    /// does not list the indicator. An empty list: the point has no counterpart.
    pub fn targets(&self, indicator: &str, point: &str) -> Option<(&[String], &str)> {
        let e = self.entry(indicator)?;
        Some(match e.points.get(point) {
            Some(p) => (&p.to, &p.note),
            None => (&e.to, &e.note),
        })
    }
}

/// A catalogue written in another system's ids (county.yaml `catalogue_profile`): that
/// system, the crosswalk into the inspection's, and the evidence items that serve none of
/// the inspection's indicators (kept for the 省检 numbering, boxed for neither).
#[derive(Debug, Clone)]
pub struct Catalogue {
    pub profile: super::Profile,
    pub crosswalk: Crosswalk,
    pub unmapped: Vec<super::EvidenceItem>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Profile;

    /// Every indicator and point of both systems is in the crosswalk: each catalogue indicator
    /// once (mapped, or mapped to nothing with its reason), its point exceptions real points,
    /// every target a real indicator, and every inspection indicator served or listed as
    /// uncovered; every catalogue veto item listed, every target a real one.
    #[test]
    fn crosswalks_cover_both_systems() {
        for (from, to, _) in BUILTIN {
            let cw = Crosswalk::builtin(from, to).expect("parses");
            let (c, p) = (Profile::builtin(from).unwrap(), Profile::builtin(to).unwrap());
            for ind in &c.indicators {
                let entries: Vec<&Entry> = cw.map.iter().filter(|e| e.from == ind.id).collect();
                assert_eq!(entries.len(), 1, "{from} {} listed once", ind.id);
                let e = entries[0];
                assert!(!e.note.is_empty(), "{}: a note", ind.id);
                for pid in e.points.keys() {
                    assert!(ind.point(pid).is_some(), "{} has no point {pid}", ind.id);
                }
                for point in &ind.points {
                    let (targets, note) = cw.targets(&ind.id, &point.id).unwrap();
                    assert!(!note.is_empty());
                    for t in targets {
                        assert!(
                            p.indicator(t).is_some_and(|i| i.id == *t),
                            "{} → {t}: not in {to}",
                            ind.id
                        );
                    }
                }
            }
            assert_eq!(
                cw.map.len(),
                c.indicators.len(),
                "no entry for an indicator {from} lacks"
            );
            for ind in &p.indicators {
                let served = cw
                    .map
                    .iter()
                    .any(|e| e.to.contains(&ind.id) || e.points.values().any(|pe| pe.to.contains(&ind.id)));
                let uncovered = cw.uncovered.iter().any(|u| u.id == ind.id);
                assert!(
                    served != uncovered,
                    "{to} {}: served or listed as uncovered, not both",
                    ind.id
                );
            }
            for v in &c.veto {
                let targets = cw.veto.get(&v.id).unwrap_or_else(|| panic!("veto {} listed", v.id));
                for t in targets {
                    assert!(p.veto.iter().any(|x| &x.id == t), "veto {} → {t}", v.id);
                }
            }
        }
    }

    #[test]
    fn jiangxi_points_that_serve_no_national_indicator() {
        let cw = Crosswalk::builtin("jiangxi-2018", "national-2017").unwrap();
        let c = Profile::builtin("jiangxi-2018").unwrap();
        let mut none = vec![];
        let mut mapped = 0;
        for ind in &c.indicators {
            for p in &ind.points {
                if cw.targets(&ind.id, &p.id).unwrap().0.is_empty() {
                    none.push(format!("{}-{}", ind.id, p.id));
                } else {
                    mapped += 1;
                }
            }
        }
        // A25 (3 points) and B35 (5) have no counterpart; of B28, B36 and B37 one point each.
        assert_eq!(
            none,
            [
                "A25-1", "A25-2", "A25-3", "B28-3", "B35-1", "B35-2", "B35-3", "B35-4", "B35-5", "B36-5", "B37-2"
            ]
        );
        // 94 points in all (江西 38 indicators), 11 without: 83 mapped.
        assert_eq!(
            mapped + none.len(),
            c.indicators.iter().map(|i| i.points.len()).sum::<usize>()
        );
        assert_eq!(mapped, 83);
    }
}
