//! The overall verdict: all A items met, B total at the pass mark, no veto item.

use super::assessment::{IndicatorResult, Overall, VetoResult};
use super::{Verdict, fmt_num};
use crate::model::{IndicatorType, Workspace};

/// Each veto item of the profile with what county.yaml declares of it.
pub fn veto(ws: &Workspace) -> Vec<VetoResult> {
    let profile = &ws.profile;
    profile
        .veto
        .iter()
        .map(|v| {
            let d = ws.config.as_ref().and_then(|c| c.veto.get(&v.id));
            VetoResult {
                id: v.id.clone(),
                text: v.text.clone(),
                present: d.map(|d| d.present),
                note: d.and_then(|d| d.note.clone()),
            }
        })
        .collect()
}

/// All A items met, B total at the pass mark, no veto item: 达标.
pub fn overall(
    indicators: &[IndicatorResult],
    b_pass: Option<bool>,
    mark: Option<f64>,
    b_total: f64,
    veto: &[VetoResult],
) -> Overall {
    let mut verdict = Verdict::Met;
    let mut reasons = vec![];
    let a = |v: Verdict| {
        indicators
            .iter()
            .filter(move |i| i.kind == IndicatorType::A && i.verdict == v)
            .map(|i| format!("{} {}", i.id, i.name))
            .collect::<Vec<_>>()
    };
    let failed = a(Verdict::NotMet);
    if !failed.is_empty() {
        verdict = Verdict::NotMet;
        reasons.push(format!("{} 项 A 类指标未达标：{}", failed.len(), failed.join("、")));
    }
    let pending = a(Verdict::Pending);
    if !pending.is_empty() {
        verdict = verdict.max(Verdict::Pending);
        reasons.push(format!("{} 项 A 类指标待核实：{}", pending.len(), pending.join("、")));
    }
    if let Some(mark) = mark.filter(|_| indicators.iter().any(|i| i.kind == IndicatorType::B)) {
        match b_pass {
            Some(false) => {
                verdict = Verdict::NotMet;
                reasons.push(format!(
                    "B 类指标得分 {} 分，低于 {} 分",
                    fmt_num(b_total),
                    fmt_num(mark)
                ));
            }
            None => {
                verdict = verdict.max(Verdict::Pending);
                // Open: points not self-scored, or scored on data still 待核实 (not counted yet).
                reasons.push(format!(
                    "B 类指标尚未定分：已计入 {} 分，其余要点未自评或所依数据待核实",
                    fmt_num(b_total)
                ));
            }
            Some(true) => {}
        }
    }
    for v in veto {
        match v.present {
            Some(true) => {
                verdict = Verdict::NotMet;
                reasons.push(format!("一票否决：{}", v.text));
            }
            None => {
                verdict = verdict.max(Verdict::Pending);
                reasons.push(format!("一票否决项未申报：{}", v.text));
            }
            Some(false) => {}
        }
    }
    Overall { verdict, reasons }
}
