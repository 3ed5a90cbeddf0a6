//! Outputs read back: the workbooks with calamine, compared with the rule engine's numbers.

mod support;

use calamine::{Data, Reader, Xlsx, open_workbook};
use std::path::Path;
use yingjian::model::ResourceKey;

fn sample_build() -> (tempfile::TempDir, yingjian::rules::assess::Assessment) {
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
                assert!((got - want).abs() < 1e-9 * want.max(1.0), "{} {key:?}: {got} vs {want}", s.name);
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
