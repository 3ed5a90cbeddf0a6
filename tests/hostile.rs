//! Real spreadsheets and files as they arrive: full-width digits, thousands separators, text
//! numbers, formulas, dates in four forms, hidden sheets, huge sheets, garbage in every field.
//! Each case is accepted or gets a diagnostic — never a panic.

mod support;

use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};
use std::path::Path;
use support::*;
use yingjian::model::Date;

#[test]
fn unusual_but_valid_cells_are_understood() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    // A hidden sheet first (ignored), then the data sheet with: pupils as "1,234" text,
    // full-width digits, a formula with its cached value, and a spaced header.
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("旧数据").unwrap().set_hidden(true);
    let ws = wb.add_worksheet().set_name("学校基础数据").unwrap();
    for (c, h) in HEADERS.iter().enumerate() {
        let h = if *h == "在校生数" { " 在校 生数 " } else { h };
        ws.write_string(0, c as u16, h).unwrap();
    }
    let rows = baseline_rows();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell {
                Cell::S(v) => {
                    ws.write_string(r, c, v).unwrap();
                }
                Cell::N(v) => {
                    ws.write_number(r, c, *v).unwrap();
                }
                Cell::Blank => {}
            }
        }
    }
    ws.write_string(1, 6, "800").unwrap(); // number stored as text
    ws.write_string(2, 6, "６００").unwrap(); // full-width digits
    ws.write_formula(3, 6, Formula::new("=250+250").set_result("500"))
        .unwrap(); // cached formula value
    ws.write_string(4, 6, "3,00").unwrap(); // "3,00" → 300 after removing the separator
    ws.write_string(1, 5, "2009年9月").unwrap();
    let date = ExcelDateTime::from_ymd(2009, 9, 1).unwrap();
    ws.write_datetime_with_format(2, 5, &date, &Format::new().set_num_format("yyyy-mm"))
        .unwrap();
    ws.write_string(3, 5, "200909").unwrap();
    wb.save(root.join("content/schools.xlsx")).unwrap();
    let a = yingjian::check(root);
    assert!(!a.has_errors(), "{}", yingjian::diag::render_human(&a.diagnostics));
    let students: Vec<f64> = a
        .resource
        .primary
        .schools
        .iter()
        .chain(&a.resource.junior.schools)
        .map(|s| s.students)
        .collect();
    assert_eq!(students, vec![800.0, 500.0, 600.0, 300.0]);
}

#[test]
fn dates_in_four_forms_are_the_same_date() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    let headers = yingjian::load::evidence::HEADERS;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("佐证材料清单").unwrap();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=4u32 {
        ws.write_string(r, 0, "R1").unwrap();
        ws.write_string(r, 1, "1").unwrap();
        ws.write_string(r, 2, format!("文件{r}")).unwrap();
        ws.write_number(r, 6, 1.0).unwrap();
    }
    ws.write_number(1, 5, 46329.0).unwrap(); // Excel serial for 2026-11-03
    ws.write_string(2, 5, "2026-11-03").unwrap();
    ws.write_string(3, 5, "2026年11月3日").unwrap();
    ws.write_string(4, 5, "20261103").unwrap();
    wb.save(root.join("content/evidence.xlsx")).unwrap();
    let (ws, diags) = yingjian::load::load(root);
    assert!(!diags.has_errors(), "{:?}", diags.as_slice());
    let want = Date::new(2026, 11, 3);
    assert_eq!(ws.evidence.iter().map(|e| e.date).collect::<Vec<_>>(), vec![want; 4]);
}

#[test]
fn a_huge_sheet_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    // 70 MB of worksheet XML packed into a few hundred kB: refused by its unpacked size.
    let file = std::fs::File::create(root.join("content/schools.xlsx")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let row = "<row><c><v>1</v></c></row>".repeat(1000);
    for _ in 0..2800 {
        std::io::Write::write_all(&mut zip, row.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    let a = yingjian::check(root);
    assert!(
        a.diagnostics
            .iter()
            .any(|d| d.code == "xlsx-too-large" && d.at == "content/schools.xlsx")
    );
}

#[test]
fn a_50_mb_markdown_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    std::fs::create_dir_all(root.join("content/report")).unwrap();
    std::fs::write(root.join("content/report/前言.md"), "字".repeat(17 * 1024 * 1024)).unwrap();
    let built = yingjian::build(root).unwrap();
    assert!(
        built
            .assessment
            .diagnostics
            .iter()
            .any(|d| d.code == "file-too-large" && d.at == "content/report/前言.md")
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn text_parsers_never_panic(s in "\\PC{0,40}") {
        let _ = yingjian::load::sheet::parse_number(&s);
        let _ = Date::parse(&s);
        let _ = yingjian::load::normalize_text(&s);
    }

    #[test]
    fn yaml_loaders_never_panic(text in "(\\PC|[\\n\\t :\\-\\[\\]{}\"'#])*") {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        baseline(root);
        for f in ["county.yaml", "units.yaml", "scores.yaml", "tasks.yaml", "indicators.yaml"] {
            std::fs::write(root.join("content").join(f), &text).unwrap();
        }
        let _ = yingjian::check(root);
    }

    #[test]
    fn markdown_never_panics_and_stays_text(text in "(\\PC|[\\n#*_`$<>@\\[\\]()!|\\\\-])*") {
        let mut d = yingjian::diag::Diagnostics::default();
        let v = yingjian::render::markdown::blocks(&text, "content/report/x.md", Path::new("/nonexistent"), &mut d);
        prop_assert!(v.is_array());
    }

    #[test]
    fn any_cell_text_gives_diagnostics_not_panics(cells in proptest::collection::vec("\\PC{0,12}", 24)) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        baseline(root);
        let mut rows = baseline_rows();
        rows.push(cells.iter().map(|c| Cell::S(c.clone())).collect());
        write_schools(root, &rows);
        let _ = yingjian::check(root);
    }
}
