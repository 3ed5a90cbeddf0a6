//! The typesetting engine and the self-evaluation report: templates compiled with edge-case
//! data, text read back from the document in-process, byte-identical rebuilds.

mod support;

use std::path::Path;
use support::*;
use yingjian::render::typst::compile::{missing_glyphs, page_texts};

const INJECTION: &str = r#"#panic("x") *y* $z$ <l> @r \ ]"#;

/// Builds the workspace and returns the report's text (whitespace removed) and PDF bytes.
fn report(root: &Path) -> (String, Vec<u8>, usize) {
    let built = yingjian::build(root).unwrap();
    assert!(
        !built.assessment.has_errors(),
        "{}",
        yingjian::diag::render_human(&built.assessment.diagnostics)
    );
    let data = std::fs::read(root.join("out/.数据/自评报告.json")).unwrap();
    let today = yingjian::model::Date::new(2026, 11, 20).unwrap();
    let world = yingjian::render::typst::world::YjWorld::new(root, "report.typ", data, today).unwrap();
    let doc = yingjian::render::typst::compile::compile(&world)
        .unwrap_or_else(|d| panic!("{}", yingjian::diag::render_human(&d)));
    assert!(
        missing_glyphs(&doc.document).is_empty(),
        "missing glyphs: {:?}",
        missing_glyphs(&doc.document)
    );
    let text: String = page_texts(&doc.document)
        .concat()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let pdf = std::fs::read(root.join("out/自评报告.pdf")).unwrap();
    (text, pdf, doc.document.pages().len())
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn hostile_long_and_rare_names_appear_literally() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    let mut rows = baseline_rows();
    rows[0][1] = s(INJECTION);
    let long = "示例县某某乡某某村某某教学点暨某某中心小学附属某某分校区第二教学楼".to_owned();
    rows[1][1] = s(&long);
    rows[2][1] = s("堃喆祎昇彧赟珺玥学校");
    rows[3][1] = s("堃喆祎昇彧赟珺玥学校");
    write_schools(root, &rows);
    std::fs::create_dir_all(root.join("content/report")).unwrap();
    std::fs::write(
        root.join("content/report/前言.md"),
        format!("叙述中的 `{INJECTION}` 与 {INJECTION} 原样出现。\n"),
    )
    .unwrap();
    let (text, pdf, _) = report(root);
    assert!(pdf.starts_with(b"%PDF-"));
    // The injection string shows as text (it also ends up in a markdown paragraph, with markdown's own escapes).
    assert!(
        text.contains(&squash(INJECTION)),
        "injection string not found literally"
    );
    assert!(text.contains(&squash(&long)));
    assert!(text.contains("堃喆祎昇彧赟珺玥学校"));
}

#[test]
fn every_indicator_failing_still_typesets() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    // Every resource value far below standard, oversized classes, no rooms, no training funds.
    let mut rows = baseline_rows();
    for r in &mut rows {
        for c in 11..=17 {
            r[c] = Cell::N(1.0);
        }
        r[8] = Cell::N(70.0);
        if !matches!(r[18], Cell::Blank) {
            r[18] = Cell::N(0.0);
            r[20] = Cell::N(0.0);
            r[23] = Cell::N(0.0);
        }
        r[10] = Cell::N(1.0);
    }
    write_schools(root, &rows);
    std::fs::write(
        root.join("content/county.yaml"),
        format!(
            "{}finance:\n  education_spending: {{2024: 100, 2025: 90}}\n  per_pupil_spending: {{2024: 10, 2025: 9}}\n  teacher_average_pay: 1\n  civil_servant_average_pay: 2\nteachers: {{training_360_rate: 50, rotation_eligible: 100, rotation_count: 1, rotation_backbone: 0}}\nenrolment: {{zoned_primary: 50, zoned_junior: 50, quota_allocation: 10, quota_rural_leaning: false, migrant_children: 10, junior_retention: 10, disabled_enrolment: 10}}\nquality: {{level_iii_or_above: false, inter_school_difference: 0.5}}\nrecognition: 10\nveto: {{V1: {{present: true}}}}\n",
            CONFIG
        ),
    )
    .unwrap();
    let (text, _, pages) = report(root);
    assert!(text.contains("存在问题"));
    assert!(text.contains("未达标"));
    assert!(pages > 5);
}

#[test]
fn empty_lists_typeset() {
    // Only a special-education school: no primary or junior rows, no charts, no tables.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    let mut sp = row("3600000009", "测试特殊教育学校", "特殊教育学校", "", 60.0);
    sp[3] = Cell::Blank;
    write_schools(root, &[sp]);
    let (text, _, _) = report(root);
    assert!(text.contains("基本情况"));
}

#[test]
fn sample_report_is_deterministic_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["content", "evidence"] {
        copy_dir(&repo.join(sub), &root.join(sub));
    }
    let (text, first, pages) = report(root);
    std::fs::remove_dir_all(root.join("out")).unwrap();
    let (_, second, _) = report(root);
    assert!(first == second, "two builds gave different PDF bytes");
    // Cover date, a coefficient from the data (3 decimals), a value (2 decimals), the verdicts.
    assert!(text.contains("二〇二六年十一月"));
    assert!(text.contains("示例县人民政府"));
    assert!(text.contains("柳溪村小学"));
    assert!(text.contains("6.80*"), "shortfall marked");
    let a = yingjian::check(root);
    let cv = a.resource.junior.cv[&yingjian::model::ResourceKey::SportsArea].unwrap();
    assert!(text.contains(&format!("{cv:.3}")), "junior sports CV {cv:.3} quoted");
    assert!(pages >= 15, "{pages} pages");
    // Page numbers in the GB/T 9704 form.
    assert!(text.contains("—1—") && text.contains("—2—"));
}

#[test]
fn characters_no_font_has_are_reported_with_their_source() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    let mut rows = baseline_rows();
    rows[0][1] = s("测试\u{E000}小学");
    write_schools(root, &rows);
    // A second one in the narrative: line 3, after the five characters "校长：张三".
    let report = root.join("content/report");
    std::fs::create_dir_all(&report).unwrap();
    std::fs::write(report.join("前言.md"), "# 前言\n\n校长：张三\u{E001}。\n").unwrap();
    let built = yingjian::build(root).unwrap();
    let glyphs: Vec<_> = built
        .assessment
        .diagnostics
        .iter()
        .filter(|d| d.code == "glyph-missing")
        .collect();
    // Once per character, however many documents carry the school's name; at the cell typed
    // (first data row, column B: the header is row 1) and the line and column of the Markdown.
    assert_eq!(glyphs.len(), 2, "{glyphs:?}");
    assert_eq!(glyphs[0].at, "content/report/前言.md:3:6");
    assert!(glyphs[0].message.contains("U+E001"), "{}", glyphs[0].message);
    assert_eq!(glyphs[1].at, "content/schools.xlsx 学校基础数据!B2");
    assert!(glyphs[1].message.contains("U+E000") && glyphs[1].message.contains("测试\u{E000}小学"));
    assert!(
        !glyphs[1].message.contains("数据位置"),
        "no internal data path: {}",
        glyphs[1].message
    );
}

#[test]
fn templates_cannot_read_outside_templates_and_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    std::fs::create_dir_all(root.join("templates")).unwrap();
    for (path, why) in [("/content/county.yaml", "inputs"), ("/../secret.txt", "escape")] {
        std::fs::write(root.join("templates/report-part.typ"), format!("#read(\"{path}\")\n")).unwrap();
        let built = yingjian::build(root).unwrap();
        assert!(built.assessment.has_errors(), "{why}: reading {path} must fail");
        assert!(
            built
                .assessment
                .diagnostics
                .iter()
                .any(|d| d.code == "typst" && d.at.starts_with("templates/report-part.typ:1:")),
            "{why}"
        );
        assert!(
            !root.join("out/自评报告.pdf").exists(),
            "{why}: nothing written on error"
        );
    }
}

#[test]
fn check_reports_everything_build_would_before_typesetting() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    let mut rows = baseline_rows();
    // A private-use character: no bundled font has it.
    rows[0][1] = s("测试\u{E000}小学");
    write_schools(root, &rows);
    let report = root.join("content/report");
    std::fs::create_dir_all(&report).unwrap();
    std::fs::write(
        report.join("前言.md"),
        "全县 {{ summary.schools }} 所学校。\n\n![运动场](A5/没有这张.png)\n",
    )
    .unwrap();
    std::fs::write(report.join("基本情况.md"), "{{ 没有这个字段 }}\n").unwrap();
    std::fs::write(report.join("附录.md"), "不属于任何章节。\n").unwrap();
    let codes = |d: &[yingjian::diag::Diagnostic]| -> std::collections::BTreeSet<(String, String)> {
        d.iter().map(|d| (d.code.to_owned(), d.at.clone())).collect()
    };
    let checked = yingjian::check(root);
    let found = codes(&checked.diagnostics);
    for (code, at) in [
        ("report-template", "content/report/基本情况.md:1:4"),
        ("report-unplaced", "content/report/附录.md"),
        ("markdown-image-missing", "content/report/前言.md:3:1"),
        ("glyph-missing", "content/schools.xlsx 学校基础数据!B2"),
    ] {
        assert!(
            found.contains(&(code.to_owned(), at.to_owned())),
            "{code} at {at}: {found:?}"
        );
    }
    let built = yingjian::build(root).unwrap();
    assert!(built.assessment.has_errors());
    assert_eq!(codes(&built.assessment.diagnostics), found);
    assert!(!root.join("out/自评报告.pdf").exists());
}

#[test]
fn archival_pdf_on_request() {
    // county.yaml `pdf: {standard: a-2b}`: typst-pdf checks PDF/A-2b conformance, the XMP
    // metadata declares part 2, level B, the date is the workspace's today (UTC+8), and the
    // PDF stays tagged. Without the option no PDF claims PDF/A.
    let dir = tempfile::tempdir().unwrap();
    baseline(dir.path());
    let config = dir.path().join("content/county.yaml");
    std::fs::write(&config, format!("{CONFIG}pdf:\n  standard: a-2b\n")).unwrap();
    let built = yingjian::build(dir.path()).unwrap();
    assert!(
        !built.assessment.has_errors(),
        "{}",
        yingjian::diag::render_human(&built.assessment.diagnostics)
    );
    for f in ["自评报告.pdf", "评分自查表.pdf", "一校一策整改方案.pdf"] {
        let pdf = String::from_utf8_lossy(&std::fs::read(dir.path().join("out").join(f)).unwrap()).into_owned();
        assert!(pdf.contains("<pdfaid:part>2</pdfaid:part>"), "{f}: no PDF/A part");
        assert!(
            pdf.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
            "{f}: no PDF/A level"
        );
        assert!(pdf.contains("2026-11-20T00:00:00+08:00"), "{f}: no document date");
        assert!(pdf.contains("/StructTreeRoot"), "{f}: not tagged");
    }
    // A standard the tool does not know is a config error at its line.
    std::fs::write(&config, format!("{CONFIG}pdf:\n  standard: a-9z\n")).unwrap();
    let a = yingjian::check(dir.path());
    assert!(
        a.diagnostics
            .iter()
            .any(|d| d.severity == yingjian::diag::Severity::Error && d.at.starts_with("content/county.yaml:7")),
        "{}",
        yingjian::diag::render_human(&a.diagnostics)
    );
    std::fs::write(&config, CONFIG).unwrap();
    yingjian::build(dir.path()).unwrap();
    let plain = String::from_utf8_lossy(&std::fs::read(dir.path().join("out/自评报告.pdf")).unwrap()).into_owned();
    assert!(!plain.contains("pdfaid"));
    // Plain PDFs are untagged: the report is put together from parts, the forms into volumes.
    assert!(!plain.contains("/StructTreeRoot"), "a plain report is not tagged");
}

#[test]
fn rare_characters_of_extensions_b_to_f_render_from_the_fallback_font() {
    // 𠮷 U+20BB7 (Ext B), 𪚥 U+2A6A5 (Ext B), 𫟹 U+2B7F9 (Ext D), 𬌗 U+2C317 (Ext E),
    // 𮧵 U+2E9F5 (Ext F): no glyph-missing, and the characters are in the report's text.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    let mut rows = baseline_rows();
    rows[0][1] = s("𠮷𪚥𫟹𬌗𮧵小学");
    write_schools(root, &rows);
    let (text, _, _) = report(root);
    assert!(text.contains("𠮷𪚥𫟹𬌗𮧵小学"), "{text:.300}");
}
