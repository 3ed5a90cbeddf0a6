//! Verdicts the standards forbid to get wrong, one workspace each under
//! `tests/fixtures/verdicts/`: a failing case and the passing (or pending) case beside it,
//! with the figures worked out by hand below and a snapshot of what `yingjian check` says.
//!
//! Regenerate the workspaces: `cargo test --test verdicts -- --ignored regenerate`.
//! Refresh the snapshots after a deliberate wording change: `UPDATE_SNAPSHOTS=1 cargo test --test verdicts`.

mod support;

use serde_json::Value;
use std::path::{Path, PathBuf};
use support::*;
use yingjian::diag::render_human;

const CASES: &[&str] = &[
    "spending-fall-fails",
    "spending-short-series-pending",
    "b-point-data-fails-counts-zero",
    "b-point-data-holds-counts-in-full",
    "no-junior-rows-pending",
    "small-schools-declared-absent",
    "cv-just-over-limit-shows-more-digits",
    "cv-at-limit-met",
    "rule-met-points-undeclared-pending",
    "rule-met-points-declared-met",
    "staffing-ratio-over-limit-fails",
    "staffing-ratio-from-teachers-met",
    "senior-sections-split-out",
    "complete-school-without-senior-unsplit",
    "average-class-over-limit-fails",
    "b-point-bound-to-pending-rule-undecided",
    "b-open-points-cannot-reach-pass-fails",
    "national-size-over-limit-without-allowance-fails",
    "size-allowance-undeclared-pending",
    "size-allowance-declared-met",
    "spending-missing-years-pending",
    "loosened-standard-without-basis-error",
    "loosened-standard-with-basis-cited",
    "failing-county-figures-show-their-digits",
    "score-nan-is-an-error",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/verdicts")
}

const JIANGXI: &str = "county: 测试县\nyear: 2026\nlevel: 省检\nprofile: jiangxi-2018\ntoday: 2026-11-20\n";

/// scores.yaml giving every B point of the Jiangxi profile its full score, except the points
/// of `zero` (an indicator id), which get 0.
fn full_b_scores(zero: &str) -> String {
    let profile = yingjian::model::Profile::builtin("jiangxi-2018").unwrap();
    let mut s = String::new();
    for i in profile
        .indicators
        .iter()
        .filter(|i| i.kind == yingjian::model::IndicatorType::B)
    {
        s += &format!("{}:\n  points:\n", i.id);
        for p in &i.points {
            let score = if i.id == zero { 0.0 } else { p.max.unwrap_or(0.0) };
            s += &format!("    \"{}\": {{score: {score}}}\n", p.id);
        }
    }
    s
}

fn build(case: &str, root: &Path) {
    let _ = std::fs::remove_dir_all(root);
    baseline(root);
    let _ = std::fs::remove_dir(root.join("evidence"));
    let write = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
    match case {
        "spending-fall-fails" => write(
            "content/county.yaml",
            &format!(
                "{JIANGXI}finance:\n  education_spending: {{2024: 100, 2025: 99}}\n  per_pupil_spending: {{2025: 10000}}\n"
            ),
        ),
        "spending-short-series-pending" => write(
            "content/county.yaml",
            &format!(
                "{JIANGXI}finance:\n  education_spending: {{2024: 100, 2025: 101}}\n  per_pupil_spending: {{2025: 10000}}\n"
            ),
        ),
        "b-point-data-fails-counts-zero" | "b-point-data-holds-counts-in-full" => {
            // Spending falls 10% (1000 → 900 万元), or rises 10%; per pupil rises either way.
            let spending = if case == "b-point-data-fails-counts-zero" {
                900
            } else {
                1100
            };
            write(
                "content/county.yaml",
                &format!(
                    "{JIANGXI}finance:\n  education_spending: {{2024: 1000, 2025: {spending}}}\n  per_pupil_spending: {{2024: 10000, 2025: 10500}}\n"
                ),
            );
            write("content/scores.yaml", &full_b_scores("B31"));
        }
        "no-junior-rows-pending" => {
            // Only the primary rows: 测试第一小学 and 测试实验学校's primary section.
            let rows = baseline_rows();
            write_schools(root, &[rows[0].clone(), rows[2].clone()]);
        }
        "small-schools-declared-absent" => write(
            "content/county.yaml",
            &format!("{CONFIG}absent:\n  small_schools: true   # 本县没有不足 100 人的村小学和教学点\n"),
        ),
        "cv-just-over-limit-shows-more-digits" | "cv-at-limit-met" => {
            // Two primaries of 1000 pupils: equipment 750.14 and 249.86 万元 is 7501.4 and
            // 2498.6 元 per pupil (or 750 and 250 万元: 7500 and 2500 元).
            let (hi, lo) = if case == "cv-at-limit-met" {
                (750.0, 250.0)
            } else {
                (750.14, 249.86)
            };
            let rows = baseline_rows();
            let mut a = row("3600000011", "测试甲小学", "小学", "小学", 1000.0);
            let mut b = row("3600000012", "测试乙小学", "小学", "小学", 1000.0);
            set(&mut a, "教学仪器设备值（万元）", n(hi));
            set(&mut b, "教学仪器设备值（万元）", n(lo));
            write_schools(root, &[a, b, rows[1].clone()]);
        }
        "rule-met-points-undeclared-pending" | "rule-met-points-declared-met" => {
            // Teachers earn 98 000 元 against 96 000 元 for civil servants: A16 point 2 holds.
            write(
                "content/county.yaml",
                &format!("{JIANGXI}finance:\n  teacher_average_pay: 98000\n  civil_servant_average_pay: 96000\n"),
            );
            if case == "rule-met-points-declared-met" {
                write(
                    "content/scores.yaml",
                    "A16:\n  status: 达标\n  reason: 社会保障足额落实，绩效工资总量按规定核定\n",
                );
            }
        }
        "staffing-ratio-over-limit-fails" => {
            // 测试第一小学: 800 pupils, 40 staff; 测试第一中学: 600 pupils, 45 staff.
            let mut rows = baseline_rows();
            set(&mut rows[0], "教职工数", n(40.0));
            set(&mut rows[1], "教职工数", n(45.0));
            write_schools(root, &rows);
        }
        "staffing-ratio-from-teachers-met" => {
            // 教职工数 left blank: 测试第一小学's 67 专任教师 stand in. The other 四统一
            // standards are declared.
            write(
                "content/scores.yaml",
                "G2:\n  status: 达标\n  reason: 建设、经费、装备标准城乡统一\n",
            );
        }
        "senior-sections-split-out" | "complete-school-without-senior-unsplit" => {
            write(
                "content/county.yaml",
                &format!("{CONFIG}options:\n  split_combined_facilities: true\n"),
            );
            let mut rows = baseline_rows();
            // 测试完全中学: 600 junior pupils; its 11 400 m² of building area is the whole
            // school's, senior section included.
            let mut complete = row("3600000021", "测试完全中学", "完全中学", "初中", 600.0);
            set(&mut complete, "教学及辅助用房面积（平方米）", n(11_400.0));
            // 测试十二年制学校: 500 primary + 300 junior pupils, 10 940 m² entered on the
            // primary row for the whole school.
            let mut primary = row("3600000022", "测试十二年制学校", "十二年一贯制学校", "小学", 500.0);
            set(&mut primary, "教学及辅助用房面积（平方米）", n(10_940.0));
            let mut junior = row("3600000022", "测试十二年制学校", "十二年一贯制学校", "初中", 300.0);
            set(&mut junior, "教学及辅助用房面积（平方米）", Cell::Blank);
            for h in [
                "办学类型",
                "城乡类型",
                "建成年月",
                "音乐专用教室数",
                "音乐专用教室最小面积（平方米）",
                "美术专用教室数",
                "美术专用教室最小面积（平方米）",
                "年度公用经费预算（万元）",
                "教师培训经费（万元）",
            ] {
                set(&mut junior, h, Cell::Blank);
            }
            if case == "senior-sections-split-out" {
                set(&mut complete, "高中部在校生数", n(500.0));
                set(&mut primary, "高中部在校生数", n(200.0));
            }
            rows.extend([complete, primary, junior]);
            write_schools(root, &rows);
        }
        "average-class-over-limit-fails" => {
            // 测试第一小学: 800 pupils in 16 classes, 最大班额 entered as 45.
            let mut rows = baseline_rows();
            set(&mut rows[0], "班级数", n(16.0));
            set(&mut rows[0], "最大班额", n(45.0));
            write_schools(root, &rows);
        }
        "b-point-bound-to-pending-rule-undecided" | "b-open-points-cannot-reach-pass-fails" => {
            // No spending figures: B8 要点1 (两个只增不减, 5 points) is self-scored 5 but its
            // rule is pending. B31 (10 points) or B36 (12 points) is scored 0.
            write("content/county.yaml", JIANGXI);
            let zero = if case == "b-point-bound-to-pending-rule-undecided" {
                "B31"
            } else {
                "B36"
            };
            write("content/scores.yaml", &full_b_scores(zero));
        }
        "national-size-over-limit-without-allowance-fails"
        | "size-allowance-undeclared-pending"
        | "size-allowance-declared-met" => {
            // 测试第一小学: 2200 pupils, built 2012-09.
            let mut rows = baseline_rows();
            set(&mut rows[0], "在校生数", n(2200.0));
            set(&mut rows[0], "班级数", n(49.0));
            set(&mut rows[0], "最大班额", n(45.0));
            set(&mut rows[0], "建成年月", s("2012-09"));
            write_schools(root, &rows);
            if case != "national-size-over-limit-without-allowance-fails" {
                // 初中三年巩固率 98% ≥ 95%: A26's figure holds.
                write(
                    "content/county.yaml",
                    &format!("{JIANGXI}enrolment:\n  junior_retention: 98\n"),
                );
            }
            if case == "size-allowance-declared-met" {
                write(
                    "content/scores.yaml",
                    "A12:\n  status: 达标\n  reason: 测试第一小学在校生由 2024 年的 2300 人降至 2200 人，新校区 2027 年启用后分流\n",
                );
            }
        }
        "spending-missing-years-pending" => write(
            "content/county.yaml",
            &format!(
                "{JIANGXI}finance:\n  education_spending: {{2022: 100, 2025: 110}}\n  per_pupil_spending: {{2023: 10000, 2024: 10500}}\n"
            ),
        ),
        "loosened-standard-without-basis-error" | "loosened-standard-with-basis-cited" => {
            let basis = if case == "loosened-standard-with-basis-cited" {
                "basis: 测试省教育厅《关于调整义务教育学校办学条件标准的通知》（测教〔2025〕8号）\n"
            } else {
                ""
            };
            write(
                "content/indicators.yaml",
                &format!(
                    "{basis}resource:\n  standards:\n    building_area: {{primary: 4.0, junior: 5.8}}\nrules:\n  class_size: {{primary: 40}}   # 提高标准，无须依据\n"
                ),
            );
        }
        "failing-county-figures-show-their-digits" => write(
            "content/county.yaml",
            &format!(
                "{CONFIG}finance:\n  education_spending: {{2024: 100, 2025: 99.99999}}\n  per_pupil_spending: {{2024: 10000, 2025: 10000}}\nrecognition: 84.99999\n"
            ),
        ),
        "score-nan-is-an-error" => {
            write("content/county.yaml", JIANGXI);
            write(
                "content/scores.yaml",
                "B8:\n  points:\n    \"1\": {score: .nan}\n    \"2\": {score: .inf}\n",
            );
        }
        other => panic!("no builder for {other}"),
    }
}

#[test]
#[ignore = "writes tests/fixtures/verdicts; run after changing the cases"]
fn regenerate() {
    for case in CASES {
        build(case, &fixtures().join(case));
    }
}

fn assess(case: &str) -> Value {
    let root = fixtures().join(case);
    assert!(
        root.is_dir(),
        "missing fixture {case}: run the ignored `regenerate` test"
    );
    let a = yingjian::check(&root);
    assert!(!a.has_errors(), "{case}:\n{}", render_human(&a.diagnostics));
    serde_json::to_value(&a).unwrap()
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

#[test]
fn fixtures_are_what_their_builders_write() {
    fixtures_match_builders(&fixtures(), CASES, build);
}

#[test]
fn a_known_fall_fails_the_two_never_decrease_rule() {
    // 2025: 99 万元 < 2024: 100 万元 is a fall; the per-pupil series has one year only.
    let v = assess("spending-fall-fails");
    let c = &v["checks"]["county.spending_growth"];
    assert_eq!(c["verdict"], "not_met");
    assert_eq!(
        c["reasons"][0],
        "2025年一般公共预算教育支出 99 万元，低于 2024 年的 100 万元"
    );
    // No fall visible (100 → 101) and one series too short to judge: 待核实, never 达标.
    let v = assess("spending-short-series-pending");
    assert_eq!(v["checks"]["county.spending_growth"]["verdict"], "pending");
}

#[test]
fn a_b_point_whose_data_fails_counts_zero() {
    // Self-scores: 100 points in all, B31 (10 points) scored 0 → 90 self-scored.
    // B8 point 1 (5 points, 逐年只增不减) is bound to county.spending_growth, which fails
    // (1000 → 900 万元): it counts 0, so the B total is 90 − 5 = 85 < 90: B 未达标.
    let v = assess("b-point-data-fails-counts-zero");
    let b8 = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "B8")
        .unwrap();
    assert_eq!(b8["points"][0]["score"], 5.0);
    assert_eq!(b8["points"][0]["counted"], 0.0);
    close(&b8["score"], 5.0);
    close(&b8["self_score"], 10.0);
    close(&v["b_total"], 85.0);
    assert_eq!(v["b_pass"], false);
    assert_eq!(v["overall"]["verdict"], "not_met");
    let warned = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "score-contradicts-data" && d["message"].as_str().unwrap().contains("B8 要点1"));
    assert!(warned, "{}", v["diagnostics"]);
    // The data holds (1000 → 1100 万元, 10 000 → 10 500 元): 两个只增不减 is met, the point
    // counts its 5, total 90 ≥ 90.
    let v = assess("b-point-data-holds-counts-in-full");
    assert_eq!(v["checks"]["county.spending_growth"]["verdict"], "met");
    close(&v["b_total"], 90.0);
    assert_eq!(v["b_pass"], true);
}

#[test]
fn a_stage_without_rows_is_pending_not_met() {
    // No 初中 rows at all: the junior half of every resource item cannot be judged.
    let v = assess("no-junior-rows-pending");
    for key in ["degree_teachers", "sports_area", "multimedia_rooms"] {
        let c = &v["checks"][format!("resource.{key}")];
        assert_eq!(c["verdict"], "pending", "{key}");
        assert!(
            c["reasons"].as_array().unwrap().iter().any(|r| r == "没有初中学校数据"),
            "{c}"
        );
    }
    // The baseline has both stages, every school meeting every item: 达标.
    let v = assess("small-schools-declared-absent");
    assert_eq!(v["checks"]["resource.sports_area"]["verdict"], "met");
}

#[test]
fn no_applicable_school_is_pending_unless_declared() {
    // The baseline has no 村小学 or 教学点 under 100 pupils.
    let v = assess("no-junior-rows-pending");
    assert_eq!(v["checks"]["gov.small_school_funding"]["verdict"], "pending");
    let v = assess("small-schools-declared-absent");
    assert_eq!(v["checks"]["gov.small_school_funding"]["verdict"], "met");
}

#[test]
fn a_failing_coefficient_never_prints_as_its_limit() {
    // Equal pupils, so X̄ = (7501.4 + 2498.6) / 2 = 5000, S = 5002.8 / 2 = 2501.4,
    // CV = 2501.4 / 5000 = 0.50028 > 0.50: fails, though to 3 decimals it reads "0.500".
    let v = assess("cv-just-over-limit-shows-more-digits");
    close(&v["resource"]["primary"]["cv"]["equipment_value"], 0.50028);
    let c = &v["checks"]["resource.equipment_value"];
    assert_eq!(c["verdict"], "not_met");
    assert!(
        c["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "小学差异系数 0.5003，高于 0.50"),
        "{c}"
    );
    assert!(
        c["summary"].as_str().unwrap().contains("差异系数 0.5003（≤ 0.50）"),
        "{c}"
    );
    // The report's table prints the same figure.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("cv-just-over-limit-shows-more-digits"), dir.path());
    assert!(!yingjian::build(dir.path()).unwrap().assessment.has_errors());
    let data: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/.数据/自评报告.json")).unwrap()).unwrap();
    let equipment = 5; // the sixth item
    assert_eq!(data["resource"][0]["cv"][equipment]["v"], "0.5003");
    // (7500 − 2500) / (7500 + 2500) = 0.5 exactly: at the limit is met, and reads "0.500".
    let v = assess("cv-at-limit-met");
    assert_eq!(v["checks"]["resource.equipment_value"]["verdict"], "met");
    assert!(
        v["checks"]["resource.equipment_value"]["summary"]
            .as_str()
            .unwrap()
            .contains("差异系数 0.500（≤ 0.50）")
    );
}

#[test]
fn a_rule_met_is_not_enough_while_its_other_points_are_undeclared() {
    // Jiangxi A16: the data rule (county.teacher_pay) judges point 2 only; points 1 and 3
    // (social security, 绩效工资 total) are judged on evidence and must be declared.
    let v = assess("rule-met-points-undeclared-pending");
    let a16 = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "A16")
        .unwrap();
    assert_eq!(v["checks"]["county.teacher_pay"]["verdict"], "met");
    assert_eq!(a16["verdict"], "pending");
    let undeclared = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "status-undeclared")
        .unwrap();
    assert!(
        undeclared["message"].as_str().unwrap().contains("A16（要点1、3）"),
        "{undeclared}"
    );
    let v = assess("rule-met-points-declared-met");
    let a16 = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "A16")
        .unwrap();
    assert_eq!(a16["verdict"], "met");
}

#[test]
fn staffing_ratio_per_school_stage() {
    // 800 / 40 = 20 > 19 (小学 1:19): fails; 600 / 45 = 13.33 ≤ 13.5 (初中 1:13.5): met.
    let v = assess("staffing-ratio-over-limit-fails");
    let c = &v["checks"]["gov.staffing_ratio"];
    assert_eq!(c["verdict"], "not_met");
    let first = named(&c["schools"], "测试第一小学");
    assert_eq!(first["verdict"], "not_met");
    assert_eq!(first["measured"], "在校生 800 人，教职工 40 人，师生比 1:20.00");
    assert_eq!(first["standard"], "≤ 19（师生比 1:19）");
    let junior = named(&c["schools"], "测试第一中学");
    assert_eq!(junior["verdict"], "met");
    assert_eq!(junior["measured"], "在校生 600 人，教职工 45 人，师生比 1:13.33");
    // Bound to the national 四统一 indicator: the data fails it.
    let g2 = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "G2")
        .unwrap();
    assert_eq!(g2["verdict"], "not_met");
    // 基础数据表.xlsx carries the ratio as a live formula, cached with the same 20.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("staffing-ratio-over-limit-fails"), dir.path());
    assert!(!yingjian::build(dir.path()).unwrap().assessment.has_errors());
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(dir.path().join("out/基础数据表.xlsx")).unwrap();
    let range = book.worksheet_range("学校基础数据").unwrap();
    let heads: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    let ratio = heads.iter().position(|h| h.starts_with("师生比")).unwrap();
    let row = range
        .rows()
        .find(|r| r[1] == Data::String("测试第一小学".into()))
        .unwrap();
    assert_eq!(row[ratio], Data::Float(20.0));
    let formulas = book.worksheet_formula("学校基础数据").unwrap();
    let f = formulas.get_value((1, ratio as u32)).unwrap().to_string();
    assert!(f.contains("G2/Y2") && f.contains("G2/J2"), "{f}");

    // 教职工数 blank: 800 / 67 专任教师 = 11.94, said so; with the other standards declared, G2 is met.
    let v = assess("staffing-ratio-from-teachers-met");
    let first = named(&v["checks"]["gov.staffing_ratio"]["schools"], "测试第一小学");
    assert_eq!(
        first["measured"],
        "在校生 800 人，专任教师 67 人（未填教职工数，按专任教师数计），师生比 1:11.94"
    );
    let g2 = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "G2")
        .unwrap();
    assert_eq!(g2["verdict"], "met");
}

/// 基础数据表.xlsx writes every column of the school sheet: 高中部在校生数 too (it had the
/// header and no values while the columns were listed by hand in several places).
#[test]
fn basic_data_carries_senior_enrolment() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("senior-sections-split-out"), dir.path());
    assert!(!yingjian::build(dir.path()).unwrap().assessment.has_errors());
    let mut book: Xlsx<_> = open_workbook(dir.path().join("out/基础数据表.xlsx")).unwrap();
    let range = book.worksheet_range("学校基础数据").unwrap();
    let heads: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(&heads[..HEADERS.len()], HEADERS);
    let senior = heads.iter().position(|h| h == "高中部在校生数").unwrap();
    let of = |name: &str| -> Vec<Data> {
        range
            .rows()
            .filter(|r| r[1] == Data::String(name.into()))
            .map(|r| r[senior].clone())
            .collect()
    };
    // 完全中学: its one (初中) row; 十二年一贯制: the school-wide figure on both stage rows.
    assert_eq!(of("测试完全中学"), [Data::Float(500.0)]);
    assert_eq!(of("测试十二年制学校"), [Data::Float(200.0), Data::Float(200.0)]);
    // A school without a senior section leaves the cell empty.
    let other = range
        .rows()
        .find(|r| r[1] == Data::String("测试第一小学".into()))
        .unwrap();
    assert_eq!(other[senior], Data::Empty);
}

#[test]
fn senior_sections_take_their_share_of_whole_school_totals() {
    let v = assess("senior-sections-split-out");
    let junior = &v["resource"]["junior"]["schools"];
    let primary = &v["resource"]["primary"]["schools"];
    // 完全中学, 初中 : 高中 = 1 : 1.2: 600 + 500 × 1.2 = 1200 equivalents;
    // junior 11 400 × 600 / 1200 = 5700 m², 5700 / 600 = 9.5 m² per pupil.
    close(&named(junior, "测试完全中学")["values"]["building_area"], 9.5);
    // 十二年一贯制, 1 : 1.1 : 1.32: 500 + 330 + 264 = 1094; primary 10 940 × 500 / 1094 = 5000
    // (10.0 per pupil), junior 10 940 × 330 / 1094 = 3300 (11.0 per pupil).
    close(&named(primary, "测试十二年制学校")["values"]["building_area"], 10.0);
    close(&named(junior, "测试十二年制学校")["values"]["building_area"], 11.0);
    let how: Vec<&str> = v["splits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["how"].as_str().unwrap())
        .collect();
    assert!(
        how.contains(&"初中、高中 1:1.2（高中部在校生 500 人，其份额不计入）"),
        "{how:?}"
    );
    assert!(
        how.contains(&"小学、初中、高中 1:1.1:1.32（高中部在校生 200 人，其份额不计入）"),
        "{how:?}"
    );
    // Without the senior enrolment: the 完全中学 keeps its total (11 400 / 600 = 19.0), the
    // twelve-year school splits 1 : 1.1 over its two rows (830 equivalents: 10 940 × 500 / 830
    // / 500 = 13.18), and both are named in a warning.
    let v = assess("complete-school-without-senior-unsplit");
    close(
        &named(&v["resource"]["junior"]["schools"], "测试完全中学")["values"]["building_area"],
        19.0,
    );
    close(
        &named(&v["resource"]["primary"]["schools"], "测试十二年制学校")["values"]["building_area"],
        10_940.0 / 830.0,
    );
    let warned: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "senior-enrolment-missing")
        .map(|d| d["at"].as_str().unwrap())
        .collect();
    assert_eq!(warned.len(), 2, "{warned:?}");
}

fn indicator<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap()
}

#[test]
fn an_average_class_over_the_limit_fails_whatever_the_largest_says() {
    // 800 pupils / 16 classes = 50 per class > 45 (小学): some class has more than 45, though
    // 最大班额 says 45.
    let v = assess("average-class-over-limit-fails");
    let c = &v["checks"]["gov.class_size"];
    assert_eq!(c["verdict"], "not_met");
    let first = named(&c["schools"], "测试第一小学");
    assert_eq!(first["verdict"], "not_met");
    assert_eq!(
        first["measured"],
        "在校生 800 人、16 个班，平均班额 50 人，超过 45 人，至少有一个班超额"
    );
    assert_eq!(indicator(&v, "G5")["verdict"], "not_met");
}

#[test]
fn a_b_point_bound_to_a_pending_rule_is_not_counted() {
    // B31 scored 0 (−10); B8 要点1 self-scored 5 while 两个只增不减 has no figures: not counted.
    // Counted 100 − 10 − 5 = 85; open 5; 85 < 90 ≤ 85 + 5: B is undecided.
    let v = assess("b-point-bound-to-pending-rule-undecided");
    assert_eq!(v["checks"]["county.spending_growth"]["verdict"], "pending");
    let b8 = indicator(&v, "B8");
    assert_eq!(b8["points"][0]["score"], 5.0);
    assert_eq!(b8["points"][0]["counted"], Value::Null);
    assert_eq!(b8["verdict"], "pending");
    close(&v["b_total"], 85.0);
    assert_eq!(v["b_pass"], Value::Null);
    assert_eq!(v["overall"]["verdict"], "pending");
    // B36 scored 0 (−12): counted 100 − 12 − 5 = 83, and 83 + 5 open = 88 < 90: 未达标 now.
    let v = assess("b-open-points-cannot-reach-pass-fails");
    close(&v["b_total"], 83.0);
    assert_eq!(v["b_pass"], false);
    assert_eq!(v["overall"]["verdict"], "not_met");
}

#[test]
fn the_size_allowance_is_jiangxis_and_needs_its_condition_declared() {
    // National (教督〔2017〕6号 第七条（四）, no allowance): 2200 > 2000 fails G4.
    let v = assess("national-size-over-limit-without-allowance-fails");
    let first = named(&v["checks"]["gov.school_size"]["schools"], "测试第一小学");
    assert_eq!(first["verdict"], "not_met");
    assert_eq!(indicator(&v, "G4")["verdict"], "not_met");
    // Jiangxi (指标12): 2200 ≤ 2000 × 120% = 2400, built 2012-09 < 2018-09: met while it
    // reduces, which only a declaration can say.
    let v = assess("size-allowance-undeclared-pending");
    assert_eq!(v["checks"]["gov.school_size"]["verdict"], "met");
    let a12 = indicator(&v, "A12");
    assert_eq!(a12["verdict"], "pending");
    assert!(
        a12["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r == "测试第一小学是否逐步降低校额，数据不能说明，content/scores.yaml 中尚未申报"),
        "{a12}"
    );
    let undeclared = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "status-undeclared")
        .unwrap();
    assert!(
        undeclared["message"]
            .as_str()
            .unwrap()
            .contains("A12（测试第一小学逐步降低校额）"),
        "{undeclared}"
    );
    let v = assess("size-allowance-declared-met");
    assert_eq!(indicator(&v, "A12")["verdict"], "met");
}

#[test]
fn spending_with_missing_or_stale_years_is_pending() {
    // 2022 → 2025 rises (100 → 110) but 2023 and 2024 are missing; per pupil ends 2024, more
    // than one year before 2026.
    let v = assess("spending-missing-years-pending");
    let c = &v["checks"]["county.spending_growth"];
    assert_eq!(c["verdict"], "pending");
    assert_eq!(
        c["summary"],
        "两个只增不减：content/county.yaml 未填写 finance.education_spending（缺 2023、2024 年）、finance.per_pupil_spending（最近只到 2024 年，应填到 2025 年）"
    );
}

#[test]
fn loosening_a_standard_needs_its_basis_and_is_cited() {
    // 4.5 → 4.0 m² (小学 生均教学及辅助用房) is looser than 教督〔2017〕6号: an error at its line,
    // and the built-in 4.5 stays in force.
    let a = yingjian::check(&fixtures().join("loosened-standard-without-basis-error"));
    assert!(a.has_errors());
    let e = a.diagnostics.iter().find(|d| d.code == "standard-loosened").unwrap();
    assert_eq!(e.at, "content/indicators.yaml:3:5");
    // With its basis: a warning, the 4.0 applies, and 45 → 40 (tighter) is cited too.
    let v = assess("loosened-standard-with-basis-cited");
    let w = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "standard-loosened")
        .unwrap();
    assert_eq!(w["severity"], "warning");
    assert_eq!(v["resource"]["primary"]["standards"]["building_area"], 4.0);
    let cited = "教督〔2017〕6号；按测试省教育厅《关于调整义务教育学校办学条件标准的通知》（测教〔2025〕8号）修改后的标准判定：生均教学及辅助用房面积（小学）由 4.5 改为 4，班额上限（小学）由 45 改为 40";
    assert_eq!(v["profile"]["source"], cited);
    // The report cites it where it cites the standard.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("loosened-standard-with-basis-cited"), dir.path());
    assert!(!yingjian::build(dir.path()).unwrap().assessment.has_errors());
    let data: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("out/.数据/自评报告.json")).unwrap()).unwrap();
    assert_eq!(data["profile"]["source"], cited);
}

#[test]
fn failing_county_figures_never_read_as_their_bound() {
    // 84.99999% < 85%; 99.99999 < 100 万元: enough digits to show the difference.
    let v = assess("failing-county-figures-show-their-digits");
    assert_eq!(
        v["checks"]["county.recognition"]["reasons"][0],
        "社会认可度 84.99999%，低于 85%"
    );
    assert_eq!(
        v["checks"]["county.spending_growth"]["reasons"][0],
        "2025年一般公共预算教育支出 99.99999 万元，低于 2024 年的 100.00000 万元"
    );
}

#[test]
fn smaller_points_of_the_second_audit() {
    // `.nan` and `.inf` are no scores: an error at each line.
    let a = yingjian::check(&fixtures().join("score-nan-is-an-error"));
    let at: Vec<&str> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "score-not-number")
        .map(|d| d.at.as_str())
        .collect();
    assert_eq!(at, ["content/scores.yaml:3:5", "content/scores.yaml:4:5"]);
    // Jiangxi A26: a 巩固率 of 98% is not enough while 控辍保学措施落实 is undeclared.
    let v = assess("size-allowance-declared-met");
    assert_eq!(v["checks"]["county.retention"]["verdict"], "met");
    assert_eq!(indicator(&v, "A26")["verdict"], "pending");
    // The national veto list is the 办法's six items, 有编不补 among them.
    let national = yingjian::model::Profile::builtin("national-2017").unwrap();
    assert_eq!(national.veto.len(), 6);
    assert!(
        national
            .veto
            .iter()
            .any(|v| v.text == "存在“有编不补”或长期聘用编外教师的情况")
    );
}
