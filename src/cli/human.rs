//! The human summary printed by `yingjian check`.

use std::fmt::Write;

use crate::diag::{Severity, render_human};
use crate::model::{IndicatorType, ResourceKey};
use crate::rules::Assessment;
use crate::rules::Verdict;

/// The summary: the county, its resource figures, the verdicts, the conclusion and every
/// diagnostic.
pub fn human(a: &Assessment) -> String {
    let mut o = String::new();
    county(&mut o, a);
    resource(&mut o, a);
    a_indicators(&mut o, a);
    b_indicators(&mut o, a);
    veto_tasks_gaps(&mut o, a);
    conclusion(&mut o, a);
    o
}

/// The county and profile, its schools, students and teachers.
fn county(o: &mut String, a: &Assessment) {
    let county = a
        .county
        .as_ref()
        .map(|c| match c.unread.iter().any(|f| f == "year") {
            true => format!("{}（评估年度未能读取）", c.name),
            false => format!("{} {}年", c.name, c.year),
        })
        .unwrap_or_else(|| "（未能读取县名：content/county.yaml 缺失或有错误）".into());
    let _ = writeln!(o, "{county} · {}（{}）", a.profile.name, a.profile.source);
    let kinds: Vec<String> = a.summary.by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let _ = writeln!(o, "学校 {} 所（{}）", a.summary.schools, kinds.join("、"));
    let _ = writeln!(
        o,
        "小学在校生 {} 人、专任教师 {} 人；初中在校生 {} 人、专任教师 {} 人",
        a.summary.primary.students, a.summary.primary.teachers, a.summary.junior.students, a.summary.junior.teachers
    );
}

/// The coefficients of variation against their limits, the schools counted, the splits.
fn resource(o: &mut String, a: &Assessment) {
    let _ = writeln!(
        o,
        "\n资源配置校际差异系数（按学生数加权；限值 小学 ≤ {:.2}，初中 ≤ {:.2}）",
        a.resource.primary.cv_limit, a.resource.junior.cv_limit
    );
    for key in ResourceKey::ALL {
        let cell = |st: &crate::rules::resource::StageResource| match (st.cv[&key], st.cv_pass[&key]) {
            _ if st.schools.is_empty() => "  —  ".to_owned(),
            (Some(cv), Some(true)) => format!("{cv:.3} ✓"),
            (Some(cv), _) => format!("{} ✗", crate::rules::fmt_beside(cv, 3, st.cv_limit, true)),
            (None, _) => "待核实".to_owned(),
        };
        let _ = writeln!(
            o,
            "  {:<18} 小学 {:<8} 初中 {}",
            key.label(),
            cell(&a.resource.primary),
            cell(&a.resource.junior)
        );
    }
    for st in [&a.resource.primary, &a.resource.junior] {
        if !st.schools.is_empty() {
            let _ = writeln!(
                o,
                "  {}：参与计算 {} 所，{}",
                st.stage.label(),
                st.schools.len(),
                per_school_passes(a, st)
            );
        }
    }
    for s in &a.splits {
        let _ = writeln!(
            o,
            "  注：{} 的{}按{}的生均当量拆分",
            s.school,
            s.columns.join("、"),
            s.how
        );
    }
}

/// The schools meeting the per-school rule, said as the rule says it (教督〔2017〕6号 第六条:
/// 至少6项达标、余项不低于85%): "8 所七项均达标、2 所达到要求（六项达标、余项不低于85%）".
fn per_school_passes(a: &Assessment, st: &crate::rules::resource::StageResource) -> String {
    let all = ResourceKey::ALL.len();
    let passing = st.schools.iter().filter(|s| s.pass == Some(true));
    let full = passing.clone().filter(|s| s.met >= all).count();
    let mut parts = vec![format!("{full} 所七项均达标")];
    // Fewer than seven met and passing: the rule lets the rest stand.
    let mut by_met: Vec<usize> = passing.map(|s| s.met).filter(|m| *m < all).collect();
    by_met.sort_unstable_by(|x, y| y.cmp(x));
    by_met.dedup();
    for m in by_met {
        let n = st.schools.iter().filter(|s| s.pass == Some(true) && s.met == m).count();
        parts.push(format!(
            "{n} 所达到要求（{}项达标、余项不低于{}%）",
            ["零", "一", "两", "三", "四", "五", "六", "七"]
                .get(m)
                .copied()
                .unwrap_or("若干"),
            crate::rules::fmt_num(a.profile.floor_ratio * 100.0)
        ));
    }
    parts.join("、")
}

/// The A verdicts, those not met with their reasons, the notes of those met.
fn a_indicators(o: &mut String, a: &Assessment) {
    let count = |v: Verdict| {
        a.indicators
            .iter()
            .filter(|i| i.verdict == v && i.kind == IndicatorType::A)
            .count()
    };
    let _ = writeln!(
        o,
        "\nA 类指标：达标 {}，未达标 {}，待核实 {}",
        count(Verdict::Met),
        count(Verdict::NotMet),
        count(Verdict::Pending)
    );
    for i in a
        .indicators
        .iter()
        .filter(|i| i.kind == IndicatorType::A && i.verdict != Verdict::Met)
    {
        let _ = writeln!(o, "  [{}] {} {}：{}", i.verdict.label(), i.id, i.name, i.summary);
        for r in i.reasons.iter().take(8) {
            let _ = writeln!(o, "      · {r}");
        }
        if i.reasons.len() > 8 {
            let _ = writeln!(o, "      · ……另有 {} 条", i.reasons.len() - 8);
        }
    }
    for i in a.indicators.iter().filter(|i| i.verdict == Verdict::Met) {
        for r in i.reasons.iter().filter(|r| r.starts_with("注：")) {
            let _ = writeln!(o, "  [提示] {} {}：{}", i.id, i.name, r.trim_start_matches("注："));
        }
    }
}

/// The B total against its pass mark, each B indicator (when the profile scores them).
fn b_indicators(o: &mut String, a: &Assessment) {
    if let Some(mark) = a.b_pass_mark.filter(|_| a.b_max > 0.0) {
        let state = match a.b_pass {
            Some(true) => "达标",
            Some(false) => "未达标",
            None => "待核实",
        };
        let _ = writeln!(
            o,
            "\nB 类指标自评 {} 分 / 满分 {} 分（{} 分以上为达标）：{state}",
            crate::rules::fmt_num(a.b_total),
            crate::rules::fmt_num(a.b_max),
            crate::rules::fmt_num(mark)
        );
        for i in a.indicators.iter().filter(|i| i.kind == IndicatorType::B) {
            let _ = writeln!(o, "  {} {}：{}", i.id, i.name, i.summary);
        }
    }
}

/// The veto items, the tasks' deadlines, the gaps and transfers.
fn veto_tasks_gaps(o: &mut String, a: &Assessment) {
    let present: Vec<&str> = a
        .veto
        .iter()
        .filter(|v| v.present == Some(true))
        .map(|v| v.text.as_str())
        .collect();
    let undeclared = a.veto.iter().filter(|v| v.present.is_none()).count();
    let _ = writeln!(
        o,
        "\n一票否决（{} 项）：{}",
        a.veto.len(),
        if !present.is_empty() {
            format!("存在 {}", present.join("；"))
        } else if undeclared > 0 {
            format!("{undeclared} 项未申报")
        } else {
            "均未出现".into()
        }
    );
    if !a.tasks.is_empty() {
        let overdue = a.tasks.iter().filter(|t| t.overdue).count();
        let soon = a.tasks.iter().filter(|t| t.due_soon).count();
        let _ = writeln!(
            o,
            "倒排工期：共 {} 项任务，逾期 {overdue} 项，7 日内到期 {soon} 项",
            a.tasks.len()
        );
    }
    let short = a.gaps.iter().filter(|g| g.verdict != Verdict::Met).count();
    if short > 0 || !a.cv_remedies.is_empty() {
        let _ = writeln!(
            o,
            "缺口测算：{short} 个学校项目未达到标准；调剂建议 {} 条（教师 {} 人次）；差异系数超限 {} 项（详见 out/缺口测算与调剂建议.xlsx）",
            a.transfers.len(),
            a.transfers.iter().map(|t| u64::from(t.count)).sum::<u64>(),
            a.cv_remedies.len()
        );
    }
}

/// The overall verdict and reasons, the diagnostics and their count.
fn conclusion(o: &mut String, a: &Assessment) {
    let _ = writeln!(o, "\n总体结论：{}", a.overall.verdict.label());
    for r in &a.overall.reasons {
        let _ = writeln!(o, "  · {r}");
    }
    if !a.diagnostics.is_empty() {
        let _ = writeln!(o);
        o.push_str(&render_human(&a.diagnostics));
    }
    let errors = a.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = a.diagnostics.len() - errors;
    let _ = writeln!(
        o,
        "\n数据检查：{errors} 个错误，{warnings} 个警告{}",
        if errors > 0 { "（请先修正错误）" } else { "" }
    );
}
