//! `content/evidence.lock`: what earlier builds numbered and printed.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Numbers and box assignments kept between builds in `content/evidence.lock` (owned by yingjian).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Lock {
    /// Item key → sequence number within its indicator point.
    pub items: BTreeMap<String, u32>,
    /// Next free sequence number per "indicator|point": removed items leave gaps, never reused.
    pub next: BTreeMap<String, u32>,
    /// Per box, a hash of what its contents list and its spine label print.
    #[serde(default)]
    pub prints: BTreeMap<String, (u64, u64)>,
    /// The indicator system this numbering is for; none in a lock written before numberings
    /// were kept per system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    /// The numberings of the other systems the workspace was built for (省检 and 国检 boxes
    /// printed apart), by profile id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub others: BTreeMap<String, Lock>,
}

impl Lock {
    /// This lock with `profile`'s numbering on top: a numbering kept for it comes up, the one
    /// on top (another system's) is kept aside, so that switching back finds its numbers
    /// again. A lock that names no system (written before they were kept apart) is taken as
    /// `made_for`'s: the system the catalogue is written in.
    pub fn for_profile(mut self, profile: &str, made_for: &str) -> Lock {
        if self.profile.is_none() && !self.items.is_empty() {
            self.profile = Some(made_for.to_owned());
        }
        match self.profile.clone() {
            Some(p) if p != profile => {
                let mut others = std::mem::take(&mut self.others);
                let mine = others.remove(profile).unwrap_or_default();
                others.insert(p, self);
                Lock {
                    profile: Some(profile.to_owned()),
                    others,
                    ..mine
                }
            }
            _ => Lock {
                profile: Some(profile.to_owned()),
                ..self
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_system_keeps_its_numbers() {
        // A lock from before: the 省检 numbering, naming no system.
        let mut provincial = Lock::default();
        provincial.items.insert("file:A5/a.pdf".into(), 2);
        let mut national = provincial.for_profile("national-2017", "jiangxi-2018");
        assert!(national.items.is_empty(), "国检 numbers start afresh");
        assert_eq!(national.others["jiangxi-2018"].items["file:A5/a.pdf"], 2);
        national.items.insert("file:A5/a.pdf".into(), 1);
        let back = national.for_profile("jiangxi-2018", "jiangxi-2018");
        assert_eq!(back.items["file:A5/a.pdf"], 2);
        assert_eq!(back.others["national-2017"].items["file:A5/a.pdf"], 1);
        // Round trip through the file.
        let text = serde_json::to_string(&back).unwrap();
        let again: Lock = serde_json::from_str(&text).unwrap();
        assert_eq!(again, back);
    }
}
