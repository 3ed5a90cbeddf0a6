//! Regenerating after corrections: no-change rebuilds write nothing, failing builds keep out/,
//! a one-cell correction rewrites exactly the dependent outputs and names the changed figure.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use support::*;

/// Every file under out/ with its bytes and modification time.
fn snapshot(root: &Path) -> BTreeMap<String, (Vec<u8>, std::time::SystemTime)> {
    walkdir::WalkDir::new(root.join("out"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root.join("out"))
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (
                rel,
                (
                    std::fs::read(e.path()).unwrap(),
                    e.metadata().unwrap().modified().unwrap(),
                ),
            )
        })
        .collect()
}

fn schools(root: &Path) -> Vec<Vec<Cell>> {
    read_sheet(&root.join("content/schools.xlsx"), "学校基础数据")
}

#[test]
fn no_change_rebuild_typesets_and_writes_nothing() {
    let dir = sample_copy();
    let root = dir.path();
    yingjian::build(root).unwrap();
    let before = snapshot(root);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let again = yingjian::build(root).unwrap();
    assert_eq!(again.typeset, 0, "nothing typeset");
    assert!(again.outputs.iter().all(|(_, changed)| !changed));
    assert_eq!(snapshot(root), before, "same bytes and same modification times");
}

/// With nothing changed the rebuild stops before the documents' data: it reports the same
/// findings, those found while making the data (a missing glyph) among them. A file touched
/// but unchanged, or an output removed, takes the full way again.
#[test]
fn no_change_rebuild_skips_the_document_data_and_still_reports_its_findings() {
    let dir = sample_copy();
    let root = dir.path();
    let preface = root.join("content/report/前言.md");
    std::fs::write(&preface, "# 前言\n\n校长：张三\u{E001}。\n").unwrap();
    let first = yingjian::build(root).unwrap();
    assert!(!first.unchanged);
    assert!(
        first.assessment.diagnostics.iter().any(|d| d.code == "glyph-missing"),
        "the plan's warning is there to keep"
    );
    let again = yingjian::build(root).unwrap();
    assert!(again.unchanged, "nothing read changed");
    assert_eq!(again.typeset, 0);
    assert_eq!(again.assessment.diagnostics, first.assessment.diagnostics);
    assert_eq!(
        again.outputs.len(),
        first.outputs.len(),
        "every output listed, none written"
    );
    assert!(again.outputs.iter().all(|(_, changed)| !changed));
    // Rewritten with the same bytes: a new modification time, so the data is made again,
    // and it is the same, so nothing is typeset.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&preface, std::fs::read(&preface).unwrap()).unwrap();
    let touched = yingjian::build(root).unwrap();
    assert!(!touched.unchanged);
    assert_eq!(touched.typeset, 0);
    assert!(yingjian::build(root).unwrap().unchanged);
    // An output gone: made again.
    std::fs::remove_file(root.join("out/基础数据表.xlsx")).unwrap();
    let repaired = yingjian::build(root).unwrap();
    assert!(!repaired.unchanged);
    assert!(root.join("out/基础数据表.xlsx").exists());
    // The option that adds documents is part of what was read.
    let books = yingjian::build_with(
        root,
        &yingjian::BuildOptions {
            box_books: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!books.unchanged);
    assert!(books.typeset > 0);
}

#[test]
fn failing_build_keeps_out_identical() {
    let dir = sample_copy();
    let root = dir.path();
    yingjian::build(root).unwrap();
    let before = snapshot(root);
    let mut rows = schools(root);
    rows[0][6] = s("两千二百");
    write_schools(root, &rows);
    let failed = yingjian::build(root).unwrap();
    assert!(failed.assessment.has_errors());
    assert_eq!(snapshot(root), before);
}

#[test]
fn one_cell_correction_rewrites_exactly_its_dependents() {
    let dir = sample_copy();
    let root = dir.path();
    let first = yingjian::build(root).unwrap();
    let cv_before = first.assessment.resource.junior.cv[&yingjian::model::ResourceKey::SportsArea].unwrap();
    // 青石镇中学 corrects its sports area: 13 260 → 15 000 m².
    let mut rows = schools(root);
    let r = rows
        .iter()
        .position(|r| matches!(&r[1], Cell::S(n) if n == "青石镇中学"))
        .unwrap();
    rows[r][15] = Cell::N(15_000.0);
    write_schools(root, &rows);
    let second = yingjian::build(root).unwrap();
    assert!(!second.assessment.has_errors());
    let cv_after = second.assessment.resource.junior.cv[&yingjian::model::ResourceKey::SportsArea].unwrap();
    assert_ne!(format!("{cv_before:.3}"), format!("{cv_after:.3}"));
    let written: Vec<&str> = second
        .outputs
        .iter()
        .filter(|(_, c)| *c)
        .map(|(r, _)| r.as_str())
        .collect();
    for must in [
        "自评报告.pdf",
        "基础数据表.xlsx",
        "评估结果.json",
        "学校实地督查表.pdf",
        "index.html",
    ] {
        assert!(written.contains(&must), "{must} not rewritten: {written:?}");
    }
    assert!(
        written
            .iter()
            .any(|w| w.starts_with("学校实地督查表/") && w.contains("青石镇中学"))
    );
    // Other schools' forms, the boxes and the compilation do not depend on the cell.
    assert!(
        !written
            .iter()
            .any(|w| w.starts_with("学校实地督查表/") && !w.contains("青石镇中学")),
        "{written:?}"
    );
    assert!(
        !written.iter().any(|w| w.starts_with("档案盒/") || *w == "文件汇编.pdf"),
        "{written:?}"
    );
    assert!(second.reprint.is_empty());
    // The change report names the figure.
    let line = format!("初中 生均体育运动场馆面积 差异系数 {cv_before:.3} → {cv_after:.3}");
    assert!(second.changes.contains(&line), "{:?}", second.changes);
    let md = std::fs::read_to_string(root.join("out/变更说明.md")).unwrap();
    assert!(md.contains(&line));
}

#[test]
fn evidence_scan_cache_is_used_only_while_a_file_is_unchanged() {
    let dir = sample_copy();
    let root = dir.path();
    let fresh = yingjian::check(root);
    yingjian::build(root).unwrap();
    let cache = root.join("out/.yingjian/files.json");
    assert!(cache.is_file());
    // From the cache: the same pages, hashes (duplicates) and problems as a fresh scan.
    let cached = yingjian::check(root);
    let summary = |a: &yingjian::rules::Assessment| {
        let items: Vec<_> = a
            .evidence
            .items
            .iter()
            .map(|i| (i.number.clone(), i.pages, i.status))
            .collect();
        let codes: Vec<_> = a.diagnostics.iter().map(|d| (d.code, d.at.clone())).collect();
        (items, codes)
    };
    assert_eq!(summary(&cached), summary(&fresh));
    // A file replaced by one with another page count (new size and time) is read again.
    let file = "A1/A1-2-初中教师学历情况统计表.pdf";
    let pages = |a: &yingjian::rules::Assessment| {
        a.evidence
            .items
            .iter()
            .find(|i| i.file.as_deref() == Some(file))
            .and_then(|i| i.pages)
    };
    let before = pages(&cached).unwrap();
    let replacement = std::fs::read(root.join("evidence/A1/A1-1-2025年公开招聘中小学教师公告.pdf")).unwrap();
    let other = yingjian::load::files::pdf_pages(replacement.clone()).unwrap();
    std::fs::write(root.join("evidence").join(file), &replacement).unwrap();
    assert_eq!(pages(&yingjian::check(root)), Some(other));
    assert_ne!(before, other, "the test needs files of different lengths");
}

#[test]
fn editing_a_box_template_retypesets_only_the_documents_using_it() {
    let dir = sample_copy();
    let root = dir.path();
    let first = yingjian::build(root).unwrap();
    let boxes = first
        .outputs
        .iter()
        .filter(|(r, _)| r.starts_with("档案盒/") && r.ends_with(".pdf") && !r.starts_with("档案盒/全部"))
        .count();
    // box.typ draws one box's file; the report, forms, task lists and the spine labels
    // (box-kind.typ) do not import it. The covers, contents lists and 备考表 of all boxes are
    // assembled from the box files: put together again, not typeset.
    let text = yingjian::render::templates::builtin("box.typ").unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/box.typ"), format!("{text}\n// 本地修改\n")).unwrap();
    let again = yingjian::build(root).unwrap();
    assert!(!again.assessment.has_errors());
    assert_eq!(
        again.typeset,
        boxes + 3,
        "only the {boxes} box files and the 3 volumes of them"
    );
}

/// A document is made again when a file it places changes, and only then: a new evidence file
/// that no document places leaves the report, its Word version and the compilation as they
/// are; a registered document PDF replaced by other bytes (the same pages) makes the
/// compilation again, and only it.
#[test]
fn a_changed_file_retypesets_only_the_documents_placing_it() {
    let dir = sample_copy();
    let root = dir.path();
    yingjian::build(root).unwrap();
    let pdf = std::fs::read(root.join("evidence/A12/未登记的说明.pdf")).unwrap();
    std::fs::write(root.join("evidence/A12/又一份未登记的说明.pdf"), &pdf).unwrap();
    let again = yingjian::build(root).unwrap();
    assert!(!again.assessment.has_errors());
    let changed =
        |b: &yingjian::Built| -> Vec<String> { b.outputs.iter().filter(|(_, c)| *c).map(|(r, _)| r.clone()).collect() };
    let moved = changed(&again);
    for rel in ["自评报告.pdf", "自评报告.docx", "文件汇编.pdf"] {
        assert!(!moved.iter().any(|m| m == rel), "{rel} rewritten: {moved:?}");
    }
    assert_eq!(again.typeset, 0, "{moved:?}");

    // One byte more after %%EOF: the same document to a reader, other bytes to the build.
    let file = root.join("content/documents/学校布局专项规划.pdf");
    let mut bytes = std::fs::read(&file).unwrap();
    bytes.extend(b"%\n");
    std::fs::write(&file, bytes).unwrap();
    let input = |root: &Path| -> u64 {
        let m: serde_json::Value =
            serde_json::from_slice(&std::fs::read(root.join("out").join(yingjian::paths::MANIFEST)).unwrap()).unwrap();
        m["outputs"]["文件汇编.pdf"]["input"].as_u64().unwrap()
    };
    let was = input(root);
    let third = yingjian::build(root).unwrap();
    assert!(!third.assessment.has_errors());
    // Typeset again (embedding the same pages, it comes out the same bytes).
    assert_eq!(third.typeset, 1, "{:?}", changed(&third));
    assert_ne!(input(root), was, "文件汇编.pdf is made of the new bytes");
}

#[test]
fn two_builds_at_once_both_finish_one_after_the_other() {
    let dir = sample_copy();
    let root = dir.path();
    let start = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_yingjian"))
            .args(["build", "-w"])
            .arg(root)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (start(), start());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success() && b.status.success(), "{a:?}\n{b:?}");
    // The second one waited for the first (a build of the sample takes about a second).
    let waited = [&a, &b]
        .iter()
        .filter(|o| String::from_utf8_lossy(&o.stderr).contains("另一个 yingjian 正在生成，等待…"))
        .count();
    assert_eq!(waited, 1, "{a:?}\n{b:?}");
    let leftovers: Vec<_> = walkdir::WalkDir::new(root.join("out"))
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".yingjian-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let again = yingjian::build(root).unwrap();
    assert_eq!(again.typeset, 0, "the two builds left a consistent out/");
}

#[test]
fn a_failing_first_build_leaves_no_out_folder() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    baseline(root);
    let mut rows = baseline_rows();
    rows[0][6] = s("八百");
    write_schools(root, &rows);
    let failed = yingjian::build(root).unwrap();
    assert!(failed.assessment.has_errors());
    assert!(!root.join("out").exists(), "the lock's folder is taken away again");
}

/// The printed page numbers a "第 — 3 —、— 17 —至— 18 — 页" line names (`None` for "… 页起").
fn listed_pages(line: &str) -> Option<Vec<usize>> {
    let list = line.split("第 ").nth(1)?.strip_suffix(" 页")?;
    let num = |t: &str| t.trim().trim_matches('—').trim().parse::<usize>().ok();
    let mut pages = vec![];
    for part in list.split('、') {
        match part.split_once('至') {
            Some((a, b)) => pages.extend(num(a)?..=num(b)?),
            None => pages.push(num(part)?),
        }
    }
    Some(pages)
}

/// The text of each page of the report, typeset again from the data the build kept.
fn report_pages(root: &Path) -> Vec<String> {
    let data = std::fs::read(root.join("out/.数据/自评报告.json")).unwrap();
    let today = yingjian::model::Date::new(2026, 11, 20).unwrap();
    let world = yingjian::render::typst::world::YjWorld::new(root, "report.typ", data, today).unwrap();
    let doc = yingjian::render::typst::compile::compile(&world).unwrap();
    yingjian::render::typst::compile::page_texts(&doc.document)
}

#[test]
fn a_correction_names_the_cell_the_school_the_totals_and_the_pages() {
    let dir = sample_copy();
    let root = dir.path();
    yingjian::build(root).unwrap();
    let before = report_pages(root);
    // 示例县第一小学 has 150 more pupils: 2200 → 2350.
    let mut rows = schools(root);
    let r = rows
        .iter()
        .position(|r| matches!(&r[1], Cell::S(n) if n == "示例县第一小学"))
        .unwrap();
    rows[r][6] = Cell::N(2350.0);
    write_schools(root, &rows);
    let built = yingjian::build(root).unwrap();
    assert!(!built.assessment.has_errors());
    let md = std::fs::read_to_string(root.join("out/变更说明.md")).unwrap();
    println!("{md}");
    for line in [
        "content/schools.xlsx 示例县第一小学（小学）在校生数：2200 → 2350",
        // 15 313 + 150 pupils.
        "全县小学在校生：15313 → 15463 人",
    ] {
        assert!(md.contains(line), "{line}");
    }
    // Its building area per pupil: 10 140 m² / 2200 = 4.61, / 2350 = 4.31 < 4.5.
    assert!(md.contains("示例县第一小学（小学）生均教学及辅助用房面积："), "{md}");
    assert!(md.contains("示例县第一小学（小学）资源配置各项："), "{md}");
    // The report's pages that changed, compared page by page with the text of both versions.
    let after = report_pages(root);
    let line = md.lines().find(|l| l.starts_with("- out/自评报告.pdf：")).unwrap();
    if before.len() == after.len() {
        // Named as printed: the body's pages by their footer, after the cover and contents
        // (the pages before the one printed "— 1 —").
        let front = after.iter().position(|p| p.contains("— 1 —")).unwrap();
        let differ: Vec<usize> = (0..after.len()).filter(|&i| before[i] != after[i]).collect();
        let printed: Vec<usize> = differ.iter().filter(|&&i| i >= front).map(|i| i - front + 1).collect();
        assert_eq!(listed_pages(line).unwrap_or_default(), printed, "{line}");
        assert_eq!(
            line.contains("目录") || line.contains("封面"),
            differ.iter().any(|&i| i < front),
            "{line}"
        );
    } else {
        assert!(line.ends_with("页起"), "{line}");
    }
    // The overview page has the same changes.
    let html = std::fs::read_to_string(root.join("out/index.html")).unwrap();
    assert!(html.contains("示例县第一小学（小学）在校生数：2200 → 2350"));
    // A rebuild with nothing changed lists nothing and leaves the report and the page as they are.
    let again = yingjian::build(root).unwrap();
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    assert!(again.outputs.iter().all(|(_, changed)| !changed), "{:?}", again.outputs);
    assert_eq!(std::fs::read_to_string(root.join("out/变更说明.md")).unwrap(), md);
    assert_eq!(std::fs::read_to_string(root.join("out/index.html")).unwrap(), html);
}

#[test]
fn page_hashes_do_not_depend_on_the_order_a_process_loads_templates_in() {
    let dir = sample_copy();
    let root = dir.path();
    let build = || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_yingjian"))
            .args(["build", "-w"])
            .arg(root)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    };
    let pages = || -> serde_json::Value {
        let m: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(root.join("out/.yingjian/manifest.json")).unwrap()).unwrap();
        m["outputs"]["档案盒/A5.pdf"]["pages"].clone()
    };
    build();
    let before = pages();
    assert!(before.as_array().is_some_and(|p| !p.is_empty()), "{before}");
    // A second process typesets only the boxes (their template is touched), so it loads
    // box.typ first where the first process loaded the report's templates first.
    let text = yingjian::render::templates::builtin("box.typ").unwrap();
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(root.join("templates/box.typ"), format!("{text}\n// 本地修改\n")).unwrap();
    build();
    assert_eq!(pages(), before, "the same printed page, the same hash");
}
