//! Combined volumes assembled from the typeset documents' PDFs, not typeset again: the same
//! pages as the parts, in order, one bookmark per part, rebuilt when a part changes.

mod support;

use std::process::Command;
use support::*;
use yingjian::render::assemble::{bookmarks, page_count};

/// The text of one page of a PDF, as poppler reads it.
fn page_text(pdf: &std::path::Path, page: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-layout"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
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
    if Command::new("pdftotext").arg("-v").output().is_ok() {
        let mut n = 1;
        for (p, count) in parts.iter().zip(&counts) {
            for k in 1..=*count {
                assert_eq!(
                    page_text(&out.join("学校实地督查表.pdf"), n),
                    page_text(p, k),
                    "page {n}"
                );
                n += 1;
            }
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
