//! The Word versions (out/自评报告.docx, out/评分自查表.docx): the package read back as XML
//! (page setup, fonts, fields), the same figures as the PDF, user text that stays text,
//! byte-identical rebuilds, and LibreOffice as the real client (`soffice --headless`, installed
//! by `.ci/run`; skipped with a note when absent unless YINGJIAN_REQUIRE_LIBREOFFICE is set).

mod support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use support::*;

/// One part of a .docx package, as text.
fn part(docx: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The text of every `<w:t>` of the body, entities decoded, a space after each.
fn docx_text(docx: &Path) -> String {
    let xml = part(docx, "word/document.xml");
    let mut out = String::new();
    for piece in xml.split("<w:t").skip(1) {
        let Some(start) = piece.find('>') else { continue };
        if piece[..start].ends_with('/') {
            continue;
        }
        let text = &piece[start + 1..];
        let end = text.find("</w:t>").unwrap_or(0);
        out.push_str(&decode(&text[..end]));
        out.push(' ');
    }
    out
}

fn decode(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#xA;", "\n")
        .replace("&amp;", "&")
}

/// Every XML part of the package parses, and the ids Word wants unique are: paragraph ids
/// (w14:paraId) across body, footers and footnotes, drawing ids (wp:docPr).
fn well_formed_with_unique_ids(docx: &Path) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut para_ids = std::collections::BTreeSet::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        if !name.ends_with(".xml") && !name.ends_with(".rels") {
            continue;
        }
        let mut xml = String::new();
        entry.read_to_string(&mut xml).unwrap();
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut pictures = std::collections::BTreeSet::new();
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)) => {
                    for a in e.attributes() {
                        let a = a.unwrap_or_else(|err| panic!("{name}: {err}"));
                        let value = String::from_utf8_lossy(&a.value).into_owned();
                        match (e.name().as_ref(), a.key.as_ref()) {
                            (b"w:p", b"w14:paraId") => {
                                assert!(para_ids.insert(value.to_lowercase()), "{name}: paraId {value} twice")
                            }
                            (b"wp:docPr", b"id") => {
                                assert!(pictures.insert(value.clone()), "{name}: docPr {value} twice")
                            }
                            _ => {}
                        }
                    }
                }
                Ok(_) => {}
                Err(e) => panic!("{name} is not well-formed: {e}"),
            }
        }
    }
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The PDF report's text, laid out again from the data the build wrote: a space after every
/// text item, so that the figures of neighbouring table cells stay apart.
fn pdf_text(root: &Path) -> String {
    use typst::layout::{Frame, FrameItem};
    fn walk(frame: &Frame, out: &mut String) {
        for (_, item) in frame.items() {
            match item {
                FrameItem::Group(g) => walk(&g.frame, out),
                FrameItem::Text(t) => {
                    out.push_str(&t.text);
                    out.push(' ');
                }
                _ => {}
            }
        }
    }
    let data = std::fs::read(root.join("out/.数据/自评报告.json")).unwrap();
    let today = yingjian::model::Date::new(2026, 11, 20).unwrap();
    let world = yingjian::render::typst::world::YjWorld::new(root, "report.typ", data, today).unwrap();
    let doc = yingjian::render::typst::compile::layout(&world).unwrap();
    let mut out = String::new();
    for page in doc.pages() {
        walk(&page.frame, &mut out);
    }
    out
}

/// Decimal figures of a text: "0.158", "15313" is left out (page numbers, years).
fn decimals(text: &str) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let n: String = chars[start..i].iter().collect();
            let n = n.trim_end_matches('.');
            if n.contains('.') {
                out.insert(n.to_owned());
            }
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn sample_report_docx_has_the_pdfs_figures_and_gbt9704_setup() {
    let dir = sample_copy();
    let root = dir.path();
    let built = yingjian::build(root).unwrap();
    assert!(!built.assessment.has_errors());
    let docx = root.join("out/自评报告.docx");
    let first = std::fs::read(&docx).unwrap();
    let scoring_first = std::fs::read(root.join("out/评分自查表.docx")).unwrap();
    well_formed_with_unique_ids(&docx);
    well_formed_with_unique_ids(&root.join("out/评分自查表.docx"));

    // Page setup (GB/T 9704-2012 5.2): A4 = 11906 × 16838 twips; top 37 mm = 37 × 1440 / 25.4
    // = 2098; binding side 28 mm = 1587; outer 210 − 28 − 156 = 26 mm = 1474; bottom 297 −
    // 37 − 225 = 35 mm = 1984; 22 lines of 225 mm = 579 twips each; mirrored margins.
    let document = part(&docx, "word/document.xml");
    assert!(document.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
    for m in [
        r#"w:top="2098""#,
        r#"w:left="1587""#,
        r#"w:right="1474""#,
        r#"w:bottom="1984""#,
    ] {
        assert!(document.contains(m), "margin {m}");
    }
    assert!(document.contains(r#"w:linePitch="579""#));
    let settings = part(&docx, "word/settings.xml");
    assert!(settings.contains("<w:mirrorMargins />") && settings.contains("<w:evenAndOddHeaders />"));
    assert!(settings.contains(r#"<w:updateFields w:val="true" />"#));
    // Fonts named for both Latin and East Asian runs: body 仿宋_GB2312 16 pt (32 half-points).
    let styles = part(&docx, "word/styles.xml");
    assert!(
        styles.contains(r#"w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:cs="仿宋_GB2312" w:eastAsia="仿宋_GB2312""#)
    );
    assert!(styles.contains(r#"w:eastAsia="黑体""#) && styles.contains(r#"w:eastAsia="楷体_GB2312""#));
    assert!(styles.contains(r#"w:eastAsia="方正小标宋简体""#));
    let defaults = &styles[styles.find("<w:rPrDefault>").unwrap()..styles.find("</w:rPrDefault>").unwrap()];
    assert!(
        defaults.contains(r#"<w:sz w:val="32" />"#),
        "3号 body in the defaults: {defaults}"
    );
    // Page numbers: a PAGE field in both footers, odd right and even left, "— 1 —".
    for (f, side) in [("word/footer1.xml", "right"), ("word/footer2.xml", "left")] {
        let footer = part(&docx, f);
        assert!(footer.contains("PAGE") && footer.contains("— "), "{f}");
        assert!(footer.contains(&format!(r#"<w:jc w:val="{side}" />"#)), "{f}: {side}");
    }
    // The contents: a TOC field pre-filled with the headings; header rows repeat.
    assert!(document.contains(r#"TOC \o &quot;1-2&quot; \h"#) || document.contains(r#"TOC \o "1-2" \h"#));
    let text = docx_text(&docx);
    assert!(squash(&text).contains("二、资源配置") && text.contains("（一）A1　教师高于规定学历人数"));
    assert!(document.matches("<w:tblHeader />").count() >= 10);
    // The charts, 14 pictures (7 indicators × 2 stages), numbered 图 1–14.
    assert!(text.contains("图 14　初中每百名学生拥有网络多媒体教室数（间）"));

    // Same figures in both: every decimal figure and school name of one is in the other.
    let pdf = pdf_text(root);
    let (in_pdf, in_word) = (decimals(&pdf), decimals(&text));
    let (pdf, word) = (squash(&pdf), squash(&text));
    let missing: Vec<_> = in_pdf.difference(&in_word).collect();
    assert!(missing.is_empty(), "in the PDF only: {missing:?}");
    let extra: Vec<_> = in_word.difference(&in_pdf).collect();
    assert!(extra.is_empty(), "in the Word file only: {extra:?}");
    assert!(in_pdf.len() > 100, "{} figures", in_pdf.len());
    let a = &built.assessment;
    for st in [&a.resource.primary, &a.resource.junior] {
        for s in &st.schools {
            assert!(
                word.contains(&squash(&s.name)) && pdf.contains(&squash(&s.name)),
                "{}",
                s.name
            );
        }
        for cv in st.cv.values().flatten() {
            assert!(word.contains(&format!("{cv:.3}")), "CV {cv:.3}");
        }
    }

    // Incremental: with nothing changed, nothing is made again.
    let again = yingjian::build(root).unwrap();
    assert_eq!(again.typeset, 0);
    assert!(
        again
            .outputs
            .iter()
            .any(|(rel, changed)| rel == "自评报告.docx" && !changed),
        "{:?}",
        again.outputs
    );
    // Deterministic: made again in the same process (docx-rs's own counters are
    // process-wide), the same bytes.
    std::fs::remove_file(&docx).unwrap();
    std::fs::remove_file(root.join("out/评分自查表.docx")).unwrap();
    let again = yingjian::build(root).unwrap();
    assert_eq!(again.typeset, 2, "only the removed files are made again");
    assert!(scoring_first == std::fs::read(root.join("out/评分自查表.docx")).unwrap());
    assert!(
        first == std::fs::read(&docx).unwrap(),
        "two builds gave different .docx bytes"
    );
}

#[test]
fn scoring_docx_merges_an_indicators_cells_over_its_points() {
    let dir = sample_copy();
    let root = dir.path();
    yingjian::build(root).unwrap();
    let docx = root.join("out/评分自查表.docx");
    let document = part(&docx, "word/document.xml");
    // A4 landscape.
    assert!(document.contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape""#));
    // A1 has three points: its id, type, name, verdict and basis start a merge (5 cells) and
    // continue over two rows (5 × 2 = 10), for every such indicator.
    assert!(document.matches(r#"<w:vMerge w:val="restart" />"#).count() >= 5);
    assert!(document.matches(r#"<w:vMerge w:val="continue" />"#).count() >= 10);
    // Cell margins in every table (issue 34 point 9): 2 pt above and below, 1.5 mm beside
    // (2 × 20 = 40 and 1.5 × 1440 / 25.4 ≈ 85 twips).
    let tables = document.matches("<w:tbl>").count();
    assert!(tables >= 2, "{tables} tables");
    let margins = r#"<w:tblCellMar><w:top w:w="40" w:type="dxa" /><w:left w:w="85" w:type="dxa" /><w:bottom w:w="40" w:type="dxa" /><w:right w:w="85" w:type="dxa" /></w:tblCellMar>"#;
    assert_eq!(document.matches(margins).count(), tables);
    // The conclusion kept with the veto table: its last row (V7, three cells) and the empty
    // paragraph after it keep with the next paragraph, 总体结论 with its reasons.
    let tail = &document[document.rfind("V7").unwrap()..document.find("总体结论").unwrap()];
    assert!(tail.matches("<w:keepNext />").count() >= 3, "{tail}");
    // Headers on one line (issue 34 point 9): the 类型 and 分值 columns hold two characters of
    // 10.5 pt (2 × 210 = 420 twips) within the margins (2 × 85) and 20 to spare: 610. They were
    // 602 under Word's own margins of 108 each side, 602 − 216 = 386 < 420: "分/值".
    let grid = &document[document.find("<w:tblGrid>").unwrap()..document.find("</w:tblGrid>").unwrap()];
    let widths: Vec<u32> = grid
        .split(r#"<w:gridCol w:w=""#)
        .skip(1)
        .map(|c| c.split('"').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(widths.len(), 9, "{grid}");
    assert!(
        widths[1] >= 610 && widths[4] >= 610,
        "类型 {} 分值 {}",
        widths[1],
        widths[4]
    );
    let text = docx_text(&docx);
    assert!(text.contains("一票否决项") && text.contains("总体结论："));
    assert!(text.contains("填报日期：2026年11月20日"));
    let footer = part(&docx, "word/footer1.xml");
    assert!(footer.contains("NUMPAGES") && footer.contains("第 "));
    // One footer for every page: no even-page footer switched on, nor mirrored margins.
    let settings = part(&docx, "word/settings.xml");
    assert!(!settings.contains("evenAndOddHeaders") && !settings.contains("mirrorMargins"));
}

#[test]
fn user_text_stays_text_in_word() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    let mut rows = baseline_rows();
    rows[0][1] = s("<w:t>&amp;]]>{ PAGE }\"\u{1}小学");
    write_schools(root, &rows);
    let built = yingjian::build(root).unwrap();
    let docx = root.join("out/自评报告.docx");
    let document = part(&docx, "word/document.xml");
    // Escaped, the control character dropped, no field the user typed.
    assert!(
        document.contains("&lt;w:t&gt;&amp;amp;]]&gt;{ PAGE }&quot;小学"),
        "escaped"
    );
    assert!(!document.contains('\u{1}'));
    assert!(docx_text(&docx).contains("<w:t>&amp;]]>{ PAGE }\"小学"));
    let fields = |xml: &str| xml.matches(r#"w:fldCharType="begin""#).count();
    let clean = tempfile::tempdir().unwrap();
    baseline(clean.path());
    yingjian::build(clean.path()).unwrap();
    assert_eq!(
        fields(&document),
        fields(&part(&clean.path().join("out/自评报告.docx"), "word/document.xml"))
    );
    // Reported once, at the cell typed (first data row, column B).
    let d: Vec<_> = built
        .assessment
        .diagnostics
        .iter()
        .filter(|d| d.code == "docx-control-char")
        .collect();
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].at, "content/schools.xlsx 学校基础数据!B2");
    assert!(d[0].message.contains("U+0001"));
}

fn soffice() -> Option<PathBuf> {
    [
        "/usr/bin/soffice",
        "/usr/bin/libreoffice",
        "/usr/lib/libreoffice/program/soffice",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
}

/// A fontconfig setup with the bundled fonts under the office font names, so that
/// LibreOffice lays the files out with the same faces everywhere.
fn fontconfig(dir: &Path) -> PathBuf {
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/fonts");
    let alias = |office: &str, ours: &str| {
        format!(r#"<alias binding="same"><family>{office}</family><prefer><family>{ours}</family></prefer></alias>"#)
    };
    let conf = format!(
        r#"<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>{}</dir><cachedir>{}</cachedir>{}{}{}{}{}</fontconfig>"#,
        fonts.display(),
        dir.join("cache").display(),
        alias("仿宋_GB2312", "FandolFang R"),
        alias("方正小标宋简体", "FandolSong"),
        alias("黑体", "FandolHei"),
        alias("楷体_GB2312", "FandolKai"),
        alias("宋体", "FandolSong"),
    );
    let path = dir.join("fonts.conf");
    std::fs::write(&path, conf).unwrap();
    path
}

#[test]
fn libreoffice_opens_both_and_prints_every_figure() {
    let pdftotext = Command::new("pdftotext").arg("-v").output().is_ok();
    let Some(soffice) = soffice().filter(|_| pdftotext) else {
        assert!(
            std::env::var_os("YINGJIAN_REQUIRE_LIBREOFFICE").is_none(),
            "LibreOffice is required (apt-get install libreoffice-writer-nogui)"
        );
        eprintln!("跳过：未安装 LibreOffice 或 pdftotext（apt-get install libreoffice-writer-nogui poppler-utils）");
        return;
    };
    let dir = sample_copy();
    let root = dir.path();
    let built = yingjian::build(root).unwrap();
    let work = tempfile::tempdir().unwrap();
    let conf = fontconfig(work.path());
    // Bounded: a LibreOffice that hangs fails the test instead of the whole CI run.
    let status = Command::new("timeout")
        .arg("600")
        .arg(soffice)
        .env("FONTCONFIG_FILE", &conf)
        .env("HOME", work.path())
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(work.path())
        .arg(root.join("out/自评报告.docx"))
        .arg(root.join("out/评分自查表.docx"))
        .status()
        .unwrap();
    assert!(status.success());
    for name in ["自评报告.pdf", "评分自查表.pdf"] {
        assert!(work.path().join(name).exists(), "LibreOffice did not convert {name}");
    }
    let text = |name: &str| {
        let out = Command::new("pdftotext")
            .arg(work.path().join(name))
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils)");
        squash(&String::from_utf8_lossy(&out.stdout))
    };
    let report = text("自评报告.pdf");
    let a = &built.assessment;
    for st in [&a.resource.primary, &a.resource.junior] {
        for cv in st.cv.values().flatten() {
            assert!(report.contains(&format!("{cv:.3}")), "CV {cv:.3}");
        }
        for s in &st.schools {
            assert!(report.contains(&squash(&s.name)), "{}", s.name);
        }
    }
    for heading in [
        "一、基本情况",
        "二、资源配置",
        "（一）A1",
        "存在问题",
        "整改措施",
        "附表",
        "图1",
        "图14",
    ] {
        assert!(report.contains(heading), "{heading}");
    }
    // The contents show page numbers without Word refreshing the field (issue 34 point 9): each
    // chapter's the number the typeset PDF prints for it, read from the PDF's own contents.
    let contents = |pdf: &Path| {
        let out = Command::new("pdftotext")
            .args(["-layout"])
            .arg(pdf)
            .arg("-")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        // "一、基本情况..........1": the heading, the dot leader, the page number.
        let entries: Vec<(String, String)> = text
            .lines()
            .filter(|l| l.contains("....") && l.trim_end().ends_with(|c: char| c.is_ascii_digit()))
            .map(|l| {
                let l = l.trim();
                let (head, _) = l.split_once("..").unwrap();
                let number: String = l.chars().rev().take_while(char::is_ascii_digit).collect();
                (squash(head), number.chars().rev().collect())
            })
            .collect();
        entries
    };
    let word = contents(&work.path().join("自评报告.pdf"));
    let typeset = contents(&root.join("out/自评报告.pdf"));
    let chapter = |entries: &[(String, String)], h: &str| entries.iter().find(|(t, _)| t == h).map(|(_, n)| n.clone());
    for h in ["一、基本情况", "二、资源配置", "三、政府保障程度"] {
        let n = chapter(&typeset, h).unwrap_or_else(|| panic!("{h} in the PDF's contents: {typeset:?}"));
        assert_eq!(chapter(&word, h), Some(n), "{h} in LibreOffice's contents: {word:?}");
    }
    // 一、基本情况 opens the body: page 1.
    assert_eq!(chapter(&word, "一、基本情况").as_deref(), Some("1"));
    // The page numbers LibreOffice computed from the PAGE field: "—1—" on the first body page.
    assert!(report.contains("—1—") && report.contains("—2—"));
    let scoring = text("评分自查表.pdf");
    assert!(scoring.contains("评分自查表") && scoring.contains("社会认可度") && scoring.contains("第1页"));
    assert!(scoring.contains("第2页"), "the footer on even pages too");
}

#[test]
fn a_chart_of_more_than_45_schools_takes_two_pictures_one_caption() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    // 50 primary schools and one junior: each primary chart has 50 bars, two blocks (45 + 5).
    let mut rows: Vec<Vec<Cell>> = (0..50)
        .map(|n| {
            row(
                &format!("36000001{n:02}"),
                &format!("测试第{n}小学"),
                "小学",
                "小学",
                300.0 + n as f64,
            )
        })
        .collect();
    rows.push(row("3600000200", "测试第一中学", "初中", "初中", 600.0));
    write_schools(root, &rows);
    let built = yingjian::build(root).unwrap();
    assert!(
        !built.assessment.has_errors(),
        "{}",
        yingjian::diag::render_human(&built.assessment.diagnostics)
    );
    let docx = root.join("out/自评报告.docx");
    let document = part(&docx, "word/document.xml");
    // 7 primary charts × 2 pictures + 7 junior charts × 1 = 21 pictures, 14 captions.
    assert_eq!(
        document.matches("<pic:pic ").count() + document.matches("<pic:pic>").count(),
        21
    );
    let text = docx_text(&docx);
    assert!(text.contains("图 14　") && !text.contains("图 15　"));
    well_formed_with_unique_ids(&docx);
}

#[test]
fn a_narrative_image_is_a_numbered_picture_in_both() {
    let dir = sample_copy();
    let root = dir.path();
    let chapter = root.join("content/report/资源配置.md");
    let text = std::fs::read_to_string(&chapter).unwrap();
    std::fs::write(
        &chapter,
        format!("{text}\n\n![柳溪村小学运动场](A5/学校运动场照片01.png)\n"),
    )
    .unwrap();
    let built = yingjian::build(root).unwrap();
    assert!(!built.assessment.has_errors());
    let docx = root.join("out/自评报告.docx");
    // The photo is 图 1 in both, the charts 图 2–15.
    let word = docx_text(&docx);
    assert!(word.contains("图 1　柳溪村小学运动场"), "the photo's caption");
    assert!(word.contains("图 15　初中每百名学生拥有网络多媒体教室数（间）"));
    let pdf = squash(&pdf_text(root));
    let at: Vec<String> = pdf
        .match_indices("图1")
        .map(|(i, _)| pdf[i..].chars().take(16).collect())
        .collect();
    assert!(pdf.contains("图1柳溪村小学运动场"), "{at:?}");
    assert!(pdf.contains("图15初中每百名学生拥有网络多媒体教室数"));
    let document = part(&docx, "word/document.xml");
    assert_eq!(document.matches("<pic:pic").count(), 15, "the photo and 14 charts");
    well_formed_with_unique_ids(&docx);
}
