//! out/index.html: the county's state at a glance, one self-contained page (Tera template).

use serde_json::{Value, json};
use std::path::Path;

use crate::diag::{Diagnostic, Location};
use crate::model::ResourceKey;
use crate::paths;
use crate::render::{templates, tera};
use crate::rules::Assessment;
use crate::rules::Verdict;

pub fn context(a: &Assessment, units: &[Value], outputs: &[String]) -> Value {
    let problems = super::rectification::problems(a);
    let failing: Vec<Value> = a
        .indicators
        .iter()
        .filter(|i| i.verdict != Verdict::Met)
        .map(|i| json!({"id": i.id, "name": i.name, "verdict": i.verdict.label(), "state": match i.verdict { Verdict::NotMet => "bad", _ => "pending" }, "summary": i.summary, "reasons": i.reasons}))
        .collect();
    let cv: Vec<Value> = ResourceKey::ALL
        .iter()
        .map(|k| {
            let cell = |st: &crate::rules::resource::StageResource| match (st.cv[k], st.cv_pass[k]) {
                (Some(c), Some(p)) => json!({"v": crate::rules::fmt_beside(c, 3, st.cv_limit, !p), "ok": p}),
                _ => json!({"v": "—", "ok": true}),
            };
            json!({"label": k.label(), "primary": cell(&a.resource.primary), "junior": cell(&a.resource.junior)})
        })
        .collect();
    let units: Vec<Value> = units
        .iter()
        .map(|u| {
            let ev = u["evidence"].as_array().cloned().unwrap_or_default();
            let done = ev.iter().filter(|e| e["state"] == "已提供").count();
            json!({
                "name": u["unit"], "person": u["person"], "leads": u["leads"].as_array().map(|l| l.len()).unwrap_or(0),
                "evidence_done": done, "evidence_total": ev.len(), "missing": u["missing"], "overdue": u["overdue"],
                "tasks": u["tasks"].as_array().map(|t| t.len()).unwrap_or(0),
            })
        })
        .collect();
    json!({
        "county": a.county.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
        "today": a.county.as_ref().map(|c| c.today.to_string()).unwrap_or_default(),
        "profile": format!("{}（{}）", a.profile.name, a.profile.source),
        "overall": a.overall.verdict.label(),
        "overall_state": match a.overall.verdict { Verdict::Met => "ok", Verdict::NotMet => "bad", Verdict::Pending => "pending" },
        "overall_reasons": a.overall.reasons,
        "b": a.b_pass_mark.filter(|_| a.b_max > 0.0).map(|m| format!("{} / {} 分（{} 分达标）", crate::rules::fmt_num(a.b_total), crate::rules::fmt_num(a.b_max), crate::rules::fmt_num(m))),
        "failing": failing,
        "cv": cv,
        "limits": [format!("{:.2}", a.resource.primary.cv_limit), format!("{:.2}", a.resource.junior.cv_limit)],
        "units": units,
        "evidence": {"listed": a.evidence.listed, "present": a.evidence.present, "missing": a.evidence.missing_files, "boxes": a.evidence.boxes.len()},
        "diagnostics": a.diagnostics.iter().map(|d| json!({"severity": d.severity.label(), "error": d.severity == crate::diag::Severity::Error, "at": d.at, "message": d.message, "hint": d.hint})).collect::<Vec<_>>(),
        "plan": {
            "problems": problems.len(),
            "no_task": problems.iter().filter(|p| p["has_task"] == false).count(),
            "schools": a.gaps.iter().filter(|g| g.verdict != Verdict::Met).map(|g| g.school_code.as_str()).collect::<std::collections::BTreeSet<_>>().len(),
            "transfers": a.transfers.iter().map(|t| u64::from(t.count)).sum::<u64>(),
        },
        "outputs": outputs,
    })
}

const NAME: &str = "index.html";

/// The page's template: the workspace's templates/index.html if present, else the built-in one.
fn template(root: &Path) -> String {
    templates::override_text(root, NAME).unwrap_or_else(|| templates::INDEX_HTML.to_owned())
}

pub fn render(root: &Path, context: Value) -> Result<String, ::tera::Error> {
    tera::render(NAME, &template(root), &::tera::Context::from_value(context)?)
}

/// Whether the template parses (checked with the plan, so `check` reports it too).
pub fn check_template(root: &Path) -> Result<(), ::tera::Error> {
    tera::parse(NAME, &template(root))
}

pub fn template_error(e: &::tera::Error) -> Diagnostic {
    Diagnostic::error(
        "overview-template",
        Location::file(format!("{}/{NAME}", paths::TEMPLATES_DIR)),
        format!("总览页模板有误：{}", tera::describe(e)),
    )
    .with_hint("若修改过 templates/index.html，请检查该处")
}
