//! Each indicator's result: A items from their rule or the county's declaration, B items
//! scored point by point (赣教督委字〔2018〕6号: B 类指标总分100分，90分以上为达标).

use std::collections::BTreeMap;

use super::assessment::{IndicatorResult, PointResult};
use super::{Check, Verdict, at_least, fmt_num};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::model::team::ScoreEntry;
use crate::model::{Indicator, IndicatorType, RuleId, Workspace};
use crate::paths;

/// Every indicator of the profile, in profile order.
pub fn indicators(ws: &Workspace, checks: &BTreeMap<RuleId, Check>, diags: &mut Diagnostics) -> Vec<IndicatorResult> {
    let profile = &ws.profile;
    let mut indicators = vec![];
    let mut undeclared = vec![];
    for ind in &profile.indicators {
        let entry = ws.scores.get(&ind.id);
        let mut r = Judged {
            verdict: Verdict::Pending,
            summary: String::new(),
            reasons: vec![],
            points: vec![],
            score: None,
            self_score: None,
            account: None,
        };
        let check = ind.rule.and_then(|r| checks.get(&r));
        if let Some(check) = check {
            r.verdict = check.verdict;
            r.reasons.extend(check.reasons.iter().cloned());
            r.summary = check.summary.clone();
        }
        match ind.kind {
            IndicatorType::A => a_item(ind, entry, check, &mut r, &mut undeclared),
            IndicatorType::B => b_item(ind, entry, checks, &mut r, diags),
        }
        if r.summary.is_empty() {
            r.summary = r.verdict.label().to_owned();
        }
        indicators.push(IndicatorResult {
            id: ind.id.clone(),
            number: ind.number,
            category: ind.category.clone(),
            name: ind.name.clone(),
            kind: ind.kind,
            verdict: r.verdict,
            score: r.score,
            self_score: r.self_score,
            max_score: ind.max_score,
            rule: ind.rule.map(RuleId::name),
            summary: r.summary,
            reasons: r.reasons,
            account: r.account,
            lead: ind.lead.clone(),
            units: ind.units.clone(),
            points: r.points,
        });
    }
    if !undeclared.is_empty() {
        diags.push(
            Diagnostic::warning(
                "status-undeclared",
                Location::file(paths::SCORES),
                format!(
                    "{} 项依据佐证材料判定的 A 类指标尚未申报：{}",
                    undeclared.len(),
                    undeclared.join("、")
                ),
            )
            .with_hint("在 content/scores.yaml 中为这些指标写 status: 达标 / 未达标 / 待核实 及理由"),
        );
    }

    indicators
}

/// An indicator's result as it is being judged: from its rule first, then its kind.
struct Judged {
    verdict: Verdict,
    summary: String,
    reasons: Vec<String>,
    points: Vec<PointResult>,
    score: Option<f64>,
    self_score: Option<f64>,
    account: Option<String>,
}

/// An A item: its rule's verdict, with the county's declaration for what the data cannot judge.
fn a_item(
    ind: &Indicator,
    entry: Option<&ScoreEntry>,
    check: Option<&Check>,
    r: &mut Judged,
    undeclared: &mut Vec<String>,
) {
    // Points the data rule cannot judge: the declaration speaks for them.
    let declared_points = ind.declared_points.join("、");
    // Conditions a met finding rests on that the data cannot show (指标12: 逐步降低校额).
    let conditions: Vec<String> = check
        .into_iter()
        .flat_map(|c| &c.schools)
        .filter(|f| f.verdict == Verdict::Met)
        .filter_map(|f| f.declare.as_ref().map(|d| format!("{}{d}", f.name)))
        .collect();
    match entry.and_then(|e| e.status) {
        Some(declared) => {
            if ind.rule.is_none() {
                r.verdict = declared;
                r.summary = format!("自评申报：{}", declared.label());
            } else if declared > r.verdict {
                r.verdict = declared;
                r.reasons.push(format!("自评申报为{}", declared.label()));
            } else if declared < r.verdict && ind.declared_points.is_empty() && conditions.is_empty() {
                r.reasons.push(format!(
                    "自评申报为{}，但数据显示{}",
                    declared.label(),
                    r.verdict.label()
                ));
            }
            if let Some(reason) = entry.and_then(|e| e.reason.clone()) {
                // A reason declared with 达标 tells the work done: an account, never a problem.
                if declared == Verdict::Met {
                    r.account = Some(reason.clone());
                }
                r.reasons.push(reason);
            }
        }
        None if ind.rule.is_none() => {
            undeclared.push(ind.id.clone());
            r.summary = "尚未申报达标情况".into();
            r.reasons
                .push("依据佐证材料判定，content/scores.yaml 中尚未申报".into());
        }
        // The data passing is not enough while the other points are undeclared.
        None if !ind.declared_points.is_empty() || !conditions.is_empty() => {
            let mut what = vec![];
            if !ind.declared_points.is_empty() {
                what.push(format!("要点{declared_points}"));
                r.reasons.push(format!(
                    "要点{declared_points}依据佐证材料判定，content/scores.yaml 中尚未申报"
                ));
            }
            if !conditions.is_empty() {
                what.push(conditions.join("、"));
                for f in check.into_iter().flat_map(|c| &c.schools) {
                    if let (Verdict::Met, Some(d)) = (f.verdict, &f.declare) {
                        r.reasons.push(format!(
                            "{}是否{d}，数据不能说明，content/scores.yaml 中尚未申报",
                            f.name
                        ));
                    }
                }
            }
            undeclared.push(format!("{}（{}）", ind.id, what.join("；")));
            r.verdict = r.verdict.max(Verdict::Pending);
        }
        None => {}
    }
    r.points = ind
        .points
        .iter()
        .map(|p| PointResult {
            id: p.id.clone(),
            text: p.text.clone(),
            max: None,
            score: None,
            counted: None,
            reason: None,
        })
        .collect();
}

/// A B item: scored point by point from the self-scores, a point bound to a failing rule
/// counting 0.
fn b_item(
    ind: &Indicator,
    entry: Option<&ScoreEntry>,
    checks: &BTreeMap<RuleId, Check>,
    r: &mut Judged,
    diags: &mut Diagnostics,
) {
    let mut total = 0.0;
    let mut self_total = 0.0;
    let mut complete = true;
    for p in &ind.points {
        let ps = entry.and_then(|e| e.points.get(&p.id));
        let mut counted = None;
        if let Some(ps) = ps {
            self_total += ps.score;
            let max = p.max.unwrap_or(0.0);
            if ps.score < max {
                r.reasons.push(format!(
                    "要点{} 扣 {} 分{}",
                    p.id,
                    fmt_num(max - ps.score),
                    ps.reason.as_ref().map(|why| format!("：{why}")).unwrap_or_default()
                ));
            }
            // A point bound to a rule earns nothing while its data fails, whatever
            // the self-score (赣教督委字〔2018〕6号 附件2: the point is judged on the data),
            // and is not scored yet while the data cannot be judged.
            let bound = p.rule.and_then(|rule| checks.get(&rule));
            counted = match bound.map(|c| c.verdict) {
                Some(Verdict::NotMet) => Some(0.0),
                Some(Verdict::Pending) => None,
                _ => Some(ps.score),
            };
            match bound {
                Some(check) if check.verdict == Verdict::NotMet && ps.score > 0.0 => {
                    r.reasons.extend(check.reasons.iter().cloned());
                    r.reasons.push(format!("要点{} 数据未达到，按 0 分计入", p.id));
                    diags.push(
                        Diagnostic::warning(
                            "score-contradicts-data",
                            Location::file(paths::SCORES),
                            format!(
                                "指标 {} 要点{} 自评 {} 分，但数据显示未达到：{}；该要点按 0 分计入 B 类总分",
                                ind.id,
                                p.id,
                                fmt_num(ps.score),
                                check.reasons.join("；")
                            ),
                        )
                        .with_hint("核对数据或调整自评得分，避免自评报告与数据表矛盾"),
                    );
                }
                Some(check) if check.verdict == Verdict::Pending => {
                    complete = false;
                    r.reasons.push(format!(
                        "要点{} 自评 {} 分，但数据待核实（{}），暂不计分",
                        p.id,
                        fmt_num(ps.score),
                        check.summary
                    ));
                }
                _ => {}
            }
            total += counted.unwrap_or(0.0);
        } else {
            complete = false;
        }
        r.points.push(PointResult {
            id: p.id.clone(),
            text: p.text.clone(),
            max: p.max,
            score: ps.map(|s| s.score),
            counted,
            reason: ps.and_then(|s| s.reason.clone()),
        });
    }
    r.score = Some(total);
    r.self_score = Some(self_total);
    // B items are scored, not passed one by one: pending until every point counts.
    r.verdict = if complete { Verdict::Met } else { Verdict::Pending };
    let counted = if at_least(total, self_total) {
        String::new()
    } else {
        format!("，计入 {} 分", fmt_num(total))
    };
    r.summary = format!(
        "自评 {} 分{counted}（满分 {} 分）{}",
        fmt_num(self_total),
        fmt_num(ind.max_score.unwrap_or(0.0)),
        if complete { "" } else { "，尚有要点未计分" }
    );
}

/// B total, maximum, and whether the pass mark is reached (`None` while unscored points
/// could still reach it).
pub fn b_result(ws: &Workspace, indicators: &[IndicatorResult]) -> (f64, f64, Option<bool>) {
    let profile = &ws.profile;
    let b: Vec<&IndicatorResult> = indicators.iter().filter(|i| i.kind == IndicatorType::B).collect();
    let b_total: f64 = b.iter().filter_map(|i| i.score).sum();
    let b_max: f64 = b.iter().filter_map(|i| i.max_score).sum();
    // Points still open: unscored, or self-scored while their bound rule is pending.
    let open: f64 = b
        .iter()
        .flat_map(|i| &i.points)
        .filter(|p| p.counted.is_none())
        .filter_map(|p| p.max)
        .sum();
    // 赣教督委字〔2018〕6号: B 类指标总分100分，90分以上为达标; decided as soon as the open
    // points can no longer change the outcome.
    let b_pass = profile.b_pass_mark.filter(|_| !b.is_empty()).and_then(|mark| {
        if at_least(b_total, mark) {
            Some(true)
        } else if !at_least(b_total + open, mark) {
            Some(false)
        } else {
            None
        }
    });

    (b_total, b_max, b_pass)
}
