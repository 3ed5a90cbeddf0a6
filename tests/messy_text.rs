//! Text as people really type it (issue 29, points 6, 9 and 11): YAML with a Chinese input
//! method switched on, 是/否 for booleans, several slips in one run, catalogue names that miss
//! a file by letter case or bracket width, a misspelt template variable. One workspace per
//! mistake under `tests/fixtures/messy/`, each with a snapshot of what `yingjian check` says.
//!
//! Regenerate the workspaces: `cargo test --test messy_text -- --ignored regenerate`.
//! Refresh the snapshots after a deliberate wording change: `UPDATE_SNAPSHOTS=1 cargo test --test messy_text`.

mod support;

use std::path::{Path, PathBuf};
use support::*;
use yingjian::diag::{Diagnostic, Severity, render_human};
use yingjian::model::Verdict;

const CASES: &[&str] = &[
    "county-yaml-percent-sign",
    "county-yaml-fullwidth-colon",
    "county-yaml-required-fields-wrong",
    "impossible-dates",
    "yes-no-boolean",
    "several-yaml-errors-in-one-run",
    "jpg-case-near-miss",
    "unknown-template-variable",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/messy")
}

fn build(case: &str, root: &Path) {
    let _ = std::fs::remove_dir_all(root);
    baseline(root);
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap()
    };
    match case {
        // Line 7: the rate with its percent sign, as it is printed in reports.
        "county-yaml-percent-sign" => write(
            "content/county.yaml",
            &format!("{CONFIG}enrolment:\n  junior_retention: 95%\n  disabled_enrolment: 98\n"),
        ),
        // Line 3: a full-width colon; line 6 is fine and must not be blamed.
        "county-yaml-fullwidth-colon" => write(
            "content/county.yaml",
            "county: 测试县\nyear: 2026\nlevel：市检\nprofile: national-2017\ntoday: 2026-11-20\nrecognition: 90\n",
        ),
        // No county line; year, level and today each mistyped (lines 1, 2, 4); lines 5–7 fine.
        "county-yaml-required-fields-wrong" => {
            write(
                "content/county.yaml",
                "year: 二〇二六\nlevel: 省级\nprofile: national-2017\ntoday: 下周一\nrecognition: 90\nenrolment:\n  disabled_enrolment: 98\n",
            );
            write(
                "content/tasks.yaml",
                "tasks:\n  - task: 运动场扩建\n    unit: 住建局\n    due: 2026-01-02\n    status: 未开始\n",
            );
        }
        // 2026-11-31 in the 3rd task (line 12), month 13 in the 4th (line 16); 1st, 2nd fine.
        "impossible-dates" => {
            let task =
                |name: &str, dates: &str| format!("  - task: {name}\n    unit: 教育局\n{dates}    status: 未开始\n");
            let text = [
                "tasks:\n".to_owned(),
                task("甲", "    due: 2026-12-20\n"),
                task("乙", "    due: 2026-12-21\n"),
                task("丙", "    due: 2026-11-31\n"),
                task("丁", "    start: 2026-13-01\n    due: 2026-12-22\n"),
            ]
            .concat();
            write("content/tasks.yaml", &text);
        }
        "yes-no-boolean" => write(
            "content/county.yaml",
            &format!("{CONFIG}absent:\n  small_schools: 是\noptions: {{split_combined_facilities: 否}}\n"),
        ),
        "several-yaml-errors-in-one-run" => {
            write(
                "content/county.yaml",
                &format!(
                    "{CONFIG}recogniton: 90\nenrolment:\n  junior_retention: 96.5\n  zoned_primary: 52,000\nteachers:\n  training_360_rate: 98\n"
                ),
            );
            write(
                "content/tasks.yaml",
                "tasks:\n  - task: 运动场扩建\n    unit: 住建局\n    due: 2026-12-31\n    status：未开始\n  - task: 教师招聘\n    unit: 人社局\n    due: 2026-12-31\n    status: 未开使\n",
            );
            write(
                "content/scores.yaml",
                "G1:\n  status: 已达标\nG10:\n  status: 达标\n  reason: 编制已核定\n",
            );
        }
        "jpg-case-near-miss" => {
            let headers = yingjian::model::evidence::columns::HEADERS;
            let row = |ind: &str, title: &str, file: &str| {
                let mut r = vec![
                    s(ind),
                    s("1"),
                    s(title),
                    s("测试县教育局"),
                    Cell::Blank,
                    s("20261103"),
                    Cell::Blank,
                ];
                r.push(s(file));
                r
            };
            write_sheet(
                &root.join("content/evidence.xlsx"),
                "佐证材料清单",
                &headers,
                &[
                    row("R1", "教师学历统计照片", "R1/扫描件.JPG"),
                    row("G1", "学校布局规划图", "G1/规划图（2026）.png"),
                ],
            );
            std::fs::create_dir_all(root.join("evidence/R1")).unwrap();
            std::fs::create_dir_all(root.join("evidence/G1")).unwrap();
            std::fs::write(root.join("evidence/R1/扫描件.jpg"), b"\xFF\xD8\xFF\xE0 jpeg").unwrap();
            std::fs::write(root.join("evidence/G1/规划图(2026).png"), b"\x89PNG\r\n\x1a\n png").unwrap();
        }
        // Line 2, column 5: `student` for `students`.
        "unknown-template-variable" => write(
            "content/report/基本情况.md",
            "全县义务教育学校情况如下。\n小学 {{ resource.primary.student }} 人。\n",
        ),
        other => panic!("no builder for {other}"),
    }
}

#[test]
#[ignore = "writes tests/fixtures/messy; run after changing the cases"]
fn regenerate() {
    for case in CASES {
        build(case, &fixtures().join(case));
    }
}

#[test]
fn fixtures_are_what_the_builders_write() {
    fixtures_match_builders(&fixtures(), CASES, build);
}

fn check(case: &str) -> yingjian::rules::assessment::Assessment {
    let root = fixtures().join(case);
    assert!(
        root.is_dir(),
        "missing fixture {case}: run the ignored `regenerate` test"
    );
    yingjian::check(&root)
}

#[track_caller]
fn find<'a>(a: &'a yingjian::rules::assessment::Assessment, code: &str, at: &str) -> &'a Diagnostic {
    a.diagnostics
        .iter()
        .find(|d| d.code == code && d.at == at)
        .unwrap_or_else(|| panic!("no {code} at {at}; got:\n{}", render_human(&a.diagnostics)))
}

fn verdict(a: &yingjian::rules::assessment::Assessment, id: &str) -> Verdict {
    a.indicators
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no {id}"))
        .verdict
}

/// No word of a library's English in what the user reads.
#[track_caller]
fn all_chinese(a: &yingjian::rules::assessment::Assessment) {
    for d in &a.diagnostics {
        let text = format!("{} {}", d.message, d.hint.as_deref().unwrap_or(""));
        for word in [
            "invalid", "expected", "unknown", "missing", "field", "variant", "found", "Variable", "line",
        ] {
            assert!(!text.contains(word), "{}: English “{word}” in: {text}", d.code);
        }
        assert!(d.hint.is_some(), "{} has no hint", d.code);
    }
}

#[test]
fn snapshots() {
    let mut failures = vec![];
    for case in CASES {
        let a = check(case);
        all_chinese(&a);
        compare_snapshot(
            &fixtures().join(case),
            case,
            &render_human(&a.diagnostics),
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_percent_sign_is_one_error_and_the_rest_of_the_file_is_kept() {
    let a = check("county-yaml-percent-sign");
    // `  junior_retention: 95%`: the value starts at column 21 of line 7.
    let d = find(&a, "yaml-bad-value", "content/county.yaml:7:21");
    assert!(
        d.message.contains("enrolment.junior_retention") && d.message.contains("“95%”"),
        "{}",
        d.message
    );
    assert!(d.hint.as_deref().unwrap().contains("写 95"), "{:?}", d.hint);
    let errors = a.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    assert_eq!(errors, 1, "{}", render_human(&a.diagnostics));
    // The county and its other figures are read: not （未配置县名）, not "missing county.yaml".
    assert_eq!(a.county.as_ref().map(|c| c.name.as_str()), Some("测试县"));
    // Q2 残疾儿童少年入学率 98 ≥ 95: 达标 from the kept line; Q1 has no value left: 待核实, not a verdict from 95%.
    assert_eq!(verdict(&a, "Q2"), Verdict::Met);
    assert_eq!(verdict(&a, "Q1"), Verdict::Pending);
}

#[test]
fn a_full_width_colon_is_told_at_its_own_line() {
    let a = check("county-yaml-fullwidth-colon");
    // `level：市检`: the colon is the 6th character of line 3.
    let d = find(&a, "yaml-fullwidth", "content/county.yaml:3:6");
    assert!(d.message.contains("全角冒号“：”"), "{}", d.message);
    assert!(d.hint.as_deref().unwrap().contains("level: "), "{:?}", d.hint);
    // Nothing blamed on the next line, and no syntax error: the file is read past the colon.
    assert!(!a.diagnostics.iter().any(|d| d.at.starts_with("content/county.yaml:4")));
    assert!(!a.diagnostics.iter().any(|d| d.code == "yaml-syntax"));
    assert_eq!(a.county.as_ref().map(|c| c.name.as_str()), Some("测试县"));
    // recognition 90 ≥ 85 on line 6 is still read.
    assert_eq!(verdict(&a, "S1"), Verdict::Met);
}

#[test]
fn a_wrong_required_field_keeps_the_rest_of_county_yaml() {
    let a = check("county-yaml-required-fields-wrong");
    all_chinese(&a);
    find(&a, "yaml-missing-field", "content/county.yaml");
    // The values start after `year: ` (column 7), `level: ` (8), `today: ` (8).
    let d = find(&a, "yaml-bad-value", "content/county.yaml:1:7");
    assert!(d.message.contains("二〇二六"), "{}", d.message);
    let d = find(&a, "yaml-bad-value", "content/county.yaml:2:8");
    assert!(d.hint.as_deref().unwrap().contains("省检"), "{:?}", d.hint);
    find(&a, "yaml-bad-value", "content/county.yaml:4:8");
    let errors = a.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    assert_eq!(errors, 4, "{}", render_human(&a.diagnostics));
    // The other lines are read: S1 社会认可度 90 ≥ 85 and Q2 残疾儿童少年入学率 98 ≥ 95 达标.
    assert_eq!(verdict(&a, "S1"), Verdict::Met);
    assert_eq!(verdict(&a, "Q2"), Verdict::Met);
    let c = a.county.as_ref().expect("the county is kept with stand-ins");
    let mut unread = c.unread.clone();
    unread.sort();
    assert_eq!(unread, ["county", "level", "today", "year"]);
    // Nothing is judged by a stand-in: no deadline against an unread today (the task due
    // 2026-01-02 would be "due soon" against the stand-in 2026-01-01), no spending years
    // against an unread year.
    assert!(a.tasks.iter().all(|t| !t.overdue && !t.due_soon));
    assert_eq!(verdict(&a, "G16"), Verdict::Pending);
}

#[test]
fn an_impossible_date_is_told_at_its_task_and_the_other_tasks_are_kept() {
    let a = check("impossible-dates");
    let d = find(&a, "yaml-bad-value", "content/tasks.yaml:12:10");
    assert!(
        d.message.contains("第 3 项的 due") && d.message.contains("11 月只有 30 天"),
        "{}",
        d.message
    );
    // Told in the numbering of the file as written, though the 3rd task was taken out first.
    let d = find(&a, "yaml-bad-value", "content/tasks.yaml:16:12");
    assert!(
        d.message.contains("第 4 项的 start") && d.message.contains("没有 13 月"),
        "{}",
        d.message
    );
    let errors = a.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    assert_eq!(errors, 2, "{}", render_human(&a.diagnostics));
    // 甲 and 乙 are kept (no "missing due" blamed on them); 丙 has no due left and is left out;
    // 丁 is kept without its optional start.
    let names: Vec<&str> = a.tasks.iter().map(|t| t.task.as_str()).collect();
    assert_eq!(names, ["甲", "乙", "丁"]);
    assert!(a.tasks[2].start.is_none());
}

#[test]
fn yes_and_no_are_booleans() {
    let a = check("yes-no-boolean");
    assert!(!a.has_errors(), "{}", render_human(&a.diagnostics));
    // absent.small_schools: 是 → declared: G6 (村小学和教学点公用经费) has no school to apply to
    // and the county declares it has none, so it is 达标 — not 待核实 as without the declaration.
    assert_eq!(verdict(&a, "G6"), Verdict::Met);
    assert!(a.splits.is_empty(), "split_combined_facilities: 否 is false");
}

#[test]
fn several_yaml_errors_are_all_told_in_one_run() {
    let a = check("several-yaml-errors-in-one-run");
    all_chinese(&a);
    // county.yaml lines 6 (unknown field), 9 (thousands separator in a rate).
    let d = find(&a, "yaml-unknown-field", "content/county.yaml:6:1");
    assert!(d.hint.as_deref().unwrap().contains("recognition"), "{:?}", d.hint);
    let d = find(&a, "yaml-bad-value", "content/county.yaml:9:18");
    assert!(d.hint.as_deref().unwrap().contains("写 52000"), "{:?}", d.hint);
    // tasks.yaml: the full-width colon of line 5 (column 11), the misspelt status of line 9.
    find(&a, "yaml-fullwidth", "content/tasks.yaml:5:11");
    let d = find(&a, "yaml-bad-value", "content/tasks.yaml:9:13");
    assert!(d.hint.as_deref().unwrap().contains("未开始"), "{:?}", d.hint);
    // scores.yaml: 已达标 is not one of 达标 / 未达标 / 待核实.
    let d = find(&a, "yaml-bad-value", "content/scores.yaml:2:11");
    assert!(
        d.hint.as_deref().unwrap().contains("达标、未达标、待核实"),
        "{:?}",
        d.hint
    );
    let errors = a.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    assert_eq!(errors, 5, "{}", render_human(&a.diagnostics));
    // The rest is kept: the first task (its colon repaired), G10's declaration, the county's
    // other lines — Q1 巩固率 96.5 ≥ 95 达标, G9 培训 98 read.
    assert_eq!(a.tasks.len(), 1, "the task with the misspelt status is left out");
    assert_eq!(verdict(&a, "G10"), Verdict::Met);
    assert_eq!(verdict(&a, "Q1"), Verdict::Met);
    assert_eq!(verdict(&a, "G1"), Verdict::Pending, "a bad status declares nothing");
}

#[test]
fn a_near_miss_is_one_warning_not_missing_plus_unlisted() {
    let a = check("jpg-case-near-miss");
    let d = find(&a, "evidence-near-miss", "content/evidence.xlsx 佐证材料清单!H2");
    assert!(
        d.message
            .contains("“R1/扫描件.JPG”可能是 evidence/ 中的“R1/扫描件.jpg”"),
        "{}",
        d.message
    );
    let d = find(&a, "evidence-near-miss", "content/evidence.xlsx 佐证材料清单!H3");
    assert!(d.message.contains("“G1/规划图(2026).png”"), "{}", d.message);
    for code in ["evidence-file-missing", "evidence-unlisted"] {
        assert!(
            !a.diagnostics.iter().any(|d| d.code == code),
            "{code}: {}",
            render_human(&a.diagnostics)
        );
    }
}

#[test]
fn an_unknown_template_variable_is_told_at_its_line_with_the_name_meant() {
    let a = check("unknown-template-variable");
    // Line 2: `小学 {{ resource.primary.student }} 人。`; the name starts at column 7.
    let d = find(&a, "report-template", "content/report/基本情况.md:2:7");
    assert!(d.message.contains("“resource.primary.student”"), "{}", d.message);
    assert!(
        d.hint.as_deref().unwrap().contains("“resource.primary.students”"),
        "{:?}",
        d.hint
    );
}

/// Every commented line that is a `key: value` (or a `- key: value` item) loses its `# `.
fn uncomment(text: &str) -> String {
    let mut out = vec![];
    for line in text.split('\n') {
        let indent = line.len() - line.trim_start().len();
        let rest = &line[indent..];
        let body = rest
            .strip_prefix("# ")
            .or_else(|| rest.strip_prefix('#'))
            .filter(|_| rest.starts_with('#'));
        let is_example = body.is_some_and(|b| {
            let b = b.trim_start().trim_start_matches("- ").trim_start_matches(['"', '\'']);
            let key: String = b
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            let after = b[key.len()..].trim_start_matches(['"', '\'']);
            !key.is_empty() && (after.starts_with(": ") || after == ":")
        });
        match body.filter(|_| is_example) {
            Some(b) => out.push(format!("{}{b}", &line[..indent])),
            None => out.push(line.to_owned()),
        }
    }
    out.join("\n")
}

#[test]
fn uncommenting_every_example_of_a_new_workspace_gives_a_clean_check() {
    for profile in ["national-2017", "jiangxi-2018"] {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("ws");
        yingjian::init::create(&root, profile, 2026, "2026-11-22").unwrap();
        let codes = |a: &yingjian::rules::assessment::Assessment| {
            let mut c: Vec<&str> = a.diagnostics.iter().map(|d| d.code).collect();
            c.dedup();
            c.into_iter().map(str::to_owned).collect::<Vec<_>>()
        };
        let fresh = codes(&yingjian::check(&root));
        let mut uncommented = 0;
        for name in ["county.yaml", "scores.yaml", "tasks.yaml", "units.yaml"] {
            let p = root.join("content").join(name);
            let text = std::fs::read_to_string(&p).unwrap();
            let new = uncomment(&text);
            uncommented += text.lines().zip(new.lines()).filter(|(a, b)| a != b).count();
            std::fs::write(&p, new).unwrap();
        }
        assert!(uncommented > 20, "{profile}: only {uncommented} example lines");
        let a = yingjian::check(&root);
        assert!(!a.has_errors(), "{profile}:\n{}", render_human(&a.diagnostics));
        assert_eq!(
            codes(&a),
            fresh,
            "{profile}: new warnings\n{}",
            render_human(&a.diagnostics)
        );
        // The examples are read, not skipped: both tasks and the two veto declarations.
        assert_eq!(a.tasks.len(), 2, "{profile}");
        assert_eq!(
            a.veto.iter().filter(|v| v.present.is_some()).count(),
            2,
            "{profile}: V1 and V2 declared"
        );
    }
}
