//! `merge --apply` for the evidence rows of the units' forms (issue 33 points 3 and 5): the
//! accepted rows' files copied under evidence/ and appended to content/evidence.xlsx (the
//! workbook otherwise byte for byte), the record, 退回清单, stable numbers on the next build,
//! and a merge failing half way leaving content/ and evidence/ as they were. The rows are
//! made here as the form's reader (`evidence_return`) hands them over; the sample county (the
//! repository root) is the workspace.

mod support;

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};
use yingjian::collect::commit::{self, Written};
use yingjian::collect::evidence_apply::{self, Plan};
use yingjian::collect::evidence_return::{EvidenceReturn, EvidenceRow, Source};
use yingjian::collect::return_list;
use yingjian::model::{Date, ReturnRecord};

const PDF: &str = "evidence/A5/A5-1-小学体育运动场馆面积统计表.pdf";
const PNG: &str = "evidence/A5/学校运动场照片01.png";

/// A return folder beside the workspace: the unit's files as it named them.
fn return_folder(ws: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(ws.join(PDF), dir.path().join("关于运动场验收的报告.pdf")).unwrap();
    std::fs::copy(ws.join(PNG), dir.path().join("IMG_0001.PNG")).unwrap();
    std::fs::write(dir.path().join("坏文件.pdf"), b"%PDF-1.4 broken").unwrap();
    dir
}

fn row(at: &str, point: &str, title: &str, file: Option<&Path>, refusals: &[&str]) -> EvidenceRow {
    EvidenceRow {
        at: format!("人社局(1).xlsx 佐证材料!{at}"),
        row: 6,
        indicator: "A5".into(),
        point: point.into(),
        title: title.into(),
        doc_no: Some("示人社字〔2026〕3号".into()),
        author: Some("示例县人力资源和社会保障局".into()),
        date: Date::new(2026, 10, 8),
        pages: None,
        secrecy: Some("公开".into()),
        file_name: file.map(|f| f.file_name().unwrap().to_string_lossy().into_owned()),
        source: file.map(|f| Source::File(f.to_path_buf())),
        counted_pages: Some(2),
        refusals: refusals.iter().map(|s| s.to_string()).collect(),
    }
}

/// The first return of 人社局: an A5-1 report (PDF, pages left blank: 2 counted), an A5-2
/// photo (1 page typed) and a broken PDF refused.
fn first_return(dir: &Path) -> EvidenceReturn {
    let mut photo = row("A8", "2", "运动场改造后照片", Some(&dir.join("IMG_0001.PNG")), &[]);
    photo.pages = Some(1);
    photo.counted_pages = Some(1);
    photo.doc_no = None;
    EvidenceReturn {
        file: "人社局(1).xlsx".into(),
        unit: "人社局".into(),
        rows: vec![
            row(
                "A7",
                "1",
                "示例县小学运动场验收报告",
                Some(&dir.join("关于运动场验收的报告.pdf")),
                &[],
            ),
            photo,
            row(
                "A9",
                "1",
                "运动场维修经费说明",
                Some(&dir.join("坏文件.pdf")),
                &["文件已损坏，无法打开"],
            ),
        ],
    }
}

fn listed(root: &Path) -> HashSet<String> {
    let (ws, _) = yingjian::load::load(root);
    ws.evidence
        .iter()
        .filter_map(|i| i.file.as_deref())
        .map(str::to_lowercase)
        .collect()
}

/// Plans, records and commits `returns` as `merge --apply` does.
fn apply(root: &Path, returns: &[EvidenceReturn]) -> Result<(Plan, Written, ReturnRecord), String> {
    let plan = evidence_apply::plan(root, returns, "2026-11-20", &listed(root), || {
        let p = yingjian::model::Profile::builtin("jiangxi-2018").unwrap();
        yingjian::init::evidence_template(&p).map_err(|e| e.to_string())
    })?;
    let mut record = yingjian::out::returns::load(root).unwrap();
    evidence_apply::record(&mut record, returns, &plan, "2026-11-20");
    let written = commit::commit_all(root, &[], None, &plan, &record)?;
    Ok((plan, written, record))
}

/// Every zip entry of an .xlsx, decompressed.
fn parts(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut b = vec![];
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().into_owned(), b)
        })
        .collect()
}

fn cells(path: &Path) -> calamine::Range<Data> {
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    wb.worksheet_range("佐证材料清单").unwrap()
}

/// Every file under `dir` with its bytes, and every folder.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let bytes = e.file_type().is_file().then(|| std::fs::read(e.path()).unwrap());
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), bytes)
        })
        .collect()
}

#[test]
fn accepted_rows_are_copied_and_appended_the_workbook_otherwise_untouched() {
    let ws = support::sample_copy();
    let root = ws.path();
    let ret = return_folder(root);
    let returned_before = tree(ret.path());
    let catalogue = root.join("content/evidence.xlsx");
    let (parts_before, cells_before) = (parts(&catalogue), cells(&catalogue));
    let problems_before: HashSet<String> = yingjian::load::load(root)
        .1
        .as_slice()
        .iter()
        .map(|d| format!("{} {} {}", d.code, d.at, d.message))
        .collect();
    let (plan, written, record) = apply(root, &[first_return(ret.path())]).unwrap();

    // Stored by the catalogue's naming, the extension in lower case; copied, not moved.
    let report = "A5/A5-1-示例县小学运动场验收报告.pdf";
    let photo = "A5/A5-2-运动场改造后照片.png";
    assert_eq!(written.copied, vec![report, photo]);
    assert_eq!(
        std::fs::read(root.join("evidence").join(report)).unwrap(),
        std::fs::read(root.join(PDF)).unwrap()
    );
    assert_eq!(tree(ret.path()), returned_before, "the return folder is untouched");
    assert_eq!(plan.refused, 1);

    // Every part but the sheet byte for byte; the old file kept as the backup.
    let parts_after = parts(&catalogue);
    let sheet = "xl/worksheets/sheet1.xml";
    assert_eq!(
        parts_before.keys().collect::<Vec<_>>(),
        parts_after.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &parts_before {
        if name != sheet {
            assert_eq!(&parts_after[name], bytes, "{name}");
        }
    }
    let backup = written.evidence.clone().unwrap();
    assert!(
        backup.starts_with("content/.备份/") && backup.ends_with("/evidence.xlsx"),
        "{backup}"
    );
    assert_eq!(parts(&root.join(&backup)), parts_before);

    // Every existing cell as it was: the sheet held A1:K161; three headers after K1.
    let after = cells(&catalogue);
    assert_eq!(cells_before.end(), Some((160, 10)));
    assert_eq!(after.end(), Some((162, 13)));
    for r in 0..=160 {
        for c in 0..=10 {
            assert_eq!(after.get_value((r, c)), cells_before.get_value((r, c)), "({r}, {c})");
        }
    }
    let text = |r: u32, c: u32| after.get_value((r, c)).map(|d| d.to_string()).unwrap_or_default();
    assert_eq!(
        (text(0, 11), text(0, 12), text(0, 13)),
        ("状态".into(), "审核意见".into(), "来源".into())
    );
    // Row 162 (index 161): the report, 2 pages counted (页数 left blank by the unit).
    let want = [
        "A5",
        "1",
        "示例县小学运动场验收报告",
        "示例县人力资源和社会保障局",
        "示人社字〔2026〕3号",
        "20261008",
        "2",
        report,
        "人社局",
        "公开",
        "原文件名：关于运动场验收的报告.pdf",
        "已提交",
        "",
        "人社局(1).xlsx，2026-11-20 合并",
    ];
    for (c, w) in want.iter().enumerate() {
        assert_eq!(text(161, c as u32), *w, "column {c}");
    }
    assert_eq!(
        (text(162, 6), text(162, 7), text(162, 10)),
        ("1".into(), photo.into(), "原文件名：IMG_0001.PNG".into())
    );
    // The new header cells take K1's style (s="1"); the sample's data rows have none.
    let xml = String::from_utf8(parts_after[sheet].clone()).unwrap();
    assert!(xml.contains(r#"<c r="L1" s="1" t="inlineStr"><is><t xml:space="preserve">状态</t></is></c>"#));
    assert!(xml.contains(r#"<row r="162"><c r="A162" t="inlineStr">"#));

    // The catalogue reads back with the two rows and no new problem.
    let (loaded, diags) = yingjian::load::load(root);
    let got: Vec<(&str, &str, Option<&str>, Option<u32>)> = loaded.evidence[160..]
        .iter()
        .map(|i| (i.indicator.as_str(), i.point.as_str(), i.file.as_deref(), i.pages))
        .collect();
    assert_eq!(
        got,
        vec![("A5", "1", Some(report), Some(2)), ("A5", "2", Some(photo), Some(1))]
    );
    let said = |d: &yingjian::diag::Diagnostics| -> HashSet<String> {
        d.as_slice()
            .iter()
            .map(|d| format!("{} {} {}", d.code, d.at, d.message))
            .collect()
    };
    let new_problems: Vec<String> = said(&diags).difference(&problems_before).cloned().collect();
    assert!(new_problems.is_empty(), "{new_problems:?}");

    // The record: who sent what, and the refusal with its reason.
    assert_eq!(record.evidence.len(), 2);
    let t = &record.evidence[0];
    assert_eq!(
        (
            t.unit.as_str(),
            t.file.as_str(),
            t.date.as_str(),
            t.stored.as_str(),
            t.original.as_str()
        ),
        (
            "人社局",
            "人社局(1).xlsx",
            "2026-11-20",
            report,
            "关于运动场验收的报告.pdf"
        )
    );
    assert_eq!(record.refused.len(), 1);
    assert_eq!(record.refused[0].reasons, vec!["文件已损坏，无法打开"]);
    assert_eq!(yingjian::out::returns::load(root).unwrap(), record);
}

#[test]
fn a_taken_name_gets_a_number_and_a_missing_catalogue_is_made_from_the_blank_one() {
    let ws = support::sample_copy();
    let root = ws.path();
    let ret = return_folder(root);
    // The name is taken on disk; (2) is taken by the catalogue (a listed file not yet there).
    std::fs::write(root.join("evidence/A5/A5-1-示例县小学运动场验收报告.pdf"), b"x").unwrap();
    std::fs::remove_file(root.join("content/evidence.xlsx")).unwrap();
    let mut listed = HashSet::new();
    listed.insert("a5/a5-1-示例县小学运动场验收报告(2).pdf".to_owned());
    let r = first_return(ret.path());
    let mut taken = HashSet::new();
    let Some(source) = &r.rows[0].source else {
        unreachable!()
    };
    assert_eq!(
        evidence_apply::stored_name(root, &r.rows[0], source, &listed, &mut taken),
        "A5/A5-1-示例县小学运动场验收报告(3).pdf"
    );
    // A second row of the same title in the same merge takes the next free one.
    assert_eq!(
        evidence_apply::stored_name(root, &r.rows[0], source, &listed, &mut taken),
        "A5/A5-1-示例县小学运动场验收报告(4).pdf"
    );
    let (_, written, _) = apply(root, &[r]).unwrap();
    assert_eq!(written.evidence.as_deref(), Some(""), "created, nothing to back up");
    // The blank catalogue: its header row, then the two rows; 日期 keeps the column's text
    // format (the blank catalogue's <col style>) in the new cells.
    let after = cells(&root.join("content/evidence.xlsx"));
    assert_eq!(after.end(), Some((2, 13)));
    assert_eq!(after.get_value((1, 2)).unwrap().to_string(), "示例县小学运动场验收报告");
    assert_eq!(after.get_value((1, 5)).unwrap().to_string(), "20261008");
    let xml =
        String::from_utf8(parts(&root.join("content/evidence.xlsx"))["xl/worksheets/sheet1.xml"].clone()).unwrap();
    let col_style = xml
        .split("<col min=\"6\" max=\"6\"")
        .nth(1)
        .and_then(|t| t.split("style=\"").nth(1))
        .map(|t| t[..t.find('"').unwrap()].to_owned());
    let style = col_style.expect("the blank catalogue formats 日期 as text");
    assert!(
        xml.contains(&format!(r#"<c r="F2" s="{style}" t="inlineStr">"#)),
        "{xml}"
    );
    // The data validation of 指标 (the blank catalogue's list) is still there.
    assert!(xml.contains("<dataValidation"), "{xml}");
}

#[test]
fn a_later_return_replaces_the_refusal_and_the_list_follows() {
    let ws = support::sample_copy();
    let root = ws.path();
    let ret = return_folder(root);
    let (_, _, record) = apply(root, &[first_return(ret.path())]).unwrap();
    let items = yingjian::load::load(root).0.evidence;
    // The list of 人社局: the one refusal, with the form's cell and the reason.
    let lines = return_list::lines(&record, &items, "人社局");
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (
            lines[0].at.as_str(),
            lines[0].reason.as_str(),
            lines[0].file_name.as_str()
        ),
        ("人社局(1).xlsx 佐证材料!A9", "文件已损坏，无法打开", "坏文件.pdf")
    );
    let wrote = return_list::write(root, "人社局", "2026-11-20", &record, &items).unwrap();
    assert_eq!(wrote.as_deref(), Some("退回清单/人社局.xlsx"));
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(root.join("out/退回清单/人社局.xlsx")).unwrap();
    let sheet = wb.worksheet_range("退回清单").unwrap();
    let at = |r, c| sheet.get_value((r, c)).map(|d| d.to_string()).unwrap_or_default();
    assert_eq!(at(0, 0), "人社局 佐证材料退回清单（2026-11-20）");
    assert_eq!((at(3, 0), at(3, 5)), ("指标".into(), "退回原因".into()));
    assert_eq!(
        (at(4, 2), at(4, 5), at(4, 6)),
        (
            "运动场维修经费说明".into(),
            "文件已损坏，无法打开".into(),
            "2026-11-20".into()
        )
    );
    // The same bytes again: deterministic.
    let bytes = std::fs::read(root.join("out/退回清单/人社局.xlsx")).unwrap();
    assert_eq!(return_list::render("人社局", "2026-11-20", &lines).unwrap(), bytes);

    // The second return: the same row (title with spaces around it) refused again for another
    // reason — the new reason replaces the old — and a new row refused.
    let mut again = first_return(ret.path());
    again.file = "人社局(2).xlsx".into();
    again.rows = vec![
        row(
            "A7",
            "1",
            " 运动场维修经费说明 ",
            Some(&ret.path().join("坏文件.pdf")),
            &["文件已加密，无法读取"],
        ),
        row("A8", "3", "差异系数计算表", None, &["找不到文件“差异系数.pdf”"]),
    ];
    let (_, _, record) = apply(root, &[again]).unwrap();
    let reasons: Vec<(&str, &str)> = record
        .refused
        .iter()
        .map(|r| (r.title.as_str(), r.reasons[0].as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            ("运动场维修经费说明", "文件已加密，无法读取"),
            ("差异系数计算表", "找不到文件“差异系数.pdf”")
        ]
    );

    // The third: both sent right. Nothing is left refused; the list goes.
    let mut fixed = first_return(ret.path());
    fixed.file = "人社局(3).xlsx".into();
    fixed.rows = vec![
        row(
            "A7",
            "1",
            "运动场维修经费说明",
            Some(&ret.path().join("关于运动场验收的报告.pdf")),
            &[],
        ),
        row(
            "A8",
            "3",
            "差异系数计算表",
            Some(&ret.path().join("关于运动场验收的报告.pdf")),
            &[],
        ),
    ];
    let (_, _, record) = apply(root, &[fixed]).unwrap();
    assert!(record.refused.is_empty());
    assert_eq!(record.evidence.len(), 2 + 2);
    let items = yingjian::load::load(root).0.evidence;
    assert_eq!(
        return_list::write(root, "人社局", "2026-11-20", &record, &items).unwrap(),
        None
    );
    assert!(!root.join("out/退回清单/人社局.xlsx").exists());
}

#[test]
fn catalogue_rows_marked_returned_are_listed_with_their_review() {
    let ws = support::sample_copy();
    let mut items = yingjian::load::load(ws.path()).0.evidence;
    // Row 5 of the sample catalogue (A1-1, 人社局) marked 退回 by the materials team.
    let i = items.iter().position(|i| i.unit.as_deref() == Some("人社局")).unwrap();
    items[i].status = Some(yingjian::model::evidence::Status::Returned);
    items[i].review = Some("缺少盖章页".into());
    let lines = return_list::lines(&ReturnRecord::default(), &items, "人社局");
    assert_eq!(lines.len(), 1);
    assert_eq!(
        (lines[0].title.as_str(), lines[0].at.as_str(), lines[0].reason.as_str()),
        (
            "示例县2025年公开招聘中小学教师公告",
            "content/evidence.xlsx 第 5 行",
            "缺少盖章页"
        )
    );
    // Another unit's list does not hold it.
    assert!(return_list::lines(&ReturnRecord::default(), &items, "教科体局").is_empty());
}

fn build(root: &Path) -> serde_json::Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_yingjian"))
        .args(["build", "-w"])
        .arg(root)
        .output()
        .unwrap();
    assert!(out.status.code() != Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(root.join("out/评估结果.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// (file, 档号, box) of every catalogued item.
fn numbers(assessment: &serde_json::Value) -> Vec<(String, String, String)> {
    assessment["evidence"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap_or_default().to_owned();
            (s("file"), s("number"), s("box_id"))
        })
        .collect()
}

#[test]
fn a_merged_item_takes_the_next_number_of_its_point_and_nothing_is_renumbered() {
    let ws = support::sample_copy();
    let root = ws.path();
    let before = numbers(&build(root));
    // The sample's A5 box: A5-1-01 and A5-1-02 (the photo) in point 1, A5-2-01, A5-2-02, A5-3-01.
    let a5: Vec<&str> = before.iter().filter(|i| i.2 == "A5").map(|i| i.1.as_str()).collect();
    assert_eq!(a5, vec!["A5-1-01", "A5-2-01", "A5-3-01", "A5-2-02", "A5-1-02"]);
    let ret = return_folder(root);
    let mut one = first_return(ret.path());
    one.rows.truncate(1);
    apply(root, &[one]).unwrap();
    let after = numbers(&build(root));
    // Every earlier item keeps its number and box; the new one is appended.
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(after[..before.len()], before[..]);
    // A5 point 1 held 01 and 02: the new item is A5-1-03, in box A5.
    assert_eq!(
        after[before.len()],
        (
            "A5/A5-1-示例县小学运动场验收报告.pdf".into(),
            "A5-1-03".into(),
            "A5".into()
        )
    );
}

fn own(path: &Path, uid: u32) {
    for e in walkdir::WalkDir::new(path) {
        std::os::unix::fs::chown(e.unwrap().path(), Some(uid), Some(uid)).unwrap();
    }
}

fn mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Run as the user nobody by the test below: applies the return of $E33B_RETURN to the
/// workspace $E33B_WORKSPACE and prints the error.
#[test]
#[ignore]
fn apply_as_nobody() {
    let (Ok(ws), Ok(ret)) = (std::env::var("E33B_WORKSPACE"), std::env::var("E33B_RETURN")) else {
        return;
    };
    let mut r = first_return(Path::new(&ret));
    if std::env::var("E33B_PHASE").as_deref() == Ok("copy") {
        // The photo goes to B31, a folder nobody may not write in.
        r.rows[1].indicator = "B31".into();
    }
    match apply(Path::new(&ws), &[r]) {
        Ok(_) => println!("APPLIED"),
        Err(e) => println!("FAILED: {e}"),
    }
}

/// Issue 33 point 5: a merge failing half way leaves content/ and evidence/ byte for byte as
/// they were, and the return folder untouched. Run as nobody (root passes every permission
/// check): first the second copy fails (evidence/B31/ is root's), then the last write, the
/// record (content/ is sticky and the record root's), after the copies and the catalogue.
#[test]
fn a_merge_failing_half_way_changes_nothing() {
    let root_user = std::process::Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    if !root_user {
        eprintln!("skipped: needs root to run the merge as another user");
        return;
    }
    for (phase, want) in [
        (
            "copy",
            "没有写入任何修改：无法把 IMG_0001.PNG 复制为 evidence/B31/B31-2-运动场改造后照片.png：没有写入权限",
        ),
        (
            "record",
            "没有写入任何修改：无法写入 content/.填报记录.json：没有写入权限",
        ),
    ] {
        let ws = support::sample_copy();
        let root = ws.path();
        let ret = return_folder(root);
        yingjian::out::returns::write(root, &ReturnRecord::default()).unwrap();
        own(root, 65534);
        mode(root, 0o755);
        mode(ret.path(), 0o755);
        match phase {
            "copy" => own(&root.join("evidence/B31"), 0),
            _ => {
                own(&root.join("content/.填报记录.json"), 0);
                std::os::unix::fs::chown(root.join("content"), Some(0), Some(0)).unwrap();
                mode(&root.join("content"), 0o1777);
            }
        }
        let (content, evidence, returned) = (
            tree(&root.join("content")),
            tree(&root.join("evidence")),
            tree(ret.path()),
        );
        let out = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(std::env::current_exe().unwrap())
            .args([
                "apply_as_nobody",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("E33B_WORKSPACE", root)
            .env("E33B_RETURN", ret.path())
            .env("E33B_PHASE", phase)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains(&format!("FAILED: {want}\n")), "{phase}: {said}");
        assert!(tree(&root.join("content")) == content, "{phase}: content/ changed");
        assert!(tree(&root.join("evidence")) == evidence, "{phase}: evidence/ changed");
        assert!(tree(ret.path()) == returned, "{phase}: the return folder changed");
        own(root, 0);
    }
}

/// docs/img/return-list.png's workbook: a return with the refusals of issue 33's example (a
/// broken PDF, a page count that differs, an unknown point, a duplicate) and a catalogue row
/// the materials team sent back. `E33B_LIST=/tmp/x.xlsx cargo test --release --test
/// evidence_apply -- --ignored return_list_for_docs`, then LibreOffice to PDF and PNG.
#[test]
#[ignore]
fn return_list_for_docs() {
    let Ok(to) = std::env::var("E33B_LIST") else { return };
    let line =
        |ind: &str, point: &str, title: &str, file: &str, at: &str, reason: &str, date: &str| return_list::Line {
            indicator: ind.into(),
            point: point.into(),
            title: title.into(),
            file_name: file.into(),
            at: at.into(),
            reason: reason.into(),
            date: date.into(),
        };
    let lines = vec![
        line(
            "A20",
            "1",
            "示例县2026年教师资格考试报名情况统计表",
            "教师资格统计.pdf",
            "人社局(1).xlsx 佐证材料!A7",
            "文件已损坏，无法打开（请重新导出 PDF 后再交）",
            "2026-11-20",
        ),
        line(
            "A17",
            "1",
            "示例县教师培训经费使用情况说明",
            "培训经费说明.pdf",
            "人社局(1).xlsx 佐证材料!A8",
            "填写的页数 3 与文件实际页数 5 不符",
            "2026-11-20",
        ),
        line(
            "A17",
            "4",
            "乡村教师生活补助发放名册",
            "生活补助名册.xlsx",
            "人社局(1).xlsx 佐证材料!A9",
            "指标 A17 没有评估要点“4”（要点编号：1、2、3）",
            "2026-11-20",
        ),
        line(
            "A16",
            "1",
            "示例县教师工资待遇保障情况报告",
            "工资保障报告.pdf",
            "人社局(1).xlsx 佐证材料!A11",
            "与清单中已登记的“示例县教师工资待遇保障情况报告”（A16-1-01）重复",
            "2026-11-20",
        ),
        line(
            "A1",
            "1",
            "示例县2025年公开招聘中小学教师公告",
            "A1/A1-1-2025年公开招聘中小学教师公告.pdf",
            "content/evidence.xlsx 第 5 行",
            "缺少盖章页，请补扫盖章后的完整文件",
            "",
        ),
    ];
    std::fs::write(to, return_list::render("人社局", "2026-11-20", &lines).unwrap()).unwrap();
}

// End to end: `collect`, the unit fills its form's 佐证材料 rows, `merge --apply`.

/// 人社局's form (it leads A16 in the sample's Jiangxi profile); its first input row is 10.
const HR_FORM: &str = "out/填报表/单位/人社局.xlsx";

/// `src` with the blank input cells `cells` of 佐证材料 filled as text, written to `dst`
/// (each cell's style kept, as Excel saves a typed cell).
fn fill(src: &Path, dst: &Path, cells: &[(String, &str)]) {
    use std::io::Write;
    let mut input = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..input.len() {
        let mut f = input.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut bytes = vec![];
        f.read_to_end(&mut bytes).unwrap();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        // The input sheet: the one whose cell I10 is a blank input cell.
        if name.starts_with("xl/worksheets/") && text.contains("<c r=\"A10\"") && text.contains("<c r=\"I10\"") {
            let mut xml = text;
            for (cell, v) in cells {
                let start = xml
                    .find(&format!("<c r=\"{cell}\""))
                    .unwrap_or_else(|| panic!("{cell}"));
                let end = start + xml[start..].find("/>").unwrap();
                let attrs = xml[start + 2..end].to_owned();
                xml.replace_range(
                    start..end + 2,
                    &format!("<c{attrs} t=\"inlineStr\"><is><t>{v}</t></is></c>"),
                );
            }
            bytes = xml.into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}

/// Row `r` of the input part: 指标 要点 题名 文号 责任者 日期 页数 密级 文件名.
fn input_row<'a>(r: u32, values: [&'a str; 9]) -> Vec<(String, &'a str)> {
    values
        .into_iter()
        .zip("ABCDEFGHI".chars())
        .filter(|(v, _)| !v.is_empty())
        .map(|(v, c)| (format!("{c}{r}"), v))
        .collect()
}

fn merge_apply(root: &Path, form: &Path) -> (String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_yingjian"))
        .arg("merge")
        .arg(form)
        .args(["--apply", "-w"])
        .arg(root)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn merge_apply_takes_the_good_rows_and_lists_the_refused_until_sent_again() {
    let ws = support::sample_copy();
    let root = ws.path();
    yingjian::collect::collect(root).unwrap();
    let back = tempfile::tempdir().unwrap();
    std::fs::copy(root.join(PDF), back.path().join("社保说明.pdf")).unwrap();
    std::fs::copy(root.join(PNG), back.path().join("工资公示.png")).unwrap();
    let mut typed = input_row(
        10,
        [
            "A16",
            "1",
            "2026年教师社会保险缴纳情况补充说明",
            "",
            "",
            "",
            "",
            "公开",
            "社保说明.pdf",
        ],
    );
    typed.extend(input_row(
        11,
        ["A16", "2", "教师工资公示照片", "", "", "", "1", "", "工资公示.png"],
    ));
    // The PDF has 2 pages, not 12: refused.
    typed.extend(input_row(
        12,
        ["A16", "1", "公积金缴存明细", "", "", "", "12", "", "社保说明.pdf"],
    ));
    // A file packed in a .zip beside the form: read from the archive, which stays as it is.
    {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(std::fs::File::create(back.path().join("材料.zip")).unwrap());
        z.start_file("人社局/工资比较.pdf", zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(&std::fs::read(root.join(PDF)).unwrap()).unwrap();
        z.finish().unwrap();
    }
    typed.extend(input_row(
        13,
        ["A16", "3", "工资比较表", "", "", "", "", "", "工资比较.pdf"],
    ));
    let form = back.path().join("人社局(1).xlsx");
    fill(&root.join(HR_FORM), &form, &typed);
    let returned = tree(back.path());

    let (stdout, stderr) = merge_apply(root, &form);
    let line = stdout
        .lines()
        .find(|l| l.starts_with("已把 3 件佐证材料"))
        .unwrap_or_else(|| panic!("{stdout}{stderr}"));
    assert!(
        line.starts_with("已把 3 件佐证材料复制到 evidence/ 并登记到 content/evidence.xlsx（状态“已提交”），原清单备份在 content/.备份/"),
        "{line}"
    );
    assert!(
        line.ends_with("/evidence.xlsx；1 件退回，见 out/退回清单/人社局.xlsx。"),
        "{line}"
    );
    let backup = |line: &str| {
        line.split("原清单备份在 ")
            .nth(1)
            .unwrap()
            .split(['；', '。'])
            .next()
            .unwrap()
            .to_owned()
    };
    let first_backup = backup(line);
    assert_eq!(tree(back.path()), returned, "the return folder is untouched");
    for f in [
        "A16/A16-1-2026年教师社会保险缴纳情况补充说明.pdf",
        "A16/A16-2-教师工资公示照片.png",
        "A16/A16-3-工资比较表.pdf",
    ] {
        assert!(root.join("evidence").join(f).exists(), "{f}");
    }
    assert_eq!(
        std::fs::read(root.join("evidence/A16/A16-3-工资比较表.pdf")).unwrap(),
        std::fs::read(root.join(PDF)).unwrap()
    );
    let list = root.join("out/退回清单/人社局.xlsx");
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&list).unwrap();
    let sheet = wb.worksheet_range("退回清单").unwrap();
    let at = |r, c| sheet.get_value((r, c)).map(|d| d.to_string()).unwrap_or_default();
    assert_eq!(
        (at(4, 2), at(4, 4)),
        ("公积金缴存明细".into(), "人社局(1).xlsx 佐证材料!A12".into())
    );
    assert!(at(4, 5).contains("页数填 12，PDF 实际 2 页"), "{}", at(4, 5));

    // Sent again, right: taken, and the list goes.
    let typed = input_row(10, ["A16", "1", "公积金缴存明细", "", "", "", "", "", "社保说明.pdf"]);
    let form = back.path().join("人社局(2).xlsx");
    std::fs::remove_file(back.path().join("人社局(1).xlsx")).unwrap();
    fill(&root.join(HR_FORM), &form, &typed);
    let (stdout, stderr) = merge_apply(root, &form);
    assert!(stdout.contains("已把 1 件佐证材料复制到 evidence/"), "{stdout}{stderr}");
    // Each merge keeps its own backup, even within one second: the first is the sample's.
    let second_backup = backup(stdout.lines().find(|l| l.starts_with("已把 1 件")).unwrap());
    assert_ne!(first_backup, second_backup);
    assert_eq!(
        std::fs::read(root.join(&first_backup)).unwrap(),
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("content/evidence.xlsx")).unwrap()
    );
    assert!(
        stdout.contains("这些单位已没有待重新提交的佐证材料：人社局（已删除 out/退回清单/人社局.xlsx）。"),
        "{stdout}"
    );
    assert!(!list.exists());
    let record = yingjian::out::returns::load(root).unwrap();
    assert_eq!(record.evidence.len(), 4);
    assert!(record.refused.is_empty());
}

/// A catalogue saved by LibreOffice (shared strings, its own row and column attributes, a
/// `<col>` covering every column to the right) takes the rows the same way.
#[test]
fn a_catalogue_saved_by_libreoffice_takes_the_rows() {
    let soffice = ["/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists());
    let Some(soffice) = soffice else {
        eprintln!("跳过：未安装 LibreOffice");
        return;
    };
    let ws = support::sample_copy();
    let root = ws.path();
    let work = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("timeout")
        .arg("300")
        .arg(soffice)
        .env("HOME", work.path())
        .args(["--headless", "--convert-to", "xlsx", "--outdir"])
        .arg(work.path())
        .arg(root.join("content/evidence.xlsx"))
        .status()
        .unwrap();
    assert!(status.success());
    let catalogue = root.join("content/evidence.xlsx");
    std::fs::copy(work.path().join("evidence.xlsx"), &catalogue).unwrap();
    let before = cells(&catalogue);
    let ret = return_folder(root);
    apply(root, &[first_return(ret.path())]).unwrap();
    let after = cells(&catalogue);
    for r in 0..=160 {
        for c in 0..=10 {
            assert_eq!(after.get_value((r, c)), before.get_value((r, c)), "({r}, {c})");
        }
    }
    let text = |r: u32, c: u32| after.get_value((r, c)).map(|d| d.to_string()).unwrap_or_default();
    assert_eq!((text(0, 11), text(0, 13)), ("状态".into(), "来源".into()));
    assert_eq!(
        (text(161, 2), text(161, 11)),
        ("示例县小学运动场验收报告".into(), "已提交".into())
    );
    assert_eq!(text(162, 7), "A5/A5-2-运动场改造后照片.png");
    let (loaded, _) = yingjian::load::load(root);
    assert_eq!(loaded.evidence.len(), 160 + 2);
}
