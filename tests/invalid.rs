//! One broken workspace per diagnostic under `tests/fixtures/invalid/`, each with a snapshot
//! of what `yingjian check` says about it (`expected.txt`).
//!
//! Regenerate the workspaces: `cargo test --test invalid -- --ignored regenerate`.
//! Refresh the snapshots after a deliberate wording change: `UPDATE_SNAPSHOTS=1 cargo test --test invalid`.

mod support;

use std::path::{Path, PathBuf};
use support::*;
use yingjian::diag::render_human;

/// (case, expected code, expected location)
const CASES: &[(&str, &str, &str)] = &[
    (
        "text-in-number-cell",
        "not-a-number",
        "content/schools.xlsx 学校基础数据!G2",
    ),
    (
        "zero-pupils",
        "students-not-positive",
        "content/schools.xlsx 学校基础数据!G3",
    ),
    (
        "negative-area",
        "negative-value",
        "content/schools.xlsx 学校基础数据!O2",
    ),
    (
        "duplicate-school-stage",
        "duplicate-row",
        "content/schools.xlsx 学校基础数据!A6",
    ),
    (
        "unknown-school-kind",
        "unknown-kind",
        "content/schools.xlsx 学校基础数据!C2",
    ),
    (
        "stage-kind-mismatch",
        "stage-kind-mismatch",
        "content/schools.xlsx 学校基础数据!D2",
    ),
    (
        "combined-school-conflict",
        "school-conflict",
        "content/schools.xlsx 学校基础数据!E5",
    ),
    (
        "missing-column",
        "column-missing",
        "content/schools.xlsx 学校基础数据!A1",
    ),
    ("corrupt-xlsx", "xlsx-corrupt", "content/schools.xlsx"),
    ("empty-sheet", "sheet-empty", "content/schools.xlsx"),
    ("wrong-sheet-name", "sheet-missing", "content/schools.xlsx"),
    ("yaml-syntax-error", "yaml-syntax", "content/county.yaml:3:8"),
    ("yaml-duplicate-key", "yaml-syntax", "content/county.yaml:6:1"),
    ("yaml-tab-indent", "yaml-tab", "content/county.yaml:7:1"),
    (
        "unknown-indicator-in-scores",
        "unknown-indicator",
        "content/scores.yaml:2:1",
    ),
    ("score-above-max", "score-above-max", "content/scores.yaml:4:5"),
    (
        "unknown-indicator-in-evidence",
        "unknown-indicator",
        "content/evidence.xlsx 佐证材料清单!A2",
    ),
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid")
}

fn build(case: &str, root: &Path) {
    let _ = std::fs::remove_dir_all(root);
    baseline(root);
    let mut rows = baseline_rows();
    let schools = |rows: &[Vec<Cell>]| write_schools(root, rows);
    let write = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
    let jiangxi = || write("content/county.yaml", &CONFIG.replace("national-2017", "jiangxi-2018"));
    match case {
        "text-in-number-cell" => {
            rows[0][6] = s("约800人");
            schools(&rows);
        }
        "zero-pupils" => {
            rows[1][6] = Cell::N(0.0);
            schools(&rows);
        }
        "negative-area" => {
            rows[0][14] = Cell::N(-5.0);
            schools(&rows);
        }
        "duplicate-school-stage" => {
            rows.push(rows[0].clone());
            schools(&rows);
        }
        "unknown-school-kind" => {
            rows[0][2] = s("职业高中");
            schools(&rows);
        }
        "stage-kind-mismatch" => {
            rows[0][3] = s("初中");
            schools(&rows);
        }
        "combined-school-conflict" => {
            rows[3][4] = s("乡村");
            schools(&rows);
        }
        "missing-column" => {
            let headers: Vec<&str> = HEADERS.iter().copied().filter(|h| *h != "在校生数").collect();
            let rows: Vec<Vec<Cell>> = rows
                .iter()
                .map(|r| {
                    r.iter()
                        .enumerate()
                        .filter(|(i, _)| *i != 6)
                        .map(|(_, c)| c.clone())
                        .collect()
                })
                .collect();
            write_sheet(&root.join("content/schools.xlsx"), "学校基础数据", &headers, &rows);
        }
        "corrupt-xlsx" => write("content/schools.xlsx", "这不是一个 xlsx 文件"),
        "empty-sheet" => write_sheet(&root.join("content/schools.xlsx"), "学校基础数据", &[], &[]),
        "wrong-sheet-name" => write_sheet(&root.join("content/schools.xlsx"), "Sheet1", &HEADERS, &rows),
        "yaml-syntax-error" => write("content/county.yaml", "county: 测试县\nyear: 2026\nlevel: \"市检\n"),
        "yaml-duplicate-key" => write("content/county.yaml", &format!("{CONFIG}year: 2025\n")),
        "yaml-tab-indent" => write(
            "content/county.yaml",
            &format!("{CONFIG}enrolment:\n\tjunior_retention: 97\n"),
        ),
        "unknown-indicator-in-scores" => {
            jiangxi();
            write("content/scores.yaml", "# 测试\nZ99:\n  status: 达标\n");
        }
        "score-above-max" => {
            jiangxi();
            write(
                "content/scores.yaml",
                "B8:\n  points:\n    \"1\": {score: 5}\n    \"2\": {score: 6, reason: 满分是5分}\n",
            );
        }
        "unknown-indicator-in-evidence" => {
            let headers = yingjian::model::evidence::columns::HEADERS;
            let row = |ind: &str| {
                vec![
                    s(ind),
                    s("1"),
                    s("测试文件"),
                    s("测试县教育局"),
                    Cell::Blank,
                    s("20261103"),
                    Cell::N(2.0),
                ]
            };
            write_sheet(
                &root.join("content/evidence.xlsx"),
                "佐证材料清单",
                &headers,
                &[row("X1"), row("R1")],
            );
        }
        other => panic!("no builder for {other}"),
    }
}

#[test]
#[ignore = "writes tests/fixtures/invalid; run after changing the cases"]
fn regenerate() {
    for (case, _, _) in CASES {
        build(case, &fixtures().join(case));
    }
}

#[test]
fn every_case_gives_its_diagnostic_with_location() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = vec![];
    for (case, code, at) in CASES {
        let root = fixtures().join(case);
        assert!(
            root.is_dir(),
            "missing fixture {case}: run the ignored `regenerate` test"
        );
        let a = yingjian::check(&root);
        assert!(a.has_errors(), "{case}: expected an error");
        if !a.diagnostics.iter().any(|d| d.code == *code && d.at == *at) {
            failures.push(format!(
                "{case}: no {code} at {at}; got:\n{}",
                render_human(&a.diagnostics)
            ));
        }
        // Every diagnostic carries a Chinese message and a hint.
        for d in &a.diagnostics {
            assert!(d.hint.is_some(), "{case}: {} has no hint", d.code);
        }
        let text = render_human(&a.diagnostics);
        let snap = root.join("expected.txt");
        if update {
            std::fs::write(&snap, &text).unwrap();
        } else {
            let want = std::fs::read_to_string(&snap).unwrap_or_default();
            if want != text {
                failures.push(format!(
                    "{case}: output differs from expected.txt\n--- expected\n{want}--- got\n{text}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn one_config_typo_gives_one_error() {
    // An unknown field makes the config unreadable; its `profile:` line still selects the
    // Jiangxi profile, so the Jiangxi ids in scores.yaml are not reported as unknown.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    let cfg = CONFIG.replace("national-2017", "jiangxi-2018") + "recogniton: 90\n";
    std::fs::write(root.join("content/county.yaml"), cfg).unwrap();
    std::fs::write(
        root.join("content/scores.yaml"),
        "A10: {status: 达标}\nB8:\n  points:\n    \"1\": {score: 5}\n",
    )
    .unwrap();
    let a = yingjian::check(root);
    let errors: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.severity == yingjian::diag::Severity::Error)
        .collect();
    assert_eq!(errors.len(), 1, "{}", yingjian::diag::render_human(&a.diagnostics));
    assert_eq!(errors[0].at, "content/county.yaml:6:1");
    assert!(errors[0].message.contains("recogniton"));
    assert_eq!(a.profile.id, "jiangxi-2018");
}

#[test]
fn overriding_one_standard_keeps_the_others() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    std::fs::write(
        root.join("content/indicators.yaml"),
        "resource:\n  standards:\n    equipment_value: {primary: 2200, junior: 2600}\n",
    )
    .unwrap();
    let a = yingjian::check(root);
    assert!(!a.has_errors(), "{}", yingjian::diag::render_human(&a.diagnostics));
    let st = &a.resource.primary.standards;
    assert_eq!(st[&yingjian::model::ResourceKey::EquipmentValue], 2200.0);
    assert_eq!(st[&yingjian::model::ResourceKey::SportsArea], 7.5);
}

#[test]
fn all_problems_are_reported_in_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    let mut rows = baseline_rows();
    rows[0][6] = s("八百");
    rows[1][2] = s("职校");
    rows.push(rows[2].clone());
    write_schools(root, &rows);
    std::fs::write(
        root.join("content/county.yaml"),
        CONFIG.replace("national-2017", "jiangxi-2018"),
    )
    .unwrap();
    std::fs::write(
        root.join("content/scores.yaml"),
        "Z1: {status: 达标}\nB8:\n  points:\n    \"1\": {score: 7}\n",
    )
    .unwrap();
    let a = yingjian::check(root);
    let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code).collect();
    for want in [
        "not-a-number",
        "unknown-kind",
        "duplicate-row",
        "unknown-indicator",
        "score-above-max",
    ] {
        assert!(codes.contains(&want), "{want} missing from {codes:?}");
    }
}
