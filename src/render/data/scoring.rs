//! 评分自查表: every indicator with its verdict or score and the figures behind it — one table
//! that the PDF, the Word version and the workbook all draw.

use serde::{Serialize, Serializer};

use super::{county, state};
use crate::model::{IndicatorType, Verdict, Workspace};
use crate::rules::{Assessment, fmt_num};

#[derive(Serialize)]
pub struct ScoringTable {
    pub title: String,
    pub profile: String,
    pub date: String,
    pub rows: Vec<Row>,
    pub a_summary: String,
    /// The B total, when the profile has B indicators and a pass mark.
    pub b: Option<BTotal>,
    pub veto: Vec<Veto>,
    pub overall: &'static str,
    pub overall_reasons: Vec<String>,
    /// The sums of the self-scores and of what counts (B indicators), and the pass mark.
    #[serde(skip)]
    pub self_total: f64,
    #[serde(skip)]
    pub counted_total: f64,
    #[serde(skip)]
    pub b_max: f64,
    #[serde(skip)]
    pub pass_mark: Option<f64>,
}

/// One indicator.
#[derive(Serialize)]
pub struct Row {
    pub category: String,
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub max: Figure,
    /// An A indicator's verdict, a B indicator's score.
    pub result: String,
    /// An A indicator's verdict (empty for B), as the workbook's 判定 column shows it.
    #[serde(skip)]
    pub verdict: String,
    pub state: &'static str,
    pub points: Vec<Point>,
    /// The summary and the reasons.
    pub basis: String,
}

#[derive(Serialize)]
pub struct Point {
    pub id: String,
    pub text: String,
    pub max: Figure,
    pub score: Figure,
    /// What counts: a point whose data rule fails counts 0, whatever its self-score.
    pub counted: Figure,
}

#[derive(Serialize)]
pub struct BTotal {
    pub total: String,
    pub self_total: String,
    pub max: String,
    pub mark: String,
    pub state: &'static str,
}

#[derive(Serialize)]
pub struct Veto {
    pub id: String,
    pub text: String,
    pub state: &'static str,
}

/// A figure, shown as the engine's number (blank when there is none).
#[derive(Clone, Copy)]
pub struct Figure(pub Option<f64>);

impl Serialize for Figure {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0.map(fmt_num).unwrap_or_default())
    }
}

pub fn table(ws: &Workspace, a: &Assessment) -> ScoringTable {
    let rows = a
        .indicators
        .iter()
        .map(|i| {
            let verdict = match i.kind {
                IndicatorType::A => i.verdict.label().to_owned(),
                IndicatorType::B => String::new(),
            };
            let result = match i.kind {
                IndicatorType::A => verdict.clone(),
                IndicatorType::B => i.score.map(fmt_num).unwrap_or_default(),
            };
            let basis: Vec<&str> = std::iter::once(i.summary.as_str())
                .chain(i.reasons.iter().map(String::as_str))
                .collect();
            Row {
                category: i.category.clone(),
                id: i.id.clone(),
                name: i.name.clone(),
                kind: i.kind.to_string(),
                max: Figure(i.max_score),
                result,
                verdict,
                state: state(i.verdict),
                points: i
                    .points
                    .iter()
                    .map(|p| Point {
                        id: p.id.clone(),
                        text: p.text.clone(),
                        max: Figure(p.max),
                        score: Figure(p.score),
                        counted: Figure(p.counted),
                    })
                    .collect(),
                basis: basis.join("；"),
            }
        })
        .collect();
    let self_total: f64 = a.indicators.iter().filter_map(|i| i.self_score).sum();
    let b = a.b_pass_mark.filter(|_| a.b_max > 0.0).map(|mark| BTotal {
        total: fmt_num(a.b_total),
        self_total: fmt_num(self_total),
        max: fmt_num(a.b_max),
        mark: fmt_num(mark),
        state: match a.b_pass {
            Some(true) => "达标",
            Some(false) => "未达标",
            None => "待核实",
        },
    });
    let count = |k: IndicatorType, v: Verdict| a.indicators.iter().filter(|i| i.kind == k && i.verdict == v).count();
    ScoringTable {
        title: format!("{}义务教育优质均衡发展评分自查表", county(ws)),
        profile: format!("《{}》（{}）", a.profile.name, a.profile.source),
        date: super::cn_date(ws),
        rows,
        a_summary: format!(
            "A 类指标 {} 项：达标 {} 项，未达标 {} 项，待核实 {} 项。",
            a.indicators.iter().filter(|i| i.kind == IndicatorType::A).count(),
            count(IndicatorType::A, Verdict::Met),
            count(IndicatorType::A, Verdict::NotMet),
            count(IndicatorType::A, Verdict::Pending)
        ),
        b,
        veto: a
            .veto
            .iter()
            .map(|v| Veto {
                id: v.id.clone(),
                text: v.text.clone(),
                state: super::veto_state(v.present),
            })
            .collect(),
        overall: a.overall.verdict.label(),
        overall_reasons: a.overall.reasons.clone(),
        self_total,
        counted_total: a.b_total,
        b_max: a.b_max,
        pass_mark: a.b_pass_mark,
    }
}
