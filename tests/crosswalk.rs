//! One catalogue for two inspections: the sample county (catalogue in 江西 2018 ids) built for
//! the national inspection through the crosswalk, and back, each system keeping its numbers.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use support::*;

fn set_profile(root: &Path, profile: &str) {
    let path = root.join("content/county.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with("profile:") && !l.starts_with("catalogue_profile:"))
        .collect();
    let head = format!("profile: {profile}\ncatalogue_profile: jiangxi-2018\n");
    std::fs::write(&path, head + &kept.join("\n") + "\n").unwrap();
}

/// Item number by file (or title), and the box it is in.
fn numbers(built: &yingjian::Built) -> BTreeMap<String, (String, String)> {
    built
        .assessment
        .evidence
        .items
        .iter()
        .map(|i| {
            (
                i.file.clone().unwrap_or(i.title.clone()),
                (i.number.clone(), i.box_id.clone()),
            )
        })
        .collect()
}

#[test]
fn the_provincial_catalogue_builds_for_the_national_inspection_and_back() {
    let dir = sample_copy();
    let root = dir.path();
    let provincial = yingjian::build(root).unwrap();
    assert!(!provincial.assessment.has_errors());
    let listed = provincial.assessment.evidence.listed;

    set_profile(root, "national-2017");
    let national = yingjian::build(root).unwrap();
    let a = &national.assessment;
    let codes: Vec<&str> = a.diagnostics.iter().map(|d| d.code).collect();
    assert!(!a.has_errors(), "{}", yingjian::diag::render_human(&a.diagnostics));
    assert!(!codes.contains(&"unknown-indicator") && !codes.contains(&"unknown-veto"));
    // 160 items: A25 (6), B35 (5), B37 point 2 (3), B28 point 3 (1), B36 point 5 (1) serve no
    // national indicator, 16 in all, reported once per indicator (5 warnings); 144 boxed.
    let unmapped: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.code == "crosswalk-unmapped")
        .collect();
    assert_eq!(unmapped.len(), 5, "{unmapped:?}");
    assert_eq!(a.evidence.listed, listed - 16);
    assert!(
        a.evidence.items.iter().all(|i| !i.box_id.is_empty()),
        "every item in a national box"
    );
    assert!(a.evidence.boxes.iter().all(|b| b.id.starts_with(['R', 'G', 'Q', 'S'])));
    // No more unlisted files than the provincial build has: unmapped items are listed.
    let unlisted = |b: &yingjian::Built| {
        b.assessment
            .diagnostics
            .iter()
            .filter(|d| d.code == "evidence-unlisted")
            .count()
    };
    assert_eq!(unlisted(&national), unlisted(&provincial));
    // A5 point 1's first item is R5-1-01 here and keeps A5-1-01 in its note.
    let first = a.evidence.items.iter().find(|i| i.number == "R5-1-01").unwrap();
    assert_eq!(first.catalogue_number.as_deref(), Some("A5-1-01"));
    // 指标对照表: one row per 江西 point, 94 in all, with the verdicts under both systems.
    assert_eq!(a.crosswalk.len(), 94);
    let rows = read_sheet(&root.join("out/指标对照表.xlsx"), "指标对照");
    assert_eq!(rows.len(), 94, "94 points below the header");
    let a25 = a.crosswalk.iter().find(|r| r.from == "A25").unwrap();
    assert!(a25.to.is_empty() && a25.evidence > 0);
    assert!(a.crosswalk.iter().all(|r| !r.from_verdict.is_empty()));
    // The same table in the report's appendix, PDF and Word.
    let data = std::fs::read_to_string(root.join("out/.数据/自评报告.json")).unwrap();
    assert_eq!(data.matches("\"from_verdict\"").count(), 94);
    let mut zip = zip::ZipArchive::new(std::fs::File::open(root.join("out/自评报告.docx")).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    assert!(xml.contains("附表　省检指标与本次检查指标对照") && xml.contains("A25 精准教育扶贫"));

    // Back to 省检: its numbers and prints as before, nothing to reprint; then 国检 again.
    set_profile(root, "jiangxi-2018");
    let again = yingjian::build(root).unwrap();
    assert_eq!(numbers(&again), numbers(&provincial));
    assert!(again.reprint.is_empty(), "{:?}", again.reprint);
    set_profile(root, "national-2017");
    let national_again = yingjian::build(root).unwrap();
    assert_eq!(numbers(&national_again), numbers(&national));
    assert!(national_again.reprint.is_empty(), "{:?}", national_again.reprint);
}
