//! 申报表 (out/申报表.xlsx and .pdf): every table read back and checked against
//! 评估结果.json, for the sample county (Jiangxi profile) and for a national workspace with a
//! 九年一贯制 school, a 完全中学, 教学点 of 30 and 60 pupils and a special-education school;
//! the counts behind the rates; LibreOffice opening the workbook when it is installed.
//!
//! Regenerate the workspaces: `cargo test --test application_form -- --ignored regenerate`.

mod support;

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use serde_json::Value;
use std::path::{Path, PathBuf};
use support::*;
use yingjian::diag::Severity;
use yingjian::model::school::columns as col;

const CASES: &[&str] = &["combined-and-small-points", "rate-disagrees-with-counts"];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/form")
}

/// County figures of the national fixture: the rates come from their counts only.
const COUNTS: &str = "\
economy:
  population: 31.47
  agricultural_population: 20.05
  towns: 9
  villages: 112
  gdp_per_capita: 41200
  fiscal_revenue_per_capita: 2980
  rural_income: 16350
  urban_income: 36800
enrolment:
  cohort:
    graduates: 480
    entrants: 500
    transferred_in: 12
    transferred_out: 20
    deaths: 2
survey:
  all:
    questionnaires: 2000
    valid: 1900
    satisfied: 1712
    visited: 150
    visited_satisfied: 141
  parents:
    questionnaires: 1200
    valid: 1150
    satisfied: 1050
    visited: 90
    visited_satisfied: 85
";

/// The school data of the national fixture.
fn rows() -> Vec<Vec<Cell>> {
    let mut r = baseline_rows();
    // 测试第一小学: 5600 m² for 800 pupils = 7.00 m² < 7.5 but ≥ 85 % of it (6.375).
    set(&mut r[0], col::SPORTS, n(5600.0));
    // 测试第一中学 entered with 举办者类型 6.
    set(&mut r[1], col::OWNER, n(6.0));
    r.push(row("3600000004", "测试完全中学", "完全中学", "初中", 450.0));
    r.push(row("3600000005", "测试甲教学点", "教学点", "小学", 30.0));
    r.push(row("3600000006", "测试乙教学点", "教学点", "小学", 60.0));
    // 教职工数 = 专任教师数 + 5 on every row of a stage.
    let teachers = HEADERS.iter().position(|h| *h == col::TEACHERS).unwrap();
    for x in &mut r {
        if let Cell::N(t) = x[teachers] {
            set(x, col::STAFF, n(t + 5.0));
        }
    }
    let mut sp = row("3600000007", "测试特殊教育学校", "特殊教育学校", "小学", 80.0);
    set(&mut sp, col::STAGE, Cell::Blank);
    set(&mut sp, col::STAFF, Cell::Blank);
    r.push(sp);
    r
}

fn build(case: &str, root: &Path) {
    let _ = std::fs::remove_dir_all(root);
    baseline(root);
    let _ = std::fs::remove_dir(root.join("evidence"));
    let write = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
    match case {
        "combined-and-small-points" => {
            write("content/county.yaml", &format!("{CONFIG}{COUNTS}"));
            write_schools(root, &rows());
        }
        // (480 − 12 + 20) ÷ (500 − 2) = 97.99…%, shown 98.0, against 95 entered.
        "rate-disagrees-with-counts" => write(
            "content/county.yaml",
            &format!(
                "{CONFIG}enrolment:\n  junior_retention: 95\n  cohort:\n    graduates: 480\n    entrants: 500\n    transferred_in: 12\n    transferred_out: 20\n    deaths: 2\n"
            ),
        ),
        other => panic!("no builder for {other}"),
    }
}

#[test]
#[ignore]
fn regenerate() {
    for case in CASES {
        build(case, &fixtures().join(case));
    }
}

#[test]
fn fixtures_are_what_the_builders_write() {
    fixtures_match_builders(&fixtures(), CASES, build);
}

/// A built copy of a workspace: its folder, its JSON and its form.
struct Built {
    _dir: tempfile::TempDir,
    root: PathBuf,
    json: Value,
    book: Xlsx<std::io::BufReader<std::fs::File>>,
}

impl Built {
    fn sheet(&mut self, name: &str) -> Sheet {
        Sheet(self.book.worksheet_range(name).unwrap())
    }
}

struct Sheet(Range<Data>);

impl Sheet {
    fn num(&self, r: u32, c: u32) -> Option<f64> {
        match self.0.get_value((r, c)) {
            Some(Data::Float(f)) => Some(*f),
            Some(Data::Int(i)) => Some(*i as f64),
            _ => None,
        }
    }

    fn text(&self, r: u32, c: u32) -> String {
        match self.0.get_value((r, c)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => other.to_string(),
        }
    }
}

fn built_copy(from: &Path) -> Built {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(from, dir.path());
    let root = dir.path().to_path_buf();
    yingjian::build(&root).unwrap();
    let json: Value = serde_json::from_slice(&std::fs::read(root.join("out/评估结果.json")).unwrap()).unwrap();
    let book = open_workbook(root.join("out/申报表.xlsx")).unwrap();
    Built {
        _dir: dir,
        root,
        json,
        book,
    }
}

fn sample() -> Built {
    let dir = sample_copy();
    let b = built_copy(dir.path());
    drop(dir);
    b
}

const KEYS: [&str; 7] = [
    "degree_teachers",
    "backbone_teachers",
    "pe_art_teachers",
    "building_area",
    "sports_area",
    "equipment_value",
    "multimedia_rooms",
];

/// `got`, a cell, prints as `want` does at `d` decimals.
#[track_caller]
fn same(got: Option<f64>, want: &Value, d: usize) {
    let w = want.as_f64().unwrap_or_else(|| panic!("not a number: {want}"));
    let g = got.unwrap_or_else(|| panic!("empty cell, want {w}"));
    assert_eq!(format!("{g:.d$}"), format!("{w:.d$}"));
}

/// Every table against 评估结果.json: the figures the JSON holds, at the form's rounding.
fn check_against_json(b: &mut Built, min_points: f64) {
    let a = b.json.clone();
    // 表Ⅰ L9–L14, L19–L20, L22, L24: school counts, pupils, teachers.
    let t1 = b.sheet("表Ⅰ");
    for (c, kind) in [
        (8, "小学"),
        (9, "九年一贯制学校"),
        (10, "初中"),
        (11, "完全中学"),
        (12, "十二年一贯制学校"),
        (13, "特殊教育学校"),
    ] {
        let want = a["summary"]["by_kind"][kind].as_f64().unwrap_or(0.0);
        assert_eq!(t1.num(5, c), Some(want), "{kind}");
    }
    for (c, stage, field) in [
        (16, "primary", "classes"),
        (17, "junior", "classes"),
        (18, "primary", "students"),
        (19, "junior", "students"),
        (21, "primary", "teachers"),
        (23, "junior", "teachers"),
    ] {
        same(t1.num(5, c), &a["summary"][stage][field], 0);
    }
    // 表Ⅱ-2: the rows of the JSON's schools, less 教学点 under `min_points` pupils.
    let t22 = b.sheet("表Ⅱ-2");
    let mut listed = vec![];
    let mut r = 5;
    while !t22.text(r, 0).starts_with("注") {
        if t22.num(r, 0).is_some() {
            listed.push(r);
        }
        r += 1;
    }
    let mut want_rows = 0;
    for stage in ["primary", "junior"] {
        let st = &a["resource"][stage];
        for s in st["schools"].as_array().unwrap() {
            if s["kind"] == "teaching_point" && s["students"].as_f64().unwrap() < min_points {
                assert!(!listed.iter().any(|r| t22.text(*r, 1) == s["name"].as_str().unwrap()));
                continue;
            }
            want_rows += 1;
            let stage_label = if stage == "primary" { "小学" } else { "初中" };
            // The row of this school in this stage's block (a combined school has two).
            let row = *listed
                .iter()
                .filter(|r| t22.text(**r, 1) == s["name"].as_str().unwrap())
                .find(|r| {
                    let block = (5..**r)
                        .rev()
                        .map(|x| t22.text(x, 0))
                        .find(|t| !t.is_empty() && t.parse::<f64>().is_err())
                        .unwrap();
                    block == stage_label || (block.starts_with("教学点") && stage == "primary")
                })
                .unwrap_or_else(|| panic!("{} not listed", s["name"]));
            same(t22.num(row, 3), &s["students"], 0);
            for (k, key) in KEYS.iter().enumerate() {
                same(t22.num(row, 6 + k as u32), &s["values"][key], 2);
            }
            let pass = match s["pass"].as_bool() {
                Some(true) => "是",
                Some(false) => "否",
                None => "待核实",
            };
            assert_eq!(t22.text(row, 13), pass, "{}", s["name"]);
        }
    }
    assert_eq!(listed.len(), want_rows);
    // 表Ⅱ-1: the listed rows' counts; 表Ⅲ: the JSON's means (2 decimals) and CVs (3).
    let t21 = b.sheet("表Ⅱ-1");
    let t3 = b.sheet("表Ⅲ");
    for (i, stage) in ["primary", "junior"].iter().enumerate() {
        let st = &a["resource"][*stage];
        let mine: Vec<&Value> = st["schools"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["kind"] != "teaching_point" || s["students"].as_f64().unwrap() >= min_points)
            .collect();
        let r = 5 + i as u32;
        assert_eq!(t21.num(r, 1), Some(mine.len() as f64));
        for (k, key) in KEYS.iter().enumerate() {
            let met = mine
                .iter()
                .filter(|s| {
                    !s["values"][key].is_null() && !s["shortfalls"].as_array().unwrap().iter().any(|x| x == key)
                })
                .count();
            assert_eq!(t21.num(r, 2 + 2 * k as u32), Some(met as f64), "{stage} {key}");
            same(t3.num(r, 1 + 2 * k as u32), &st["mean"][key], 2);
            same(t3.num(r, 2 + 2 * k as u32), &st["cv"][key], 3);
        }
        let passing = mine.iter().filter(|s| s["pass"] == true).count();
        assert_eq!(t21.num(r, 16), Some(passing as f64));
    }
    // 表Ⅳ, 表Ⅴ: the 15 and 9 national rows, numbered.
    for (name, rows) in [("表Ⅳ", 15), ("表Ⅴ", 9)] {
        let t = b.sheet(name);
        for k in 0..rows {
            assert_eq!(t.num(3 + k, 0), Some((k + 1) as f64), "{name}");
            assert!(["是", "否", "待核实"].contains(&t.text(3 + k, 3).as_str()));
        }
        assert!(t.text(3 + rows, 0).is_empty(), "{name} has {rows} rows");
    }
    // 表Ⅵ: 综合满意度 is the 社会认可度 the rule judged.
    let t6 = b.sheet("表Ⅵ");
    let summary = a["checks"]["county.recognition"]["summary"].as_str().unwrap();
    let judged: f64 = summary
        .trim_start_matches("社会认可度 ")
        .split('%')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(format!("{:.1}", t6.num(4, 4).unwrap()), format!("{judged:.1}"));
}

#[test]
fn the_sample_form_agrees_with_the_assessment() {
    let mut b = sample();
    check_against_json(&mut b, 50.0);
    // The sample has no 教职工数 column: L21, L23 stay empty (never 0), named in a warning.
    let t1 = b.sheet("表Ⅰ");
    assert_eq!((t1.num(5, 20), t1.num(5, 22)), (None, None));
    assert_eq!(t1.num(5, 0), Some(52.36));
    // Jiangxi: the rows are the national ones, their verdicts mapped (A19 交流轮岗 not met).
    let t4 = b.sheet("表Ⅳ");
    assert_eq!(t4.text(13, 1), "教师交流轮岗");
    assert_eq!(t4.text(13, 3), "否");
    assert_eq!(
        t4.text(13, 2),
        "全县符合交流轮岗条件教师1260名，上一年度交流轮岗教师138名，占11.0%，其中骨干教师25名，占18.1%"
    );
    let t5 = b.sheet("表Ⅴ");
    // (3275 − 36 + 48) ÷ (3354 − 3) = 3287 ÷ 3351 = 98.09…% → 98.1.
    assert_eq!(
        t5.text(3, 2),
        "初中毕业班学生3275人，三年前入学3354人，三年内转入36人、转出48人、死亡3人，巩固率98.1%"
    );
}

#[test]
fn combined_schools_and_small_teaching_points() {
    let mut b = built_copy(&fixtures().join("combined-and-small-points"));
    check_against_json(&mut b, 50.0);
    let t1 = b.sheet("表Ⅰ");
    let line: Vec<Option<f64>> = (0..24).map(|c| t1.num(5, c)).collect();
    // L9–L16: 小学 1, 九年一贯制 1, 初中 1, 完全中学 1, 十二年一贯制 0, 特教 1, 教学点 2, of
    // which 60 pupils ≥ 50: 1.
    assert_eq!(&line[8..16], [1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 2.0, 1.0].map(Some));
    // Classes ⌈pupils ÷ 40⌉: 小学 20 + 13 + 1 + 2 = 36; 初中 15 + 8 + 12 = 35.
    // Pupils: 小学 800 + 500 + 30 + 60 = 1390; 初中 600 + 300 + 450 = 1350.
    // 专任教师 ⌈pupils ÷ 12⌉: 小学 67 + 42 + 3 + 5 = 117; 初中 50 + 25 + 38 = 113;
    // 教职工 each row + 5: 小学 117 + 20 = 137, 初中 113 + 15 = 128 (the special school is out).
    assert_eq!(
        &line[16..24],
        [36.0, 35.0, 1390.0, 1350.0, 137.0, 117.0, 128.0, 113.0].map(Some)
    );
    assert_eq!(line[0], Some(31.47));
    // 表Ⅱ-2: 测试第一小学, first row: 7.00 m² sports area, shaded and still 是 (6 of 7 met,
    // the seventh at 7.00 / 7.5 = 93 % ≥ 85 %).
    let t = b.sheet("表Ⅱ-2");
    assert_eq!(t.text(5, 0), "小学");
    assert_eq!(t.text(6, 1), "测试第一小学");
    // 举办者类型 7 (blank), 800 pupils, 6 grades (blank, 小学), 20 classes.
    assert_eq!(
        [t.num(6, 2), t.num(6, 3), t.num(6, 4), t.num(6, 5)],
        [7.0, 800.0, 6.0, 20.0].map(Some)
    );
    // 48 / 800 × 100 = 6.00; 12 / 800 × 100 = 1.50; 10 / 800 × 100 = 1.25; 4800 / 800 = 6.00;
    // 5600 / 800 = 7.00; 240 万元 / 800 = 3000.00 元; 24 / 800 × 100 = 3.00.
    let values: Vec<String> = (6..13).map(|c| format!("{:.2}", t.num(6, c).unwrap())).collect();
    assert_eq!(values, ["6.00", "1.50", "1.25", "6.00", "7.00", "3000.00", "3.00"]);
    assert_eq!(t.text(6, 13), "是");
    assert_eq!(t.text(6, 14), "达标：L1、L2、L3、L4、L6、L7；不低于标准的85%：L5");
    // 测试第一中学: 举办者类型 6 as entered; 3 grades by default.
    let junior = (5..30).find(|r| t.text(*r, 1) == "测试第一中学").unwrap();
    assert_eq!((t.num(junior, 2), t.num(junior, 4)), (Some(6.0), Some(3.0)));
    // Scope: no special school, no 30-pupil 教学点; the 60-pupil one last, in its block.
    let names: Vec<String> = (5..30).map(|r| t.text(r, 1)).filter(|s| !s.is_empty()).collect();
    assert_eq!(
        names,
        [
            "测试第一小学",
            "测试实验学校",
            "测试第一中学",
            "测试实验学校",
            "测试完全中学",
            "测试乙教学点"
        ]
    );
    // The footer: two 九年一贯制 sections, one 教学点 of 50 or more, one 完全中学 junior section.
    let footer = (5..30).map(|r| t.text(r, 0)).find(|s| s.starts_with("注")).unwrap();
    assert!(
        footer.contains("一贯制学校学段2个，50人及以上教学点1个，完全中学初中部1个"),
        "{footer}"
    );
    // 表Ⅲ 小学 L5 (sports area), weighted by pupils, 甲教学点 included as in the assessment:
    // (800, 7), (500, 11), (30, 11), (60, 11): P = 1390, X̄ = 12090 / 1390 = 8.6978;
    // Σ P(X − X̄)² = 800 · 1.69784² + 590 · 2.30216² = 2306.13 + 3126.96 = 5433.09;
    // S = √(5433.09 / 1390) = 1.97704; CV = 1.97704 / 8.6978 = 0.2273 → 0.227.
    let t3 = b.sheet("表Ⅲ");
    assert_eq!(format!("{:.2}", t3.num(5, 9).unwrap()), "8.70");
    assert_eq!(format!("{:.3}", t3.num(5, 10).unwrap()), "0.227");
    // 表Ⅴ 巩固率 from its counts: (480 − 12 + 20) ÷ (500 − 2) = 488 ÷ 498 = 97.99…% → 98.0,
    // and the rule judged that rate (no rate was entered).
    let t5 = b.sheet("表Ⅴ");
    assert_eq!(
        t5.text(3, 2),
        "初中毕业班学生480人，三年前入学500人，三年内转入12人、转出20人、死亡2人，巩固率98.0%"
    );
    assert_eq!(t5.text(3, 3), "是");
    assert_eq!(b.json["checks"]["county.retention"]["verdict"], "met");
    // 表Ⅵ: 1712 ÷ 1900 = 90.105…% → 90.1; 141 ÷ 150 = 94.0 %; parents 1050 ÷ 1150 = 91.3 %.
    let t6 = b.sheet("表Ⅵ");
    assert_eq!(format!("{:.1}", t6.num(4, 4).unwrap()), "90.1");
    assert_eq!(format!("{:.1}", t6.num(4, 7).unwrap()), "94.0");
    assert_eq!(format!("{:.1}", t6.num(5, 4).unwrap()), "91.3");
    // No rate without counts in this workspace: the missing figures are named in one warning.
    let warn: Vec<&Value> = b.json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "form-data-missing")
        .collect();
    assert!(warn.len() <= 1, "{warn:?}");
    assert!(b.root.join("out/申报表.pdf").exists());
}

#[test]
fn a_rate_that_disagrees_with_its_counts_is_an_error_naming_both() {
    let a = yingjian::check(&fixtures().join("rate-disagrees-with-counts"));
    let d = a
        .diagnostics
        .iter()
        .find(|d| d.code == "rate-disagrees-with-counts")
        .expect("an error");
    assert_eq!(d.severity, Severity::Error);
    // county.yaml line 7 is `  junior_retention: 95` (CONFIG has five lines, then `enrolment:`).
    assert_eq!(d.location.to_string(), "content/county.yaml:7:3");
    assert_eq!(
        d.message,
        "enrolment.junior_retention 填写的初中三年巩固率 95% 与由人数算得的 98.0%（(480 − 12 + 20) ÷ (500 − 2) × 100%）不一致"
    );
}

#[test]
fn the_form_is_deterministic_and_in_the_overview() {
    let mut b = built_copy(&fixtures().join("combined-and-small-points"));
    let first = std::fs::read(b.root.join("out/申报表.xlsx")).unwrap();
    let pdf = std::fs::read(b.root.join("out/申报表.pdf")).unwrap();
    std::fs::remove_dir_all(b.root.join("out")).unwrap();
    yingjian::build(&b.root).unwrap();
    assert!(std::fs::read(b.root.join("out/申报表.xlsx")).unwrap() == first);
    assert!(std::fs::read(b.root.join("out/申报表.pdf")).unwrap() == pdf);
    let index = std::fs::read_to_string(b.root.join("out/index.html")).unwrap();
    assert!(index.contains("申报表.xlsx") && index.contains("申报表.pdf"));
    // Print setup: A4 (paper 9), landscape for the wide tables, header rows repeated.
    let _ = b.sheet("表Ⅰ");
    let xml = sheet_xml(&b.root.join("out/申报表.xlsx"), "xl/worksheets/sheet3.xml");
    assert!(xml.contains(r#"paperSize="9""#) && xml.contains(r#"orientation="landscape""#));
    let wb = sheet_xml(&b.root.join("out/申报表.xlsx"), "xl/workbook.xml");
    assert!(wb.contains("_xlnm.Print_Titles") && wb.contains("_xlnm.Print_Area"));
}

fn sheet_xml(path: &Path, part: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The PDF carries the same figures: the CVs of 表Ⅲ and every listed school.
#[test]
fn the_pdf_prints_the_same_figures() {
    let Ok(out) = std::process::Command::new("pdftotext").arg("-v").output() else {
        eprintln!("跳过：未安装 pdftotext（apt-get install poppler-utils）");
        return;
    };
    drop(out);
    let mut b = built_copy(&fixtures().join("combined-and-small-points"));
    let text = std::process::Command::new("pdftotext")
        .arg(b.root.join("out/申报表.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text: String = String::from_utf8_lossy(&text.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let t3 = b.sheet("表Ⅲ");
    for r in [5, 6] {
        for c in 1..15 {
            let d = if c % 2 == 0 { 3 } else { 2 };
            let v = t3.num(r, c).unwrap();
            assert!(text.contains(&format!("{v:.d$}")), "{v:.d$}");
        }
    }
    for name in ["测试第一小学", "测试完全中学", "测试乙教学点", "表Ⅵ", "社会认可度"] {
        assert!(text.contains(name), "{name}");
    }
    assert!(!text.contains("测试甲教学点"), "a 30-pupil 教学点 is not on the form");
}

/// LibreOffice with Calc (a Writer-only install cannot open a workbook).
fn soffice() -> Option<PathBuf> {
    let calc = ["/usr/lib/libreoffice/program/libsclo.so"]
        .iter()
        .any(|p| Path::new(p).exists());
    [
        "/usr/bin/soffice",
        "/usr/bin/libreoffice",
        "/usr/lib/libreoffice/program/soffice",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
    .filter(|_| calc)
}

/// LibreOffice opens the workbook and prints every sheet (CI installs it; skipped here
/// without it unless YINGJIAN_REQUIRE_LIBREOFFICE is set).
#[test]
fn libreoffice_converts_the_workbook() {
    let Some(soffice) = soffice() else {
        assert!(
            std::env::var_os("YINGJIAN_REQUIRE_LIBREOFFICE").is_none(),
            "LibreOffice Calc is required (apt-get install libreoffice-calc-nogui)"
        );
        eprintln!("跳过：未安装 LibreOffice Calc（apt-get install libreoffice-calc-nogui）");
        return;
    };
    let b = built_copy(&fixtures().join("combined-and-small-points"));
    let work = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("timeout")
        .arg("600")
        .arg(soffice)
        .env("HOME", work.path())
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(work.path())
        .arg(b.root.join("out/申报表.xlsx"))
        .status()
        .unwrap();
    assert!(status.success());
    let pdf = work.path().join("申报表.pdf");
    assert!(pdf.exists(), "LibreOffice did not convert 申报表.xlsx");
    if let Ok(out) = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output() {
        let text: String = String::from_utf8_lossy(&out.stdout)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        for t in ["基本情况", "测试第一小学", "校际均衡情况", "政府保障程度", "社会认可度"] {
            assert!(text.contains(t), "{t}");
        }
    }
}

fn pdf_text(path: &Path, layout: bool) -> Option<String> {
    let mut cmd = std::process::Command::new("pdftotext");
    if layout {
        cmd.arg("-layout");
    }
    let out = cmd.arg(path).arg("-").output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// One figure, one value: the sample's 申报表 against the report (表 1's coefficients, the
/// pupils) and against 基础数据表 (each listed school's seven values recomputed from its raw
/// columns there, as the workbook's own formulas do).
#[test]
fn the_sample_form_agrees_with_the_report_and_the_data_workbook() {
    let mut b = sample();
    let t1 = b.sheet("表Ⅰ");
    let t3 = b.sheet("表Ⅲ");
    let t22 = b.sheet("表Ⅱ-2");
    // 基础数据表: per stage sheet, name → (pupils, the seven values).
    let mut data: Xlsx<_> = open_workbook(b.root.join("out/基础数据表.xlsx")).unwrap();
    let mut by_stage = std::collections::HashMap::new();
    for (stage, sheet) in [("小学", "小学差异系数"), ("初中", "初中差异系数")] {
        let s = Sheet(data.worksheet_range(sheet).unwrap());
        let mut r = 3;
        while !s.text(r, 1).is_empty() {
            let c = s.num(r, 2).unwrap();
            let raw = |k: u32| s.num(r, k).unwrap();
            // As the sheet's formulas: D/C×100, E/C×100, F/C×100, G/C, H/C, I×10000/C, J/C×100.
            let values = [
                raw(3) / c * 100.0,
                raw(4) / c * 100.0,
                raw(5) / c * 100.0,
                raw(6) / c,
                raw(7) / c,
                raw(8) * 10_000.0 / c,
                raw(9) / c * 100.0,
            ];
            by_stage.insert((stage, s.text(r, 1)), (c, values));
            r += 1;
        }
    }
    let mut block = String::new();
    let mut compared = 0;
    for r in 5..200 {
        let first = t22.text(r, 0);
        if first.starts_with("注") {
            break;
        }
        if t22.num(r, 0).is_none() {
            block = first;
            continue;
        }
        // 教学点 are primary sections.
        let stage = if block == "初中" { "初中" } else { "小学" };
        let (pupils, values) = by_stage
            .get(&(stage, t22.text(r, 1)))
            .unwrap_or_else(|| panic!("{} not in 基础数据表", t22.text(r, 1)));
        assert_eq!(t22.num(r, 3), Some(*pupils));
        for (k, v) in values.iter().enumerate() {
            let got = t22.num(r, 6 + k as u32).unwrap();
            assert_eq!(format!("{got:.2}"), format!("{v:.2}"), "{} L{}", t22.text(r, 1), k + 1);
        }
        compared += 1;
    }
    // 18 primary rows, 1 教学点 of 50 or more, 10 junior rows (the other two 教学点 are under 50).
    assert_eq!(compared, 29);
    // 柳溪村小学: 6.80 m² against 7.5. Jiangxi asks all seven (no 85 % floor): "未达标", not
    // "低于标准85%" (6.80 is 90.7 % of 7.5).
    let liuxi = (5..40).find(|r| t22.text(*r, 1) == "柳溪村小学").unwrap();
    assert_eq!(t22.text(liuxi, 13), "否");
    assert_eq!(t22.text(liuxi, 14), "达标：L1、L2、L3、L4、L6、L7；未达标：L5");

    let Some(report) = pdf_text(&b.root.join("out/自评报告.pdf"), true) else {
        eprintln!("跳过报告比对：未安装 pdftotext（apt-get install poppler-utils）");
        return;
    };
    // 表 1 of the report: the seven lines after its header, "label  primary  junior".
    let lines: Vec<&str> = report.lines().collect();
    let start = lines.iter().position(|l| l.contains("表 1 校际差异系数")).unwrap();
    let rows: Vec<Vec<&str>> = lines[start + 1..]
        .iter()
        .filter(|l| l.trim_start().starts_with(|c: char| !c.is_ascii_digit()) && !l.trim().is_empty())
        .skip(1)
        .take(7)
        .map(|l| l.split_whitespace().collect())
        .collect();
    for (k, row) in rows.iter().enumerate() {
        let (p, j) = (row[row.len() - 2], row[row.len() - 1]);
        assert_eq!(format!("{:.3}", t3.num(5, 2 + 2 * k as u32).unwrap()), p, "{row:?}");
        assert_eq!(format!("{:.3}", t3.num(6, 2 + 2 * k as u32).unwrap()), j, "{row:?}");
    }
    let flat: String = pdf_text(&b.root.join("out/自评报告.pdf"), false)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let (p, j) = (t1.num(5, 18).unwrap(), t1.num(5, 19).unwrap());
    assert!(flat.contains(&format!("其中小学{p}人、初中{j}人")), "{p} {j}");
}
