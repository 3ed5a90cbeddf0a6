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
    let assembled = sample_copy();
    let typeset = sample_copy();
    let config = typeset.path().join("content/county.yaml");
    let yaml = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, format!("{yaml}\npdf:\n  standard: a-2b\n")).unwrap();
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
        assert_eq!(a.len(), t.len(), "{rel}: page count");
        for (n, (x, y)) in a.iter().zip(&t).enumerate() {
            assert_eq!(x, y, "{rel} page {}", n + 1);
        }
    }
    // Each box's own file: cover, contents list, 备考表, spine label — a cover per box, and
    // a bookmark per box in each assembled kind.
    let covers = std::fs::read(assembled.path().join("out/档案盒/全部盒面.pdf")).unwrap();
    assert_eq!(page_count(&covers), Some(38));
    let marks = bookmarks(&covers);
    assert_eq!(marks.len(), 38);
    assert!(marks[0].starts_with("A1 "), "{marks:?}");
}
