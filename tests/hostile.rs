//! Real spreadsheets and files as they arrive, committed as a corpus under
//! `tests/fixtures/hostile/`: full-width digits, thousands separators, text numbers,
//! formulas, dates in four forms, hidden sheets, merged cells, a WPS-saved workbook, 100 000
//! formatted empty rows, a million-row sheet, old .xls and password-protected files, GBK and
//! BOM text, zero-byte, encrypted and mis-named evidence, paths and links out of the
//! workspace. Each case is accepted (with its values checked) or gets its diagnostic, and
//! `expected.txt` holds what `yingjian check` says; never a panic.
//!
//! Regenerate the corpus: `cargo test --test hostile -- --ignored regenerate`.
//! Refresh the snapshots after a deliberate wording change: `UPDATE_SNAPSHOTS=1 cargo test --test hostile`.

mod support;

use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use support::*;
use yingjian::model::Date;

/// A case: how to write it, whether `check` must report an error, and the diagnostics
/// (code, location) it must give.
struct Case {
    name: &'static str,
    write: fn(&Path),
    errors: bool,
    expect: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        name: "cells-unusual",
        write: cells_unusual,
        errors: false,
        expect: &[],
    },
    Case {
        name: "dates-four-forms",
        write: dates_four_forms,
        errors: false,
        expect: &[],
    },
    Case {
        name: "merged-cells",
        write: merged_cells,
        errors: false,
        expect: &[],
    },
    Case {
        name: "wps-saved",
        write: wps_saved,
        errors: false,
        expect: &[],
    },
    Case {
        name: "empty-formatted-rows",
        write: empty_formatted_rows,
        errors: false,
        expect: &[],
    },
    Case {
        name: "far-cells",
        write: far_cells,
        errors: true,
        expect: &[("code-missing", "content/schools.xlsx 学校基础数据!A1000000")],
    },
    Case {
        name: "million-rows",
        write: million_rows,
        errors: true,
        expect: &[("xlsx-too-large", "content/schools.xlsx")],
    },
    Case {
        name: "xls-renamed",
        write: xls_renamed,
        errors: true,
        expect: &[("xlsx-corrupt", "content/schools.xlsx")],
    },
    Case {
        name: "yaml-bom-crlf",
        write: yaml_bom_crlf,
        errors: false,
        expect: &[],
    },
    Case {
        name: "yaml-gbk",
        write: yaml_gbk,
        errors: true,
        // "county: " is 8 characters: the first GBK byte is column 9.
        expect: &[("not-utf8", "content/county.yaml:1:9")],
    },
    Case {
        name: "evidence-files",
        write: evidence_files,
        errors: true,
        expect: &[
            ("evidence-file-unreadable", "evidence/R1/空文件.pdf"),
            ("evidence-file-unreadable", "evidence/R1/加密.pdf"),
            ("evidence-misnamed", "evidence/R1/照片.pdf"),
            ("evidence-misnamed", "evidence/R1/扫描件.jpg"),
            ("evidence-path-outside", "content/evidence.xlsx 佐证材料清单!H7"),
            ("evidence-link-outside", "evidence/R1/链接.pdf"),
        ],
    },
    Case {
        name: "links-outside",
        write: links_outside,
        errors: true,
        expect: &[("path-outside", "content/county.yaml")],
    },
    Case {
        name: "paths-outside",
        write: paths_outside,
        errors: true,
        expect: &[("document-path-outside", "content/documents/index.yaml:2:3")],
    },
    Case {
        name: "yaml-not-finite",
        write: yaml_not_finite,
        errors: true,
        // "  teacher_average_pay: " is 23 characters, "  inter_school_difference: " 27.
        expect: &[
            ("yaml-not-finite", "content/county.yaml:7:24"),
            ("yaml-not-finite", "content/county.yaml:10:28"),
        ],
    },
    Case {
        name: "narrative-get-env",
        write: narrative_get_env,
        errors: true,
        // "本县{{ " is 5 characters before the name.
        expect: &[("report-template", "content/report/前言.md:1:6")],
    },
    Case {
        name: "evidence-same-stamp",
        write: evidence_same_stamp,
        errors: false,
        expect: &[],
    },
    Case {
        name: "evidence-unplaceable",
        write: evidence_unplaceable,
        errors: false,
        expect: &[
            ("evidence-file-unreadable", "evidence/R1/损坏.png"),
            ("evidence-file-unreadable", "evidence/R1/无页.pdf"),
            ("evidence-file-unreadable", "evidence/R1/循环页树.pdf"),
        ],
    },
    Case {
        name: "cells-out-of-range",
        write: cells_out_of_range,
        errors: true,
        // G is 在校生数, B 学校名称; row 2 the first school, row 3 the second.
        expect: &[
            ("number-too-large", "content/schools.xlsx 学校基础数据!G2"),
            ("cell-too-long", "content/schools.xlsx 学校基础数据!B3"),
        ],
    },
    Case {
        name: "formula-no-value",
        write: formula_no_value,
        errors: true,
        expect: &[("formula-no-value", "content/schools.xlsx 学校基础数据!G2")],
    },
    Case {
        name: "pdf-bombs",
        write: pdf_bombs,
        errors: false,
        expect: &[
            ("evidence-file-unreadable", "evidence/R1/对象数.pdf"),
            ("evidence-file-unreadable", "evidence/R1/深层数组.pdf"),
            ("evidence-file-unreadable", "evidence/R1/深层页树.pdf"),
        ],
    },
    Case {
        name: "text-encodings",
        write: text_encodings,
        errors: true,
        // Each at its first bad byte: see `text_encodings`.
        expect: &[
            ("not-utf8", "content/units.yaml:1:1"),
            ("not-utf8", "content/scores.yaml:1:1"),
            ("text-nul", "content/tasks.yaml:2:11"),
            ("not-utf8", "content/report/前言.md:3:5"),
            ("not-utf8", "content/report/结语.md:1:1"),
        ],
    },
    Case {
        name: "yaml-deep-nesting",
        write: yaml_deep_nesting,
        errors: true,
        // county.yaml: CONFIG is 5 lines; on line 6 "extra: " is 7 characters and each
        // "{a: " 4, so the 65th "{" is at 7 + 64 × 4 + 1 = 264. tasks.yaml: serde_yaml's
        // limit of 128 is passed at the 128th "- " of line 2: 2 + 127 × 2 + 1 = 257.
        expect: &[
            ("yaml-too-deep", "content/county.yaml:6:264"),
            ("yaml-too-deep", "content/tasks.yaml:2:257"),
        ],
    },
    Case {
        name: "narrative-deep-quote",
        write: narrative_deep_quote,
        errors: true,
        // Line 3 is 6 500 ">": the 33rd quote, the first past 32, starts at column 33.
        expect: &[("narrative-too-deep", "content/report/前言.md:3:33")],
    },
    Case {
        name: "pdf-stream-bombs",
        write: pdf_stream_bombs,
        errors: false,
        expect: &[
            ("evidence-file-unreadable", "evidence/R1/内容流.pdf"),
            ("evidence-file-unreadable", "evidence/R1/对象流.pdf"),
            ("evidence-file-unreadable", "evidence/R1/对象流深层.pdf"),
        ],
    },
    Case {
        name: "evidence-listed-odd",
        write: evidence_listed_odd,
        errors: false,
        expect: &[("evidence-file-unreadable", "evidence/R1/子文件夹")],
    },
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hostile")
}

fn case(name: &str) -> PathBuf {
    corpus().join(name)
}

#[test]
#[ignore = "writes tests/fixtures/hostile; run after changing the cases"]
fn regenerate() {
    for c in CASES {
        let root = case(c.name);
        let _ = std::fs::remove_dir_all(&root);
        baseline(&root);
        (c.write)(&root);
    }
}

#[test]
fn every_case_gives_its_answer() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = vec![];
    for c in CASES {
        let root = case(c.name);
        assert!(
            root.is_dir(),
            "missing case {}: run the ignored `regenerate` test",
            c.name
        );
        let a = yingjian::check(&root);
        let text = yingjian::diag::render_human(&a.diagnostics);
        if a.has_errors() != c.errors {
            failures.push(format!("{}: errors expected: {}; got:\n{text}", c.name, c.errors));
        }
        for (code, at) in c.expect {
            if !a.diagnostics.iter().any(|d| d.code == *code && d.at == *at) {
                failures.push(format!("{}: no {code} at {at}; got:\n{text}", c.name));
            }
        }
        for d in &a.diagnostics {
            assert!(d.hint.is_some(), "{}: {} has no hint", c.name, d.code);
        }
        let snap = root.join("expected.txt");
        if update {
            std::fs::write(&snap, &text).unwrap();
        } else if std::fs::read_to_string(&snap).unwrap_or_default() != text {
            failures.push(format!("{}: output differs from expected.txt; got:\n{text}", c.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Pupils of every school row, in sheet order.
fn students(root: &Path) -> Vec<f64> {
    let (ws, _) = yingjian::load::load(root);
    ws.schools
        .iter()
        .flat_map(|s| s.sections.iter().map(|st| st.students))
        .collect()
}

// ---- Spreadsheets ---------------------------------------------------------------------------

/// A hidden sheet first (ignored), then the data sheet with: pupils as "800" text, full-width
/// "６００", a formula with its cached value 500, "3,00" (→ 300), a spaced header, and the
/// build date as "2009年9月", as a date cell and as "200909".
fn cells_unusual(root: &Path) {
    let mut wb = workbook();
    wb.add_worksheet()
        .set_name("旧数据")
        .unwrap()
        .set_hidden(true)
        .write_string(0, 0, "作废")
        .unwrap();
    let ws = wb.add_worksheet().set_name("学校基础数据").unwrap();
    write_rows(
        ws,
        &HEADERS.map(|h| if h == "在校生数" { " 在校 生数 " } else { h }),
        &baseline_rows(),
    );
    ws.write_string(1, 6, "800").unwrap();
    ws.write_string(2, 6, "６００").unwrap();
    ws.write_formula(3, 6, Formula::new("=250+250").set_result("500"))
        .unwrap();
    ws.write_string(4, 6, "3,00").unwrap();
    ws.write_string(1, 5, "2009年9月").unwrap();
    let date = ExcelDateTime::from_ymd(2009, 9, 1).unwrap();
    ws.write_datetime_with_format(2, 5, &date, &Format::new().set_num_format("yyyy-mm"))
        .unwrap();
    ws.write_string(3, 5, "200909").unwrap();
    wb.save(root.join("content/schools.xlsx")).unwrap();
}

#[test]
fn unusual_cells_are_read_as_a_person_reads_them() {
    // Rows in order: 800 (text), ６００ (full-width), =250+250 (cached 500), "3,00" (300).
    // The loader groups the two rows of 测试实验学校: 800 | 600 | 500 + 300.
    let got = students(&case("cells-unusual"));
    assert_eq!(got, vec![800.0, 600.0, 500.0, 300.0]);
    let (ws, _) = yingjian::load::load(&case("cells-unusual"));
    let built: Vec<String> = ws.schools.iter().map(|s| format!("{:?}", s.built)).collect();
    assert_eq!(built[0], built[1], "2009年9月 and a date cell are the same month");
}

fn dates_four_forms(root: &Path) {
    let mut wb = workbook();
    let ws = wb.add_worksheet().set_name("佐证材料清单").unwrap();
    write_rows(ws, &yingjian::model::evidence::columns::HEADERS, &[]);
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
}

#[test]
fn dates_in_four_forms_are_the_same_date() {
    let (ws, _) = yingjian::load::load(&case("dates-four-forms"));
    // Serial 46329: 1899-12-30 + 46329 days = 2026-11-03.
    assert_eq!(
        ws.evidence.iter().map(|e| e.date).collect::<Vec<_>>(),
        vec![Date::new(2026, 11, 3); 4]
    );
}

/// 测试实验学校's two rows with its code, name, type, locale, build date and school-wide
/// facilities merged over both rows, as people lay such tables out.
fn merged_cells(root: &Path) {
    let mut wb = workbook();
    let ws = wb.add_worksheet().set_name("学校基础数据").unwrap();
    let mut rows = baseline_rows();
    rows[3][0] = Cell::Blank;
    rows[3][1] = Cell::Blank;
    write_rows(ws, &HEADERS, &rows);
    let fmt = Format::new();
    for c in [0u16, 1, 2, 4, 5, 18, 19, 20, 21, 22, 23] {
        let text = match &rows[2][c as usize] {
            Cell::S(v) => v.clone(),
            Cell::N(v) => v.to_string(),
            Cell::Blank => String::new(),
        };
        ws.merge_range(3, c, 4, c, "", &fmt).unwrap();
        match &rows[2][c as usize] {
            Cell::N(v) => ws.write_number(3, c, *v).unwrap(),
            _ => ws.write_string(3, c, &text).unwrap(),
        };
    }
    wb.save(root.join("content/schools.xlsx")).unwrap();
}

#[test]
fn merged_cells_count_for_every_row_they_cover() {
    let (ws, diags) = yingjian::load::load(&case("merged-cells"));
    assert!(!diags.has_errors(), "{:?}", diags.as_slice());
    let names: Vec<(&str, usize)> = ws.schools.iter().map(|s| (s.name.as_str(), s.sections.len())).collect();
    assert_eq!(
        names,
        vec![("测试第一小学", 1), ("测试第一中学", 1), ("测试实验学校", 2)]
    );
}

/// The baseline workbook rewritten the way WPS 表格 writes: strings inline in the cells
/// instead of a shared-string table, no <dimension>, WPS's application name and its
/// KSOProductBuildVer custom property.
fn wps_saved(root: &Path) {
    let path = root.join("content/schools.xlsx");
    let mut input = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut parts: Vec<(String, String)> = vec![];
    for i in 0..input.len() {
        let mut f = input.by_index(i).unwrap();
        let mut text = String::new();
        f.read_to_string(&mut text).unwrap();
        parts.push((f.name().unwrap().into_owned(), text));
    }
    let shared: Vec<String> = parts
        .iter()
        .find(|(n, _)| n == "xl/sharedStrings.xml")
        .map(|(_, t)| {
            t.split("<si>")
                .skip(1)
                .map(|si| between(si, ">", "</t>").to_owned())
                .collect()
        })
        .unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, text) in parts {
        let text = match name.as_str() {
            "xl/sharedStrings.xml" => continue,
            "xl/_rels/workbook.xml.rels" => text.replace(
                r#"<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#,
                "",
            ),
            "[Content_Types].xml" => text
                .replace(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#, "")
                .replace("</Types>", r#"<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>"#),
            "_rels/.rels" => text.replace("</Relationships>", r#"<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>"#),
            "docProps/app.xml" => text.replace("<Application>Microsoft Excel</Application>", "<Application>WPS 表格</Application>"),
            n if n.starts_with("xl/worksheets/") => inline_strings(&text, &shared),
            _ => text,
        };
        out.start_file(name, opts).unwrap();
        out.write_all(text.as_bytes()).unwrap();
    }
    out.start_file("docProps/custom.xml", opts).unwrap();
    out.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer"><vt:lpwstr>2052-12.1.0.17827</vt:lpwstr></property></Properties>"#).unwrap();
    out.finish().unwrap();
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> &'a str {
    let start = s.find(open).map(|i| i + open.len()).unwrap_or(0);
    let end = s[start..].find(close).map(|i| start + i).unwrap_or(s.len());
    &s[start..end]
}

/// `<c r="A1" t="s"><v>3</v></c>` → `<c r="A1" t="inlineStr"><is><t>…</t></is></c>`; drops <dimension>.
fn inline_strings(xml: &str, shared: &[String]) -> String {
    let mut out = String::new();
    let mut rest = xml;
    if let (Some(a), Some(b)) = (rest.find("<dimension"), rest.find("<sheetViews")) {
        out.push_str(&rest[..a]);
        rest = &rest[b..];
    }
    while let Some(i) = rest.find(r#" t="s"><v>"#) {
        out.push_str(&rest[..i]);
        let after = &rest[i + r#" t="s"><v>"#.len()..];
        let end = after.find("</v>").unwrap();
        let n: usize = after[..end].parse().unwrap();
        out.push_str(&format!(r#" t="inlineStr"><is><t>{}</t></is>"#, shared[n]));
        rest = &after[end + "</v>".len()..];
    }
    out.push_str(rest);
    out
}

#[test]
fn a_wps_workbook_reads_like_the_excel_one() {
    let wps = students(&case("wps-saved"));
    assert_eq!(wps, vec![800.0, 600.0, 500.0, 300.0]);
    let (ws, _) = yingjian::load::load(&case("wps-saved"));
    assert_eq!(ws.schools[2].name, "测试实验学校");
}

/// 100 000 rows below the data carrying a cell format but no value, as left behind by
/// formatting whole columns.
fn empty_formatted_rows(root: &Path) {
    let mut wb = workbook();
    let ws = wb.add_worksheet().set_name("学校基础数据").unwrap();
    write_rows(ws, &HEADERS, &baseline_rows());
    let fmt = Format::new()
        .set_background_color("#FFF2CC")
        .set_border(rust_xlsxwriter::FormatBorder::Thin);
    for r in 5..100_005u32 {
        ws.set_row_format(r, &fmt).unwrap();
    }
    wb.save(root.join("content/schools.xlsx")).unwrap();
}

#[test]
fn formatted_empty_rows_are_not_rows() {
    assert_eq!(
        students(&case("empty-formatted-rows")),
        vec![800.0, 600.0, 500.0, 300.0]
    );
}

/// Stray cells far from the data, as a slip of the keyboard leaves them: one at Z1000000
/// (a row without a school code: reported with its place, so it can be deleted) and one in
/// the very last cell of a sheet, XFD1048576 (beyond any column of ours: ignored). Read as
/// a grid, the second alone would be 17 billion cells: it once aborted yingjian with
/// "memory allocation failed".
fn far_cells(root: &Path) {
    let mut wb = workbook();
    let ws = wb.add_worksheet().set_name("学校基础数据").unwrap();
    write_rows(ws, &HEADERS, &baseline_rows());
    ws.write_string(999_999, 25, "见附表").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    wb.save(root.join("content/schools.xlsx")).unwrap();
}

#[test]
fn stray_far_cells_leave_the_data_as_it_is() {
    assert_eq!(students(&case("far-cells")), vec![800.0, 600.0, 500.0, 300.0]);
}

/// A sheet of 2.8 million rows (73 MB of XML, 170 kB packed): refused by its unpacked size
/// before anything is read.
fn million_rows(root: &Path) {
    let file = std::fs::File::create(root.join("content/schools.xlsx")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9));
    zip.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    let row = "<row><c><v>1</v></c></row>".repeat(1000);
    for _ in 0..2800 {
        zip.write_all(row.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
}

/// An Excel 97-2003 workbook (or a password-protected xlsx: both are OLE compound files)
/// saved under the name schools.xlsx.
fn xls_renamed(root: &Path) {
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0);
    std::fs::write(root.join("content/schools.xlsx"), ole).unwrap();
}

// ---- Text files -----------------------------------------------------------------------------

/// county.yaml as Windows Notepad saves it: a byte-order mark and CRLF line ends.
fn yaml_bom_crlf(root: &Path) {
    let text = format!("\u{FEFF}{}", CONFIG.replace('\n', "\r\n"));
    std::fs::write(root.join("content/county.yaml"), text).unwrap();
}

#[test]
fn bom_and_crlf_are_plain_yaml() {
    let a = yingjian::check(&case("yaml-bom-crlf"));
    assert_eq!(a.county.map(|c| c.name).as_deref(), Some("测试县"));
}

/// county.yaml saved in GBK (the Chinese Windows default): 测试县 is B2E2 CAD4 CFD8.
fn yaml_gbk(root: &Path) {
    let mut bytes = b"county: ".to_vec();
    bytes.extend([0xB2, 0xE2, 0xCA, 0xD4, 0xCF, 0xD8]);
    bytes.extend(b"\nyear: 2026\nlevel: \xCA\xD0\xBC\xEC\nprofile: national-2017\ntoday: 2026-11-20\n");
    std::fs::write(root.join("content/county.yaml"), bytes).unwrap();
}

// ---- Evidence and paths ---------------------------------------------------------------------

/// The smallest valid PDF with `pages` pages; with `encrypt`, a standard security handler
/// whose password is not empty.
fn pdf(pages: usize, encrypt: bool) -> Vec<u8> {
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            (0..pages)
                .map(|p| format!("{} 0 R", 3 + p))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    ];
    objects.extend((0..pages).map(|_| "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_owned()));
    if encrypt {
        objects.push(format!(
            "<< /Filter /Standard /V 1 /R 2 /O <{}> /U <{}> /P -44 >>",
            "AB".repeat(32),
            "CD".repeat(32)
        ));
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![];
    for (k, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", k + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    let encrypt = if encrypt {
        format!(
            " /Encrypt {} 0 R /ID [<0123456789ABCDEF0123456789ABCDEF> <0123456789ABCDEF0123456789ABCDEF>]",
            objects.len()
        )
    } else {
        String::new()
    };
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R{encrypt} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A 1 × 1 white PNG.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0bIDATx\x9cc\xf8\x0f\x04\x00\x09\xfb\x03\xfd\xfb^k+\x00\x00\x00\x00IEND\xaeB`\x82";

/// Evidence as folders really hold it: a zero-byte PDF, a password-protected PDF, a photo
/// named .pdf, a scanned PDF named .jpg, a PDF with an upper-case extension, a path in the
/// list leading out of evidence/, a symbolic link to a system file, and what Windows and
/// Office leave behind (Thumbs.db, desktop.ini, ~$ lock files), which are not evidence.
fn evidence_files(root: &Path) {
    let dir = root.join("evidence/R1");
    std::fs::create_dir_all(&dir).unwrap();
    let files: [(&str, Vec<u8>); 5] = [
        ("空文件.pdf", vec![]),
        ("加密.pdf", pdf(2, true)),
        ("照片.pdf", PNG.to_vec()),
        ("扫描件.jpg", pdf(3, false)),
        ("大写扩展名.PDF", pdf(2, false)),
    ];
    for (name, bytes) in &files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    for junk in ["Thumbs.db", "desktop.ini", "~$工作方案.docx"] {
        std::fs::write(dir.join(junk), b"junk").unwrap();
    }
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/hostname", dir.join("链接.pdf")).unwrap();
    let mut wb = workbook();
    let ws = wb.add_worksheet().set_name("佐证材料清单").unwrap();
    write_rows(ws, &yingjian::model::evidence::columns::HEADERS, &[]);
    let mut listed: Vec<String> = files.iter().map(|(n, _)| format!("R1/{n}")).collect();
    listed.push("../../../etc/passwd".into());
    for (r, file) in listed.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, "R1").unwrap();
        ws.write_string(r, 1, "1").unwrap();
        ws.write_string(r, 2, format!("材料{r}")).unwrap();
        ws.write_string(r, 7, file).unwrap();
    }
    wb.save(root.join("content/evidence.xlsx")).unwrap();
}

#[test]
fn evidence_files_are_read_for_what_they_are() {
    let a = yingjian::check(&case("evidence-files"));
    let pages = |file: &str| {
        a.evidence
            .items
            .iter()
            .find(|i| i.file.as_deref() == Some(file))
            .and_then(|i| i.pages)
    };
    assert_eq!(pages("R1/扫描件.jpg"), Some(3), "a PDF named .jpg is counted as a PDF");
    assert_eq!(pages("R1/大写扩展名.PDF"), Some(2));
    assert_eq!(pages("R1/照片.pdf"), Some(1), "a photo named .pdf is one page");
    let unlisted: Vec<&str> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "evidence-unlisted")
        .map(|d| d.at.as_str())
        .collect();
    assert!(unlisted.is_empty(), "system files are not evidence: {unlisted:?}");
    let encrypted = a.diagnostics.iter().find(|d| d.at == "evidence/R1/加密.pdf").unwrap();
    assert!(encrypted.message.contains("加密"), "{}", encrypted.message);
}

/// content/documents/index.yaml naming a file outside the workspace.
fn paths_outside(root: &Path) {
    std::fs::create_dir_all(root.join("content/documents")).unwrap();
    std::fs::write(
        root.join("content/documents/index.yaml"),
        "文件:\n  - 标题: 越界的文件\n    文件: ../../../etc/passwd\n    发文机关: 测试县人民政府\n    成文日期: 2025-01-01\n    类别: 制度文件\n",
    )
    .unwrap();
}

/// content/county.yaml as a symbolic link to a system file.
fn links_outside(root: &Path) {
    std::fs::remove_file(root.join("content/county.yaml")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink("/etc/passwd", root.join("content/county.yaml")).unwrap();
}

/// `.inf` and `.nan`, which YAML reads as numbers, in county.yaml's money and ratio fields.
fn yaml_not_finite(root: &Path) {
    let county = format!(
        "{CONFIG}finance:\n  teacher_average_pay: .inf\n  civil_servant_average_pay: 97820\nquality:\n  inter_school_difference: .nan\n"
    );
    std::fs::write(root.join("content/county.yaml"), county).unwrap();
}

/// A narrative chapter asking Tera for an environment variable.
fn narrative_get_env(root: &Path) {
    std::fs::create_dir_all(root.join("content/report")).unwrap();
    std::fs::write(
        root.join("content/report/前言.md"),
        "本县{{ get_env(name=\"HOME\") }}\n",
    )
    .unwrap();
}

#[test]
fn a_narrative_cannot_print_the_environment() {
    let a = yingjian::check(&case("narrative-get-env"));
    let d = a.diagnostics.iter().find(|d| d.code == "report-template").unwrap();
    assert_eq!(d.message, "叙述材料中的模板有误：模板中没有名为“get_env”的函数");
    let home = std::env::var("HOME").unwrap_or_default();
    assert!(home.is_empty() || a.diagnostics.iter().all(|d| !d.message.contains(&home)));
}

#[test]
fn nan_and_infinity_are_no_figures() {
    let a = yingjian::check(&case("yaml-not-finite"));
    let d = a.diagnostics.iter().find(|d| d.code == "yaml-not-finite").unwrap();
    assert_eq!(d.message, "“.inf”在 YAML 中表示无穷大，不是可用的数值");
    // The second value is the ratio the verdict on 校际差异率 rests on.
    let nan = a.diagnostics.iter().filter(|d| d.message.starts_with("“.nan”")).count();
    assert_eq!(nan, 1);
}

#[test]
fn school_names_stay_text_in_the_change_report() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    yingjian::build(root).unwrap();
    let mut rows = baseline_rows();
    set(&mut rows[0], "学校名称", s("<img src=x onerror=alert(1)>"));
    set(&mut rows[1], "学校名称", s("[点我](javascript:alert(1))"));
    write_schools(root, &rows);
    let built = yingjian::build(root).unwrap();
    assert!(!built.assessment.has_errors());
    let md = std::fs::read_to_string(root.join("out/变更说明.md")).unwrap();
    assert!(md.contains("\\<img src=x onerror=alert(1)\\>"), "{md}");
    assert!(md.contains("\\[点我\\](javascript:alert(1))"), "{md}");
    // Never unescaped.
    assert_eq!(md.matches("<img").count(), md.matches("\\<img").count(), "{md}");
    assert_eq!(md.matches("[点我]").count(), 0, "{md}");
}

/// Runs `f` on another thread, failing the test when it takes more than a minute (a named
/// pipe opened for reading blocks until a writer comes, which none will).
fn within_a_minute<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(f()));
    rx.recv_timeout(std::time::Duration::from_secs(60))
        .expect("blocked on a named pipe")
}

fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let made = std::process::Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success());
}

/// Named pipes in place of every kind of input: never opened, each named with what it is.
/// Not in the committed corpus: git keeps no named pipes.
#[cfg(unix)]
#[test]
fn named_pipes_in_place_of_inputs_are_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    baseline(&root);
    std::fs::create_dir_all(root.join("content/documents")).unwrap();
    std::fs::write(
        root.join("content/documents/index.yaml"),
        "文件:\n  - 标题: 管道\n    文件: 管道.pdf\n    发文机关: 测试县人民政府\n    成文日期: 2025-01-01\n    类别: 制度文件\n",
    )
    .unwrap();
    let pipes = [
        "content/county.yaml",
        "content/schools.xlsx",
        "content/evidence.lock",
        "content/report/前言.md",
        "content/documents/管道.pdf",
    ];
    for rel in pipes {
        mkfifo(&root.join(rel));
    }
    let checked = root.clone();
    let a = within_a_minute(move || yingjian::check(&checked));
    for rel in pipes {
        let d = a
            .diagnostics
            .iter()
            .find(|d| d.code == "not-regular-file" && d.at == rel)
            .unwrap_or_else(|| panic!("nothing said of {rel}: {:?}", a.diagnostics));
        assert_eq!(d.message, format!("{rel} 不是普通文件（是命名管道），未读取"));
    }
    // A template override that is a pipe is passed over for the built-in one.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    baseline(&root);
    mkfifo(&root.join("templates/scoring.typ"));
    let built = within_a_minute(move || yingjian::build(&root).unwrap());
    assert!(!built.assessment.has_errors(), "{:?}", built.assessment.diagnostics);
}

#[cfg(unix)]
#[test]
fn nothing_is_read_or_written_through_links_out_of_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    baseline(&root);
    // A template override linking to a file outside: refused when typesetting.
    std::fs::write(dir.path().join("secret.typ"), "#panic(\"read\")").unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("secret.typ"), root.join("templates/scoring.typ")).unwrap();
    let built = yingjian::build(&root).unwrap();
    let typst: Vec<&str> = built
        .assessment
        .diagnostics
        .iter()
        .filter(|d| d.code == "typst")
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        !typst.is_empty() && typst.iter().all(|m| !m.contains("read")),
        "{typst:?}"
    );
    // out/ linking outside: nothing is written there.
    std::fs::remove_dir_all(root.join("templates")).unwrap();
    let _ = std::fs::remove_dir_all(root.join("out"));
    std::os::unix::fs::symlink(&elsewhere, root.join("out")).unwrap();
    let built = yingjian::build(&root).unwrap();
    assert!(
        built
            .assessment
            .diagnostics
            .iter()
            .any(|d| d.code == "out-outside" && d.at == "out")
    );
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
}

// ---- Issue 35: replaced files, files a box book cannot place, values a template cannot print

/// `pdf(pages)` padded after %%EOF to `len` bytes: two files of different pages, one size.
fn padded_pdf(pages: usize, len: usize) -> Vec<u8> {
    let mut bytes = pdf(pages, false);
    assert!(bytes.len() + 2 <= len, "{} bytes do not fit in {len}", bytes.len());
    bytes.push(b'%');
    bytes.resize(len - 1, b' ');
    bytes.push(b'\n');
    bytes
}

/// Lists `files` (paths under evidence/) in content/evidence.xlsx, all for indicator R1.
fn list_evidence(root: &Path, files: &[&str]) {
    let mut wb = workbook();
    let ws = wb.add_worksheet().set_name("佐证材料清单").unwrap();
    write_rows(ws, &yingjian::model::evidence::columns::HEADERS, &[]);
    for (r, file) in files.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, "R1").unwrap();
        ws.write_string(r, 1, "1").unwrap();
        ws.write_string(r, 2, format!("材料{r}")).unwrap();
        ws.write_string(r, 7, *file).unwrap();
    }
    wb.save(root.join("content/evidence.xlsx")).unwrap();
}

/// One listed evidence file of one page, 1 000 bytes long (the test replaces it).
fn evidence_same_stamp(root: &Path) {
    std::fs::create_dir_all(root.join("evidence/R1")).unwrap();
    std::fs::write(root.join("evidence/R1/方案.pdf"), padded_pdf(1, 1000)).unwrap();
    list_evidence(root, &["R1/方案.pdf"]);
}

/// The box book of R1's box: the one output that holds the file's pages.
fn box_book(built: &yingjian::Built) -> String {
    built
        .outputs
        .iter()
        .map(|(r, _)| r.clone())
        .find(|r| r.contains("装订本"))
        .unwrap_or_else(|| panic!("no box book in {:?}", built.outputs))
}

/// A file replaced by another of the same size and modification time (cp -p, unzip, a restore)
/// is read again: the inode and status-change time tell it.
#[cfg(unix)]
#[test]
fn a_file_replaced_with_the_same_size_and_time_is_read_again() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy_dir(&case("evidence-same-stamp"), root);
    let opts = yingjian::BuildOptions {
        box_books: true,
        ..Default::default()
    };
    let first = yingjian::build_with(root, &opts).unwrap();
    assert!(!first.assessment.has_errors(), "{:?}", first.assessment.diagnostics);
    let book = root.join("out").join(box_book(&first));
    let was = std::fs::read(&book).unwrap();
    let file = root.join("evidence/R1/方案.pdf");
    let time = std::fs::metadata(&file).unwrap().modified().unwrap();
    // Written beside and renamed over, as unzip and cp -p do; then the old time put back.
    let beside = root.join("evidence/R1/.新.pdf");
    std::fs::write(&beside, padded_pdf(2, 1000)).unwrap();
    std::fs::rename(&beside, &file).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(time)
        .unwrap();
    assert_eq!(std::fs::metadata(&file).unwrap().len(), 1000);
    assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), time);
    let again = yingjian::build_with(root, &opts).unwrap();
    assert!(!again.unchanged, "said out/ 已是最新");
    // The item now has the new file's 2 pages (it had 1).
    let pages: Vec<Option<u32>> = again.assessment.evidence.items.iter().map(|i| i.pages).collect();
    assert_eq!(pages, vec![Some(2)]);
    assert_ne!(std::fs::read(&book).unwrap(), was, "the box book holds the new pages");
}

/// A PDF whose page tree has no page (`/Kids []`) and one whose page tree is its own kid.
fn pdf_without_pages(looping: bool) -> Vec<u8> {
    let kids = if looping { "[2 0 R] /Count 1" } else { "[] /Count 0" };
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        format!("<< /Type /Pages /Kids {kids} >>"),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![];
    for (k, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", k + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(b"xref\n0 3\n0000000000 65535 f \n");
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(format!("trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    out
}

/// Evidence a box book cannot place: a PNG whose data is cut off after its header, a PDF with
/// an empty page tree and one whose page tree loops.
fn evidence_unplaceable(root: &Path) {
    std::fs::create_dir_all(root.join("evidence/R1")).unwrap();
    std::fs::write(root.join("evidence/R1/损坏.png"), &PNG[..40]).unwrap();
    std::fs::write(root.join("evidence/R1/无页.pdf"), pdf_without_pages(false)).unwrap();
    std::fs::write(root.join("evidence/R1/循环页树.pdf"), pdf_without_pages(true)).unwrap();
    list_evidence(root, &["R1/损坏.png", "R1/无页.pdf", "R1/循环页树.pdf"]);
}

#[test]
fn evidence_a_box_book_cannot_place_is_named_at_the_file_and_the_book_is_made() {
    let root = case("evidence-unplaceable");
    let a = yingjian::check(&root);
    let said = |at: &str| a.diagnostics.iter().find(|d| d.at == at).map(|d| d.message.clone());
    assert_eq!(
        said("evidence/R1/损坏.png").as_deref(),
        Some("图片文件已损坏，无法解码")
    );
    let no_pages = "PDF 中找不到任何页面（页面目录为空或已损坏），无法读取页数";
    assert_eq!(said("evidence/R1/无页.pdf").as_deref(), Some(no_pages));
    assert_eq!(said("evidence/R1/循环页树.pdf").as_deref(), Some(no_pages));
    // The box book is made, with placeholders: nothing blamed on templates/.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root, dir.path());
    let opts = yingjian::BuildOptions {
        box_books: true,
        ..Default::default()
    };
    let built = yingjian::build_with(dir.path(), &opts).unwrap();
    assert!(!built.assessment.has_errors(), "{:?}", built.assessment.diagnostics);
    assert!(dir.path().join("out").join(box_book(&built)).is_file());
}

/// 1e308 students in the first school's row; a name of 32 767 characters (Excel's most) in
/// the second's.
fn cells_out_of_range(root: &Path) {
    let mut rows = baseline_rows();
    rows[0][6] = Cell::N(1e308);
    rows[1][1] = Cell::S("校".repeat(32_767));
    write_schools(root, &rows);
}

#[test]
fn values_no_template_can_print_are_errors_at_their_cell() {
    let a = yingjian::check(&case("cells-out-of-range"));
    let said = |code: &str| a.diagnostics.iter().find(|d| d.code == code).unwrap().message.clone();
    assert_eq!(
        said("number-too-large"),
        "“在校生数”的数值 1e308 过大，超出可用范围（绝对值须小于 10¹²）"
    );
    assert_eq!(
        said("cell-too-long"),
        "单元格内容过长（32767 个字符，上限 1000 个字符）"
    );
}

/// A PDF of `objects` (object 1 first) with a cross-reference table, claiming `size` objects.
fn pdf_of(objects: &[String], size: usize) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![];
    for (k, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{body}\nendobj\n", k + 1).as_bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend(format!("trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    out
}

/// PDFs that made the reader allocate gigabytes or overflow its stack: a trailer claiming
/// 2 147 483 647 objects, arrays nested 200 deep, a page tree 1 500 levels deep.
fn pdf_bombs(root: &Path) {
    std::fs::create_dir_all(root.join("evidence/R1")).unwrap();
    let catalog = "<< /Type /Catalog /Pages 2 0 R >>".to_owned();
    let page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_owned();
    let pages = "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned();
    let size = pdf_of(&[catalog.clone(), pages.clone(), page.clone()], 2_147_483_647);
    let nested = format!(
        "<< /Type /Catalog /Pages 2 0 R /X {}{} >>",
        "[".repeat(200),
        "]".repeat(200)
    );
    let arrays = pdf_of(&[nested, pages, page], 4);
    let mut tree = vec![catalog];
    tree.extend((0..1500).map(|k| format!("<< /Type /Pages /Kids [{} 0 R] /Count 1 >>", k + 3)));
    tree.push("<< /Type /Page /MediaBox [0 0 595 842] >>".to_owned());
    let deep = pdf_of(&tree, tree.len() + 1);
    std::fs::write(root.join("evidence/R1/对象数.pdf"), size).unwrap();
    std::fs::write(root.join("evidence/R1/深层数组.pdf"), arrays).unwrap();
    std::fs::write(root.join("evidence/R1/深层页树.pdf"), deep).unwrap();
    list_evidence(root, &["R1/对象数.pdf", "R1/深层数组.pdf", "R1/深层页树.pdf"]);
}

#[test]
fn pdfs_that_exhaust_the_reader_are_refused_at_the_file() {
    let a = within_a_minute(|| yingjian::check(&case("pdf-bombs")));
    let said = |file: &str| {
        let at = format!("evidence/R1/{file}");
        a.diagnostics.iter().find(|d| d.at == at).unwrap().message.clone()
    };
    assert_eq!(
        said("对象数.pdf"),
        "PDF 的交叉引用表声明的对象数远超文件大小，文件已损坏或经过篡改，未读取"
    );
    assert_eq!(
        said("深层数组.pdf"),
        "PDF 中的数组或字典嵌套层数过多（超过 100 层），文件已损坏或经过篡改，未读取"
    );
    assert_eq!(
        said("深层页树.pdf"),
        "PDF 的页面目录层级或节点过多（超过 1000 个），文件已损坏或经过篡改，未读取"
    );
}

/// A page tree 50 000 levels deep (3 MB, not committed): it overflowed the reader's stack
/// and ended the process; now refused at the file in well under a minute.
#[test]
fn a_page_tree_50_000_deep_does_not_end_the_process() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    baseline(&root);
    std::fs::create_dir_all(root.join("evidence/R1")).unwrap();
    let mut tree = vec!["<< /Type /Catalog /Pages 2 0 R >>".to_owned()];
    tree.extend((0..50_000).map(|k| format!("<< /Type /Pages /Kids [{} 0 R] /Count 1 >>", k + 3)));
    tree.push("<< /Type /Page /MediaBox [0 0 595 842] >>".to_owned());
    std::fs::write(root.join("evidence/R1/深.pdf"), pdf_of(&tree, tree.len() + 1)).unwrap();
    list_evidence(&root, &["R1/深.pdf"]);
    let a = within_a_minute(move || yingjian::check(&root));
    assert!(
        a.diagnostics
            .iter()
            .any(|d| d.code == "evidence-file-unreadable" && d.at == "evidence/R1/深.pdf")
    );
}

/// The first school's pupils as a formula saved without its value (a workbook written by a
/// program and never opened in Excel).
fn formula_no_value(root: &Path) {
    let path = root.join("content/schools.xlsx");
    let mut wb = workbook();
    let ws = wb.add_worksheet().set_name("学校基础数据").unwrap();
    write_rows(ws, &HEADERS, &baseline_rows());
    ws.write_formula(1, 6, Formula::new("=400+400")).unwrap();
    wb.save(&path).unwrap();
    let mut input = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = vec![];
    for i in 0..input.len() {
        let mut f = input.by_index(i).unwrap();
        let mut bytes = vec![];
        f.read_to_end(&mut bytes).unwrap();
        parts.push((f.name().unwrap().into_owned(), bytes));
    }
    let mut out = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        let bytes = if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(bytes).unwrap();
            let cut = xml.replace("<f>400+400</f><v>0</v>", "<f>400+400</f>");
            assert_ne!(cut, xml, "the cached value is removed");
            cut.into_bytes()
        } else {
            bytes
        };
        out.start_file(name, opts).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}

#[test]
fn a_formula_without_its_value_is_told_as_such() {
    let a = yingjian::check(&case("formula-no-value"));
    let d = a.diagnostics.iter().find(|d| d.code == "formula-no-value").unwrap();
    assert_eq!(d.message, "“在校生数”是公式，但文件中没有保存它的计算结果");
    assert!(
        d.hint
            .as_deref()
            .unwrap()
            .contains("用 Excel 或 WPS 打开此文件并保存一次")
    );
    assert!(
        !a.diagnostics.iter().any(|d| d.code == "students-missing"),
        "not “在校生数为空”"
    );
}

/// Listed: a hidden file (read as listed) and a folder.
fn evidence_listed_odd(root: &Path) {
    std::fs::create_dir_all(root.join("evidence/R1/子文件夹")).unwrap();
    std::fs::write(root.join("evidence/R1/子文件夹/说明.txt"), "文件夹占位\n").unwrap();
    std::fs::write(root.join("evidence/R1/.扫描件.pdf"), pdf(2, false)).unwrap();
    list_evidence(root, &["R1/.扫描件.pdf", "R1/子文件夹", "R1/子文件夹/说明.txt"]);
}

#[test]
fn listed_hidden_files_are_read_and_folders_told_as_folders() {
    let a = yingjian::check(&case("evidence-listed-odd"));
    assert!(
        !a.diagnostics.iter().any(|d| d.code == "evidence-file-missing"),
        "{:?}",
        a.diagnostics
    );
    let pages = a
        .evidence
        .items
        .iter()
        .find(|i| i.file.as_deref() == Some("R1/.扫描件.pdf"))
        .unwrap()
        .pages;
    assert_eq!(pages, Some(2));
    let d = a.diagnostics.iter().find(|d| d.at == "evidence/R1/子文件夹").unwrap();
    assert_eq!(d.message, "这是文件夹，不是文件，未读取");
}

/// A named pipe listed in the catalogue: never opened, told as a pipe.
#[cfg(unix)]
#[test]
fn a_listed_named_pipe_is_told_as_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    baseline(&root);
    mkfifo(&root.join("evidence/R1/管道.pdf"));
    list_evidence(&root, &["R1/管道.pdf"]);
    let a = within_a_minute(move || yingjian::check(&root));
    let d = a.diagnostics.iter().find(|d| d.at == "evidence/R1/管道.pdf").unwrap();
    assert_eq!(d.message, "这是命名管道，不是文件，未读取");
}

fn yingjian_cli(args: &[&str]) -> (i32, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_yingjian"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_file_given_as_the_workspace_or_a_new_folder_is_called_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("county.yaml");
    std::fs::write(&file, "county: 测试县\n").unwrap();
    let shown = file.display().to_string();
    let (code, err) = yingjian_cli(&["check", "-w", &shown]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{shown} 是一个文件，不是工作区目录")), "{err}");
    let (code, err) = yingjian_cli(&["new", &shown]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{shown} 是一个文件，不是文件夹")), "{err}");
    // Beneath a file: no folder can be made there; said in Chinese with the path.
    let (code, err) = yingjian_cli(&["new", &format!("{shown}/县")]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!(
            "无法写入 {shown}/县/content/report：路径中的某一级是文件而不是文件夹"
        )),
        "{err}"
    );
    assert!(!err.contains("Not a directory"), "{err}");
}

// ---- Nesting, streams and encodings (issue 35 points 9, 10, 12, 13) -------------------------

/// Encodings a text input arrives in: units.yaml in UTF-16 with its byte-order mark,
/// scores.yaml in UTF-16 without one, a NUL in tasks.yaml, a stray byte in one narrative and
/// another saved as GBK (county.yaml in GBK is the case `yaml-gbk`).
fn text_encodings(root: &Path) {
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let content = root.join("content");
    std::fs::write(
        content.join("units.yaml"),
        [&[0xFF, 0xFE][..], &utf16("units: []\n")].concat(),
    )
    .unwrap();
    std::fs::write(content.join("scores.yaml"), utf16("R1:\n  status: 达标\n")).unwrap();
    // Line 2 "  - task: " is 10 characters: the NUL is column 11.
    std::fs::write(content.join("tasks.yaml"), b"tasks:\n  - task: \x00\n").unwrap();
    // Line 3 "测试引文" is 4 characters: the stray 0xFF is column 5.
    std::fs::create_dir_all(content.join("report")).unwrap();
    let md = ["本县情况。\n\n测试引文".as_bytes(), b"\xFF\n"].concat();
    std::fs::write(content.join("report/前言.md"), md).unwrap();
    // 测试 in GBK is B2E2 CAD4.
    std::fs::write(content.join("report/结语.md"), b"\xB2\xE2\xCA\xD4\n").unwrap();
}

#[test]
fn each_encoding_is_named_for_what_it_is() {
    let a = yingjian::check(&case("text-encodings"));
    let said = |at: &str| a.diagnostics.iter().find(|d| d.at == at).map(|d| d.message.clone());
    let utf16 = Some("文件是 UTF-16 编码，请另存为 UTF-8".to_owned());
    assert_eq!(said("content/units.yaml:1:1"), utf16);
    assert_eq!(said("content/scores.yaml:1:1"), utf16);
    assert_eq!(
        said("content/tasks.yaml:2:11").as_deref(),
        Some("这里含有空字符（NUL，字节 0x00），文本文件中不应有")
    );
    assert_eq!(
        said("content/report/前言.md:3:5").as_deref(),
        Some("这里的字节 0xFF 不是 UTF-8 文字，文件须为 UTF-8 编码")
    );
    assert_eq!(
        said("content/report/结语.md:1:1").as_deref(),
        Some("文件是 GBK 编码，须为 UTF-8（这一行按 GBK 读作“测试”）")
    );
}

/// county.yaml with 1 000 flow mappings one in another (`{a: {a: …}}`, 4 kB; 200 kB of them
/// took a minute); tasks.yaml with 200 block sequences one in another on one line.
fn yaml_deep_nesting(root: &Path) {
    let county = format!("{CONFIG}extra: {}1{}\n", "{a: ".repeat(1000), "}".repeat(1000));
    std::fs::write(root.join("content/county.yaml"), county).unwrap();
    std::fs::write(
        root.join("content/tasks.yaml"),
        format!("tasks:\n  {}x\n", "- ".repeat(200)),
    )
    .unwrap();
}

/// A narrative chapter with a line of 6 500 `>` (it overflowed a typesetting thread's stack).
fn narrative_deep_quote(root: &Path) {
    std::fs::create_dir_all(root.join("content/report")).unwrap();
    let text = format!("本县情况。\n\n{} 引文\n\n结语。\n", ">".repeat(6500));
    std::fs::write(root.join("content/report/前言.md"), text).unwrap();
}

#[test]
fn deep_nesting_is_refused_at_its_line() {
    let a = within_a_minute(|| yingjian::check(&case("yaml-deep-nesting")));
    let said = |code: &str| a.diagnostics.iter().find(|d| d.code == code).map(|d| d.message.clone());
    assert_eq!(
        said("yaml-too-deep").as_deref(),
        Some("方括号、花括号嵌套超过 64 层，未读取此文件")
    );
    let a = within_a_minute(|| yingjian::check(&case("narrative-deep-quote")));
    assert_eq!(
        said_of(&a, "narrative-too-deep").as_deref(),
        Some("引用（>）、列表或强调一层套一层，嵌套超过 32 层，这一段未排入文档")
    );
}

fn said_of(a: &yingjian::Assessment, code: &str) -> Option<String> {
    a.diagnostics.iter().find(|d| d.code == code).map(|d| d.message.clone())
}

/// `data` compressed with zlib `times` times.
fn zlib(data: &[u8], times: usize) -> Vec<u8> {
    let mut out = data.to_vec();
    for _ in 0..times {
        let mut z = flate2::write::ZlibEncoder::new(vec![], flate2::Compression::best());
        z.write_all(&out).unwrap();
        out = z.finish().unwrap();
    }
    out
}

/// A PDF 1.5 whose page (object 3) is in an object stream (object 4) compressed twice, with
/// `extra` (raw bytes) after it in the stream; a cross-reference stream (object 5).
fn pdf_with_object_stream(extra: &[u8]) -> Vec<u8> {
    let page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>";
    let objects = [b"3 0 ".as_slice(), page, extra].concat();
    let data = zlib(&objects, 2);
    let mut out = b"%PDF-1.5\n".to_vec();
    let mut at = [0usize; 6];
    at[1] = out.len();
    out.extend(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    at[2] = out.len();
    out.extend(b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
    at[4] = out.len();
    let dict = "/Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /FlateDecode]";
    out.extend(format!("4 0 obj\n<< {dict} /Length {} >>\nstream\n", data.len()).as_bytes());
    out.extend(&data);
    out.extend(b"\nendstream\nendobj\n");
    at[5] = out.len();
    // Rows of the cross-reference stream (/W [1 4 1]): free 0, in file 1 2 4 5, object 3 in stream 4.
    let mut rows = vec![];
    for (n, offset) in at.iter().enumerate() {
        let (kind, field, extra) = match n {
            0 => (0u8, 0u32, 0xFFu8),
            3 => (2, 4, 0),
            _ => (1, *offset as u32, 0),
        };
        rows.push(kind);
        rows.extend(field.to_be_bytes());
        rows.push(extra);
    }
    let xref = format!(
        "5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 1] /Root 1 0 R /Length {} >>\nstream\n",
        rows.len()
    );
    out.extend(xref.as_bytes());
    out.extend(&rows);
    out.extend(format!("\nendstream\nendobj\nstartxref\n{}\n%%EOF\n", at[5]).as_bytes());
    out
}

/// Compressed-stream bombs: a page whose content (compressed twice) inflates to 300 MB of
/// zeros, an object stream that inflates to 100 MB, and an object stream holding arrays
/// nested 100 000 deep. Each file is a few kilobytes.
fn pdf_stream_bombs(root: &Path) {
    std::fs::create_dir_all(root.join("evidence/R1")).unwrap();
    let zeros = {
        let mut z = flate2::write::ZlibEncoder::new(vec![], flate2::Compression::best());
        let chunk = vec![0u8; 1 << 20];
        for _ in 0..300 {
            z.write_all(&chunk).unwrap();
        }
        zlib(&z.finish().unwrap(), 1)
    };
    let content = format!(
        "<< /Filter [/FlateDecode /FlateDecode] /Length {} >>\nstream\n",
        zeros.len()
    );
    let page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_owned();
    let mut bomb = pdf_of(
        &[
            "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
            page,
            String::new(),
        ],
        5,
    );
    // Object 4 is written empty by `pdf_of`, then filled with the stream: its offset stays.
    let empty = b"4 0 obj\n\nendobj";
    let at = bomb.windows(empty.len()).position(|w| w == empty).unwrap() + b"4 0 obj\n".len();
    let stream = [content.as_bytes(), &zeros, b"\nendstream"].concat();
    bomb.splice(at..at, stream);
    std::fs::write(root.join("evidence/R1/内容流.pdf"), bomb).unwrap();
    let spaces = vec![b' '; 100 << 20];
    std::fs::write(root.join("evidence/R1/对象流.pdf"), pdf_with_object_stream(&spaces)).unwrap();
    let deep = [b" 1 0 obj ".as_slice(), &b"[".repeat(100_000), &b"]".repeat(100_000)].concat();
    std::fs::write(root.join("evidence/R1/对象流深层.pdf"), pdf_with_object_stream(&deep)).unwrap();
    std::fs::write(root.join("evidence/R1/正常.pdf"), pdf_with_object_stream(b"")).unwrap();
    list_evidence(
        root,
        &["R1/内容流.pdf", "R1/对象流.pdf", "R1/对象流深层.pdf", "R1/正常.pdf"],
    );
}

#[test]
fn compressed_stream_bombs_are_refused_at_the_file_and_the_box_book_is_made() {
    let root = case("pdf-stream-bombs");
    let a = within_a_minute(move || yingjian::check(&root));
    let said = |file: &str| {
        let at = format!("evidence/R1/{file}");
        a.diagnostics.iter().find(|d| d.at == at).map(|d| d.message.clone())
    };
    let bomb = "PDF 中的压缩数据解压后过大（一个数据流超过 256 MB、一个对象流超过 64 MB 或合计超过 1 GB），文件已损坏或经过篡改，未读取";
    assert_eq!(said("内容流.pdf").as_deref(), Some(bomb));
    assert_eq!(said("对象流.pdf").as_deref(), Some(bomb));
    assert_eq!(
        said("对象流深层.pdf").as_deref(),
        Some("PDF 中的数组或字典嵌套层数过多（超过 100 层），文件已损坏或经过篡改，未读取")
    );
    // The page in an object stream is read: 1 page.
    assert_eq!(said("正常.pdf"), None);
    let pages: Vec<Option<u32>> = a.evidence.items.iter().map(|i| i.pages).collect();
    assert_eq!(pages[3], Some(1));
    // The box book is made, its pages for the refused files left as placeholders.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&case("pdf-stream-bombs"), dir.path());
    let opts = yingjian::BuildOptions {
        box_books: true,
        ..Default::default()
    };
    let built = yingjian::build_with(dir.path(), &opts).unwrap();
    assert!(!built.assessment.has_errors(), "{:?}", built.assessment.diagnostics);
    assert!(dir.path().join("out").join(box_book(&built)).is_file());
}

/// 40 000 tasks (5 MB): each was found from the top of the file, 20 000 took 42 s; now one
/// pass. The last one names an unknown indicator, found at its line.
#[test]
fn forty_thousand_tasks_are_read_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    baseline(&root);
    let mut tasks = String::from("tasks:\n");
    for k in 0..40_000 {
        let ind = if k == 39_999 { "X9" } else { "R1" };
        tasks.push_str(&format!(
            "  - task: 任务{k}\n    indicators: [{ind}]\n    unit: 教育局\n    due: 2026-12-31\n    status: 进行中\n"
        ));
    }
    std::fs::write(root.join("content/tasks.yaml"), tasks).unwrap();
    let started = std::time::Instant::now();
    let a = within_a_minute(move || yingjian::check(&root));
    // Task k starts on line 2 + 5k; its indicators on the next: 2 + 5 × 39 999 + 1 = 199 998.
    // "    indicators: [" is 17 characters.
    assert!(
        a.diagnostics
            .iter()
            .any(|d| d.code == "unknown-indicator" && d.at == "content/tasks.yaml:199998:18"),
        "{:?}",
        a.diagnostics.iter().map(|d| &d.at).collect::<Vec<_>>()
    );
    // Measured 3.6 s (2 cores, shared); the quadratic search took minutes.
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
}

// ---- Generated, too large to commit ---------------------------------------------------------

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
        let _ = yingjian::model::normalize_text(&s);
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
        let v = yingjian::render::markdown::blocks(&text, "content/report/x.md", &[], &mut d);
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

/// Issue 35 point 13: a folder of evidence/ the user cannot read is said at the folder, and its
/// listed files are told as unread, not as missing. The test drops to an ordinary user (nobody)
/// when it runs as root, for whom every folder is readable.
#[test]
fn an_unreadable_folder_is_not_missing_data() {
    use std::os::unix::fs::PermissionsExt;
    let ws = sample_copy();
    let set = |p: &Path, mode| std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    set(ws.path(), 0o755);
    let folder = ws.path().join("evidence/B23");
    set(&folder, 0o000);
    let root = std::process::Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut cmd = if root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_yingjian"));
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_yingjian"))
    };
    let out = cmd.arg("check").arg("-w").arg(ws.path()).output().unwrap();
    set(&folder, 0o755);
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        said.contains("警告[evidence-folder-unreadable]: 无法读取此文件夹（没有读取权限），其中的文件均未检查"),
        "{said}"
    );
    // The catalogue lists 6 files in B23 (rows 89–94 of content/evidence.xlsx): each unread.
    assert_eq!(said.matches("所在文件夹没有读取权限，未能读取").count(), 6, "{said}");
    assert!(!said.contains("“B23/"), "{said}");
}
