//! The built-in sample county (the repository root) and fresh workspaces from `yingjian new`.

mod support;

use std::path::Path;
use std::process::Command;
use support::*;
use yingjian::model::ResourceKey;
use yingjian::rules::Verdict;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn sample_county_checks_clean() {
    let a = yingjian::check(root());
    // No errors; the only warnings are the sample's deliberate evidence gaps:
    // 4 listed files missing, 2 files not listed, 1 file stored twice; and 申报表's 教职工数
    // (the sample's school data has no such column: L21, L23 of 表Ⅰ stay empty).
    assert!(!a.has_errors(), "{}", yingjian::diag::render_human(&a.diagnostics));
    let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code).collect();
    let n = |c: &str| codes.iter().filter(|x| **x == c).count();
    assert_eq!(
        (
            n("evidence-file-missing"),
            n("evidence-unlisted"),
            n("evidence-same-content"),
            n("form-data-missing")
        ),
        (4, 2, 1, 1),
        "{codes:?}"
    );
    assert_eq!(codes.len(), 8, "{}", yingjian::diag::render_human(&a.diagnostics));
    assert_eq!(a.evidence.listed, 160);
    assert_eq!(a.evidence.missing_files, 4);
    assert_eq!(a.profile.id, "jiangxi-2018");
    assert_eq!(a.indicators.len(), 38);
}

#[test]
fn sample_county_shortfalls_are_found() {
    let a = yingjian::check(root());
    let primary = &a.resource.primary;
    // 柳溪村小学: sports area 1496 m² for 220 pupils = 6.8 m² < 7.5 (Jiangxi: every item must be met).
    let liuxi = primary.schools.iter().find(|s| s.name == "柳溪村小学").unwrap();
    assert!((liuxi.values[&ResourceKey::SportsArea].unwrap() - 1496.0 / 220.0).abs() < 1e-12);
    assert_eq!((liuxi.met, liuxi.pass), (6, Some(false)));
    // 青石镇中学: 17 multimedia rooms for 770 pupils = 2.2078 per 100 < 2.4.
    let qs = a
        .resource
        .junior
        .schools
        .iter()
        .find(|s| s.name == "青石镇中学")
        .unwrap();
    assert!((qs.values[&ResourceKey::MultimediaRooms].unwrap() - 17.0 / 770.0 * 100.0).abs() < 1e-12);
    let verdict = |id: &str| a.indicators.iter().find(|i| i.id == id).unwrap().verdict;
    for id in ["A5", "A7", "A11", "A13", "A19", "A20", "A29"] {
        assert_eq!(verdict(id), Verdict::NotMet, "{id}");
    }
    // 示例县第一小学: 2200 pupils, built 2012-09: above 2000 but within 2400 while reducing,
    // which scores.yaml declares (赣教督委字〔2018〕6号 指标12).
    assert_eq!(verdict("A12"), Verdict::Met);
    // A19: 25 backbone of 138 rotated = 18.1% < 20%.
    assert!(a.indicators.iter().find(|i| i.id == "A19").unwrap().reasons[0].contains("18.12%"));
    // B: 100 − (1 + 1 + 0.5 + 1 + 1 + 1) deducted in scores.yaml = 94.5 ≥ 90.
    assert_eq!(a.b_total, 94.5);
    assert_eq!(a.b_pass, Some(true));
    assert_eq!(a.overall.verdict, Verdict::NotMet);
    // Tasks against today = 2026-11-20: due 11-10 and 11-15 open → overdue; 11-25, 11-26, 11-27 → within 7 days.
    assert_eq!(a.tasks.iter().filter(|t| t.overdue).count(), 2);
    assert_eq!(a.tasks.iter().filter(|t| t.due_soon).count(), 3);
}

/// Primary pupils of the sample, summed from the report's own figures.
fn a_students() -> serde_json::Value {
    let a = yingjian::check(root());
    serde_json::json!(
        a.resource
            .primary
            .schools
            .iter()
            .map(|s| s.students as i64)
            .sum::<i64>()
    )
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yingjian"))
}

#[test]
fn exit_codes_and_json() {
    let out = bin()
        .args(["check", "--format", "json"])
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ResourceKey::ALL.map(|k| k.id()) {
        assert!(v["resource"]["primary"]["cv"][key].is_f64(), "{key}");
        assert!(v["resource"]["junior"]["cv_pass"][key].is_boolean(), "{key}");
        assert!(v["resource"]["junior"]["schools"][0]["values"][key].is_f64(), "{key}");
    }
    assert_eq!(
        v["resource"]["primary"]["students"],
        a_students(),
        "students are whole numbers"
    );
    assert_eq!(v["indicators"].as_array().unwrap().len(), 38);
    assert_eq!(v["indicators"][0]["type"], "A");
    assert_eq!(v["overall"]["verdict"], "not_met");
    assert!(
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["severity"] == "warning")
    );

    let bad = root().join("tests/fixtures/invalid/text-in-number-cell");
    let out = bin().args(["check", "-w"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("学校基础数据!G2"), "{text}");

    let out = bin().args(["check", "--format", "xml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = bin().args(["check", "-w", "/nonexistent/yingjian"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn new_workspace_with_only_schools_filled_yields_resource_results() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("新县");
    let out = bin().args(["new", "--today", "2026-11-22"]).arg(&ws).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    for f in [
        "content/county.yaml",
        "content/schools.xlsx",
        "content/evidence.xlsx",
        "content/units.yaml",
        "content/scores.yaml",
        "content/tasks.yaml",
    ] {
        assert!(ws.join(f).is_file(), "{f}");
    }
    // The blank workspace checks without errors.
    let blank = yingjian::check(&ws);
    assert!(
        !blank.has_errors(),
        "{}",
        yingjian::diag::render_human(&blank.diagnostics)
    );
    // With no school rows nothing about schools can be judged: pending, not met.
    for id in ["R1", "G3", "G12"] {
        assert_eq!(
            blank.indicators.iter().find(|i| i.id == id).unwrap().verdict,
            Verdict::Pending,
            "{id}"
        );
    }
    // Refuses to overwrite.
    let again = bin().arg("new").arg(&ws).output().unwrap();
    assert_eq!(again.status.code(), Some(2));

    // The blank sheet's headers are the exact ones.
    use calamine::{Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(ws.join("content/schools.xlsx")).unwrap();
    let range = book.worksheet_range("学校基础数据").unwrap();
    let headers: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(headers, HEADERS);

    // Fill only schools.xlsx: two primaries of 400 pupils, building area 6 and 3 m² per pupil.
    let mut a = row("1", "甲小学", "小学", "小学", 400.0);
    let mut b = row("2", "乙小学", "小学", "小学", 400.0);
    a[14] = Cell::N(2400.0);
    b[14] = Cell::N(1200.0);
    write_schools(&ws, &[a, b]);
    let r = yingjian::check(&ws);
    assert!(!r.has_errors(), "{}", yingjian::diag::render_human(&r.diagnostics));
    // X̄ = (400·6 + 400·3) / 800 = 4.5; S = sqrt((400·2.25 + 400·2.25) / 800) = 1.5; CV = 1.5 / 4.5 = 0.3333.
    let cv = r.resource.primary.cv[&ResourceKey::BuildingArea].unwrap();
    assert!((cv - 1.0 / 3.0).abs() < 1e-12, "{cv}");
    // 乙小学 has 3 m² < 4.5: R4 fails under the national rule only if the school fails overall —
    // 3 / 4.5 = 66.7% < 85%, so it does.
    let r4 = r.indicators.iter().find(|i| i.id == "R4").unwrap();
    assert_eq!(r4.verdict, Verdict::NotMet);
    // R1 is met by both primaries, but with no 初中 rows its junior half cannot be judged:
    // 待核实, never 达标 (issue: no rows is not 达标).
    let r1 = r.indicators.iter().find(|i| i.id == "R1").unwrap();
    assert_eq!(r1.verdict, Verdict::Pending);
    assert!(r1.reasons.iter().any(|x| x == "没有初中学校数据"), "{:?}", r1.reasons);
    // County figures are missing: pending with a warning, never an error.
    assert_eq!(
        r.indicators.iter().find(|i| i.id == "Q1").unwrap().verdict,
        Verdict::Pending
    );
    assert!(r.diagnostics.iter().any(|d| d.code == "data-incomplete"));
}

/// The sample's data, judged, and the report's data made from it.
fn sample_report() -> (yingjian::Assessment, yingjian::render::data::report::Report) {
    let (ws, _) = yingjian::load::load(root());
    let (a, _) = yingjian::rules::assess(&ws);
    let mut diags = yingjian::diag::Diagnostics::default();
    let report = yingjian::render::data::report::data(&ws, &a, &mut diags);
    (a, report)
}

#[test]
fn the_problem_list_has_no_row_built_from_a_declaration() {
    let (a, report) = sample_report();
    let problems = yingjian::render::data::rectification::problems(&a);
    // scores.yaml declares A29 达标 with "县教师培训工作领导小组已成立，2026 年教师培训年度实施计划
    // 已印发": the work done, not a problem. A29 fails on 竹坪村小学 alone: 0.52 万元 of a 13 万元
    // budget = 4% < 5%, 0.05 × 13 − 0.52 = 0.13 万元 to add.
    let account = a.indicators.iter().find(|i| i.id == "A29").unwrap().account.clone();
    assert_eq!(
        account.as_deref(),
        Some("县教师培训工作领导小组已成立，2026 年教师培训年度实施计划已印发")
    );
    let accounts: Vec<&str> = a.indicators.iter().filter_map(|i| i.account.as_deref()).collect();
    for p in &problems {
        assert!(
            !accounts.iter().any(|t| p.item.contains(t)),
            "a declaration as a problem: {}",
            p.item
        );
    }
    let a29: Vec<_> = problems.iter().filter(|p| p.indicator_id == "A29").collect();
    assert_eq!(a29.len(), 1);
    assert_eq!(
        (a29[0].school.as_str(), a29[0].shortfall.as_str()),
        ("竹坪村小学", "须增加 0.13 万元")
    );
    // Six school rows (A5 A7 A11 A13 A20 A29) and one county row (A19: 25 of 138 rotated
    // teachers are backbone = 18.12% < 20%), every one with a task.
    let county: Vec<&str> = problems
        .iter()
        .filter(|p| p.school == "全县")
        .map(|p| p.indicator_id.as_str())
        .collect();
    assert_eq!((problems.len(), county), (7, vec!["A19"]));
    assert!(problems.iter().all(|p| p.answer.has_task));
    // The report's 存在问题 states the failing figure, not the declaration.
    let text = &report
        .problems
        .iter()
        .find(|p| p.title.starts_with("A29 "))
        .unwrap()
        .text;
    assert_eq!(
        text,
        "竹坪村小学教师培训经费占公用经费预算的 4%，低于 5%的标准，按标准测算须增加 0.13 万元"
    );
    let a5 = &report
        .problems
        .iter()
        .find(|p| p.title.starts_with("A5 "))
        .unwrap()
        .text;
    // 1496 m² / 220 = 6.80 m² < 7.5; 7.5 × 220 − 1496 = 154 m².
    assert_eq!(
        a5,
        "柳溪村小学（小学）生均体育运动场馆面积 6.80 平方米，低于 7.5 平方米的标准，按标准测算须增加 154 平方米"
    );
    // Its chapter says the same, not "小学柳溪村小学：6.80 平方米，低于标准 7.5".
    let chapter = report
        .categories
        .iter()
        .flat_map(|c| &c.indicators)
        .find(|i| i.id == "A5")
        .unwrap();
    assert_eq!(&chapter.reasons, &[a5.clone()]);
}

#[test]
fn the_reports_measures_are_the_tasks_the_problem_list_links() {
    let (a, report) = sample_report();
    let problems = yingjian::render::data::rectification::problems(&a);
    // A5: only the task naming 柳溪村小学 and A5; the finished data-entry task names A1–A7
    // but no school, and A5 has no county row it could answer.
    let a5 = &report
        .measures
        .iter()
        .find(|m| m.title.starts_with("A5 "))
        .unwrap()
        .text;
    assert_eq!(
        a5,
        "柳溪村小学运动场扩建（生均体育运动场馆面积达标）（责任单位：住建局，完成时限：2026年11月15日）"
    );
    // Every failing indicator: the report lists exactly the tasks its problem rows show.
    let mut checked = 0;
    for i in a.indicators.iter().filter(|i| i.verdict == Verdict::NotMet) {
        let rows: Vec<_> = problems
            .iter()
            .filter(|p| p.indicator_id.split('、').any(|x| x == i.id))
            .collect();
        let expected: Vec<String> = a
            .tasks
            .iter()
            .filter(|t| rows.iter().any(|p| p.answer.measure.split('；').any(|m| m == t.task)))
            .map(yingjian::render::data::report::measure)
            .collect();
        let shown = &report
            .measures
            .iter()
            .find(|m| m.title.starts_with(&format!("{} ", i.id)))
            .unwrap()
            .text;
        assert!(!expected.is_empty(), "{}", i.id);
        assert_eq!(shown, &expected.join("；"), "{}", i.id);
        checked += 1;
    }
    // A5 A7 A11 A13 A19 A20 A29.
    assert_eq!(checked, 7);
}

#[test]
fn check_says_how_a_school_meets_the_six_of_seven_rule() {
    // 教督〔2017〕6号 第六条: 测试第一小学 with 17 multimedia rooms for 800 pupils has
    // 17 / 800 × 100 = 2.125 per 100 < 2.3, but ≥ 0.85 × 2.3 = 1.955, and its six other items
    // are met: it meets the rule without meeting all seven.
    let dir = tempfile::tempdir().unwrap();
    baseline(dir.path());
    let mut rows = baseline_rows();
    set(&mut rows[0], yingjian::model::school::columns::MULTIMEDIA, n(17.0));
    write_schools(dir.path(), &rows);
    let out = bin().args(["check", "-w"]).arg(dir.path()).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("小学：参与计算 2 所，1 所七项均达标、1 所达到要求（六项达标、余项不低于85%）"),
        "{text}"
    );
    assert!(text.contains("初中：参与计算 2 所，2 所七项均达标"), "{text}");
}
