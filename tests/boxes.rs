//! Evidence boxes: stable numbering across edits, reprint reports, label geometry, path escapes.

mod support;

use std::path::Path;
use support::*;
use typst::layout::{Frame, FrameItem};
use typst::visualize::Geometry;

fn sample_copy() -> tempfile::TempDir {
    let dir = support::sample_copy();
    let _ = std::fs::remove_file(dir.path().join("content/evidence.lock"));
    dir
}

fn read_evidence(root: &Path) -> Vec<Vec<Cell>> {
    read_sheet(&root.join("content/evidence.xlsx"), "佐证材料清单")
}

fn write_evidence(root: &Path, rows: &[Vec<Cell>]) {
    write_sheet(
        &root.join("content/evidence.xlsx"),
        "佐证材料清单",
        &yingjian::model::evidence::columns::HEADERS,
        rows,
    );
}

fn numbers(a: &yingjian::rules::Assessment) -> Vec<(String, String)> {
    a.evidence
        .items
        .iter()
        .map(|i| (i.file.clone().unwrap_or_default(), i.number.clone()))
        .collect()
}

#[test]
fn inserting_one_item_changes_only_its_box() {
    let dir = sample_copy();
    let root = dir.path();
    let first = yingjian::build(root).unwrap();
    assert!(!first.assessment.has_errors());
    assert_eq!(
        first.reprint.len(),
        first.assessment.evidence.boxes.len(),
        "first build: every box is new"
    );
    let before = numbers(&first.assessment);

    // Insert a new A5 point-1 item between existing rows, with its file.
    let mut rows = read_evidence(root);
    let at = rows
        .iter()
        .position(|r| matches!(&r[0], Cell::S(s) if s == "A5"))
        .unwrap();
    let mut new = rows[at].clone();
    new[2] = s("柳溪村小学运动场扩建竣工验收报告");
    new[7] = s("A5/A5-1-运动场扩建验收报告.pdf");
    new[6] = Cell::Blank;
    rows.insert(at, new);
    write_evidence(root, &rows);
    std::fs::copy(
        root.join("evidence/A12/未登记的说明.pdf"),
        root.join("evidence/A5/A5-1-运动场扩建验收报告.pdf"),
    )
    .unwrap();

    let second = yingjian::build(root).unwrap();
    assert!(!second.assessment.has_errors());
    let labels: Vec<&str> = second.reprint.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(labels, vec!["A5"], "only the A5 box changes: {:?}", second.reprint);
    // Every earlier item keeps its number; the new one takes the next free number of A5 point 1.
    let after = numbers(&second.assessment);
    for pair in &before {
        assert!(after.contains(pair), "{pair:?} renumbered");
    }
    let a5_1 = before.iter().filter(|(_, n)| n.starts_with("A5-1-")).count();
    let added = after
        .iter()
        .find(|(f, _)| f == "A5/A5-1-运动场扩建验收报告.pdf")
        .unwrap();
    assert_eq!(added.1, format!("A5-1-{:02}", a5_1 + 1));

    // A rebuild with no change reprints nothing.
    let third = yingjian::build(root).unwrap();
    assert!(third.reprint.is_empty());
    assert!(third.outputs.iter().all(|(_, changed)| !changed));

    // Renumbering compacts: the new item, listed first in A5 point 1, becomes A5-1-01.
    let renumber = yingjian::BuildOptions {
        renumber: true,
        ..Default::default()
    };
    let fourth = yingjian::build_with(root, &renumber).unwrap();
    let renumbered = numbers(&fourth.assessment);
    assert!(renumbered.contains(&("A5/A5-1-运动场扩建验收报告.pdf".to_owned(), "A5-1-01".to_owned())));
}

fn rect_widths(frame: &Frame, out: &mut Vec<f64>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => rect_widths(&g.frame, out),
            FrameItem::Shape(shape, _) => {
                if let Geometry::Rect(size) = shape.geometry {
                    out.push(size.x.to_mm());
                }
            }
            _ => {}
        }
    }
}

#[test]
fn spine_labels_are_as_wide_as_the_spine() {
    let dir = sample_copy();
    let root = dir.path();
    let ws = yingjian::load::load(root).0;
    let (a, _) = yingjian::rules::assess::assess(&ws);
    for width in [20u32, 30, 40, 50] {
        let mut b = a.evidence.boxes[0].clone();
        b.spine_mm = width;
        let data = yingjian::render::data::boxes::box_data(&ws, &a, &b);
        let world = yingjian::render::typst::world::YjWorld::new(
            root,
            "box.typ",
            serde_json::to_vec(&data).unwrap(),
            ws.config.as_ref().unwrap().today,
        )
        .unwrap();
        let doc = yingjian::render::typst::compile::compile(&world)
            .unwrap_or_else(|d| panic!("{}", yingjian::diag::render_human(&d)));
        // The last page holds the spine label: a rectangle exactly `width` mm wide and 270 mm tall.
        let mut widths = vec![];
        rect_widths(&doc.document.pages().last().unwrap().frame, &mut widths);
        assert!(
            widths.iter().any(|w| (w - width as f64).abs() < 0.01),
            "{width} mm not in {widths:?}"
        );
    }
}

#[test]
fn evidence_paths_cannot_leave_the_folder() {
    let dir = sample_copy();
    let root = dir.path();
    let mut rows = read_evidence(root);
    rows[0][7] = s("../content/county.yaml");
    rows[1][7] = s("/etc/passwd");
    write_evidence(root, &rows);
    // A symlink inside evidence/ pointing outside is refused too.
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.join("content/county.yaml"), root.join("evidence/A1/链接.pdf")).unwrap();
    let a = yingjian::check(root);
    let outside: Vec<&str> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "evidence-path-outside")
        .map(|d| d.at.as_str())
        .collect();
    assert_eq!(
        outside,
        vec![
            "content/evidence.xlsx 佐证材料清单!H2",
            "content/evidence.xlsx 佐证材料清单!H3"
        ]
    );
    #[cfg(unix)]
    assert!(
        a.diagnostics
            .iter()
            .any(|d| d.code == "evidence-link-outside" && d.at == "evidence/A1/链接.pdf")
    );
}

#[test]
fn reconciliation_finds_each_case_and_counts_pages() {
    let dir = sample_copy();
    let root = dir.path();
    // An encrypted-looking / corrupt PDF is a diagnostic, not a crash.
    std::fs::write(root.join("evidence/A1/损坏.pdf"), b"%PDF-1.7\nnot really a pdf").unwrap();
    let a = yingjian::check(root);
    let at = |code: &str| {
        a.diagnostics
            .iter()
            .filter(|d| d.code == code)
            .map(|d| d.at.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(at("evidence-file-missing").len(), 4);
    assert!(at("evidence-unlisted").contains(&"evidence/A12/未登记的说明.pdf".to_owned()));
    // Counted as told: the sample's unregistered note and photo, the corrupt file written above.
    assert_eq!(at("evidence-unlisted").len(), 3, "{:?}", at("evidence-unlisted"));
    assert_eq!(a.evidence.unlisted_files, 3);
    assert_eq!(
        at("evidence-same-content"),
        vec!["evidence/A29/A29-1-教师培训经费管理办法.pdf"]
    );
    assert!(
        a.diagnostics
            .iter()
            .any(|d| d.code == "evidence-file-unreadable" && d.at == "evidence/A1/损坏.pdf")
    );
    // Pages: a PDF's pages are counted (the sample's generator wrote 1–6 pages per file).
    let counted: Vec<u32> = a
        .evidence
        .items
        .iter()
        .filter(|i| i.file.as_deref().is_some_and(|f| f.ends_with(".pdf")) && i.status == "已提供")
        .filter_map(|i| i.pages)
        .collect();
    assert!(!counted.is_empty() && counted.iter().all(|p| (1..=6).contains(p)));
}

#[test]
fn box_books_hold_the_contents_list_and_every_page() {
    let dir = sample_copy();
    let root = dir.path();
    let built = yingjian::build_with(
        root,
        &yingjian::BuildOptions {
            box_books: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!built.assessment.has_errors());
    let books = root.join("out/档案盒/装订本");
    assert_eq!(
        std::fs::read_dir(&books).unwrap().count(),
        built.assessment.evidence.boxes.len()
    );
    // A1: one contents page, then each item's pages (a missing or paper item gets one placeholder page).
    let a = &built.assessment.evidence;
    let a1 = a.boxes.iter().find(|b| b.id == "A1").unwrap();
    let want: u32 = 1 + a1
        .items
        .iter()
        .map(|&i| {
            if a.items[i].status == "已提供" {
                a.items[i].pages.unwrap_or(1)
            } else {
                1
            }
        })
        .sum::<u32>();
    let pdf = hayro_syntax::Pdf::new(std::fs::read(books.join("A1.pdf")).unwrap()).unwrap();
    assert_eq!(pdf.pages().len() as u32, want);
}
