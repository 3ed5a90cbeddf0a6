//! A unit's evidence progress (issue 33 point 4: "index.html and 任务清单 show, per unit, items
//! owed / submitted / accepted / returned, and what is due within 7 days or overdue"): one
//! count per assessment point, and the unit's sum of them, which both outputs show.

use serde::Serialize;

use crate::model::evidence::Status;
use crate::model::returns::EvidenceRefused;
use crate::model::{Date, EvidenceItem};
use crate::rules::evidence::ItemState;

/// One assessment point's evidence as the catalogue, the files and the record have it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PointProgress {
    /// Accepted items (状态 blank or 已审核) whose file is there, or that name no file.
    pub accepted: usize,
    /// Items a unit sent that await review (已提交), file there.
    pub submitted: usize,
    /// Accepted and submitted together (read by task-list templates written before issue 33).
    pub provided: usize,
    /// Catalogue rows 退回 and the unit's refusals still standing in the record.
    pub returned: usize,
    /// Why each was sent back: "题名（审核意见）".
    pub reasons: Vec<String>,
    /// Titles of accepted or submitted items whose file is absent.
    pub absent: Vec<String>,
    /// 已提供, 部分缺失, 待审核, 退回 or 缺.
    pub state: &'static str,
    pub due: Option<String>,
    /// 已逾期, 7日内到期 or nothing: only while the point is still owed (退回 or 缺).
    pub flag: &'static str,
}

/// The catalogue items of one point (with what reconciling made of them), the refusals of
/// the unit for it, its deadline (`model::team::evidence_due`) and the workspace's today.
pub fn point(
    items: &[(&EvidenceItem, &ItemState)],
    refused: &[&EvidenceRefused],
    due: Option<Date>,
    today: Option<Date>,
) -> PointProgress {
    let mut p = PointProgress::default();
    for (e, s) in items {
        match (e.status, s.status) {
            (Some(Status::Pending), _) => {}
            (Some(Status::Returned), _) => {
                p.returned += 1;
                p.reasons.push(format!(
                    "{}（{}）",
                    e.title,
                    e.review.as_deref().unwrap_or("未写审核意见")
                ));
            }
            (_, "文件缺失") => p.absent.push(e.title.clone()),
            (Some(Status::Submitted), _) => p.submitted += 1,
            _ => p.accepted += 1,
        }
    }
    for r in refused {
        p.returned += 1;
        p.reasons.push(format!("{}（{}）", r.title, r.reasons.join("；")));
    }
    p.provided = p.accepted + p.submitted;
    p.state = match (p.accepted, p.submitted, p.returned) {
        (a, _, _) if a > 0 && !p.absent.is_empty() => "部分缺失",
        (a, _, _) if a > 0 => "已提供",
        (_, s, _) if s > 0 => "待审核",
        (_, _, r) if r > 0 => "退回",
        _ => "缺",
    };
    let owed = matches!(p.state, "退回" | "缺");
    // As for tasks (rules::tasks): past the deadline overdue, 0–7 days left due soon.
    let left = due.zip(today).map(|(d, t)| d.days() - t.days());
    p.flag = match left {
        Some(l) if owed && l < 0 => "已逾期",
        Some(l) if owed && l <= 7 => "7日内到期",
        _ => "",
    };
    p.due = due.map(|d| d.to_string());
    p
}

/// A unit's points counted by state: each point once.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Progress {
    pub points: usize,
    /// 已提供 or 部分缺失.
    pub accepted: usize,
    /// 待审核: sent, nothing accepted yet.
    pub submitted: usize,
    pub returned: usize,
    /// 缺.
    pub owed: usize,
    pub due_soon: usize,
    pub overdue: usize,
    /// "佐证材料：应交 12 个要点，已审核 7，已提交待审核 2，退回 1，尚缺 2；7日内到期 1，已逾期 1".
    pub line: String,
}

pub fn summary<'a>(points: impl IntoIterator<Item = &'a PointProgress>) -> Progress {
    let mut s = Progress::default();
    for p in points {
        s.points += 1;
        match p.state {
            "已提供" | "部分缺失" => s.accepted += 1,
            "待审核" => s.submitted += 1,
            "退回" => s.returned += 1,
            _ => s.owed += 1,
        }
        match p.flag {
            "已逾期" => s.overdue += 1,
            "7日内到期" => s.due_soon += 1,
            _ => {}
        }
    }
    s.line = format!(
        "佐证材料：应交 {} 个要点，已审核 {}，已提交待审核 {}，退回 {}，尚缺 {}；7日内到期 {}，已逾期 {}",
        s.points, s.accepted, s.submitted, s.returned, s.owed, s.due_soon, s.overdue
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Location;

    fn item(title: &str, status: Option<Status>, review: Option<&str>) -> EvidenceItem {
        EvidenceItem {
            row: 0,
            indicator: "R4".into(),
            point: "1".into(),
            catalogue: None,
            title: title.into(),
            author: None,
            doc_no: None,
            date: None,
            pages: None,
            file: None,
            unit: None,
            secrecy: None,
            note: None,
            status,
            review: review.map(str::to_owned),
            source: None,
            at_file: Location::Workspace,
            at_pages: Location::Workspace,
        }
    }

    fn state(status: &'static str, review: Option<Status>) -> ItemState {
        ItemState {
            index: 0,
            number: String::new(),
            indicator: "R4".into(),
            point: "1".into(),
            seq: 0,
            title: String::new(),
            file: None,
            status,
            review,
            pages: None,
            box_id: String::new(),
            catalogue_number: None,
        }
    }

    fn date(s: &str) -> Option<Date> {
        Date::parse(s)
    }

    #[test]
    fn a_point_is_counted_by_what_its_items_are() {
        let today = date("2026-11-20");
        let planned = item("计划", Some(Status::Pending), None);
        let back = item("图纸", Some(Status::Returned), Some("缺少盖章页"));
        let sent = item("验收报告", Some(Status::Submitted), None);
        let own = item("统计表", None, None);
        let (s_planned, s_back) = (
            state("待提交", Some(Status::Pending)),
            state("退回", Some(Status::Returned)),
        );
        let (s_sent, s_own) = (state("已提供", Some(Status::Submitted)), state("已提供", None));
        // Only planned and returned: owed, with one reason; due 11-18 is 2 days past.
        let p = point(
            &[(&planned, &s_planned), (&back, &s_back)],
            &[],
            date("2026-11-18"),
            today,
        );
        assert_eq!((p.accepted, p.submitted, p.returned), (0, 0, 1));
        assert_eq!((p.state, p.flag), ("退回", "已逾期"));
        assert_eq!(p.reasons, ["图纸（缺少盖章页）"]);
        // A submitted item makes it 待审核, no longer owed: no flag though due in 5 days.
        let p = point(&[(&back, &s_back), (&sent, &s_sent)], &[], date("2026-11-25"), today);
        assert_eq!((p.state, p.flag, p.submitted), ("待审核", "", 1));
        // Nothing at all, due in 7 days (11-27 − 11-20): 缺, 7日内到期; in 8 days: no flag.
        let p = point(&[(&planned, &s_planned)], &[], date("2026-11-27"), today);
        assert_eq!((p.state, p.flag), ("缺", "7日内到期"));
        assert_eq!(point(&[], &[], date("2026-11-28"), today).flag, "");
        // An accepted item beside a missing file: 部分缺失.
        let gone = state("文件缺失", None);
        let p = point(&[(&own, &s_own), (&own, &gone)], &[], None, today);
        assert_eq!((p.accepted, p.state, p.absent.len()), (1, "部分缺失", 1));
        // A refusal standing in the record counts as returned, its reasons joined.
        let r = EvidenceRefused {
            title: "运动场照片".into(),
            reasons: vec!["文件打不开".into(), "日期不存在".into()],
            ..EvidenceRefused::default()
        };
        let p = point(&[], &[&r], None, today);
        assert_eq!((p.state, p.returned), ("退回", 1));
        assert_eq!(p.reasons, ["运动场照片（文件打不开；日期不存在）"]);
    }

    #[test]
    fn the_units_line_counts_each_point_once() {
        let p = |state, flag| PointProgress {
            state,
            flag,
            ..PointProgress::default()
        };
        // 2 accepted (one partly missing) + 1 awaiting review + 1 returned + 2 owed = 6 points.
        let points = [
            p("已提供", ""),
            p("部分缺失", ""),
            p("待审核", ""),
            p("退回", "已逾期"),
            p("缺", "7日内到期"),
            p("缺", ""),
        ];
        let s = summary(&points);
        assert_eq!(
            s.line,
            "佐证材料：应交 6 个要点，已审核 2，已提交待审核 1，退回 1，尚缺 2；7日内到期 1，已逾期 1"
        );
    }
}
