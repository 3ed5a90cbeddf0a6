//! The data each document's template draws: plain JSON values made from the assessment
//! and the workspace. User text stays a string value; nothing here becomes markup.

pub mod boxes;
pub mod compilation;
pub mod evidence_progress;
pub mod form;
pub mod overview;
pub mod problem_text;
pub mod rectification;
pub mod report;
pub mod school_form;
pub mod scoring;
pub mod task_list;

use crate::model::{Verdict, Workspace};

pub fn county(ws: &Workspace) -> String {
    ws.config
        .as_ref()
        .map(|c| c.county.clone())
        .unwrap_or_else(|| "本县".into())
}

pub fn state(v: Verdict) -> &'static str {
    match v {
        Verdict::Met => "met",
        Verdict::NotMet => "not_met",
        Verdict::Pending => "pending",
    }
}

/// A veto item as declared: 存在, 无 or 未申报.
pub fn veto_state(present: Option<bool>) -> &'static str {
    match present {
        Some(true) => "存在",
        Some(false) => "无",
        None => "未申报",
    }
}

/// `2026年11月20日`, as forms are dated.
pub fn cn_date(ws: &Workspace) -> String {
    ws.config
        .as_ref()
        .map(|c| format!("{}年{}月{}日", c.today.year, c.today.month, c.today.day))
        .unwrap_or_default()
}

/// A file name safe on every system, kept readable.
pub fn file_name(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.');
    let short: String = trimmed.chars().take(60).collect();
    if short.is_empty() { "_".into() } else { short }
}
