//! Outputs read back: the workbooks with calamine, compared with the rule engine's numbers.

mod support;

use calamine::{Data, Reader, Xlsx, open_workbook};
use std::path::Path;
use yingjian::model::ResourceKey;

fn sample_build() -> (tempfile::TempDir, yingjian::rules::Assessment) {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["content", "evidence"] {
        support::copy_dir(&repo.join(sub), &dir.path().join(sub));
    }
    let built = yingjian::build(dir.path()).unwrap();
    assert!(!built.assessment.has_errors());
    (dir, built.assessment)
}

fn num(c: &Data) -> f64 {
    match c {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        Data::String(s) => s.parse().unwrap_or(f64::NAN),
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn basic_data_workbook_formulas_cache_the_engine_numbers() {
    let (dir, a) = sample_build();
    let mut book: Xlsx<_> = open_workbook(dir.path().join("out/基础数据表.xlsx")).unwrap();
    for st in [&a.resource.primary, &a.resource.junior] {
        let sheet = format!("{}差异系数", st.stage.label());
        let range = book.worksheet_range(&sheet).unwrap();
        let formulas = book.worksheet_formula(&sheet).unwrap();
        let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
        // Rows 4.. hold the schools in the engine's order; columns K..Q the seven values.
        for (k, s) in st.schools.iter().enumerate() {
            let r = 3 + k as u32;
            assert_eq!(cell(r, 1), Data::String(s.name.clone()));
            for (i, key) in ResourceKey::ALL.iter().enumerate() {
                let want = s.values[key].unwrap();
                let got = num(&cell(r, 10 + i as u32));
                assert!(
                    (got - want).abs() < 1e-9 * want.max(1.0),
                    "{} {key:?}: {got} vs {want}",
                    s.name
                );
            }
            assert_eq!(num(&cell(r, 17)) as usize, s.met, "{}", s.name);
        }
        // The CV row, five rows below the last school: cached value equals the engine's CV.
        let cv_row = 3 + st.schools.len() as u32 + 3;
        for (i, key) in ResourceKey::ALL.iter().enumerate() {
            let got = num(&cell(cv_row, 10 + i as u32));
            let want = st.cv[key].unwrap();
            assert!((got - want).abs() < 1e-12, "{sheet} {key:?}: {got} vs {want}");
        }
        // And it is a live formula an auditor can follow.
        let f = formulas.get_value((cv_row, 10)).cloned().unwrap_or_default();
        assert!(f.starts_with("K") && f.contains('/'), "CV formula: {f}");
        let sd = formulas.get_value((cv_row - 1, 10)).cloned().unwrap_or_default();
        assert!(sd.contains("SUMPRODUCT") && sd.contains("SQRT"), "SD formula: {sd}");
    }
}

#[test]
fn forms_and_lists_cover_every_school_and_unit() {
    let (dir, a) = sample_build();
    let out = dir.path().join("out");
    // One inspection form per school (the special-education school included).
    let schools = yingjian::check(dir.path()).summary.schools;
    let forms = std::fs::read_dir(out.join("学校实地督查表")).unwrap().count();
    assert_eq!(forms, schools);
    assert!(out.join("学校实地督查表.pdf").is_file());
    assert!(out.join("评分自查表.pdf").is_file());
    // One task list per unit of units.yaml (24 in the sample).
    assert_eq!(std::fs::read_dir(out.join("任务清单")).unwrap().count(), 24);

    // 评分自查表.xlsx: the B total formula caches the engine's total (94.5 in the sample).
    let mut book: Xlsx<_> = open_workbook(out.join("评分自查表.xlsx")).unwrap();
    let range = book.worksheet_range("评分自查表").unwrap();
    let total = range
        .rows()
        .find(|r| r.get(2) == Some(&Data::String("B 类指标合计".into())))
        .unwrap();
    // G: the self-scores, H: what counts (a point whose data fails counts 0).
    assert_eq!(num(&total[7]), a.b_total);
    assert_eq!(
        num(&total[6]),
        a.indicators.iter().filter_map(|i| i.self_score).sum::<f64>()
    );
    assert_eq!(a.b_total, 94.5);
    // Every failing A item reads 未达标 on its first row.
    for i in a
        .indicators
        .iter()
        .filter(|i| i.verdict == yingjian::rules::Verdict::NotMet)
    {
        let row = range
            .rows()
            .find(|r| r.get(1) == Some(&Data::String(i.id.clone())))
            .unwrap();
        assert_eq!(row[8], Data::String("未达标".into()), "{}", i.id);
    }

    // 任务清单.xlsx: the two overdue tasks of the sample are flagged (today 2026-11-20).
    let mut book: Xlsx<_> = open_workbook(out.join("任务清单.xlsx")).unwrap();
    let tasks = book.worksheet_range("任务").unwrap();
    let overdue: Vec<String> = tasks
        .rows()
        .filter(|r| r.get(6) == Some(&Data::String("已逾期".into())))
        .map(|r| r[1].to_string())
        .collect();
    assert_eq!(overdue.len(), 2, "{overdue:?}");
    assert!(overdue.iter().any(|t| t.contains("柳溪村小学")));

    // 缺口测算与调剂建议.xlsx: a row per shortfall, as numbers. 柳溪村小学 (220 pupils, 1496 m²)
    // needs 7.5 × 220 = 1650 m² of sports area: 1650 − 1496 = 154 m².
    let mut book: Xlsx<_> = open_workbook(out.join("缺口测算与调剂建议.xlsx")).unwrap();
    let gaps = book.worksheet_range("缺口测算").unwrap();
    assert_eq!(gaps.rows().count() - 1, a.gaps.len());
    assert_eq!(a.gaps.len(), 6);
    let liuxi = gaps
        .rows()
        .find(|r| r.get(1) == Some(&Data::String("柳溪村小学".into())))
        .unwrap();
    assert_eq!(
        (num(&liuxi[9]), num(&liuxi[10]), num(&liuxi[11])),
        (1496.0, 1650.0, 154.0)
    );
    assert_eq!(liuxi[12], Data::String("平方米".into()));
    // 一校一策整改方案.pdf: the county's problem list on one page, then one page for each of
    // the six schools with a shortfall.
    let schools: std::collections::BTreeSet<&str> = a.gaps.iter().map(|g| g.school_code.as_str()).collect();
    assert_eq!(schools.len(), 6);
    let pdf = hayro_syntax::Pdf::new(std::fs::read(out.join("一校一策整改方案.pdf")).unwrap()).unwrap();
    assert_eq!(pdf.pages().len(), 1 + schools.len());
}

#[test]
fn school_form_matches_its_row_by_hand() {
    let (dir, _) = sample_build();
    let ws = yingjian::load::load(dir.path()).0;
    let (a, _) = yingjian::rules::assess::assess(&ws);
    let school = ws.schools.iter().find(|s| s.name == "柳溪村小学").unwrap();
    let d = yingjian::render::data::school_form::school_form(&ws, &a, school);
    let item = |label: &str| d.resource.iter().find(|r| r.item == label).unwrap();
    // 1496 m² / 220 pupils = 6.80 m² < 7.5: ×. 15 qualified teachers / 220 × 100 = 6.82 ≥ 4.2: ✓.
    assert_eq!(item("生均体育运动场馆面积").value, "6.80 平方米");
    assert_eq!(item("生均体育运动场馆面积").mark, "×");
    assert_eq!(item("每百名学生拥有高于规定学历教师数").value, "6.82 人");
    assert_eq!(item("每百名学生拥有高于规定学历教师数").mark, "✓");
    // 77.8 万元 / 220 = 3536.36 元, shown rounded to the yuan.
    assert_eq!(item("生均教学仪器设备值").value, "3536 元");
    assert_eq!(d.students, "220");
    assert!(d.kinds[0].ticked);
}
