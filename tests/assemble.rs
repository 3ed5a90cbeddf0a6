//! Combined volumes assembled from the typeset documents' PDFs, not typeset again: the same
//! pages as the parts, in order, one bookmark per part, rebuilt when a part changes.

mod support;

use std::process::Command;
use support::*;
use yingjian::render::assemble::{bookmarks, page_count};

/// The text of each page of a PDF, as poppler reads it (pages end in a form feed).
fn pages_text(pdf: &std::path::Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    pages.pop();
    pages
}

fn has_poppler() -> bool {
    Command::new("pdftotext").arg("-v").output().is_ok()
}

/// Two copies of the sample: as it is, and with `pdf.standard` set (documents typeset whole).
fn plain_and_archival() -> (tempfile::TempDir, tempfile::TempDir) {
    let plain = sample_copy();
    let archival = sample_copy();
    let config = archival.path().join("content/county.yaml");
    let yaml = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{yaml}\npdf:\n  standard: a-2b\n")).unwrap();
    (plain, archival)
}

/// The report's parts (file names under out/.yingjian/parts/自评报告) that a rebuild rewrites
/// after `school` corrects its sports area to 15000 m².
fn parts_moved_by_correcting(root: &std::path::Path, school: &str) -> Vec<String> {
    let dir = root.join("out/.yingjian/parts/自评报告");
    let stamps = |name: &str| std::fs::metadata(dir.join(name)).unwrap().modified().unwrap();
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let before: Vec<_> = names.iter().map(|n| stamps(n)).collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut rows = read_sheet(&root.join("content/schools.xlsx"), "学校基础数据");
    let r = rows
        .iter()
        .position(|r| matches!(&r[1], Cell::S(n) if n == school))
        .unwrap();
    rows[r][15] = Cell::N(15000.0);
    write_schools(root, &rows);
    let again = yingjian::build(root).unwrap();
    assert!(!again.assessment.has_errors());
    names
        .into_iter()
        .zip(before)
        .filter(|(n, t)| stamps(n) != *t)
        .map(|(n, _)| n)
        .collect()
}

/// The same number of pages and the same text on each.
fn assert_same_pages(a: &[String], b: &[String], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: page count");
    for (n, (x, y)) in a.iter().zip(b).enumerate() {
        assert_eq!(x, y, "{what} page {}", n + 1);
    }
}

#[test]
fn the_combined_forms_hold_every_schools_pages_in_order() {
    let dir = sample_copy();
    let root = dir.path();
    let built = yingjian::build(root).unwrap();
    assert!(!built.assessment.has_errors());
    let out = root.join("out");
    let volume = std::fs::read(out.join("学校实地督查表.pdf")).unwrap();
    let mut parts: Vec<std::path::PathBuf> = std::fs::read_dir(out.join("学校实地督查表"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    // The plan's order: the schools as listed, which the sample lists by code.
    parts.sort();
    let counts: Vec<usize> = parts
        .iter()
        .map(|p| page_count(&std::fs::read(p).unwrap()).unwrap())
        .collect();
    assert_eq!(page_count(&volume), Some(counts.iter().sum()), "{counts:?}");
    // One bookmark per school, "code name", as the file names have them.
    let marks = bookmarks(&volume);
    let names: Vec<String> = parts
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().replacen('-', " ", 1))
        .collect();
    assert_eq!(marks, names);
    // Page by page the same text as the school's own PDF (poppler; CI installs it).
    if has_poppler() {
        let volume = pages_text(&out.join("学校实地督查表.pdf"));
        let forms: Vec<String> = parts.iter().flat_map(|p| pages_text(p)).collect();
        assert_eq!(volume.len(), forms.len());
        for (n, (a, b)) in volume.iter().zip(&forms).enumerate() {
            assert_eq!(a, b, "page {}", n + 1);
        }
    }
    // Nothing changed: not assembled again. One form made again (its file gone): the volume
    // is assembled again from it and the other forms as written, byte for byte the same.
    let again = yingjian::build(root).unwrap();
    assert_eq!(again.typeset, 0);
    std::fs::remove_file(&parts[0]).unwrap();
    std::fs::remove_file(out.join("学校实地督查表.pdf")).unwrap();
    let again = yingjian::build(root).unwrap();
    assert_eq!(again.typeset, 2, "the form and the volume");
    assert!(std::fs::read(out.join("学校实地督查表.pdf")).unwrap() == volume);
}

/// Every combined volume assembled from the parts holds the pages the same volume typeset
/// whole holds (as it is under `pdf.standard`, where volumes are typeset): the same number
/// of pages, the same text on each. The sample has 32 school rows and 38 boxes.
#[test]
fn assembled_volumes_hold_the_pages_typesetting_them_gives() {
    if !has_poppler() {
        eprintln!("skipped: pdftotext not installed");
        return;
    }
    let (assembled, typeset) = plain_and_archival();
    for dir in [&assembled, &typeset] {
        let built = yingjian::build(dir.path()).unwrap();
        assert!(!built.assessment.has_errors(), "{:?}", built.assessment.diagnostics);
    }
    let volumes = [
        ("学校实地督查表.pdf", 32),
        ("档案盒/全部盒面.pdf", 38),
        ("档案盒/全部卷内目录.pdf", 38),
        ("档案盒/全部备考表.pdf", 38),
    ];
    for (rel, at_least) in volumes {
        let a = pages_text(&assembled.path().join("out").join(rel));
        let t = pages_text(&typeset.path().join("out").join(rel));
        assert!(a.len() >= at_least, "{rel}: {} pages", a.len());
        assert_same_pages(&a, &t, rel);
    }
    // Each box's own file: cover, contents list, 备考表, spine label — a cover per box, and
    // a bookmark per box in each assembled kind.
    let covers = std::fs::read(assembled.path().join("out/档案盒/全部盒面.pdf")).unwrap();
    assert_eq!(page_count(&covers), Some(38));
    let marks = bookmarks(&covers);
    assert_eq!(marks.len(), 38);
    assert!(marks[0].starts_with("A1 "), "{marks:?}");
}

/// The report typeset in parts and put together holds, page for page, the text of the report
/// typeset whole (under `pdf.standard`); its bookmarks are the headings. A corrected school
/// figure lays out the body and that stage's charts again, not the checks appendix or the
/// other stage's charts; the contents are kept when no heading moved.
#[test]
fn the_report_put_together_from_parts_is_the_report_typeset_whole() {
    if !has_poppler() {
        eprintln!("skipped: pdftotext not installed");
        return;
    }
    let (parts, whole) = plain_and_archival();
    for dir in [&parts, &whole] {
        let built = yingjian::build(dir.path()).unwrap();
        assert!(!built.assessment.has_errors(), "{:?}", built.assessment.diagnostics);
    }
    let a = pages_text(&parts.path().join("out/自评报告.pdf"));
    let w = pages_text(&whole.path().join("out/自评报告.pdf"));
    assert!(a.len() > 30, "{} pages", a.len());
    assert_same_pages(&a, &w, "自评报告");
    // Page numbers run on across the parts: the charts appendix is listed in the contents at
    // the number printed on its first page.
    let listed = a
        .iter()
        .flat_map(|p| p.lines())
        .find(|l| l.contains("附图") && l.contains('.'))
        .expect("the charts appendix in the contents")
        .trim_end()
        .rsplit('.')
        .next()
        .unwrap()
        .trim()
        .to_owned();
    let first = a
        .iter()
        .position(|p| p.contains("附图") && !p.contains("目　录") && !p.contains(".."))
        .unwrap();
    assert!(
        a[first].contains(&format!("— {listed} —")),
        "page {listed}: {}",
        a[first]
    );
    let pdf = std::fs::read(parts.path().join("out/自评报告.pdf")).unwrap();
    let marks = bookmarks(&pdf);
    assert!(marks.first().is_some_and(|m| m == "一、基本情况"), "{marks:?}");
    assert!(marks.iter().any(|m| m.starts_with("附图")), "{marks:?}");

    // 青石镇中学 corrects its sports area: the body (its row, the coefficient) and the junior
    // charts (a part, two or three charts a page) are laid out again; the checks appendix and
    // the primary charts are not.
    let moved = parts_moved_by_correcting(parts.path(), "青石镇中学");
    assert!(moved.iter().any(|n| n.ends_with("-body.pdf")), "{moved:?}");
    assert!(moved.iter().any(|n| n.ends_with("-chart-初中.pdf")), "{moved:?}");
    assert!(!moved.iter().any(|n| n.ends_with("-chart-小学.pdf")), "{moved:?}");
    assert!(moved.len() <= 3, "body, the charts and at most the contents: {moved:?}");
}

/// A county of over 60 schools has its resource tables set apart, 25 schools a page, each page a
/// part of its own: the report put together is still, page for page, the report typeset whole,
/// and a corrected school figure lays out that school's page of the tables, not the others.
#[test]
fn a_large_countys_resource_tables_are_set_apart_a_page_each() {
    if !has_poppler() {
        eprintln!("skipped: pdftotext not installed");
        return;
    }
    let (parts, whole) = plain_and_archival();
    // The sample's 31 rows (21 primary, 10 junior) four times over, the copies renamed and
    // renumbered: 84 primary and 40 junior rows.
    for dir in [&parts, &whole] {
        let rows = read_sheet(&dir.path().join("content/schools.xlsx"), "学校基础数据");
        let mut all = rows.clone();
        for k in 1..4 {
            for r in &rows {
                let mut r = r.clone();
                if let (Cell::S(code), Cell::S(name)) = (&r[0], &r[1]) {
                    (r[0], r[1]) = (Cell::S(format!("9{k}{}", &code[2..])), Cell::S(format!("{name}{k}")));
                }
                all.push(r);
            }
        }
        write_schools(dir.path(), &all);
        let built = yingjian::build(dir.path()).unwrap();
        assert!(!built.assessment.has_errors(), "{:?}", built.assessment.diagnostics);
    }
    let a = pages_text(&parts.path().join("out/自评报告.pdf"));
    let w = pages_text(&whole.path().join("out/自评报告.pdf"));
    assert_same_pages(&a, &w, "自评报告");
    // Pages of 25: primary 25 + 25 + 25 + 9, junior 25 + 15.
    let dir = parts.path().join("out/.yingjian/parts/自评报告");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let tables: Vec<&String> = names.iter().filter(|n| n.contains("-table-")).collect();
    assert_eq!(
        tables.iter().map(|n| &n[3..]).collect::<Vec<_>>(),
        [
            "table-小学-0.pdf",
            "table-小学-1.pdf",
            "table-小学-2.pdf",
            "table-小学-3.pdf",
            "table-初中-4.pdf",
            "table-初中-5.pdf"
        ]
    );
    // The tables open a page of their own, the caption on the first page of each stage only.
    let captions: Vec<usize> = a
        .iter()
        .enumerate()
        .filter(|(_, p)| p.contains("资源配置指标（") && !p.contains(".."))
        .map(|(n, _)| n)
        .collect();
    assert_eq!(captions.len(), 2, "{captions:?}");
    assert_eq!(captions[1] - captions[0], 4, "four pages of primary schools");
    assert!(a[captions[0]].trim_start().starts_with("表"), "{}", a[captions[0]]);

    // 青石镇中心小学2 corrects its sports area: its page of the tables is laid out again, and
    // no other page of them.
    let moved: Vec<String> = parts_moved_by_correcting(parts.path(), "青石镇中心小学2")
        .into_iter()
        .filter(|n| n.contains("-table-"))
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    // pdftotext spaces the name from its number.
    let text = pages_text(&dir.join(&moved[0])).concat().replace(' ', "");
    assert!(text.contains("青石镇中心小学2"), "{}: {text}", moved[0]);
}

/// A box book: the contents list, then every evidence page drawn under its typeset page, the
/// item's number stamped on its first page; the evidence's own text is there, copied at the
/// PDF level.
#[test]
fn box_books_carry_the_evidence_pages_under_the_stamps() {
    if !has_poppler() {
        eprintln!("skipped: pdftotext not installed");
        return;
    }
    let dir = sample_copy();
    let root = dir.path();
    let opts = yingjian::BuildOptions {
        box_books: true,
        ..Default::default()
    };
    let built = yingjian::build_with(root, &opts).unwrap();
    assert!(!built.assessment.has_errors());
    let a1 = &built
        .assessment
        .evidence
        .boxes
        .iter()
        .find(|b| b.id == "A1")
        .unwrap()
        .items;
    let book = root.join("out/档案盒/装订本/A1.pdf");
    let pages = pages_text(&book);
    // Each item's pages after the contents list: the sample's A1 items have 2, 3, 2 and 1.
    let items: Vec<&yingjian::rules::evidence::ItemState> =
        a1.iter().map(|&i| &built.assessment.evidence.items[i]).collect();
    let evidence: usize = items.iter().map(|s| s.pages.unwrap_or(1) as usize).sum();
    assert!(pages.len() > evidence, "{} pages", pages.len());
    let first = pages.len() - evidence;
    let mut at = first;
    for s in &items {
        assert!(pages[at].contains(&s.number), "page {}: {}", at + 1, pages[at]);
        let file = s.file.as_deref().unwrap();
        let own = pages_text(&root.join("evidence").join(file));
        for (k, text) in own.iter().enumerate() {
            let line = text.lines().next().unwrap_or_default().trim();
            assert!(pages[at + k].contains(line), "page {}: {line}", at + k + 1);
        }
        at += s.pages.unwrap_or(1) as usize;
    }
    assert!(
        !root.join("out/.yingjian/staging").exists(),
        "staged books moved into place"
    );
}
