//! The catalogue's 状态 column and the units' evidence progress (issue 33 point 4), one
//! workspace each under `tests/fixtures/evidence-status/`, with the counts worked out by hand
//! below and a snapshot of what `yingjian check` says.
//!
//! Regenerate the workspaces: `cargo test --test evidence_status -- --ignored regenerate`.
//! Refresh the snapshots: `UPDATE_SNAPSHOTS=1 cargo test --test evidence_status`.

mod support;

use std::path::{Path, PathBuf};
use support::*;
use yingjian::diag::render_human;
use yingjian::model::evidence::columns::{HEADERS, OPTIONAL};
use yingjian::model::returns::{EvidenceRefused, ReturnRecord};

const CASES: &[&str] = &["each-state", "returned-keeps-its-number", "unknown-status-word"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/evidence-status")
}

/// A catalogue row: 指标, 要点, 题名, 文件, 状态, 审核意见, 来源 (the other columns blank).
fn ev(ind: &str, point: &str, title: &str, file: &str, status: &str, review: &str, source: &str) -> Vec<Cell> {
    let text = |v: &str| if v.is_empty() { Cell::Blank } else { s(v) };
    let mut row = vec![Cell::Blank; HEADERS.len() + OPTIONAL.len()];
    row[0] = s(ind);
    row[1] = s(point);
    row[2] = s(title);
    row[7] = text(file);
    row[11] = text(status);
    row[12] = text(review);
    row[13] = text(source);
    row
}

/// A sample evidence PDF of the repository, copied under `evidence/` as `rel`.
fn pdf(root: &Path, sample: &str, rel: &str) {
    let to = root.join("evidence").join(rel);
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("evidence").join(sample), to).unwrap();
}

const UNITS: &str = "units:\n  - name: 住建局\n    leads: [R4, R5, R6, R7, G1]\n";

/// Deadlines against today 2026-11-20: R4 10 days past, R5 in 5 days, R6 2 days past, R7
/// in 7 days; G1 has no task.
const TASKS: &str = "tasks:
  - {task: 校舍测绘, indicators: [R4], unit: 住建局, due: 2026-11-10, status: 进行中}
  - {task: 运动场测绘, indicators: [R5], unit: 住建局, due: 2026-11-25, status: 进行中}
  - {task: 设备台账, indicators: [R6], unit: 住建局, due: 2026-11-18, status: 进行中}
  - {task: 多媒体教室登记, indicators: [R7], unit: 住建局, due: 2026-11-27, status: 进行中}
";

fn build(case: &str, root: &Path) {
    let _ = std::fs::remove_dir_all(root);
    baseline(root);
    let write = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
    let headers: Vec<&str> = HEADERS.iter().chain(&OPTIONAL).copied().collect();
    let catalogue =
        |rows: &[Vec<Cell>]| write_sheet(&root.join("content/evidence.xlsx"), "佐证材料清单", &headers, rows);
    match case {
        "each-state" => {
            write("content/units.yaml", UNITS);
            write("content/tasks.yaml", TASKS);
            pdf(
                root,
                "A5/A5-3-生均体育运动场馆面积差异系数计算表.pdf",
                "R4/R4-1-测绘报告.pdf",
            );
            pdf(root, "A5/A5-1-小学体育运动场馆面积统计表.pdf", "R4/R4-1-竣工验收.pdf");
            pdf(root, "A1/A1-1-小学教师学历情况统计表.pdf", "R5/R5-1-总平面图.pdf");
            pdf(root, "A7/A7-1-小学网络多媒体教室统计表.pdf", "G1/G1-1-布局规划.pdf");
            let from = "住建局(1).xlsx，2026-11-19 合并";
            catalogue(&[
                ev("R4", "1", "校舍面积测绘报告", "R4/R4-1-测绘报告.pdf", "", "", ""),
                ev(
                    "R4",
                    "1",
                    "校舍竣工验收资料",
                    "R4/R4-1-竣工验收.pdf",
                    "已提交",
                    "",
                    from,
                ),
                ev("R5", "1", "校园总平面图", "R5/R5-1-总平面图.pdf", "已提交", "", from),
                // Its file was never copied: no "file missing" for an item sent back.
                ev(
                    "R6",
                    "1",
                    "教学仪器设备资产台账",
                    "R6/R6-1-资产台账.pdf",
                    "退回",
                    "缺少盖章页",
                    from,
                ),
                ev("R7", "1", "多媒体设备采购资料", "", "待提交", "", ""),
                ev("G1", "1", "学校布局专项规划", "G1/G1-1-布局规划.pdf", "退回", "", from),
            ]);
            // A refusal of 住建局's return still standing: R5 point 1's 运动场照片.
            let record = ReturnRecord {
                refused: vec![EvidenceRefused {
                    round: 1,
                    date: "2026-11-19".into(),
                    file: "住建局(1).xlsx".into(),
                    unit: "住建局".into(),
                    at: "住建局(1).xlsx 佐证材料!A8".into(),
                    indicator: "R5".into(),
                    point: "1".into(),
                    title: "运动场照片".into(),
                    file_name: Some("照片.jpg".into()),
                    reasons: vec!["文件无法打开".into()],
                }],
                ..ReturnRecord::default()
            };
            write(
                "content/.填报记录.json",
                &serde_json::to_string_pretty(&record).unwrap(),
            );
        }
        "returned-keeps-its-number" => {
            for (sample, name) in [
                ("A5/A5-3-生均体育运动场馆面积差异系数计算表.pdf", "甲"),
                ("A5/A5-1-小学体育运动场馆面积统计表.pdf", "乙"),
                ("A1/A1-1-小学教师学历情况统计表.pdf", "丙"),
                ("A7/A7-1-小学网络多媒体教室统计表.pdf", "丁"),
            ] {
                pdf(root, sample, &format!("R4/R4-1-{name}.pdf"));
            }
            // The last build numbered 甲 1, 乙 2, 丙 3.
            write(
                "content/evidence.lock",
                "{\"items\": {\"file:R4/R4-1-甲.pdf\": 1, \"file:R4/R4-1-乙.pdf\": 2, \"file:R4/R4-1-丙.pdf\": 3}, \"next\": {\"R4|1\": 4}, \"profile\": \"national-2017\"}\n",
            );
            catalogue(&[
                ev("R4", "1", "甲", "R4/R4-1-甲.pdf", "", "", ""),
                ev("R4", "1", "乙", "R4/R4-1-乙.pdf", "退回", "页数与文件不符", ""),
                ev("R4", "1", "丙", "R4/R4-1-丙.pdf", "已审核", "", ""),
                ev("R4", "1", "丁", "R4/R4-1-丁.pdf", "", "", ""),
                ev("R4", "1", "戊", "", "待提交", "", ""),
            ]);
        }
        "unknown-status-word" => catalogue(&[
            ev("R4", "1", "甲", "", "通过", "", ""),
            ev("R4", "1", "乙", "", "已审批", "", ""),
            ev("R4", "1", "丙", "", "随便", "", ""),
        ]),
        other => panic!("no builder for {other}"),
    }
    // An empty folder is not committed: leave none.
    let _ = std::fs::remove_dir(root.join("evidence"));
}

#[test]
#[ignore = "writes tests/fixtures/evidence-status; run after changing the cases"]
fn regenerate() {
    for case in CASES {
        build(case, &fixtures().join(case));
    }
}

#[test]
fn fixtures_are_what_their_builders_write() {
    fixtures_match_builders(&fixtures(), CASES, build);
}

#[test]
fn every_case_says_what_it_said() {
    let mut failures = vec![];
    for case in CASES {
        let a = yingjian::check(&fixtures().join(case));
        compare_snapshot(
            &fixtures().join(case),
            case,
            &render_human(&a.diagnostics),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn codes_at(a: &yingjian::Assessment, code: &str) -> Vec<String> {
    a.diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.at.clone())
        .collect()
}

#[test]
fn each_state_counts_as_the_issue_says() {
    let root = fixtures().join("each-state");
    let a = yingjian::check(&root);
    assert!(!a.has_errors(), "{}", render_human(&a.diagnostics));
    let ev = &a.evidence;
    // 6 rows; provided: R4's two and R5's one (已提交 counts) = 3; R6 and G1 (退回) and R7
    // (待提交) are not evidence: no file missing although R6's file is absent.
    assert_eq!((ev.listed, ev.present, ev.missing_files, ev.paper_only), (6, 3, 0, 0));
    assert!(codes_at(&a, "evidence-file-missing").is_empty());
    assert!(codes_at(&a, "evidence-pages-unknown").is_empty());
    // G1's file is listed (by a returned row): not "unlisted".
    assert!(codes_at(&a, "evidence-unlisted").is_empty());
    // Only R4 (1 + 2 pages) and R5 (2 pages) are boxed.
    let boxes: Vec<(&str, usize, u32)> = ev
        .boxes
        .iter()
        .map(|b| (b.id.as_str(), b.items.len(), b.sheets))
        .collect();
    assert_eq!(boxes, [("R4", 2, 3), ("R5", 1, 2)]);
    for point in ["R6-1", "R7-1", "G1-1"] {
        assert!(ev.points_without_evidence.iter().any(|p| p == point), "{point}");
    }
    for point in ["R4-1", "R5-1"] {
        assert!(!ev.points_without_evidence.iter().any(|p| p == point), "{point}");
    }
    // 退回 without a reason: a warning at G1's 审核意见 cell (column M, row 7).
    assert_eq!(
        codes_at(&a, "returned-without-reason"),
        ["content/evidence.xlsx 佐证材料清单!M7"]
    );
}

#[test]
fn the_units_progress_counts_its_points() {
    let root = fixtures().join("each-state");
    let (ws, _) = yingjian::load::load(&root);
    let (a, _) = yingjian::rules::assess(&ws);
    let unit = ws.units.iter().find(|u| u.name == "住建局").unwrap();
    let list = yingjian::render::data::task_list::task_list(&ws, &a, unit);
    let rows: Vec<(String, usize, usize, usize, &str, Option<&str>, &str)> = list
        .evidence
        .iter()
        .map(|e| {
            let p = &e.progress;
            (
                format!("{}-{}", e.indicator, e.point),
                p.accepted,
                p.submitted,
                p.returned,
                p.state,
                p.due.as_deref(),
                p.flag,
            )
        })
        .collect();
    // R4: one own item, one sent — accepted, not owed, so no flag though 10 days past.
    // R5: one sent (待审核) and the record's refusal; not owed: no flag in 5 days.
    // R6: sent back, 2 days past: 已逾期. R7: only planned: 缺, 7 days left: 7日内到期.
    // G1: sent back without a reason, no task naming G1: no deadline.
    let want: Vec<(String, usize, usize, usize, &str, Option<&str>, &str)> = vec![
        ("R4-1".into(), 1, 1, 0, "已提供", Some("2026-11-10"), ""),
        ("R5-1".into(), 0, 1, 1, "待审核", Some("2026-11-25"), ""),
        ("R6-1".into(), 0, 0, 1, "退回", Some("2026-11-18"), "已逾期"),
        ("R7-1".into(), 0, 0, 0, "缺", Some("2026-11-27"), "7日内到期"),
        ("G1-1".into(), 0, 0, 1, "退回", None, ""),
    ];
    assert_eq!(rows, want);
    let reasons: Vec<&[String]> = list.evidence.iter().map(|e| e.progress.reasons.as_slice()).collect();
    assert_eq!(reasons[1], ["运动场照片（文件无法打开）"]);
    assert_eq!(reasons[2], ["教学仪器设备资产台账（缺少盖章页）"]);
    assert_eq!(reasons[4], ["学校布局专项规划（未写审核意见）"]);
    // 5 points: R4 accepted; R5 awaiting review; R6 and G1 returned; R7 owed.
    assert_eq!(
        list.progress.line,
        "佐证材料：应交 5 个要点，已审核 1，已提交待审核 1，退回 2，尚缺 1；7日内到期 1，已逾期 1"
    );
}

#[test]
fn a_returned_item_keeps_its_number_and_leaves_its_box() {
    let a = yingjian::check(&fixtures().join("returned-keeps-its-number"));
    assert!(!a.has_errors(), "{}", render_human(&a.diagnostics));
    let numbers: Vec<(&str, &str, &str)> = a
        .evidence
        .items
        .iter()
        .map(|i| (i.title.as_str(), i.number.as_str(), i.status))
        .collect();
    // 甲 and 丙 keep 1 and 3; 乙 (退回) keeps 2 though out of the box; 丁 is new and takes
    // the next free number 4, not 乙's 2; 戊 (待提交) takes none.
    assert_eq!(
        numbers,
        [
            ("甲", "R4-1-01", "已提供"),
            ("乙", "R4-1-02", "退回"),
            ("丙", "R4-1-03", "已提供"),
            ("丁", "R4-1-04", "已提供"),
            ("戊", "", "待提交"),
        ]
    );
    let b = &a.evidence.boxes[0];
    let boxed: Vec<&str> = b.items.iter().map(|&i| a.evidence.items[i].title.as_str()).collect();
    assert_eq!(boxed, ["甲", "丙", "丁"]);
    // The lock the build will write still holds 乙's 2, and nothing for 戊; next stays 5.
    let lock = &a.evidence.lock;
    assert_eq!(lock.items.get("file:R4/R4-1-乙.pdf"), Some(&2));
    assert!(!lock.items.keys().any(|k| k.contains("戊")));
    assert_eq!(lock.next.get("R4|1"), Some(&5));
}

#[test]
fn an_unknown_status_word_is_an_error_that_names_the_four() {
    let a = yingjian::check(&fixtures().join("unknown-status-word"));
    let found: Vec<(&str, &str, &str)> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "bad-evidence-status")
        .map(|d| (d.at.as_str(), d.message.as_str(), d.hint.as_deref().unwrap_or("")))
        .collect();
    let four = "状态只能填 待提交、已提交、已审核、退回（留空表示材料组自行登记的材料，按已审核计）";
    assert_eq!(
        found,
        [
            (
                "content/evidence.xlsx 佐证材料清单!L2",
                "状态“通过”无法识别",
                &*format!("{four}；若“通过”是指“已审核”，请改为“已审核”")
            ),
            (
                "content/evidence.xlsx 佐证材料清单!L3",
                "状态“已审批”无法识别",
                &*format!("{four}；若“已审批”是指“已审核”，请改为“已审核”")
            ),
            ("content/evidence.xlsx 佐证材料清单!L4", "状态“随便”无法识别", four),
        ]
    );
}

#[test]
fn the_blank_catalogue_has_the_review_columns_after_remarks() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("新县");
    yingjian::init::create(&ws, "national-2017", 2026, "2026-11-22").unwrap();
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(ws.join("content/evidence.xlsx")).unwrap();
    let range = book.worksheet_range("佐证材料清单").unwrap();
    let headers: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    // The 11 columns as before, then 状态, 审核意见, 来源.
    let want: Vec<&str> = HEADERS.iter().chain(&OPTIONAL).copied().collect();
    assert_eq!(headers, want);
    assert_eq!(&headers[10..], ["备注", "状态", "审核意见", "来源"]);
    assert!(!yingjian::check(&ws).has_errors());
}

#[test]
fn the_workbook_and_the_overview_show_the_same_counts() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&fixtures().join("each-state"), root);
    let built = yingjian::build(root).unwrap();
    assert!(!built.assessment.has_errors());
    // 佐证进度: 住建局, 5 points; accepted 1, submitted 1, returned 2, owed 1; due soon 1, overdue 1.
    let rows = read_sheet(&root.join("out/任务清单.xlsx"), "佐证进度");
    let row = rows
        .iter()
        .find(|r| matches!(&r[0], Cell::S(s) if s == "住建局"))
        .unwrap();
    let counts: Vec<f64> = row[1..]
        .iter()
        .map(|c| match c {
            Cell::N(v) => *v,
            other => panic!("not a number: {other:?}"),
        })
        .collect();
    assert_eq!(counts, [5.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0]);
    // The same figures in the units table of index.html, in the same order.
    let html = std::fs::read_to_string(root.join("out/index.html")).unwrap();
    let at = html.find("<tr><td>住建局</td>").expect("住建局's row");
    let row = &html[at..at + html[at..].find("</tr>").unwrap()];
    let cells: Vec<&str> = row
        .split("</td>")
        .filter_map(|c| c.rsplit('>').next())
        .filter(|c| !c.is_empty())
        .collect();
    // 单位 (no 责任人: an empty cell), 牵头指标 5, then 应交 5 / 已审核 1 / 已提交 1 / 退回 2 /
    // 尚缺 1 / 7日内到期 1 / 已逾期 1, then its 4 tasks, of which R4's (11-10) and R6's (11-18),
    // still 进行中, are past today 11-20: 2 overdue.
    assert_eq!(cells, ["住建局", "5", "5", "1", "1", "2", "1", "1", "1", "4", "2"]);
}
