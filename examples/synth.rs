//! A synthetic but valid workspace of any size, for benchmarks.
//!
//!     cargo run --release --example synth -- --schools 300 --evidence 5000 /tmp/synth-300
//!
//! Writes content/county.yaml (Jiangxi profile, every county figure filled), scores.yaml
//! (every B point scored), schools.xlsx with the requested number of school rows (primary,
//! junior and 九年一贯制 schools with two rows, values scattered around the standards),
//! units.yaml (every unit of the profile), tasks.yaml (two per unit), report chapters,
//! `--documents` policy documents (Markdown, one in five a registered PDF) and an evidence
//! catalogue of `--evidence` items spread over every indicator point, each a real small PDF.
//! `--scans N`: the first N items are scans instead, eight 200-dpi A4 pages each, every page a
//! JPEG of its own (about 0.5 MB), as a county's real evidence is.

#[path = "support/pdf.rs"]
mod pdf;

use rust_xlsxwriter::Workbook;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use yingjian::model::profile::{Indicator, Profile};
use yingjian::model::school::columns::HEADERS;

/// xorshift64*: deterministic, so the same arguments give the same workspace.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }
}

struct Args {
    schools: usize,
    evidence: usize,
    documents: usize,
    /// One corrected cell: the first school's 体育运动场馆面积 is 100 m² larger.
    correct: bool,
    /// Evidence items that are scanned documents.
    scans: usize,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut opts = Args {
        schools: 300,
        evidence: 0,
        documents: 30,
        correct: false,
        scans: 0,
    };
    let mut dir: Option<PathBuf> = None;
    let number = |v: Option<String>, default: usize| v.and_then(|v| v.parse().ok()).unwrap_or(default);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--schools" => opts.schools = number(args.next(), opts.schools),
            "--evidence" => opts.evidence = number(args.next(), opts.evidence),
            "--documents" => opts.documents = number(args.next(), opts.documents),
            "--correct" => opts.correct = true,
            "--scans" => opts.scans = number(args.next(), opts.scans),
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let Some(dir) = dir else {
        eprintln!(
            "用法: cargo run --release --example synth -- [--schools N] [--evidence N] [--documents N] [--scans N] [--correct] 目录"
        );
        std::process::exit(2);
    };
    let Some(profile) = yingjian::model::Profile::builtin("jiangxi-2018") else {
        eprintln!("错误: 缺少内置指标体系 jiangxi-2018");
        std::process::exit(1);
    };
    let done = write(&dir, opts.schools, opts.correct)
        .and_then(|()| write_plan(&dir, &profile))
        .and_then(|()| write_documents(&dir, opts.documents))
        .and_then(|()| write_evidence(&dir, &profile, opts.evidence, opts.scans));
    if let Err(e) = done {
        eprintln!("错误: {e}");
        std::process::exit(1);
    }
    println!(
        "已生成 {} 行学校数据、{} 件佐证材料、{} 份汇编文件：{}",
        opts.schools,
        opts.evidence,
        opts.documents,
        dir.display()
    );
}

type Res = Result<(), Box<dyn std::error::Error>>;

/// Writes a file unless it already has these bytes, so that re-running the generator with
/// one more evidence item touches only what changed (as a person adding a file would).
fn put(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
}

/// Every unit the profile names, in order of first appearance.
fn units(profile: &Profile) -> Vec<String> {
    let mut seen = BTreeSet::new();
    profile
        .indicators
        .iter()
        .flat_map(|i| i.lead.iter().chain(&i.units))
        .filter(|u| seen.insert(u.as_str()))
        .cloned()
        .collect()
}

/// units.yaml and tasks.yaml: two tasks per unit, due dates around `today` (2026-11-20).
fn write_plan(dir: &Path, profile: &Profile) -> Res {
    let units = units(profile);
    let mut u = String::from("units:\n");
    let mut t = String::from("tasks:\n");
    for (n, name) in units.iter().enumerate() {
        u.push_str(&format!(
            "  - name: {name}\n    full_name: 合成县{name}\n    leader: 领导{n}\n    person: 联络员{n}\n    phone: \"0797-62{n:05}\"\n"
        ));
        let led: Vec<&str> = profile
            .indicators
            .iter()
            .filter(|i| i.lead.contains(name))
            .map(|i| i.id.as_str())
            .collect();
        for k in 0..2 {
            let (due, status) = match (n + k) % 4 {
                0 => ("2026-10-30", "已完成"),
                1 => ("2026-11-15", "进行中"),
                2 => ("2026-11-25", "进行中"),
                _ => ("2026-12-10", "未开始"),
            };
            t.push_str(&format!(
                "  - task: {name}第{}项迎检准备工作\n    indicators: [{}]\n    unit: {name}\n    person: 联络员{n}\n    start: 2026-09-01\n    due: {due}\n    status: {status}\n",
                k + 1,
                led.join(", ")
            ));
        }
    }
    std::fs::write(dir.join("content/units.yaml"), u)?;
    std::fs::write(dir.join("content/tasks.yaml"), t)?;
    let report = dir.join("content/report");
    std::fs::create_dir_all(&report)?;
    for chapter in ["前言", "基本情况", "存在问题", "整改措施"] {
        let mut text = String::new();
        for p in 1..=4 {
            text.push_str(&format!(
                "合成县{chapter}第{p}段。全县坚持以人民为中心的发展思想，把义务教育优质均衡发展作为教育工作的重中之重，\
                 统筹推进学校建设、教师队伍建设和教育教学改革，**各项指标**持续向好。\n\n"
            ));
        }
        std::fs::write(report.join(format!("{chapter}.md")), text)?;
    }
    Ok(())
}

/// `count` policy documents: Markdown, one in five a scanned PDF registered in index.yaml.
fn write_documents(dir: &Path, count: usize) -> Res {
    let docs = dir.join("content/documents");
    std::fs::create_dir_all(&docs)?;
    let mut index = String::from("类别顺序: [规划方案, 制度文件, 会议纪要]\n文件:\n");
    for n in 1..=count {
        let category = ["规划方案", "制度文件", "会议纪要"][n % 3];
        let title = format!("合成县人民政府关于义务教育优质均衡发展第{n}项工作的通知");
        let date = format!("2025-{:02}-{:02}", 1 + n % 12, 1 + n % 28);
        if n % 5 == 0 {
            let file = format!("文件{n:03}.pdf");
            std::fs::write(
                docs.join(&file),
                pdf::sample_pdf(&format!("document {n}"), 1 + (n % 4) as u32),
            )?;
            index.push_str(&format!(
                "  - 文件: {file}\n    标题: {title}\n    发文机关: 合成县人民政府\n    文号: 合府发〔2025〕{n}号\n    成文日期: {date}\n    类别: {category}\n"
            ));
            continue;
        }
        let mut text = format!(
            "---\n标题: {title}\n发文机关: 合成县人民政府\n文号: 合府发〔2025〕{n}号\n成文日期: {date}\n类别: {category}\n排序: {n}\n---\n各乡镇人民政府，县直各单位：\n\n"
        );
        for p in 1..=6 {
            text.push_str(&format!(
                "{p}. 为推进全县义务教育优质均衡发展，现就第{n}项工作通知如下：各单位要按照职责分工，\
                 于规定时限内完成相关任务，并将佐证材料报送县教育局。\n\n"
            ));
        }
        text.push_str("合成县人民政府\n\n2025年\n");
        put(&docs.join(format!("{n:03}.md")), text.as_bytes())?;
    }
    std::fs::write(docs.join("index.yaml"), index)?;
    Ok(())
}

/// evidence.xlsx with `count` items over every point of every indicator in turn, each a PDF
/// of 1 to 4 pages under evidence/<indicator>/; the first `scans` of them scanned (`scan`).
fn write_evidence(dir: &Path, profile: &Profile, count: usize, scans: usize) -> Res {
    let points: Vec<(&Indicator, &str)> = profile
        .indicators
        .iter()
        .flat_map(|i| i.points.iter().map(move |p| (i, p.id.as_str())))
        .collect();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("佐证材料清单")?;
    for (c, h) in yingjian::model::evidence::columns::HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    for n in 0..count {
        let (ind, point) = points[n % points.len()];
        let seq = n / points.len() + 1;
        let file = format!("{0}/{0}-{point}-{seq:03}.pdf", ind.id);
        let path = dir.join("evidence").join(&file);
        if n < scans {
            if !path.exists() {
                put(&path, &scan(n))?;
            }
        } else {
            put(&path, &pdf::sample_pdf(&file, 1 + (n % 4) as u32))?;
        }
        let unit = ind.lead.first().cloned().unwrap_or_default();
        let row = (n + 1) as u32;
        ws.write_string(row, 0, &ind.id)?;
        ws.write_string(row, 1, point)?;
        ws.write_string(row, 2, format!("合成县{}佐证材料第{seq}号", ind.name))?;
        ws.write_string(row, 3, format!("合成县{unit}"))?;
        ws.write_string(row, 5, format!("2025-{:02}-{:02}", 1 + n % 12, 1 + n % 28))?;
        ws.write_string(row, 7, &file)?;
        ws.write_string(row, 8, &unit)?;
    }
    if count > 0 {
        wb.save(dir.join("content/evidence.xlsx"))?;
    }
    Ok(())
}

/// Pixels of an A4 page scanned at 200 dpi.
const SCAN: (u32, u32) = (1654, 2339);

/// Item `n` as a scanner gives it: eight pages, each a grey JPEG of paper with lines of
/// "text" (dark strokes of random length) and the scanner's noise, no two pages alike.
/// Written once (encoding is the slow part); a later run keeps the file.
fn scan(n: usize) -> Vec<u8> {
    let (w, h) = SCAN;
    let pages: Vec<Vec<u8>> = (0..8)
        .map(|p| {
            let mut rng = Rng(0x5CA7_0000_0000_0001 ^ ((n as u64) << 8 | p as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let mut px = vec![0u8; (w * h) as usize];
            for y in 0..h {
                // Lines of text every 60 px, 34 px high, 150 px margins.
                let in_line = y > 200 && y < h - 200 && (y % 60) < 34;
                let mut run = 0i32;
                for x in 0..w {
                    let noise = (rng.next() * 6.0) as u8;
                    let mut v = 236 + noise;
                    if in_line && x > 150 && x < w - 150 {
                        if run <= 0 {
                            run = (rng.next() * 40.0) as i32 - 12;
                        }
                        if run > 0 {
                            v = 40 + noise;
                        }
                        run -= 1;
                    }
                    px[(y * w + x) as usize] = v;
                }
            }
            let mut jpeg = vec![];
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 50);
            let _ = image::ImageEncoder::write_image(encoder, &px, w, h, image::ExtendedColorType::L8);
            jpeg
        })
        .collect();
    pdf::scanned_pdf(&pages, w, h)
}

fn write(dir: &Path, rows: usize, correct: bool) -> Res {
    std::fs::create_dir_all(dir.join("content"))?;
    std::fs::create_dir_all(dir.join("evidence"))?;
    std::fs::write(dir.join("content/county.yaml"), COUNTY)?;
    std::fs::write(dir.join("content/scores.yaml"), scores())?;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("学校基础数据")?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut r = 1u32;
    let mut n = 0usize;
    while (r as usize) <= rows {
        n += 1;
        let code = format!("36{:08}", n);
        // One school in ten is 九年一贯制 (two rows), the rest alternate primary / junior 3:1.
        let (kind, stages): (&str, &[&str]) = if n.is_multiple_of(10) && (r as usize) < rows {
            ("九年一贯制学校", &["小学", "初中"])
        } else if n.is_multiple_of(4) {
            ("初中", &["初中"])
        } else {
            ("小学", &["小学"])
        };
        let locale = ["城区", "镇区", "乡村"][n % 3];
        for (k, stage) in stages.iter().enumerate() {
            let junior = *stage == "初中";
            let students = rng
                .between(150.0, if stages.len() > 1 { 1200.0 } else { 1800.0 })
                .round();
            let classes = (students / if junior { 45.0 } else { 42.0 }).ceil();
            let teachers = (students / if junior { 11.0 } else { 15.0 }).ceil();
            let per100 = |rng: &mut Rng, std: f64| (students / 100.0 * std * rng.between(1.02, 1.6)).ceil();
            let per_pupil = |rng: &mut Rng, std: f64| (students * std * rng.between(1.02, 1.7)).round();
            let mut values: Vec<f64> = vec![
                students,
                classes,
                (students / classes).ceil().min(if junior { 50.0 } else { 45.0 }),
                teachers,
                teachers,
                per100(&mut rng, if junior { 5.3 } else { 4.2 }).min(teachers),
                per100(&mut rng, 1.0),
                per100(&mut rng, 0.9),
                per_pupil(&mut rng, if junior { 5.8 } else { 4.5 }),
                per_pupil(&mut rng, if junior { 10.2 } else { 7.5 }),
                (per_pupil(&mut rng, if junior { 2500.0 } else { 2000.0 }) / 10_000.0 * 100.0).round() / 100.0,
                per100(&mut rng, if junior { 2.4 } else { 2.3 }),
            ];
            if correct && r == 1 {
                values[9] += 100.0;
            }
            ws.write_string(r, 0, &code)?;
            ws.write_string(r, 1, format!("合成县第{n}学校"))?;
            ws.write_string(r, 3, *stage)?;
            for (i, v) in values.iter().enumerate() {
                ws.write_number(r, 6 + i as u16, *v)?;
            }
            if k == 0 {
                let school_classes = classes * stages.len() as f64;
                let rooms = (school_classes / 12.0).ceil() + 1.0;
                let budget = (students * stages.len() as f64 * 0.09 * 100.0).round() / 100.0;
                ws.write_string(r, 2, kind)?;
                ws.write_string(r, 4, locale)?;
                ws.write_string(r, 5, "2015-09")?;
                for (i, v) in [
                    rooms,
                    100.0,
                    rooms,
                    92.0,
                    budget,
                    (budget * 0.06 * 100.0).round() / 100.0,
                ]
                .iter()
                .enumerate()
                {
                    ws.write_number(r, 18 + i as u16, *v)?;
                }
            }
            r += 1;
        }
    }
    wb.save(dir.join("content/schools.xlsx"))?;
    Ok(())
}

fn scores() -> String {
    let mut s = String::new();
    for id in ["A10", "A18", "A25"] {
        s.push_str(&format!("{id}: {{status: 达标}}\n"));
    }
    if let Some(p) = yingjian::model::Profile::builtin("jiangxi-2018") {
        for ind in p
            .indicators
            .iter()
            .filter(|i| i.kind == yingjian::model::IndicatorType::B)
        {
            s.push_str(&format!("{}:\n  points:\n", ind.id));
            for pt in &ind.points {
                s.push_str(&format!("    \"{}\": {{score: {}}}\n", pt.id, pt.max.unwrap_or(0.0)));
            }
        }
    }
    s
}

const COUNTY: &str = "county: 合成县
government: 合成县人民政府
year: 2026
level: 省检
profile: jiangxi-2018
today: 2026-11-20
finance:
  education_spending: {2024: 90000, 2025: 93000}
  per_pupil_spending: {2024: 15000, 2025: 15400}
  teacher_average_pay: 99000
  civil_servant_average_pay: 98000
  public_funds_baseline: {primary: 720, junior: 940}
  special_ed_per_pupil: 7000
teachers: {training_360_rate: 100, rotation_eligible: 3000, rotation_count: 330, rotation_backbone: 70}
enrolment: {zoned_primary: 100, zoned_junior: 96, quota_allocation: 55, quota_rural_leaning: true, migrant_children: 90, junior_retention: 97, disabled_enrolment: 96}
quality: {level_iii_or_above: true, inter_school_difference: 0.1}
recognition: 90
veto: {V1: {present: false}, V2: {present: false}, V3: {present: false}, V4: {present: false}, V5: {present: false}, V6: {present: false}, V7: {present: false}}
";
