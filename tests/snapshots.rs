//! Snapshots: record the version submitted (`yingjian snapshot 省检报送`), then see everything
//! that changed since, across any number of builds (`yingjian changes --since 省检报送`).

mod support;

use std::path::Path;
use std::process::{Command, Output};
use support::*;

fn yingjian(root: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_yingjian"))
        .args(args)
        .arg("-w")
        .arg(root)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn set_school(root: &Path, name: &str, col: usize, v: f64) {
    let mut rows = read_sheet(&root.join("content/schools.xlsx"), "学校基础数据");
    let r = rows
        .iter()
        .position(|r| matches!(&r[1], Cell::S(n) if n == name))
        .unwrap();
    rows[r][col] = Cell::N(v);
    write_schools(root, &rows);
}

#[test]
fn changes_since_a_snapshot_cover_every_build_after_it() {
    let dir = sample_copy();
    let root = dir.path();
    let taken = yingjian(root, &["snapshot", "省检报送"]);
    assert!(taken.status.success(), "{}", text(&taken));
    let list = yingjian(root, &["snapshot", "--list"]);
    assert!(
        text(&list).contains("省检报送  2026-11-20  总体结论：未达标"),
        "{}",
        text(&list)
    );

    // Two corrections, each followed by a build.
    set_school(root, "示例县第一小学", 6, 2350.0);
    assert!(!yingjian::build(root).unwrap().assessment.has_errors());
    set_school(root, "青石镇中学", 15, 15_000.0);
    assert!(!yingjian::build(root).unwrap().assessment.has_errors());

    let since = yingjian(root, &["changes", "--since", "省检报送"]);
    assert!(since.status.success(), "{}", text(&since));
    let report = text(&since);
    for line in [
        "# 自快照“省检报送”以来的变更",
        "content/schools.xlsx 示例县第一小学（小学）在校生数：2200 → 2350",
        "content/schools.xlsx 青石镇中学（初中）体育运动场馆面积（平方米）：13260 → 15000",
        "全县小学在校生：15313 → 15463 人",
        "- out/自评报告.pdf：",
    ] {
        assert!(report.contains(line), "{line}:\n{report}");
    }
    // The overview page shows the same, since the latest snapshot.
    let html = std::fs::read_to_string(root.join("out/index.html")).unwrap();
    assert!(html.contains("自快照“省检报送”以来的变更"));
    assert!(html.contains("青石镇中学（初中）体育运动场馆面积（平方米）：13260 → 15000"));

    // A snapshot of a build with errors is refused, and none is recorded.
    let mut rows = read_sheet(&root.join("content/schools.xlsx"), "学校基础数据");
    rows[0][6] = s("两千");
    write_schools(root, &rows);
    let refused = yingjian(root, &["snapshot", "改错前"]);
    assert_eq!(refused.status.code(), Some(1), "{}", text(&refused));
    assert!(text(&refused).contains("not-a-number"), "{}", text(&refused));
    assert!(!text(&yingjian(root, &["snapshot", "--list"])).contains("改错前"));
    // A name that is not a plain folder name is a usage error.
    assert_eq!(yingjian(root, &["snapshot", "../外面"]).status.code(), Some(2));
}
