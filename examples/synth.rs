//! A synthetic but valid workspace of any size, for benchmarks.
//!
//!     cargo run --release --example synth -- --schools 300 /tmp/synth-300
//!
//! Writes content/county.yaml (Jiangxi profile, every county figure filled), scores.yaml
//! (every B point scored) and schools.xlsx with the requested number of school rows
//! (primary, junior and 九年一贯制 schools with two rows), values scattered around the standards.

use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};
use yingjian::load::schools::HEADERS;

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

fn main() {
    let mut args = std::env::args().skip(1);
    let mut schools = 300usize;
    let mut dir: Option<PathBuf> = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--schools" => schools = args.next().and_then(|v| v.parse().ok()).unwrap_or(schools),
            other => dir = Some(PathBuf::from(other)),
        }
    }
    let Some(dir) = dir else {
        eprintln!("用法: cargo run --release --example synth -- [--schools N] 目录");
        std::process::exit(2);
    };
    if let Err(e) = write(&dir, schools) {
        eprintln!("错误: {e}");
        std::process::exit(1);
    }
    println!("已生成 {} 行学校数据：{}", schools, dir.display());
}

fn write(dir: &Path, rows: usize) -> Result<(), Box<dyn std::error::Error>> {
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
            let values: Vec<f64> = vec![
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
    if let Some(p) = yingjian::load::profile::builtin("jiangxi-2018") {
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
