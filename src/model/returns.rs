//! The record of the fill-in rounds (`content/.填报记录.json`, `paths::RETURNS`): what each
//! `collect` issued and what each `merge --apply` took from which return. yingjian writes it;
//! the build reads it to name a change's return in 变更说明 and to count the returns of the
//! current round (issue 32 points 3 and 6). Dates are the workspace's "today" and rounds a
//! counter, so the file and every output made from it are deterministic.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReturnRecord {
    /// Every `collect`, oldest first; the last is the current round.
    #[serde(default)]
    pub rounds: Vec<Round>,
    /// Every return written by `merge --apply`, in the order merged.
    #[serde(default)]
    pub merged: Vec<Merged>,
    /// Evidence rows `merge --apply` took into content/evidence.xlsx and evidence/ (issue 33
    /// point 4: who sent each item, when, from which return).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceTaken>,
    /// Evidence rows refused and not yet sent again (out/退回清单/<单位>.xlsx): a later return
    /// of the same row (unit, indicator, point, title) replaces its refusal.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<EvidenceRefused>,
}

/// One evidence item a unit sent and `merge --apply` accepted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvidenceTaken {
    pub round: u32,
    pub date: String,
    /// The form as given ("人社局(1).xlsx").
    pub file: String,
    pub unit: String,
    pub indicator: String,
    pub point: String,
    pub title: String,
    /// Where it was stored, under evidence/ ("A5/A5-1-运动场验收报告.pdf").
    pub stored: String,
    /// The file's name as the unit sent it.
    pub original: String,
}

/// One evidence row refused, with its reasons.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRefused {
    pub round: u32,
    pub date: String,
    pub file: String,
    pub unit: String,
    /// The row in the returned form: "人社局(1).xlsx 佐证材料!A7".
    pub at: String,
    pub indicator: String,
    pub point: String,
    pub title: String,
    /// The 文件名 cell as typed.
    pub file_name: Option<String>,
    pub reasons: Vec<String>,
}

/// One `collect`: the forms it issued.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Round {
    pub round: u32,
    pub date: String,
    pub schools: Vec<Issued>,
    /// The units' names.
    pub units: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Issued {
    pub code: String,
    pub name: String,
}

/// One return merged: the file as given, whose form it is, each value written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Merged {
    /// The round it was merged in (0 when no `collect` was recorded).
    pub round: u32,
    pub date: String,
    /// The file name as given to `merge` ("城南学校(1).xlsx").
    pub file: String,
    /// "学校" or "单位".
    pub kind: String,
    /// 学校代码, or the unit's name.
    pub code: String,
    pub name: String,
    pub cells: Vec<CellChange>,
}

/// One value written into content/.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CellChange {
    /// Where it was written: "content/schools.xlsx 学校基础数据!G9".
    pub at: String,
    /// "小学", "初中", "无学段" or "全校" (a school's form); the key for a unit's.
    pub slot: String,
    pub column: String,
    /// As the change report shows values (`rules::fmt_num`); `None`: blank.
    pub old: Option<String>,
    pub new: Option<String>,
    /// A conflict resolved for the return (`merge --take-return`).
    #[serde(default)]
    pub taken: bool,
}

/// The current round's returns, counted.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnStatus {
    pub round: u32,
    pub date: String,
    pub schools: Tally,
    pub units: Tally,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub issued: usize,
    pub returned: usize,
    /// Names not yet returned, in the order issued.
    pub outstanding: Vec<String>,
}

/// How many outstanding names a summary lists before it only counts.
const LISTED: usize = 5;

impl Tally {
    /// "城南学校、石门镇中学" or, for many, "城南学校、…、某校 等 18 所".
    pub fn outstanding_text(&self, unit: &str) -> String {
        let shown = self
            .outstanding
            .iter()
            .take(LISTED)
            .cloned()
            .collect::<Vec<_>>()
            .join("、");
        if self.outstanding.len() > LISTED {
            format!("{shown} 等 {} {unit}", self.outstanding.len())
        } else {
            shown
        }
    }
}

impl ReturnStatus {
    /// One line for `check` and `build`.
    pub fn line(&self) -> String {
        let mut s = format!(
            "填报回收（第 {} 轮，{} 下发）：学校已回收 {}/{} 所，单位已回收 {}/{} 个",
            self.round, self.date, self.schools.returned, self.schools.issued, self.units.returned, self.units.issued
        );
        for (t, who, unit) in [(&self.schools, "学校", "所"), (&self.units, "单位", "个")] {
            if !t.outstanding.is_empty() {
                s += &format!("；未回收{who}：{}", t.outstanding_text(unit));
            }
        }
        s
    }
}

impl ReturnRecord {
    /// The round a new `collect` starts.
    pub fn next_round(&self) -> u32 {
        self.rounds.last().map_or(1, |r| r.round + 1)
    }

    /// The round a merge now belongs to: the last `collect`'s, 0 before any.
    pub fn current_round(&self) -> u32 {
        self.rounds.last().map_or(0, |r| r.round)
    }

    /// Returns and outstanding forms of the last `collect` (`None`: it never ran): a school
    /// or unit counts once however often its return was merged.
    pub fn status(&self) -> Option<ReturnStatus> {
        let round = self.rounds.last()?;
        let back = |kind: &str, code: &str| {
            self.merged
                .iter()
                .any(|m| m.round == round.round && m.kind == kind && m.code == code)
        };
        let schools: Vec<&Issued> = round.schools.iter().filter(|s| !back("学校", &s.code)).collect();
        let units: Vec<&String> = round.units.iter().filter(|u| !back("单位", u)).collect();
        Some(ReturnStatus {
            round: round.round,
            date: round.date.clone(),
            schools: Tally {
                issued: round.schools.len(),
                returned: round.schools.len() - schools.len(),
                outstanding: schools.iter().map(|s| s.name.clone()).collect(),
            },
            units: Tally {
                issued: round.units.len(),
                returned: round.units.len() - units.len(),
                outstanding: units.into_iter().cloned().collect(),
            },
        })
    }

    /// The latest return that wrote `new` into `column` of `code`'s `slot`, worded for the
    /// change report: "来自回收表 城南学校(1).xlsx，2026-11-22 合并".
    pub fn source(&self, code: &str, slot: &str, column: &str, new: Option<&str>) -> Option<String> {
        self.merged.iter().rev().find_map(|m| {
            let hit = m.code == code
                && m.cells
                    .iter()
                    .any(|c| c.slot == slot && c.column == column && c.new.as_deref() == new);
            hit.then(|| format!("来自回收表 {}，{} 合并", m.file, m.date))
        })
    }

    /// The latest unit return that wrote `new` into county.yaml's `key` ("finance.x"),
    /// worded like [`Self::source`].
    pub fn county_source(&self, key: &str, new: Option<&str>) -> Option<String> {
        self.merged.iter().rev().find_map(|m| {
            let hit = m.kind == "单位" && m.cells.iter().any(|c| c.column == key && c.new.as_deref() == new);
            hit.then(|| format!("来自回收表 {}，{} 合并", m.file, m.date))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(round: u32, code: &str) -> Merged {
        Merged {
            round,
            date: "2026-11-22".into(),
            file: format!("{code}.xlsx"),
            kind: "学校".into(),
            code: code.into(),
            name: code.into(),
            cells: vec![CellChange {
                at: "content/schools.xlsx 学校基础数据!G9".into(),
                slot: "小学".into(),
                column: "在校生数".into(),
                old: Some("500".into()),
                new: Some("520".into()),
                taken: false,
            }],
        }
    }

    #[test]
    fn counts_the_last_rounds_returns_once_each() {
        let schools = (1..=8)
            .map(|i| Issued {
                code: format!("S{i}"),
                name: format!("学校{i}"),
            })
            .collect();
        let rec = ReturnRecord {
            rounds: vec![
                Round {
                    round: 1,
                    ..Round::default()
                },
                Round {
                    round: 2,
                    date: "2026-11-22".into(),
                    schools,
                    units: vec!["财务股".into()],
                },
            ],
            // S1 in round 1 (before the last collect) does not count; S2 twice counts once.
            merged: vec![merged(1, "S1"), merged(2, "S2"), merged(2, "S2"), merged(2, "S3")],
            ..ReturnRecord::default()
        };
        let s = rec.status().unwrap();
        // 8 issued − 2 returned (S2, S3) = 6 outstanding; the first 5 named.
        assert_eq!(
            (s.schools.issued, s.schools.returned, s.schools.outstanding.len()),
            (8, 2, 6)
        );
        assert_eq!(
            s.line(),
            "填报回收（第 2 轮，2026-11-22 下发）：学校已回收 2/8 所，单位已回收 0/1 个；\
             未回收学校：学校1、学校4、学校5、学校6、学校7 等 6 所；未回收单位：财务股"
        );
        assert_eq!(ReturnRecord::default().status(), None);
        assert_eq!(rec.next_round(), 3);
        assert_eq!(
            rec.source("S3", "小学", "在校生数", Some("520")).as_deref(),
            Some("来自回收表 S3.xlsx，2026-11-22 合并")
        );
        // Another value (corrected by hand since) is not the return's.
        assert_eq!(rec.source("S3", "小学", "在校生数", Some("521")), None);
    }
}
