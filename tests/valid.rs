//! Valid workspaces under `tests/fixtures/valid/`, one per rule that is easy to get subtly
//! wrong: each is read without errors, gives figures worked out by hand below, and keeps a
//! snapshot of what `yingjian check` says about it (`expected.txt`).
//!
//! Values are read from the assessment as JSON (docs/assessment-json.md), the interface the
//! templates use, so the assertions do not depend on where the Rust types live.
//!
//! Regenerate the workspaces: `cargo test --test valid -- --ignored regenerate`.
//! Refresh the snapshots after a deliberate wording change: `UPDATE_SNAPSHOTS=1 cargo test --test valid`.

mod support;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use support::*;
use yingjian::diag::render_human;

const CASES: &[&str] = &[
    "combined-school-split",
    "teaching-point-excluded",
    "school-size-within-allowance",
    "values-at-standard",
    "special-school-outside-resource",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid")
}

fn build(case: &str, root: &Path) {
    let _ = std::fs::remove_dir_all(root);
    baseline(root);
    // Git keeps no empty folder: leave it out so the fixture is what a fresh clone has.
    let _ = std::fs::remove_dir(root.join("evidence"));
    let mut rows = baseline_rows();
    let write = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
    match case {
        "combined-school-split" => {
            write(
                "content/county.yaml",
                &format!("{CONFIG}options:\n  split_combined_facilities: true\n"),
            );
            // 测试实验学校 (500 primary + 300 junior) knows only whole-school totals of three
            // facilities: entered on its primary row, its junior row left blank. Multimedia
            // rooms are known per stage and stay on both rows.
            set(&mut rows[2], "教学及辅助用房面积（平方米）", n(8300.0));
            set(&mut rows[2], "体育运动场馆面积（平方米）", n(16600.0));
            set(&mut rows[2], "教学仪器设备值（万元）", n(249.0));
            for h in [
                "教学及辅助用房面积（平方米）",
                "体育运动场馆面积（平方米）",
                "教学仪器设备值（万元）",
            ] {
                set(&mut rows[3], h, Cell::Blank);
            }
        }
        "teaching-point-excluded" => {
            write(
                "content/indicators.yaml",
                // Leaving 教学点 out narrows A1–A7 and the CVs: like a lower standard, it needs a basis.
                "basis: 某省县域义务教育优质均衡发展督导评估实施办法（不足 50 人的教学点不参与资源配置计算）\n\
                 resource:\n  teaching_point_min_students: 50   # 不足 50 人的教学点不参与资源配置计算\n",
            );
            write(
                "content/county.yaml",
                &format!("{CONFIG}finance:\n  public_funds_baseline: {{primary: 720, junior: 940}}\n"),
            );
            // Building area per pupil: 第一小学 4000 / 800 = 5.0, 实验学校 3800 / 500 = 7.6,
            // the 教学点 900 / 30 = 30.0.
            set(&mut rows[0], "教学及辅助用房面积（平方米）", n(4000.0));
            set(&mut rows[2], "教学及辅助用房面积（平方米）", n(3800.0));
            let mut tp = row("3600000004", "测试村教学点", "教学点", "小学", 30.0);
            set(&mut tp, "城乡类型", s("乡村"));
            set(&mut tp, "教学及辅助用房面积（平方米）", n(900.0));
            // Funded as 100 pupils: 100 × 720 元 = 72 000 元 = 7.2 万元; training 5% of it.
            set(&mut tp, "年度公用经费预算（万元）", n(7.2));
            set(&mut tp, "教师培训经费（万元）", n(0.36));
            rows.push(tp);
        }
        "school-size-within-allowance" => {
            // The allowance is Jiangxi's (赣教督委字〔2018〕6号 指标12); the national 办法 has none.
            write(
                "content/county.yaml",
                &CONFIG.replace("national-2017", "jiangxi-2018").replace("市检", "省检"),
            );
            let mut first = row("3600000001", "测试第一小学", "小学", "小学", 2200.0);
            set(&mut first, "建成年月", s("2012-09"));
            rows[0] = first;
            let mut second = row("3600000004", "测试第二小学", "小学", "小学", 2400.0);
            set(&mut second, "建成年月", s("2018-08"));
            rows.push(second);
        }
        "values-at-standard" => {
            // Every resource value, the class size, the rooms and the training funds exactly at
            // the standard, for a 1000-pupil primary and a 1000-pupil junior school.
            let at = |row: &mut [Cell], figures: [f64; 8]| {
                let columns = [
                    "高于规定学历教师数",
                    "县级以上骨干教师数",
                    "体育艺术专任教师数",
                    "教学及辅助用房面积（平方米）",
                    "体育运动场馆面积（平方米）",
                    "教学仪器设备值（万元）",
                    "网络多媒体教室数",
                    "最大班额",
                ];
                for (h, v) in columns.into_iter().zip(figures) {
                    set(row, h, n(v));
                }
                for (h, v) in [
                    // 25 classes need ceil(25 / 12) = 3 rooms of each kind.
                    ("音乐专用教室数", 3.0),
                    ("音乐专用教室最小面积（平方米）", 96.0),
                    ("美术专用教室数", 3.0),
                    ("美术专用教室最小面积（平方米）", 90.0),
                    ("年度公用经费预算（万元）", 100.0),
                    ("教师培训经费（万元）", 5.0),
                ] {
                    set(row, h, n(v));
                }
            };
            // Degree, backbone, PE/art teachers, building m², sports m², equipment 万元,
            // multimedia rooms, largest class.
            rows[0] = row("3600000001", "测试第一小学", "小学", "小学", 1000.0);
            at(&mut rows[0], [42.0, 10.0, 9.0, 4500.0, 7500.0, 200.0, 23.0, 45.0]);
            rows[1] = row("3600000002", "测试第一中学", "初中", "初中", 1000.0);
            at(&mut rows[1], [53.0, 10.0, 9.0, 5800.0, 10200.0, 250.0, 24.0, 50.0]);
            // 21 qualified teachers for 500 pupils: 21 / 500 × 100 = 4.2.
            set(&mut rows[2], "高于规定学历教师数", n(21.0));
        }
        "special-school-outside-resource" => {
            let mut sp = row("3600000005", "测试特殊教育学校", "特殊教育学校", "小学", 80.0);
            set(&mut sp, "学段", Cell::Blank);
            // 48 万元 / 80 pupils = 6000 元 per pupil; training 2.4 / 48 = 5%.
            set(&mut sp, "年度公用经费预算（万元）", n(48.0));
            set(&mut sp, "教师培训经费（万元）", n(2.4));
            rows.push(sp);
        }
        other => panic!("no builder for {other}"),
    }
    write_schools(root, &rows);
}

#[test]
#[ignore = "writes tests/fixtures/valid; run after changing the cases"]
fn regenerate() {
    for case in CASES {
        build(case, &fixtures().join(case));
    }
}

/// The committed workspace of a case.
fn fixture(case: &str) -> PathBuf {
    let root = fixtures().join(case);
    assert!(
        root.is_dir(),
        "missing fixture {case}: run the ignored `regenerate` test"
    );
    root
}

/// The assessment of a case as JSON, after making sure it has no errors.
fn assess(case: &str) -> Value {
    let a = yingjian::check(&fixture(case));
    assert!(!a.has_errors(), "{case}:\n{}", render_human(&a.diagnostics));
    serde_json::to_value(&a).unwrap()
}

fn codes(v: &Value) -> Vec<&str> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect()
}

#[test]
fn every_case_is_valid_and_says_what_it_said() {
    let mut failures = vec![];
    for case in CASES {
        let a = yingjian::check(&fixture(case));
        assert!(!a.has_errors(), "{case}:\n{}", render_human(&a.diagnostics));
        for d in &a.diagnostics {
            assert!(d.hint.is_some(), "{case}: {} has no hint", d.code);
        }
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
    // The assertions below describe the builders; a committed workspace that drifted from its
    // builder would make them describe something else.
    fixtures_match_builders(&fixtures(), CASES, build);
}

#[test]
fn combined_school_split_by_student_equivalents() {
    let v = assess("combined-school-split");
    // 测试实验学校: 500 primary + 300 junior pupils = 500 × 1 + 300 × 1.1 = 830 equivalents.
    // A total T gives the primary section T · 500 / 830 and the junior T · 330 / 830:
    //   building area 8300 m²  → 5000 m² and 3300 m² → 5000 / 500 = 10.0, 3300 / 300 = 11.0 m² per pupil
    //   sports area  16 600 m² → 10 000 m² and 6600 m² → 20.0 and 22.0 m² per pupil
    //   equipment      249 万元 → 150 万元 and 99 万元 → 1 500 000 / 500 = 3000, 990 000 / 300 = 3300 元
    // The junior pupil counts 1.1 times a primary pupil, so gets 10% more per head.
    assert_eq!(
        v["splits"],
        json!([{
            "school": "测试实验学校",
            "columns": ["教学及辅助用房面积（平方米）", "体育运动场馆面积（平方米）", "教学仪器设备值（万元）"],
            "how": "小学、初中 1:1.1"
        }]),
        "the three totals entered once are split; multimedia rooms, given on both rows, are not"
    );
    let primary = &named(&v["resource"]["primary"]["schools"], "测试实验学校")["values"];
    let junior = &named(&v["resource"]["junior"]["schools"], "测试实验学校")["values"];
    close(&primary["building_area"], 10.0);
    close(&junior["building_area"], 11.0);
    close(&primary["sports_area"], 20.0);
    close(&junior["sports_area"], 22.0);
    close(&primary["equipment_value"], 3000.0);
    close(&junior["equipment_value"], 3300.0);
    // Not split: 15 rooms / 500 × 100 = 3.0 and 9 rooms / 300 × 100 = 3.0, as entered.
    close(&primary["multimedia_rooms"], 3.0);
    close(&junior["multimedia_rooms"], 3.0);

    // The split shares feed the junior coefficient. 第一中学 600 pupils × 6.0 m², 实验学校 300 × 11.0:
    // X̄ = (3600 + 3300) / 900 = 23/3 = 7.667
    // Σ P(X − X̄)² = 600 · (5/3)² + 300 · (10/3)² = 1666.67 + 3333.33 = 5000
    // S = sqrt(5000 / 900) = sqrt(50) / 3; CV = S / X̄ = sqrt(50) / 23 = 0.30744
    let j = &v["resource"]["junior"];
    close(&j["mean"]["building_area"], 23.0 / 3.0);
    close(&j["cv"]["building_area"], 50f64.sqrt() / 23.0);
    assert!(!codes(&v).contains(&"combined-facility-blank"), "{:?}", codes(&v));

    // The same workbook without the option: the blank junior cells stay blank and are reported.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("combined-school-split"), dir.path());
    std::fs::write(dir.path().join("content/county.yaml"), CONFIG).unwrap();
    let a = yingjian::check(dir.path());
    let blank: Vec<&str> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "combined-facility-blank")
        .map(|d| d.at.as_str())
        .collect();
    assert_eq!(
        blank,
        [
            "content/schools.xlsx 学校基础数据!O5",
            "content/schools.xlsx 学校基础数据!P5",
            "content/schools.xlsx 学校基础数据!Q5"
        ]
    );
    let v = serde_json::to_value(&a).unwrap();
    assert_eq!(v["splits"], json!([]));
    let junior = &named(&v["resource"]["junior"]["schools"], "测试实验学校")["values"];
    assert_eq!(junior["building_area"], Value::Null);
}

#[test]
fn small_teaching_point_is_left_out_of_the_coefficients() {
    let v = assess("teaching-point-excluded");
    // Narrowing the scope is cited beside the official document, like a changed standard.
    assert_eq!(
        v["profile"]["changes"],
        json!(["参与资源配置计算的教学点最少在校生数由 0（全部参与） 改为 50"])
    );
    let p = &v["resource"]["primary"];
    assert_eq!(
        p["excluded"],
        json!([{
            "code": "3600000004",
            "name": "测试村教学点",
            "reason": "教学点在校生 30 人，少于 50 人，按指标体系设置不参与计算"
        }])
    );
    let names: Vec<&str> = p["schools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["测试第一小学", "测试实验学校"]);
    // P counts the remaining schools only (800 + 500); the summary still counts the 教学点.
    assert_eq!(p["students"], 1300);
    assert_eq!(v["summary"]["primary"]["students"], 1330);

    // Building area per pupil over the remaining schools: (800, 5.0) and (500, 7.6).
    // X̄ = (4000 + 3800) / 1300 = 6.0
    // Σ P(X − X̄)² = 800 · 1.0² + 500 · 1.6² = 800 + 1280 = 2080
    // S = sqrt(2080 / 1300) = sqrt(1.6) = 1.26491; CV = 1.26491 / 6.0 = 0.21082 ≤ 0.50
    // With the 教学点 (30, 30.0) it would be X̄ = 8700 / 1330 = 6.541, CV = 0.577 > 0.50.
    close(&p["mean"]["building_area"], 6.0);
    close(&p["cv"]["building_area"], 1.6f64.sqrt() / 6.0);
    assert_eq!(p["cv_pass"]["building_area"], true);

    // Left out of the coefficients, the 教学点 is still funded as 100 pupils:
    // 7.2 万元 = 72 000 元 ≥ 100 × 720 元.
    let c = &v["checks"]["gov.small_school_funding"];
    assert_eq!(c["verdict"], "met");
    let f = named(&c["schools"], "测试村教学点");
    assert_eq!(f["standard"], "≥ 72000 元（100 人 × 720 元）");
    assert_eq!(f["measured"], "在校生 30 人，公用经费预算 72000 元");
}

#[test]
fn school_above_size_built_before_2018_09_is_met_with_a_note() {
    let v = assess("school-size-within-allowance");
    // 小学 limit 2000; built before 2018-09 the school may stay within 120%: 2000 × 1.2 = 2400.
    // 2200 ≤ 2400 (built 2012-09) and 2400 ≤ 2400 (built 2018-08, the last month before): both met.
    let c = &v["checks"]["gov.school_size"];
    assert_eq!(c["verdict"], "met");
    assert_eq!(c["summary"], "学校规模：4 所学校中 4 个达标");
    let first = named(&c["schools"], "测试第一小学");
    assert_eq!(first["verdict"], "met");
    assert_eq!(first["standard"], "≤ 2000 人");
    assert_eq!(first["measured"], "在校生 2200 人");
    let note1 = "在校生 2200 人，超过 2000 人；2012年9月建成，未超过 2400 人（120%），按赣教督委字〔2018〕6号 指标12须逐步降低校额";
    assert_eq!(first["note"], note1);
    let second = named(&c["schools"], "测试第二小学");
    assert_eq!(second["verdict"], "met");
    let note2 = "在校生 2400 人，超过 2000 人；2018年8月建成，未超过 2400 人（120%），按赣教督委字〔2018〕6号 指标12须逐步降低校额";
    assert_eq!(second["note"], note2);
    // Within its own limit (500 + 300 = 800 ≤ 2500): no note.
    assert_eq!(named(&c["schools"], "测试实验学校").get("note"), None);
    assert_eq!(
        c["reasons"],
        json!([
            format!("注：测试第一小学：{note1}"),
            format!("注：测试第二小学：{note2}")
        ])
    );

    // Built one month later, 2018-09, the allowance no longer applies: 2400 > 2000 is not met.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixtures().join("school-size-within-allowance"), dir.path());
    let mut rows = read_sheet(&dir.path().join("content/schools.xlsx"), "学校基础数据");
    set(&mut rows[4], "建成年月", s("2018-09"));
    write_schools(dir.path(), &rows);
    let v = serde_json::to_value(yingjian::check(dir.path())).unwrap();
    let c = &v["checks"]["gov.school_size"];
    assert_eq!(c["verdict"], "not_met");
    assert_eq!(named(&c["schools"], "测试第二小学")["verdict"], "not_met");
}

#[test]
fn values_exactly_at_the_standard_meet_it() {
    let v = assess("values-at-standard");
    // 1000 primary pupils: 42 / 1000 × 100 = 4.2; 10 → 1.0; 9 → 0.9; 4500 / 1000 = 4.5 m²;
    // 7500 / 1000 = 7.5 m²; 200 万元 = 2 000 000 元 / 1000 = 2000 元; 23 → 2.3.
    // 1000 junior pupils: 53 → 5.3; 10 → 1.0; 9 → 0.9; 5.8 m²; 10.2 m²; 250 万元 → 2500 元; 24 → 2.4.
    // In binary 9 / 1000 × 100 is 0.8999999999999999: only a comparison tolerant of rounding
    // reads it as meeting 0.9.
    for (stage, name) in [("primary", "测试第一小学"), ("junior", "测试第一中学")] {
        let st = &v["resource"][stage];
        let r = named(&st["schools"], name);
        for (key, standard) in st["standards"].as_object().unwrap() {
            close(&r["values"][key], standard.as_f64().unwrap());
        }
        assert_eq!(r["met"], 7, "{name}: {r}");
        assert_eq!(r["pass"], true);
        assert_eq!(r["shortfalls"], json!([]), "{name}");
        assert_eq!(r["below_floor"], json!([]), "{name}");
    }
    // 21 / 500 × 100 = 4.2 for 测试实验学校, the same as 测试第一小学: both at 4.2, so
    // X̄ = 4.2 and CV = 0.
    let p = &v["resource"]["primary"];
    close(&named(&p["schools"], "测试实验学校")["values"]["degree_teachers"], 4.2);
    close(&p["mean"]["degree_teachers"], 4.2);
    assert!(p["cv"]["degree_teachers"].as_f64().unwrap().abs() < 1e-12);
    for key in [
        "degree_teachers",
        "backbone_teachers",
        "pe_art_teachers",
        "building_area",
        "sports_area",
        "equipment_value",
        "multimedia_rooms",
    ] {
        let c = &v["checks"][format!("resource.{key}")];
        assert_eq!(c["verdict"], "met", "{key}: {c}");
        assert_eq!(c["reasons"], json!([]), "{key}");
    }

    // Class size 45 (小学 ≤ 45) and 50 (初中 ≤ 50).
    let cs = &v["checks"]["gov.class_size"];
    assert_eq!(cs["verdict"], "met");
    for (name, measured) in [("测试第一小学", "最大班额 45 人"), ("测试第一中学", "最大班额 50 人")]
    {
        let f = named(&cs["schools"], name);
        assert_eq!(f["verdict"], "met", "{name}");
        assert_eq!(f["measured"], measured);
    }

    // 25 classes: ceil(25 / 12) = 3 rooms of each, the smallest 96 m² (music) and 90 m² (art).
    let rooms = named(&v["checks"]["gov.music_art_rooms"]["schools"], "测试第一小学");
    assert_eq!(rooms["verdict"], "met");
    assert_eq!(rooms["measured"], "25 个班，音乐教室 3 间、美术教室 3 间");

    // Training funds 5 万元 of a 100 万元 budget: 5%.
    let t = named(&v["checks"]["gov.training_funds"]["schools"], "测试第一小学");
    assert_eq!(t["verdict"], "met");
    assert_eq!(t["measured"], "培训经费 5 万元，占公用经费预算 100 万元的 5.00%");
}

#[test]
fn special_school_is_outside_the_resource_coefficients() {
    let v = assess("special-school-outside-resource");
    // The special school's 80 pupils are neither in the primary stage nor excluded from it:
    // they are counted apart.
    assert_eq!(v["summary"]["special_students"], 80);
    assert_eq!(v["summary"]["by_kind"]["特殊教育学校"], 1);
    assert_eq!(v["summary"]["primary"]["students"], 1300);
    for stage in ["primary", "junior"] {
        let st = &v["resource"][stage];
        assert!(
            st["schools"].as_array().unwrap().iter().all(|r| r["kind"] != "special"),
            "{stage}"
        );
        assert_eq!(st["excluded"], json!([]), "{stage}");
    }
    assert_eq!(v["resource"]["primary"]["students"], 1300);
    assert_eq!(v["resource"]["junior"]["students"], 900);

    // 48 万元 = 480 000 元 / 80 pupils = 6000 元 ≥ 6000: met exactly, and the county-level
    // fallback is not asked for.
    let c = &v["checks"]["gov.special_ed_funding"];
    assert_eq!(c["verdict"], "met");
    let f = named(&c["schools"], "测试特殊教育学校");
    assert_eq!(f["measured"], "生均公用经费 6000.00 元");
    assert_eq!(f["stage"], Value::Null);
    let messages: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert!(!messages.iter().any(|m| m.contains("特殊教育")), "{messages:?}");
    // Training 2.4 of 48 万元 = 5%; the special school is still in the per-school teacher rules.
    let t = named(&v["checks"]["gov.training_funds"]["schools"], "测试特殊教育学校");
    assert_eq!(t["verdict"], "met");
    assert_eq!(
        named(&v["checks"]["gov.certified_teachers"]["schools"], "测试特殊教育学校")["verdict"],
        "met"
    );
    // Not a school with classes in the sense of the class-size and room rules.
    for rule in ["gov.class_size", "gov.music_art_rooms", "gov.school_size"] {
        assert!(
            v["checks"][rule]["schools"]
                .as_array()
                .unwrap()
                .iter()
                .all(|f| f["name"] != "测试特殊教育学校"),
            "{rule}"
        );
    }
}
