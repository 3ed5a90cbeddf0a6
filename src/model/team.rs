//! The team's own data: division of responsibilities, self-scores, timetable.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::date::Date;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitsFile {
    pub units: Vec<Unit>,
}

/// A 股室 or department with its share of the indicators.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// Short name as used in the profile and sheets, e.g. 教科体局.
    pub name: String,
    #[serde(default)]
    pub full_name: Option<String>,
    /// 牵头领导.
    #[serde(default)]
    pub leader: Option<String>,
    /// 责任人.
    #[serde(default)]
    pub person: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// Indicators it leads; when absent, taken from the profile's 牵头单位.
    #[serde(default)]
    pub leads: Option<Vec<String>>,
    /// Indicators it supports; when absent, taken from the profile's 责任单位.
    #[serde(default)]
    pub supports: Option<Vec<String>>,
}

/// `content/scores.yaml`: indicator id -> self-assessment.
pub type ScoresFile = BTreeMap<String, ScoreEntry>;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreEntry {
    /// Declared status of an evidence-judged A item.
    #[serde(default)]
    pub status: Option<super::Verdict>,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub evidence: Vec<String>,
    /// B items: point id -> self-score.
    #[serde(default)]
    pub points: BTreeMap<String, PointScore>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointScore {
    pub score: f64,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TasksFile {
    pub tasks: Vec<Task>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskStatus {
    #[serde(rename = "未开始")]
    NotStarted,
    #[serde(rename = "进行中")]
    InProgress,
    #[serde(rename = "已完成")]
    Done,
}

/// One line of the 倒排工期表.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub task: String,
    #[serde(default)]
    pub indicators: Vec<String>,
    /// Codes of the schools the task rectifies (问题清单, 一校一策); none: county-wide.
    #[serde(default, deserialize_with = "codes")]
    pub schools: Vec<String>,
    pub unit: String,
    #[serde(default)]
    pub person: Option<String>,
    #[serde(default)]
    pub start: Option<Date>,
    pub due: Date,
    pub status: TaskStatus,
}

/// School codes as written in YAML: `[3607210001, "0101"]`; a number is read as its digits.
fn codes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Code {
        Text(String),
        Number(u64),
    }
    Ok(Vec::<Code>::deserialize(d)?
        .into_iter()
        .map(|c| match c {
            Code::Text(s) => s.trim().to_owned(),
            Code::Number(n) => n.to_string(),
        })
        .collect())
}

/// When `unit`'s evidence for `indicator` is due: the latest deadline among its tasks in
/// tasks.yaml that name the indicator (the evidence of the work is due when the work is), or,
/// when it has none, among anyone's tasks that name it. Seed 000: 职能组 complete the
/// evidence "by the 倒排工期表's deadlines".
pub fn evidence_due(tasks: &[Task], unit: &str, indicator: &str) -> Option<Date> {
    let naming = |t: &&Task| t.indicators.iter().any(|i| i == indicator);
    let own = tasks.iter().filter(naming).filter(|t| t.unit == unit).map(|t| t.due).max();
    own.or_else(|| tasks.iter().filter(naming).map(|t| t.due).max())
}

#[cfg(test)]
mod due_tests {
    use super::*;

    fn task(unit: &str, ind: &str, due: &str) -> Task {
        Task {
            task: "t".into(),
            indicators: vec![ind.into()],
            schools: vec![],
            unit: unit.into(),
            person: None,
            start: None,
            due: Date::parse(due).unwrap(),
            status: TaskStatus::InProgress,
        }
    }

    #[test]
    fn evidence_is_due_with_the_units_last_task_for_the_indicator() {
        let tasks = [
            task("住建局", "A5", "2026-11-15"),
            task("住建局", "A5", "2026-11-30"),
            task("教科体局", "A5", "2026-12-20"),
            task("财政局", "A7", "2026-11-25"),
        ];
        // 住建局's own A5 tasks: the later of 11-15 and 11-30.
        assert_eq!(evidence_due(&tasks, "住建局", "A5").unwrap().to_string(), "2026-11-30");
        // 发改委 has no A5 task: anyone's latest, 教科体局's 12-20.
        assert_eq!(evidence_due(&tasks, "发改委", "A5").unwrap().to_string(), "2026-12-20");
        assert_eq!(evidence_due(&tasks, "住建局", "A9"), None);
    }
}
