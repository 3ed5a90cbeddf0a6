//! Spreadsheets as people really fill them (issue 29): one workspace per common mistake under
//! `tests/fixtures/messy/`, each asserting the diagnostic a user now sees (code, cell, the
//! hint's key words) and that no verdict moved silently, with a snapshot of `yingjian check`.
//!
//! Regenerate the workspaces: `cargo test --test messy -- --ignored regenerate`.
//! Refresh the snapshots after a deliberate wording change: `UPDATE_SNAPSHOTS=1 cargo test --test messy`.

mod support;

use rust_xlsxwriter::Format;
use std::io::Write;
use std::path::{Path, PathBuf};
use support::*;
use yingjian::Assessment;
use yingjian::diag::{Severity, render_human};
use yingjian::model::{ResourceKey, Stage, Verdict};

/// (case, code, where, key words of the message and hint)
const CASES: &[(&str, &str, &str, &[&str])] = &[
    (
        "merged-total-over-stages",
        "merged-over-stages",
        "content/schools.xlsx 学校基础数据!O4:O5",
        &["7900", "全校合计", "待核实", "split_combined_facilities"],
    ),
    (
        "merged-teachers-over-stages",
        "merged-over-stages",
        "content/schools.xlsx 学校基础数据!J4:J5",
        &["60", "专任教师数", "待核实", "各学段的行分别填写"],
    ),
    (
        "merged-students-over-stages",
        "merged-students",
        "content/schools.xlsx 学校基础数据!G4:G5",
        &["800", "按学段分别填写", "取消合并"],
    ),
    (
        "merged-total-split",
        "merged-total",
        "content/schools.xlsx 学校基础数据!O4:O5",
        &["8300", "已按生均当量拆分"],
    ),
    (
        "merged-across-schools",
        "merged-across-schools",
        "content/schools.xlsx 学校基础数据!Q2:Q3",
        &["测试第一小学、测试第一中学", "取消合并"],
    ),
    (
        "equipment-in-yuan",
        "implausible-value",
        "content/schools.xlsx 学校基础数据!Q2",
        &["疑似按元填写（本列单位为万元），应为 240", "2400000 元应填 240"],
    ),
    (
        "sports-area-ten-times-median",
        "far-above-median",
        "content/schools.xlsx 学校基础数据!P6",
        &["中位数 11 平方米", "11.82 倍", "用错了单位"],
    ),
    (
        "hidden-school-row",
        "hidden-rows",
        "content/schools.xlsx 学校基础数据!A3",
        &["第 3 行是隐藏行", "计入统计", "整行删除"],
    ),
    (
        "hidden-data-sheet",
        "hidden-sheet",
        "content/schools.xlsx",
        &["隐藏", "取消隐藏"],
    ),
    (
        "senior-section-not-split",
        "senior-not-split",
        "content/schools.xlsx 学校基础数据!Z6",
        &["500 人", "待核实", "split_combined_facilities: true", "1:1.2"],
    ),
    (
        "nine-year-school-one-row",
        "combined-one-stage",
        "content/schools.xlsx 学校基础数据!D4",
        &["只有小学一行，缺少初中行", "办学类型改为“小学”"],
    ),
    (
        "title-row-above-header",
        "header-not-first",
        "content/schools.xlsx 学校基础数据!A1",
        &["表头在第 4 行", "第 1、2 行"],
    ),
    ("schools-saved-as-ods", "", "", &[]),
    (
        "schools-saved-as-xls",
        "merged-over-stages",
        "content/schools.xls 学校基础数据!O4:O5",
        &["7900", "全校合计"],
    ),
    (
        "schools-saved-as-et",
        "schools-format",
        "content/schools.et",
        &[".et", "另存为", "Excel 工作簿（*.xlsx）"],
    ),
    (
        "blank-cells-named",
        "blank-cells",
        "content/schools.xlsx 学校基础数据!H2",
        &["H2（班级数）、J2（专任教师数）", "补填"],
    ),
    (
        "unknown-stage-no-cascade",
        "unknown-stage",
        "content/schools.xlsx 学校基础数据!D4",
        &["小学部", "“小学”或“初中”"],
    ),
    (
        "built-typed-as-number",
        "bad-date",
        "content/schools.xlsx 学校基础数据!F4",
        &["只有年份，缺少月份", "2009-09"],
    ),
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/messy")
}

/// Zero-based column of a header of 学校基础数据.
fn col(header: &str) -> u16 {
    HEADERS.iter().position(|h| *h == header).unwrap() as u16
}

/// Writes the schools sheet with `edit` applied to the worksheet after the rows.
fn schools_with(root: &Path, rows: &[Vec<Cell>], edit: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) {
    let mut wb = workbook();
    let ws = wb.add_worksheet().set_name("学校基础数据").unwrap();
    write_rows(ws, &HEADERS, rows);
    edit(ws);
    wb.save(root.join("content/schools.xlsx")).unwrap();
}

/// A number merged over rows `first..=last` (zero-based) of column `header`.
fn merge_number(ws: &mut rust_xlsxwriter::Worksheet, first: u32, last: u32, header: &str, v: f64) {
    let c = col(header);
    ws.merge_range(first, c, last, c, "", &Format::new()).unwrap();
    ws.write_number(first, c, v).unwrap();
}

const BUILDING: &str = "教学及辅助用房面积（平方米）";
const EQUIPMENT: &str = "教学仪器设备值（万元）";

fn build(case: &str, root: &Path) {
    let _ = std::fs::remove_dir_all(root);
    baseline(root);
    let _ = std::fs::remove_dir(root.join("evidence"));
    let mut rows = baseline_rows();
    let split_on = || {
        std::fs::write(
            root.join("content/county.yaml"),
            format!("{CONFIG}options:\n  split_combined_facilities: true\n"),
        )
        .unwrap()
    };
    match case {
        // 测试实验学校 (九年一贯制, rows 4–5): 7900 m² for the whole school in one cell merged
        // over both stage rows; read twice it would give 7900 / 500 = 15.8 and 7900 / 300 =
        // 26.3 m² per pupil, both passing.
        "merged-total-over-stages" => schools_with(root, &rows, |ws| merge_number(ws, 3, 4, BUILDING, 7900.0)),
        // 60 teachers for the whole school merged over both rows: each stage would get 60,
        // 500 / 60 = 1:8.3 and 300 / 60 = 1:5.
        "merged-teachers-over-stages" => schools_with(root, &rows, |ws| merge_number(ws, 3, 4, "专任教师数", 60.0)),
        // 测试实验学校's 500 + 300 pupils typed as one 800 merged over both rows.
        "merged-students-over-stages" => schools_with(root, &rows, |ws| merge_number(ws, 3, 4, "在校生数", 800.0)),
        "merged-total-split" => {
            split_on();
            schools_with(root, &rows, |ws| merge_number(ws, 3, 4, BUILDING, 8300.0));
        }
        // One equipment figure merged over 测试第一小学 and 测试第一中学 (rows 2–3).
        "merged-across-schools" => schools_with(root, &rows, |ws| merge_number(ws, 1, 2, EQUIPMENT, 420.0)),
        // 测试第一小学, 800 pupils: 240 万元 typed in 元 as 2 400 000.
        "equipment-in-yuan" => {
            set(&mut rows[0], EQUIPMENT, n(2_400_000.0));
            write_schools(root, &rows);
        }
        // A third primary school, 测试第二小学 (400 pupils, row 6), with 130 m² of sports
        // ground per pupil (52 000 m²); the others have 11.
        "sports-area-ten-times-median" => {
            let mut r = row("3600000004", "测试第二小学", "小学", "小学", 400.0);
            set(&mut r, "体育运动场馆面积（平方米）", n(130.0 * 400.0));
            rows.push(r);
            write_schools(root, &rows);
        }
        // 测试第一中学 (row 3) hidden, and the 网络多媒体教室数 column.
        "hidden-school-row" => schools_with(root, &rows, |ws| {
            ws.set_row_hidden(2).unwrap();
            ws.set_column_hidden(col("网络多媒体教室数")).unwrap();
        }),
        "hidden-data-sheet" => {
            let mut wb = workbook();
            wb.add_worksheet()
                .set_name("说明")
                .unwrap()
                .write_string(0, 0, "填表说明")
                .unwrap();
            let ws = wb.add_worksheet().set_name("学校基础数据").unwrap();
            write_rows(ws, &HEADERS, &rows);
            ws.set_hidden(true);
            wb.save(root.join("content/schools.xlsx")).unwrap();
        }
        // 测试完全中学 (row 6): 600 junior pupils, 11 400 m² for the whole school including
        // 500 senior pupils, split off.
        "senior-section-not-split" => {
            let mut r = row("3600000021", "测试完全中学", "完全中学", "初中", 600.0);
            set(&mut r, BUILDING, n(11_400.0));
            set(&mut r, "高中部在校生数", n(500.0));
            rows.push(r);
            write_schools(root, &rows);
        }
        "nine-year-school-one-row" => {
            rows.pop();
            write_schools(root, &rows);
        }
        "title-row-above-header" => {
            // Three rows above the header: a title merged across, a line of text, a blank.
            let mut moved = workbook();
            let out = moved.add_worksheet().set_name("学校基础数据").unwrap();
            out.merge_range(0, 0, 0, 10, "测试县义务教育学校基础数据表", &Format::new())
                .unwrap();
            out.write_string(1, 0, "填报单位：测试县教育体育局").unwrap();
            let mut all = vec![HEADERS.iter().map(|h| s(h)).collect::<Vec<_>>()];
            all.extend(rows.iter().cloned());
            for (r, cells) in all.iter().enumerate() {
                for (c, cell) in cells.iter().enumerate() {
                    let (r, c) = (r as u32 + 3, c as u16);
                    match cell {
                        Cell::S(v) => {
                            out.write_string(r, c, v).unwrap();
                        }
                        Cell::N(v) => {
                            out.write_number(r, c, *v).unwrap();
                        }
                        Cell::Blank => {}
                    }
                }
            }
            moved.save(root.join("content/schools.xlsx")).unwrap();
        }
        "schools-saved-as-ods" => {
            std::fs::remove_file(root.join("content/schools.xlsx")).unwrap();
            write_ods(&root.join("content/schools.ods"), &rows);
        }
        // The Excel 97-2003 format, with 测试实验学校's 7900 m² merged over its two rows as in
        // merged-total-over-stages (merges are read from .xls too).
        "schools-saved-as-xls" => {
            std::fs::remove_file(root.join("content/schools.xlsx")).unwrap();
            write_xls(&root.join("content/schools.xls"), &rows, (3, 4, col(BUILDING), 7900.0));
        }
        "schools-saved-as-et" => {
            std::fs::remove_file(root.join("content/schools.xlsx")).unwrap();
            std::fs::write(root.join("content/schools.et"), b"\xD0\xCF\x11\xE0 WPS").unwrap();
        }
        // 测试第一小学: 班级数 and 专任教师数 left blank.
        "blank-cells-named" => {
            set(&mut rows[0], "班级数", Cell::Blank);
            set(&mut rows[0], "专任教师数", Cell::Blank);
            write_schools(root, &rows);
        }
        // 测试实验学校's first row says 小学部; its second leaves 办学类型 blank.
        "unknown-stage-no-cascade" => {
            set(&mut rows[2], "学段", s("小学部"));
            set(&mut rows[3], "办学类型", Cell::Blank);
            write_schools(root, &rows);
        }
        // 建成年月 typed as numbers: 2008.9, the Excel serial 39692 (2008-09-01), 2009 with
        // no month, and 2009.10 (stored as 2009.1) on the combined school's second row.
        "built-typed-as-number" => {
            set(&mut rows[0], "建成年月", n(2008.9));
            set(&mut rows[1], "建成年月", n(39692.0));
            set(&mut rows[2], "建成年月", n(2009.0));
            set(&mut rows[3], "建成年月", n(2009.1));
            write_schools(root, &rows);
        }
        other => panic!("no builder for {other}"),
    }
}

/// The rows as an OpenDocument spreadsheet, as LibreOffice saves it (the parts calamine
/// reads), byte for byte the same each time.
fn write_ods(path: &Path, rows: &[Vec<Cell>]) {
    let esc = |t: &str| t.replace('&', "&amp;").replace('<', "&lt;");
    let mut body = String::new();
    let mut all = vec![HEADERS.iter().map(|h| s(h)).collect::<Vec<_>>()];
    all.extend(rows.iter().cloned());
    for cells in &all {
        body += "<table:table-row>";
        for c in cells {
            body += &match c {
                Cell::S(t) => format!(
                    r#"<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>"#,
                    esc(t)
                ),
                Cell::N(v) => format!(
                    r#"<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p></table:table-cell>"#
                ),
                Cell::Blank => "<table:table-cell/>".to_owned(),
            };
        }
        body += "</table:table-row>\n";
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="学校基础数据">
{body}</table:table></office:spreadsheet></office:body></office:document-content>
"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>
"#;
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .last_modified_time(zip::DateTime::default());
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, text) in [
        ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
        ("META-INF/manifest.xml", manifest),
        ("content.xml", content.as_str()),
    ] {
        z.start_file(name, options).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap();
}

/// The rows as an Excel 97-2003 workbook (BIFF8 records in an OLE compound file, [MS-XLS]
/// and [MS-CFB]): the records calamine reads — BOF, BoundSheet8, Label, Number, MergeCells,
/// EOF — with one number merged over rows `merge.0..=merge.1` of column `merge.2`.
fn write_xls(path: &Path, rows: &[Vec<Cell>], merge: (u16, u16, u16, f64)) {
    fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend(typ.to_le_bytes());
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
    }
    let utf16 = |t: &str| t.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
    let bof = |dt: u16| [&0x0600u16.to_le_bytes()[..], &dt.to_le_bytes(), &[0u8; 12]].concat();
    let name = "学校基础数据";
    let mut sheet_entry = vec![0u8; 4]; // position of the sheet's BOF, set below
    sheet_entry.extend([0, 0, name.chars().count() as u8, 1]);
    sheet_entry.extend(utf16(name));
    let mut globals = vec![];
    record(&mut globals, 0x0809, &bof(0x0005));
    let at = globals.len() + 4;
    record(&mut globals, 0x0085, &sheet_entry);
    record(&mut globals, 0x000A, &[]);
    let pos = (globals.len() as u32).to_le_bytes();
    globals[at..at + 4].copy_from_slice(&pos);
    let mut sheet = vec![];
    record(&mut sheet, 0x0809, &bof(0x0010));
    let mut all = vec![HEADERS.iter().map(|h| s(h)).collect::<Vec<_>>()];
    all.extend(rows.iter().cloned());
    let (first, last, c0, v0) = merge;
    for (r, cells) in all.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            let (r, c) = (r as u16, c as u16);
            let cell = if c == c0 && (first..=last).contains(&r) {
                if r == first { Cell::N(v0) } else { Cell::Blank }
            } else {
                cell.clone()
            };
            let head = [r.to_le_bytes(), c.to_le_bytes(), 0u16.to_le_bytes()].concat();
            match cell {
                Cell::S(t) => {
                    let text = [&(t.encode_utf16().count() as u16).to_le_bytes()[..], &[1], &utf16(&t)].concat();
                    record(&mut sheet, 0x0204, &[head, text].concat());
                }
                Cell::N(v) => record(&mut sheet, 0x0203, &[head, v.to_le_bytes().to_vec()].concat()),
                Cell::Blank => {}
            }
        }
    }
    let range = [1u16, first, last, c0, c0].map(u16::to_le_bytes).concat();
    record(&mut sheet, 0x00E5, &range);
    record(&mut sheet, 0x000A, &[]);
    let mut stream = [globals, sheet].concat();
    let len = stream.len().max(4096); // smaller streams would live in the mini stream
    stream.resize(len.div_ceil(512) * 512, 0);
    // Sectors: 0 the FAT, 1..=n the stream, n + 1 the directory.
    let n = (stream.len() / 512) as u32;
    let (end, free) = (0xFFFF_FFFEu32, 0xFFFF_FFFFu32);
    let mut fat = vec![0xFFFF_FFFDu32];
    fat.extend((1..n).map(|i| i + 1));
    fat.extend([end, end]);
    fat.resize(128, free);
    let mut header = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    header.extend([0u8; 16]);
    for v in [0x003Eu16, 0x0003, 0xFFFE, 0x0009, 0x0006] {
        header.extend(v.to_le_bytes());
    }
    header.extend([0u8; 6]);
    for v in [0u32, 1, n + 1, 0, 0x1000, end, 0, end, 0, 0] {
        header.extend(v.to_le_bytes());
    }
    header.truncate(76);
    header.extend(0u32.to_le_bytes());
    header.resize(512, 0xFF);
    let entry = |name: &str, typ: u8, child: u32, start: u32, size: u32| {
        let mut e = utf16(name);
        e.resize(64, 0);
        e.extend(((name.len() as u16 + 1) * 2).to_le_bytes());
        e.extend([typ, 1]);
        e.extend([free, free, child].map(u32::to_le_bytes).concat());
        e.extend([0u8; 36]);
        e.extend([start, size, 0].map(u32::to_le_bytes).concat());
        e
    };
    let mut dir = entry("Root Entry", 5, 1, end, 0);
    dir.extend(entry("Workbook", 2, free, 1, stream.len() as u32));
    for _ in 0..2 {
        dir.extend(entry("", 0, free, 0, 0));
    }
    let fat: Vec<u8> = fat.iter().flat_map(|v| v.to_le_bytes()).collect();
    std::fs::write(path, [header, fat, stream, dir].concat()).unwrap();
}

#[test]
#[ignore = "writes tests/fixtures/messy; run after changing the cases"]
fn regenerate() {
    for (case, ..) in CASES {
        build(case, &fixtures().join(case));
    }
}

#[test]
fn fixtures_are_what_the_builders_write() {
    let cases: Vec<&str> = CASES.iter().map(|c| c.0).collect();
    fixtures_match_builders(&fixtures(), &cases, build);
}

fn check(case: &str) -> Assessment {
    let root = fixtures().join(case);
    assert!(
        root.is_dir(),
        "missing fixture {case}: run the ignored `regenerate` test"
    );
    yingjian::check(&root)
}

#[test]
fn every_mistake_is_said_at_its_cell() {
    let mut failures = vec![];
    for (case, code, at, words) in CASES {
        let a = check(case);
        let text = render_human(&a.diagnostics);
        if !code.is_empty() {
            match a.diagnostics.iter().find(|d| d.code == *code && d.at == *at) {
                None => failures.push(format!("{case}: no {code} at {at}; got:\n{text}")),
                Some(d) => {
                    let said = format!("{} {}", d.message, d.hint.clone().unwrap_or_default());
                    for w in *words {
                        if !said.contains(w) {
                            failures.push(format!("{case}: “{w}” not in “{said}”"));
                        }
                    }
                }
            }
        }
        for d in &a.diagnostics {
            assert!(d.hint.is_some(), "{case}: {} has no hint", d.code);
        }
        compare_snapshot(&fixtures().join(case), case, &text, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

fn verdict(a: &Assessment, rule: &str) -> Verdict {
    a.checks[rule].verdict
}

fn value(a: &Assessment, stage: Stage, name: &str, key: ResourceKey) -> Option<f64> {
    let st = match stage {
        Stage::Primary => &a.resource.primary,
        Stage::Junior => &a.resource.junior,
    };
    st.schools.iter().find(|r| r.name == name).unwrap().values[&key]
}

#[test]
fn the_baseline_meets_every_resource_item() {
    // The reference for "no verdict moved silently": every case starts from these rows.
    let dir = tempfile::tempdir().unwrap();
    baseline(dir.path());
    let a = yingjian::check(dir.path());
    for key in ResourceKey::ALL {
        assert_eq!(verdict(&a, &format!("resource.{}", key.id())), Verdict::Met, "{key:?}");
    }
    assert_eq!(verdict(&a, "gov.staffing_ratio"), Verdict::Met);
    assert_eq!(a.summary.schools, 3);
}

#[test]
fn a_merged_total_is_never_counted_twice() {
    // Split off: the 7900 m² are used for neither stage; the item is pending, not met.
    let a = check("merged-total-over-stages");
    for stage in Stage::ALL {
        assert_eq!(value(&a, stage, "测试实验学校", ResourceKey::BuildingArea), None);
    }
    assert_eq!(verdict(&a, "resource.building_area"), Verdict::Pending);
    let a = check("merged-teachers-over-stages");
    assert_eq!(verdict(&a, "gov.staffing_ratio"), Verdict::Pending);
    // Split on: 500 primary + 300 junior pupils = 500 + 330 equivalents = 830;
    // primary 8300 × 500 / 830 = 5000 m² (10 per pupil), junior 8300 × 330 / 830 = 3300 m²
    // (11 per pupil).
    let a = check("merged-total-split");
    let v = |stage| value(&a, stage, "测试实验学校", ResourceKey::BuildingArea).unwrap();
    assert!((v(Stage::Primary) - 10.0).abs() < 1e-9, "{}", v(Stage::Primary));
    assert!((v(Stage::Junior) - 11.0).abs() < 1e-9, "{}", v(Stage::Junior));
    assert_eq!(a.splits.len(), 1);
    // Across two schools: an error, and neither school's figure is used.
    let a = check("merged-across-schools");
    assert!(a.has_errors());
    assert_eq!(
        value(&a, Stage::Primary, "测试第一小学", ResourceKey::EquipmentValue),
        None
    );
    assert_eq!(
        value(&a, Stage::Junior, "测试第一中学", ResourceKey::EquipmentValue),
        None
    );
}

#[test]
fn a_figure_in_the_wrong_unit_comes_first_and_moves_no_verdict() {
    // 2 400 000 万元 for 800 pupils would be 30 000 000 元 per pupil and fail the CV; it is
    // set aside and the item is pending.
    let a = check("equipment-in-yuan");
    assert_eq!(a.diagnostics[0].code, "implausible-value");
    assert_eq!(
        value(&a, Stage::Primary, "测试第一小学", ResourceKey::EquipmentValue),
        None
    );
    assert_eq!(verdict(&a, "resource.equipment_value"), Verdict::Pending);
    // Ten times the median: said first, but a small school may really have it, so it is used:
    // 130 m² per pupil; median of 11, 11, 130 is 11; 130 / 11 = 11.82.
    let a = check("sports-area-ten-times-median");
    assert_eq!(a.diagnostics[0].code, "far-above-median");
    let v = value(&a, Stage::Primary, "测试第二小学", ResourceKey::SportsArea).unwrap();
    assert!((v - 130.0).abs() < 1e-9);
}

#[test]
fn hidden_rows_are_counted_and_said() {
    let a = check("hidden-school-row");
    assert_eq!(a.summary.schools, 3);
    let d = a.diagnostics.iter().find(|d| d.code == "hidden-columns").unwrap();
    assert!(d.message.contains("“网络多媒体教室数”（R 列）"), "{}", d.message);
    let a = check("hidden-data-sheet");
    assert!(!a.has_errors(), "{}", render_human(&a.diagnostics));
    assert_eq!(a.summary.schools, 3);
}

#[test]
fn an_unsplit_senior_section_leaves_facilities_pending() {
    // 11 400 m² over 600 junior pupils would be 19 m² per pupil; with 500 senior pupils in it,
    // the junior share (1 : 1.2) is 11 400 × 600 / 1200 = 5700, 9.5 per pupil.
    let a = check("senior-section-not-split");
    assert_eq!(
        value(&a, Stage::Junior, "测试完全中学", ResourceKey::BuildingArea),
        None
    );
    assert_eq!(verdict(&a, "resource.building_area"), Verdict::Pending);
}

#[test]
fn a_title_row_or_another_format_still_reads() {
    for case in ["title-row-above-header", "schools-saved-as-ods"] {
        let a = check(case);
        assert!(!a.has_errors(), "{case}:\n{}", render_human(&a.diagnostics));
        // 800 + 500 primary pupils, 600 + 300 junior.
        assert_eq!(a.summary.schools, 3, "{case}");
        assert_eq!(a.summary.primary.students, 1300.0, "{case}");
        assert_eq!(a.summary.junior.students, 900.0, "{case}");
        assert_eq!(verdict(&a, "resource.building_area"), Verdict::Met, "{case}");
    }
    let a = check("schools-saved-as-xls");
    assert!(!a.has_errors(), "{}", render_human(&a.diagnostics));
    assert_eq!(
        (a.summary.schools, a.summary.primary.students, a.summary.junior.students),
        (3, 1300.0, 900.0)
    );
    assert_eq!(verdict(&a, "resource.building_area"), Verdict::Pending);
    let a = check("schools-saved-as-et");
    let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code).collect();
    assert!(!codes.contains(&"schools-missing"), "{codes:?}");
}

#[test]
fn small_mistakes_say_exactly_what_is_wrong() {
    let a = check("unknown-stage-no-cascade");
    let errors: Vec<&str> = a
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.code)
        .collect();
    assert_eq!(errors, ["unknown-stage"]);
    let (ws, _) = yingjian::load::load(&fixtures().join("built-typed-as-number"));
    let built = |code: &str| {
        let b = ws.schools.iter().find(|s| s.code == code).unwrap().built.unwrap();
        (b.year, b.month)
    };
    assert_eq!(built("3600000001"), (2008, 9));
    assert_eq!(built("3600000002"), (2008, 9));
    // 2009.1 read as October, and said.
    assert_eq!(built("3600000003"), (2009, 10));
    let a = check("built-typed-as-number");
    let d = a.diagnostics.iter().find(|d| d.code == "year-month-ambiguous").unwrap();
    assert_eq!(d.at, "content/schools.xlsx 学校基础数据!F5");
    assert!(d.hint.as_deref().unwrap().contains("2009-01"));
}

/// The baseline county with `edit` applied to its rows (and the split on when `split`).
fn county_with(split: bool, edit: impl FnOnce(&mut Vec<Vec<Cell>>)) -> (tempfile::TempDir, Assessment) {
    let dir = tempfile::tempdir().unwrap();
    baseline(dir.path());
    if split {
        let cfg = format!("{CONFIG}options:\n  split_combined_facilities: true\n");
        std::fs::write(dir.path().join("content/county.yaml"), cfg).unwrap();
    }
    let mut rows = baseline_rows();
    edit(&mut rows);
    write_schools(dir.path(), &rows);
    let a = yingjian::check(dir.path());
    (dir, a)
}

fn said(a: &Assessment, code: &str) -> Vec<String> {
    a.diagnostics
        .iter()
        .filter(|d| d.code == code)
        .map(|d| d.at.clone())
        .collect()
}

#[test]
fn merged_pupils_are_an_error_and_nothing_is_judged_by_them() {
    let a = check("merged-students-over-stages");
    assert!(a.has_errors());
    // 800 merged over the 500 + 300 rows: not 800 twice, not 0 read as "met" — pending.
    for rule in [
        "gov.school_size",
        "gov.class_size",
        "gov.staffing_ratio",
        "resource.building_area",
    ] {
        assert_eq!(verdict(&a, rule), Verdict::Pending, "{rule}");
    }
    // Nothing else at those rows is blamed on the merge (no "在校生数为 0", no class-size
    // warning computed from the 800).
    assert!(
        said(&a, "implausible-value").is_empty(),
        "{}",
        render_human(&a.diagnostics)
    );
    assert!(
        said(&a, "max-class-below-average").is_empty(),
        "{}",
        render_human(&a.diagnostics)
    );
    // One data-incomplete line per distinct gap, not one per resource item.
    let msgs: Vec<&str> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "data-incomplete")
        .map(|d| d.message.as_str())
        .collect();
    let mut unique = msgs.clone();
    unique.dedup();
    assert_eq!(msgs.len(), unique.len(), "{msgs:#?}");
}

#[test]
fn real_figures_of_small_or_bare_schools_are_not_called_slips() {
    use yingjian::model::school::columns as col;
    let (_d, a) = county_with(false, |rows| {
        // 测试第一小学 has no sports ground: 0 is its figure (and fails 7.5 m² per pupil).
        set(&mut rows[0], col::SPORTS, n(0.0));
        // A village school of 68 pupils with a 300 m track (11 000 m²) and 4 200 m² of
        // building: 161.8 and 61.8 per pupil, taken as for 200 pupils: 55 and 21, in range.
        let mut village = row("3600000004", "测试村小学", "小学", "小学", 68.0);
        set(&mut village, col::SPORTS, n(11_000.0));
        set(&mut village, col::BUILDING, n(4_200.0));
        rows.push(village);
    });
    assert!(
        said(&a, "implausible-value").is_empty(),
        "{}",
        render_human(&a.diagnostics)
    );
    assert_eq!(
        value(&a, Stage::Primary, "测试第一小学", ResourceKey::SportsArea),
        Some(0.0)
    );
    // 11 000 / 68 = 161.76 m² per pupil is kept.
    let v = value(&a, Stage::Primary, "测试村小学", ResourceKey::SportsArea).unwrap();
    assert!((v - 11_000.0 / 68.0).abs() < 1e-9, "{v}");
}

#[test]
fn a_whole_school_total_is_checked_against_the_whole_school() {
    use yingjian::model::school::columns as col;
    // Split on; a 完全中学 of 400 junior and 1 200 senior pupils with its whole building of
    // 26 000 m² and equipment of 1 300 万元: 16.25 m² and 8 125 元 per pupil of 1 600, in range
    // (against the 400 junior pupils alone they would read 65 m² and 32 500 元: "slips").
    let (_d, a) = county_with(true, |rows| {
        let mut r = row("3600000021", "测试完全中学", "完全中学", "初中", 400.0);
        set(&mut r, col::BUILDING, n(26_000.0));
        set(&mut r, col::EQUIPMENT, n(1_300.0));
        set(&mut r, col::SENIOR, n(1_200.0));
        rows.push(r);
    });
    assert!(
        said(&a, "implausible-value").is_empty(),
        "{}",
        render_human(&a.diagnostics)
    );
}

#[test]
fn a_slip_in_the_pupils_makes_the_row_pending_and_blames_nothing_else() {
    use yingjian::model::school::columns as col;
    // 测试第一小学: 8 000 pupils typed for 800 (row 2). 8 000 > 6 000, the most a stage has.
    let (_d, a) = county_with(false, |rows| set(&mut rows[0], col::STUDENTS, n(8_000.0)));
    assert_eq!(said(&a, "implausible-value"), ["content/schools.xlsx 学校基础数据!G2"]);
    // Its 20 classes and 67 teachers are not called slips; its items are pending, not 未达标
    // from a tenfold denominator.
    for key in ResourceKey::ALL {
        assert_eq!(value(&a, Stage::Primary, "测试第一小学", key), None, "{key:?}");
    }
    assert_eq!(verdict(&a, "resource.building_area"), Verdict::Pending);
    assert_eq!(verdict(&a, "gov.class_size"), Verdict::Pending);
}

#[test]
fn a_total_copied_onto_every_stage_row_is_counted_once() {
    use yingjian::model::school::columns as col;
    // 测试实验学校 (rows 4 and 5): its whole building of 4 800 m² (6 × 800 pupils) filled
    // down onto both stage rows would count 4 800 for the 500 primary pupils and again for
    // the 300 junior pupils (9.6 and 16 m² per pupil).
    let copy = |rows: &mut Vec<Vec<Cell>>| {
        set(&mut rows[2], col::BUILDING, n(4_800.0));
        set(&mut rows[3], col::BUILDING, n(4_800.0));
    };
    let column = HEADERS.iter().position(|h| *h == col::BUILDING).unwrap();
    let cell = format!(
        "content/schools.xlsx 学校基础数据!{}4",
        yingjian::diag::column_letters(column as u32)
    );

    // Split off: a warning at the first row, the school's building pending, not counted twice.
    let (_d, a) = county_with(false, copy);
    assert_eq!(
        said(&a, "copied-over-stages"),
        [cell.clone()],
        "{}",
        render_human(&a.diagnostics)
    );
    assert_eq!(
        value(&a, Stage::Primary, "测试实验学校", ResourceKey::BuildingArea),
        None
    );
    assert_eq!(
        value(&a, Stage::Junior, "测试实验学校", ResourceKey::BuildingArea),
        None
    );
    assert_eq!(verdict(&a, "resource.building_area"), Verdict::Pending);

    // Split on: counted once and shared by student-equivalents 500 : 300 × 1.1 = 500 : 330,
    // primary 4 800 × 500 / 830 = 2 891.57 m² / 500 = 5.783 m² per pupil,
    // junior 4 800 × 330 / 830 = 1 908.43 m² / 300 = 6.361 m² per pupil.
    let (_d, a) = county_with(true, copy);
    assert_eq!(said(&a, "copied-over-stages"), [cell]);
    let p = value(&a, Stage::Primary, "测试实验学校", ResourceKey::BuildingArea).unwrap();
    let j = value(&a, Stage::Junior, "测试实验学校", ResourceKey::BuildingArea).unwrap();
    assert!((p - 4_800.0 * 500.0 / 830.0 / 500.0).abs() < 1e-9, "{p}");
    assert!((j - 4_800.0 * 330.0 / 830.0 / 300.0).abs() < 1e-9, "{j}");
    assert!((p - 5.783).abs() < 1e-3 && (j - 6.361).abs() < 1e-3, "{p} {j}");
}

/// A units row under the header, a 合计 row and the signatures at the foot, as returned forms
/// have them: set aside, not read as schools.
fn with_furniture(total: f64) -> impl FnOnce(&mut Vec<Vec<Cell>>) {
    use yingjian::model::school::columns as col;
    move |rows| {
        let blank = || vec![Cell::Blank; HEADERS.len()];
        let mut units = blank();
        set(&mut units, col::STUDENTS, s("（人）"));
        set(&mut units, col::BUILDING, s("平方米"));
        set(&mut units, col::EQUIPMENT, s("万元"));
        rows.insert(0, units);
        let mut sum = blank();
        set(&mut sum, col::CODE, s("合 计"));
        set(&mut sum, col::STUDENTS, n(total));
        rows.push(sum);
        let mut foot = blank();
        set(&mut foot, col::CODE, s("填表人：张三"));
        set(&mut foot, col::LOCALE, s("审核人：李四"));
        set(&mut foot, col::MAX_CLASS, s("填报日期：2026年11月20日"));
        rows.push(foot);
    }
}

#[test]
fn units_total_and_signature_rows_are_not_schools() {
    // 800 + 600 + 500 + 300 = 2 200 pupils: the 合计 row agrees, nothing is said of it.
    let (_d, a) = county_with(false, with_furniture(2_200.0));
    assert!(!a.has_errors(), "{}", render_human(&a.diagnostics));
    assert_eq!(a.summary.schools, 3);
    assert!(said(&a, "total-mismatch").is_empty());
    for key in ResourceKey::ALL {
        assert_eq!(verdict(&a, &format!("resource.{}", key.id())), Verdict::Met, "{key:?}");
    }
    // A total of 2 500 against the rows' 2 200: a school left out or a stale total (row 7:
    // header, units row, four school rows, then the total).
    let (_d, a) = county_with(false, with_furniture(2_500.0));
    let column = yingjian::diag::column_letters(
        HEADERS
            .iter()
            .position(|h| *h == yingjian::model::school::columns::STUDENTS)
            .unwrap() as u32,
    );
    assert_eq!(
        said(&a, "total-mismatch"),
        [format!("content/schools.xlsx 学校基础数据!{column}7")]
    );
    let d = a.diagnostics.iter().find(|d| d.code == "total-mismatch").unwrap();
    assert_eq!(
        d.message,
        "合计行的在校生数为 2500，各学校行之和为 2200（相差 300）：可能漏填、重复填了学校，或合计未更新"
    );
    assert!(!a.has_errors());
}

#[test]
fn a_misspelt_school_kind_is_told_what_was_meant() {
    use yingjian::model::school::columns as col;
    let (_d, a) = county_with(false, |rows| {
        set(&mut rows[2], col::KIND, s("九年一惯制"));
        set(&mut rows[1], col::KIND, s("初级中学"));
    });
    // 初级中学 is the statistics' own name: read as 初中, nothing said.
    let errors: Vec<_> = a.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 1, "{}", render_human(&a.diagnostics));
    assert_eq!(errors[0].code, "unknown-kind");
    assert!(
        errors[0]
            .hint
            .as_deref()
            .unwrap()
            .starts_with("是否应为“九年一贯制学校”？"),
        "{:?}",
        errors[0].hint
    );
}

#[test]
fn a_header_near_a_column_is_named_at_its_cell() {
    use yingjian::model::school::columns as col;
    let dir = tempfile::tempdir().unwrap();
    baseline(dir.path());
    let mut headers: Vec<&str> = HEADERS.to_vec();
    let at = |h: &str| HEADERS.iter().position(|x| *x == h).unwrap();
    let letter = |h: &str| yingjian::diag::column_letters(at(h) as u32);
    // Without its unit: the same column, read. With another unit: not read (the figures may be
    // in 元). A typo: not read, the name meant offered at the cell.
    headers[at(col::BUILDING)] = "教学及辅助用房面积";
    headers[at(col::EQUIPMENT)] = "教学仪器设备值（元）";
    headers[at(col::TEACHERS)] = "专任教师";
    write_sheet(
        &dir.path().join("content/schools.xlsx"),
        "学校基础数据",
        &headers,
        &baseline_rows(),
    );
    let a = yingjian::check(dir.path());
    let missing: Vec<(String, String)> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "column-missing")
        .map(|d| (d.at.clone(), d.message.clone()))
        .collect();
    let cell = |h: &str| format!("content/schools.xlsx 学校基础数据!{}1", letter(h));
    assert_eq!(
        missing,
        [
            (cell(col::TEACHERS), "缺少列“专任教师数”（表头“专任教师”是否就是此列？），该列数据按空白处理，相关指标将为待核实".to_owned()),
            (cell(col::EQUIPMENT), "表头“教学仪器设备值（元）”的单位是元，与本列“教学仪器设备值（万元）”不同，该列数据按空白处理，相关指标将为待核实".to_owned()),
        ]
    );
    assert_eq!(verdict(&a, "resource.building_area"), Verdict::Met);
    assert_eq!(verdict(&a, "resource.equipment_value"), Verdict::Pending);
}

#[test]
fn a_number_typed_with_its_unit_is_told_the_number_meant() {
    use yingjian::model::school::columns as col;
    // 800 pupils typed "800人"; 测试第一中学's 180 万元 of equipment typed in 元 with the unit.
    let (_d, a) = county_with(false, |rows| {
        set(&mut rows[0], col::STUDENTS, s("800人"));
        set(&mut rows[1], col::EQUIPMENT, s("1800000元"));
    });
    let hints: Vec<(String, String)> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "not-a-number")
        .map(|d| (d.at.clone(), d.hint.clone().unwrap()))
        .collect();
    let letter = |h: &str| yingjian::diag::column_letters(HEADERS.iter().position(|x| *x == h).unwrap() as u32);
    assert_eq!(
        hints,
        [
            (
                format!("content/schools.xlsx 学校基础数据!{}2", letter(col::STUDENTS)),
                "只填数字，应为 800".to_owned()
            ),
            // 1 800 000 元 ÷ 10 000 = 180 万元.
            (
                format!("content/schools.xlsx 学校基础数据!{}3", letter(col::EQUIPMENT)),
                "只填数字，应为 180（本列单位为万元）".to_owned()
            ),
        ]
    );
}
