//! 下发 → 填报 → 汇总: `yingjian collect` writes a form per school and lead unit; a return
//! filled programmatically (one cell edited in the sheet XML, as Excel would save it) is
//! listed by `yingjian merge` as exactly that change; conflicts, another workspace's form and
//! an altered form are told. The sample county (the repository root) is the workspace.

mod support;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader};
use yingjian::collect::county_fields::Value as CountyValue;
use yingjian::collect::merge::{self, Change, Conflict};
use yingjian::collect::stamp::Slot;
use yingjian::model::Stage;
use yingjian::model::school::columns::{CLASSES, STUDENTS, Value};

/// 示例县实验学校, a 九年一贯制 school: rows 9 (小学) and 10 (初中) of content/schools.xlsx,
/// rows 2 and 3 of its form.
const FORM: &str = "out/填报表/学校/3607990008-示例县实验学校.xlsx";

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_yingjian"))
}

/// `src` with cells of one part replaced: each (cell, old value, new value) of a number cell
/// `<c r="G2" ...><v>old</v></c>`, written to `dst`; the other parts byte for byte.
fn patch(src: &Path, dst: &Path, part: &str, edits: &[(&str, &str, &str)]) {
    let mut input = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut parts: Vec<(String, Vec<u8>)> = vec![];
    for i in 0..input.len() {
        let mut f = input.by_index(i).unwrap();
        let mut bytes = vec![];
        f.read_to_end(&mut bytes).unwrap();
        parts.push((f.name().unwrap().into_owned(), bytes));
    }
    let mut out = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, mut bytes) in parts {
        if name == part {
            let mut xml = String::from_utf8(bytes).unwrap();
            for (cell, old, new) in edits {
                let start = xml
                    .find(&format!("<c r=\"{cell}\""))
                    .unwrap_or_else(|| panic!("{cell} not in {part}"));
                let v = start + xml[start..].find("<v>").unwrap() + 3;
                let end = v + xml[v..].find("</v>").unwrap();
                assert_eq!(&xml[v..end], *old, "{cell}");
                xml.replace_range(v..end, new);
            }
            bytes = xml.into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}

fn collected() -> tempfile::TempDir {
    let ws = support::sample_copy();
    let c = yingjian::collect::collect(ws.path()).unwrap();
    assert!(!c.diagnostics.has_errors());
    ws
}

fn merged(root: &Path, files: &[PathBuf]) -> merge::Merge {
    let mut diags = yingjian::diag::Diagnostics::default();
    let (current, _) = yingjian::collect::current_schools(root, &mut diags);
    assert!(!diags.has_errors());
    merge::merge(root, &current, files)
}

fn n(v: f64) -> Option<Value> {
    Some(Value::Number(v))
}

#[test]
fn collect_writes_prefilled_forms_with_the_hidden_sheet() {
    let ws = support::sample_copy();
    let c = yingjian::collect::collect(ws.path()).unwrap();
    // The sample has 30 schools (content/schools.xlsx, 33 rows: 3 combined schools have two).
    assert_eq!(c.schools.len(), 30);
    assert!(
        c.units.iter().any(|u| u == "填报表/单位/教科体局.xlsx"),
        "{:?}",
        c.units
    );
    let mut wb = calamine::open_workbook_auto(ws.path().join(FORM)).unwrap();
    let meta: Vec<(String, calamine::SheetVisible)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible))
        .collect();
    assert_eq!(
        meta,
        [
            ("学校基础数据".to_owned(), calamine::SheetVisible::Visible),
            ("达标自查".to_owned(), calamine::SheetVisible::Visible),
            ("填报信息".to_owned(), calamine::SheetVisible::Hidden),
        ]
    );
    let data = wb.worksheet_range("学校基础数据").unwrap();
    // Pre-filled as content/schools.xlsx G9, G10, H10 and L9 hold them.
    assert_eq!(data.get_value((1, 0)), Some(&Data::String("3607990008".into())));
    assert_eq!(data.get_value((1, 6)), Some(&Data::Float(1300.0)));
    assert_eq!(data.get_value((2, 6)), Some(&Data::Float(900.0)));
    assert_eq!(data.get_value((2, 7)), Some(&Data::Float(19.0)));
    assert_eq!(data.get_value((1, 11)), Some(&Data::Float(72.0)));
    // The live formulas' results as written: 72 高于规定学历 teachers per 1300 pupils =
    // 72 / 1300 × 100 = 5.538 per hundred ≥ 4.2 → ✓.
    let check = wb.worksheet_range("达标自查").unwrap();
    let Some(Data::Float(v)) = check.get_value((2, 4)) else {
        panic!("{:?}", check.get_value((2, 4)))
    };
    assert!((v - 72.0 / 1300.0 * 100.0).abs() < 1e-9, "{v}");
    assert_eq!(check.get_value((2, 5)), Some(&Data::String("✓".into())));
    // Below the seven, as `check` computes them: 小学 师生比 with no 教职工数 counts the 87
    // 专任教师: 1300 / 87 = 14.94 ≤ 19 → ✓ (row 13); 平均班额 1300 / 30 = 43.33 ≤ 45 (row 14);
    // the rooms for 30 + 19 = 49 classes: ⌈49 / 12⌉ = 5 ≤ 6 音乐教室 → ✓ (row 31).
    let float = |r: u32, c: u32| match check.get_value((r, c)) {
        Some(Data::Float(v)) => *v,
        other => panic!("({r}, {c}): {other:?}"),
    };
    let text = |r: u32, c: u32| match check.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("({r}, {c}): {other:?}"),
    };
    assert_eq!(text(12, 1), "师生比（在校生数 ÷ 教职工数）");
    assert!((float(12, 4) - 1300.0 / 87.0).abs() < 1e-9);
    assert_eq!((float(12, 3), text(12, 5).as_str()), (19.0, "✓"));
    assert!((float(13, 4) - 1300.0 / 30.0).abs() < 1e-9);
    assert_eq!(text(30, 1), "音乐专用教室（每 12 个班 1 间以上）");
    assert_eq!((float(30, 3), float(30, 4), text(30, 5).as_str()), (5.0, 6.0, "✓"));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(ws.path().join(FORM)).unwrap()).unwrap();
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(sheet.contains("<sheetProtection"), "the data sheet is protected");
    assert!(sheet.contains("<dataValidations"), "lists and input messages");
    let stamp =
        yingjian::collect::stamp::read(&mut calamine::open_workbook_auto(ws.path().join(FORM)).unwrap()).unwrap();
    assert_eq!((stamp.county.as_str(), stamp.code.as_str()), ("示例县", "3607990008"));
    assert!(
        stamp
            .issued
            .contains(&(Slot::Stage(Some(Stage::Junior)), CLASSES, n(19.0)))
    );
}

#[test]
fn merge_lists_exactly_the_edited_cell() {
    let ws = collected();
    let back = tempfile::tempdir().unwrap();
    // Renamed on the way back: identified by its hidden sheet, not its name.
    let ret = back.path().join("实验学校(1).xlsx");
    patch(
        &ws.path().join(FORM),
        &ret,
        "xl/worksheets/sheet1.xml",
        &[("G2", "1300", "1320")],
    );
    let m = merged(ws.path(), &[back.path().to_path_buf()]);
    assert!(
        m.diagnostics.is_empty(),
        "{}",
        yingjian::diag::render_human(m.diagnostics.as_slice())
    );
    assert_eq!(m.returns.len(), 1);
    assert_eq!(m.returns[0].code, "3607990008");
    assert_eq!(
        m.returns[0].changes,
        [Change {
            slot: Slot::Stage(Some(Stage::Primary)),
            column: STUDENTS,
            old: n(1300.0),
            new: n(1320.0)
        }]
    );
    assert!(m.returns[0].conflicts.is_empty());
    // What the user reads, and nothing written: content/schools.xlsx unchanged.
    let before = std::fs::read(ws.path().join("content/schools.xlsx")).unwrap();
    let out = bin().arg("merge").arg(&ret).arg("-w").arg(ws.path()).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("实验学校(1).xlsx → 3607990008 示例县实验学校\n  修改 小学 在校生数：1300 → 1320\n"),
        "{stdout}"
    );
    assert!(stdout.contains("1 处修改，0 处冲突，0 份被拒绝"), "{stdout}");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read(ws.path().join("content/schools.xlsx")).unwrap(), before);
}

/// A value typed with its unit ("28人") is the return's error at its cell, not a change of the
/// cell to blank; the other edit of the return is listed as usual.
#[test]
fn a_misread_value_is_an_error_and_not_a_change_to_blank() {
    let ws = collected();
    let back = tempfile::tempdir().unwrap();
    let ret = back.path().join("实验学校.xlsx");
    let mut wb = calamine::open_workbook_auto(ws.path().join(FORM)).unwrap();
    let classes = match wb.worksheet_range("学校基础数据").unwrap().get_value((1, 7)) {
        Some(Data::Float(f)) => format!("{f}"),
        other => panic!("H2 holds {other:?}"),
    };
    patch(
        &ws.path().join(FORM),
        &ret,
        "xl/worksheets/sheet1.xml",
        &[("G2", "1300", "1320"), ("H2", &classes, "28人")],
    );
    as_text(&ret, "xl/worksheets/sheet1.xml", "H2");
    let m = merged(ws.path(), &[ret.clone()]);
    let said: Vec<(&str, String)> = m
        .diagnostics
        .as_slice()
        .iter()
        .map(|d| (d.code, d.location.to_string()))
        .collect();
    assert_eq!(said, [("not-a-number", "实验学校.xlsx 学校基础数据!H2".to_owned())]);
    let listing = merge::report(&m);
    assert!(
        listing.contains("实验学校.xlsx → 3607990008 示例县实验学校\n  修改 小学 在校生数：1300 → 1320\n共读取"),
        "{listing}"
    );
    assert!(!listing.contains("班级数"), "{listing}");
}

#[test]
fn a_value_changed_in_content_and_in_the_return_is_a_conflict() {
    let ws = collected();
    // Since the forms went out, content/ corrected 初中 班级数 19 → 18 (H10); the school typed 20.
    let schools = ws.path().join("content/schools.xlsx");
    let tmp = ws.path().join("schools-new.xlsx");
    patch(&schools, &tmp, "xl/worksheets/sheet1.xml", &[("H10", "19", "18")]);
    std::fs::rename(&tmp, &schools).unwrap();
    let ret = ws.path().join("return.xlsx");
    patch(
        &ws.path().join(FORM),
        &ret,
        "xl/worksheets/sheet1.xml",
        &[("H3", "19", "20"), ("G3", "900", "910")],
    );
    let m = merged(ws.path(), &[ret]);
    let r = &m.returns[0];
    let junior = Slot::Stage(Some(Stage::Junior));
    assert_eq!(
        r.conflicts,
        [Conflict {
            slot: junior,
            column: CLASSES,
            issued: n(19.0),
            current: n(18.0),
            returned: n(20.0)
        }]
    );
    // 在校生数 was not touched in content/: a plain change.
    assert_eq!(
        r.changes,
        [Change {
            slot: junior,
            column: STUDENTS,
            old: n(900.0),
            new: n(910.0)
        }]
    );
    assert!(
        merge::report(&m)
            .contains("  冲突 初中 班级数：下发时 19，content/ 现为 18，回收表填 20（保留 content/ 的值，请核实）\n")
    );
}

#[test]
fn another_workspace_an_altered_form_and_a_stranger_file_are_refused() {
    let ws = collected();
    // Another county: the same sample renamed 另一县.
    let other = support::sample_copy();
    let yaml = other.path().join("content/county.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    assert!(text.contains("county: 示例县"));
    std::fs::write(&yaml, text.replace("county: 示例县", "county: 另一县")).unwrap();
    yingjian::collect::collect(other.path()).unwrap();
    let back = tempfile::tempdir().unwrap();
    std::fs::copy(other.path().join(FORM), back.path().join("a.xlsx")).unwrap();
    // A row deleted: the 初中 row (row 3) of the form is gone.
    let form = std::fs::read(ws.path().join(FORM)).unwrap();
    let altered = back.path().join("b.xlsx");
    std::fs::write(&altered, &form).unwrap();
    drop_row(&altered, 3);
    // content/schools.xlsx itself is no form.
    std::fs::copy(ws.path().join("content/schools.xlsx"), back.path().join("c.xlsx")).unwrap();
    let m = merged(ws.path(), &[back.path().to_path_buf()]);
    assert!(m.returns.is_empty());
    let said: Vec<(&str, String, String)> = m
        .diagnostics
        .as_slice()
        .iter()
        .filter(|d| d.code.starts_with("return-"))
        .map(|d| (d.code, d.location.to_string(), d.message.clone()))
        .collect();
    assert_eq!(
        said,
        [
            (
                "return-foreign",
                "a.xlsx".to_owned(),
                "这份填报表是“另一县”的工作区下发的，不属于本工作区".to_owned()
            ),
            (
                "return-altered",
                "b.xlsx".to_owned(),
                "填报表的结构被改动：数据行（学校代码、学段或行数）与下发时不同".to_owned()
            ),
            (
                "return-unstamped",
                "c.xlsx".to_owned(),
                "这不是 yingjian collect 下发的填报表（缺少隐藏的“填报信息”工作表，或它被改动过）".to_owned()
            ),
        ]
    );
    let out = bin()
        .arg("merge")
        .arg(back.path())
        .arg("-w")
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("确认 -w 指定的工作区是否正确"), "{stderr}");
}

/// Removes row `r` (one-based) of the form's data sheet.
fn drop_row(path: &Path, r: u32) {
    let tmp = path.with_extension("tmp");
    let mut input = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(&tmp).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..input.len() {
        let mut f = input.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut bytes = vec![];
        f.read_to_end(&mut bytes).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let xml = String::from_utf8(bytes).unwrap();
            let start = xml.find(&format!("<row r=\"{r}\"")).unwrap();
            let end = start + xml[start..].find("</row>").unwrap() + "</row>".len();
            bytes = format!("{}{}", &xml[..start], &xml[end..]).into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
    std::fs::rename(tmp, path).unwrap();
}

/// LibreOffice with Calc (as tests/application_form.rs finds it).
fn soffice() -> Option<PathBuf> {
    let calc = Path::new("/usr/lib/libreoffice/program/libsclo.so").exists();
    [
        "/usr/bin/soffice",
        "/usr/bin/libreoffice",
        "/usr/lib/libreoffice/program/soffice",
    ]
    .iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
    .filter(|_| calc)
}

/// LibreOffice Calc, or `None` (the test skips) when it is absent and CI does not require it.
fn calc() -> Option<PathBuf> {
    let found = soffice();
    if found.is_none() {
        assert!(
            std::env::var_os("YINGJIAN_REQUIRE_LIBREOFFICE").is_none(),
            "LibreOffice Calc is required (apt-get install libreoffice-calc-nogui)"
        );
        eprintln!("跳过：未安装 LibreOffice Calc（apt-get install libreoffice-calc-nogui）");
    }
    found
}

/// `file` opened and saved as `format` by LibreOffice with `home` as its profile's home; the
/// folder it was saved in.
fn convert(soffice: &Path, home: &Path, file: &Path, format: &str) -> PathBuf {
    let saved = home.join("saved");
    let status = Command::new("timeout")
        .arg("600")
        .arg(soffice)
        .env("HOME", home)
        .args(["--headless", "--convert-to", format, "--outdir"])
        .arg(&saved)
        .arg(file)
        .status()
        .unwrap();
    assert!(status.success());
    saved
}

/// A return opened, recalculated and saved by LibreOffice (standing in for WPS/Excel): its
/// live formulas compute the new value, and it merges as the one change.
#[test]
fn libreoffice_recalculates_the_form_and_its_save_merges() {
    let Some(soffice) = calc() else {
        return;
    };
    let ws = collected();
    let work = tempfile::tempdir().unwrap();
    let ret = work.path().join("return.xlsx");
    // 小学 在校生数 doubled: 1300 → 2600, its 班级数 30 → 62.
    patch(
        &ws.path().join(FORM),
        &ret,
        "xl/worksheets/sheet1.xml",
        &[("G2", "1300", "2600"), ("H2", "30", "62")],
    );
    // LibreOffice keeps the results stored in an .xlsx unless told to recalculate on load.
    let profile = work.path().join(".config/libreoffice/4/user");
    std::fs::create_dir_all(&profile).unwrap();
    std::fs::write(
        profile.join("registrymodifications.xcu"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"#,
    )
    .unwrap();
    let saved = convert(&soffice, work.path(), &ret, "xlsx");
    let saved = saved.join("return.xlsx");
    let mut wb = calamine::open_workbook_auto(&saved).unwrap();
    let check = wb.worksheet_range("达标自查").unwrap();
    // 72 teachers per 2600 pupils: 72 / 2600 × 100 = 2.769 per hundred < 4.2 → ×;
    // 生均仪器设备值 304.98 万元 × 10000 / 2600 = 1173 元 < 2000 → ×.
    let Some(Data::Float(v)) = check.get_value((2, 4)) else {
        panic!("{:?}", check.get_value((2, 4)))
    };
    assert!((v - 72.0 / 2600.0 * 100.0).abs() < 1e-9, "{v}");
    assert_eq!(check.get_value((2, 5)), Some(&Data::String("×".into())));
    let Some(Data::Float(v)) = check.get_value((7, 4)) else {
        panic!()
    };
    assert!((v - 304.98 * 10000.0 / 2600.0).abs() < 1e-6, "{v}");
    // The other checks, recalculated (rows as written by collect):
    // 师生比 2600 / 87 专任教师 = 29.89 > 19 → ×;
    // 平均班额 2600 / 62 = 41.94 ≤ 45 → ✓; 最大班额 45 ≤ 45 → ✓;
    // 音乐教室 for 62 + 19 = 81 classes: ⌈81 / 12⌉ = 7 > 6 → ×; 最小面积 97 ≥ 96 → ✓.
    let float = |r: u32, c: u32| match check.get_value((r, c)) {
        Some(Data::Float(v)) => *v,
        other => panic!("({r}, {c}): {other:?}"),
    };
    let mark = |r: u32| match check.get_value((r, 5)) {
        Some(Data::String(s)) => s.clone(),
        other => panic!("({r}, 5): {other:?}"),
    };
    assert!((float(12, 4) - 2600.0 / 87.0).abs() < 1e-9);
    assert!((float(13, 4) - 2600.0 / 62.0).abs() < 1e-9);
    assert_eq!(float(14, 4), 45.0);
    assert_eq!((float(30, 3), float(30, 4)), (7.0, 6.0));
    let marks: Vec<String> = [12, 13, 14, 30, 31].into_iter().map(mark).collect();
    assert_eq!(marks, ["×", "✓", "✓", "×", "✓"]);
    let m = merged(ws.path(), &[saved.clone()]);
    let changes: Vec<&Change> = m.returns.iter().flat_map(|r| &r.changes).collect();
    let primary = Slot::Stage(Some(Stage::Primary));
    assert_eq!(
        changes,
        [
            &Change {
                slot: primary,
                column: STUDENTS,
                old: n(1300.0),
                new: n(2600.0)
            },
            &Change {
                slot: primary,
                column: CLASSES,
                old: n(30.0),
                new: n(62.0)
            }
        ]
    );
    // `check` judges the merged data as the form did.
    let edits = yingjian::collect::apply::edits(ws.path(), &current(ws.path()), &m.returns).unwrap();
    yingjian::collect::apply::apply(ws.path(), &edits).unwrap();
    let (a, _) = yingjian::rules::assess::assess(&yingjian::load::load(ws.path()).0);
    let verdict = |rule: &str, stage: Option<Stage>| {
        a.checks[rule]
            .schools
            .iter()
            .find(|f| f.code == "3607990008" && f.stage == stage)
            .map(|f| (f.verdict, f.measured.clone()))
            .unwrap()
    };
    let (v, measured) = verdict("gov.staffing_ratio", Some(Stage::Primary));
    assert_eq!(v, yingjian::model::Verdict::NotMet);
    assert!(measured.contains("师生比 1:29.89"), "{measured}");
    assert_eq!(
        verdict("gov.class_size", Some(Stage::Primary)).0,
        yingjian::model::Verdict::Met
    );
    let (v, measured) = verdict("gov.music_art_rooms", None);
    assert_eq!(v, yingjian::model::Verdict::NotMet);
    assert!(measured.contains("音乐教室 6 间少于 7 间"), "{measured}");
}

fn current(root: &Path) -> Vec<yingjian::model::School> {
    let mut diags = yingjian::diag::Diagnostics::default();
    yingjian::collect::current_schools(root, &mut diags).0
}

/// The entries of a zip, decompressed, by name.
fn entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut b = vec![];
            f.read_to_end(&mut b).unwrap();
            (f.name().unwrap().into_owned(), b)
        })
        .collect()
}

#[test]
fn apply_changes_only_the_changed_cell_and_keeps_a_backup() {
    let ws = collected();
    let schools = ws.path().join("content/schools.xlsx");
    let before = std::fs::read(&schools).unwrap();
    let old = entries(&schools);
    // Since the forms went out, content/ corrected 初中 班级数 19 → 18 (H10); the school typed
    // 20 there (a conflict, not written) and 1320 for 小学 在校生数 (G9 of content/).
    patch(
        &schools,
        &ws.path().join("s.xlsx"),
        "xl/worksheets/sheet1.xml",
        &[("H10", "19", "18")],
    );
    std::fs::rename(ws.path().join("s.xlsx"), &schools).unwrap();
    let corrected = std::fs::read(&schools).unwrap();
    let back = tempfile::tempdir().unwrap();
    let ret = back.path().join("实验学校.xlsx");
    patch(
        &ws.path().join(FORM),
        &ret,
        "xl/worksheets/sheet1.xml",
        &[("G2", "1300", "1320"), ("H3", "19", "20")],
    );
    // A refused return beside it: nothing is written.
    std::fs::write(back.path().join("总表.xlsx"), &corrected).unwrap();
    let out = bin()
        .args(["merge", "--apply"])
        .arg(back.path())
        .arg("-w")
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&schools).unwrap(), corrected);
    assert!(!ws.path().join("content/.备份").exists());
    std::fs::remove_file(back.path().join("总表.xlsx")).unwrap();

    let out = bin()
        .args(["merge", "--apply"])
        .arg(&ret)
        .arg("-w")
        .arg(ws.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("已把 1 处修改写入 content/schools.xlsx（只改动这些单元格），原文件备份在 content/.备份/"),
        "{stdout}"
    );
    assert!(stdout.contains("冲突的单元格保留了 content/ 的值"), "{stdout}");
    // The backup is the file as it was.
    let backups: Vec<PathBuf> = std::fs::read_dir(ws.path().join("content/.备份"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(std::fs::read(backups[0].join("schools.xlsx")).unwrap(), corrected);
    // Every part but the sheet is the same; in the sheet only G9 changed, its style kept.
    let now = entries(&schools);
    let was = entries(&backups[0].join("schools.xlsx"));
    assert_eq!(now.len(), was.len());
    for ((n1, b1), (n2, b2)) in now.iter().zip(&was) {
        assert_eq!(n1, n2);
        if n1 != "xl/worksheets/sheet1.xml" {
            assert!(b1 == b2, "{n1} changed");
        }
    }
    let sheet = |e: &[(String, Vec<u8>)]| {
        String::from_utf8(
            e.iter()
                .find(|(n, _)| n == "xl/worksheets/sheet1.xml")
                .unwrap()
                .1
                .clone(),
        )
        .unwrap()
    };
    assert_eq!(
        sheet(&now),
        sheet(&was).replace(r#"<c r="G9"><v>1300</v></c>"#, r#"<c r="G9"><v>1320</v></c>"#)
    );
    assert_ne!(sheet(&now), sheet(&was));
    assert_eq!(old.len(), now.len());
    // The workspace reads the new value; content/'s 18 stays.
    let ws_read = yingjian::load::load(ws.path()).0;
    let s = ws_read.schools.iter().find(|s| s.code == "3607990008").unwrap();
    assert_eq!(s.sections[0].students, 1320.0);
    assert_eq!(s.sections[1].classes, Some(18.0));
    // Merging the same return again: already in content/, nothing to change.
    let m = merged(ws.path(), &[ret]);
    assert!(m.returns[0].changes.is_empty());
    drop(before);
}

/// The record of the rounds (content/.填报记录.json) as `collect` and `merge --apply` left it.
fn record(root: &Path) -> yingjian::model::ReturnRecord {
    yingjian::out::returns::read(root).expect("content/.填报记录.json")
}

fn merge_cli(root: &Path, args: &[&str], files: &[&Path]) -> (Option<i32>, String, String) {
    let out = bin()
        .arg("merge")
        .args(args)
        .args(files)
        .arg("-w")
        .arg(root)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// content/schools.xlsx with 初中 班级数 of 示例县实验学校 corrected 19 → 18 (H10) since the
/// forms went out, and a return (`name`) where the school typed 20 there (H3 of its form).
fn conflicting_return(ws: &Path, name: &str) -> PathBuf {
    let schools = ws.join("content/schools.xlsx");
    patch(
        &schools,
        &ws.join("s.xlsx"),
        "xl/worksheets/sheet1.xml",
        &[("H10", "19", "18")],
    );
    std::fs::rename(ws.join("s.xlsx"), &schools).unwrap();
    let ret = ws.join(name);
    patch(&ws.join(FORM), &ret, "xl/worksheets/sheet1.xml", &[("H3", "19", "20")]);
    ret
}

#[test]
fn take_return_takes_the_named_schools_conflicts_and_an_unknown_name_is_refused() {
    let ws = collected();
    let ret = conflicting_return(ws.path(), "实验学校.xlsx");
    let issued = std::fs::read(ws.path().join("content/.填报记录.json")).unwrap();
    // An unknown name: a usage error (exit 2), nothing written, the record included.
    let (code, _, stderr) = merge_cli(ws.path(), &["--apply", "--take-return", "实验学校"], &[&ret]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("--take-return 实验学校：content/schools.xlsx 中没有这个学校代码或学校名称"),
        "{stderr}"
    );
    // A part of a name is answered with the schools it could mean.
    assert!(
        stderr.contains("是否指：示例县实验学校（3607990008）？写出完整的学校名称或学校代码"),
        "{stderr}"
    );
    let (code, _, stderr) = merge_cli(ws.path(), &["--take-return", "外国语学校"], &[&ret]);
    assert_eq!(code, Some(2));
    // Nothing like it: an example from content/ (its first school).
    assert!(
        stderr.contains("写学校代码（如 3607990001）或与 content/schools.xlsx 完全相同的学校名称（如 示例县第一小学）"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(ws.path().join("content/.填报记录.json")).unwrap(), issued);
    // By default the conflict keeps content/'s 18.
    let (code, stdout, _) = merge_cli(ws.path(), &[], &[&ret]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("  冲突 初中 班级数：下发时 19，content/ 现为 18，回收表填 20（保留 content/ 的值，请核实）\n"),
        "{stdout}"
    );
    assert!(stdout.contains("0 处修改，1 处冲突，0 份被拒绝"), "{stdout}");
    // Named (by its name; its code 3607990008 works the same), the return's 20 is taken.
    let (code, stdout, stderr) = merge_cli(ws.path(), &["--apply", "--take-return", "示例县实验学校"], &[&ret]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains(
            "  冲突 初中 班级数：下发时 19，content/ 现为 18，回收表填 20（按 --take-return 采用回收表的值）\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("1 处修改，1 处冲突（其中 1 处采用回收表的值，已计入修改），0 份被拒绝"),
        "{stdout}"
    );
    assert!(stdout.contains("已把 1 处修改写入 content/schools.xlsx"), "{stdout}");
    let s = yingjian::load::load(ws.path()).0;
    let s = s.schools.iter().find(|s| s.code == "3607990008").unwrap();
    assert_eq!(s.sections[1].classes, Some(20.0));
    let cells = &record(ws.path()).merged[0].cells;
    assert_eq!(
        cells,
        &[yingjian::model::returns::CellChange {
            at: "content/schools.xlsx 学校基础数据!H10".into(),
            slot: "初中".into(),
            column: "班级数".into(),
            old: Some("18".into()),
            new: Some("20".into()),
            taken: true,
        }]
    );
    let mut diags = yingjian::diag::Diagnostics::default();
    let (current, _) = yingjian::collect::current_schools(ws.path(), &mut diags);
    assert_eq!(
        merge::take_codes(&current, &["3607990008".into()]),
        Ok(vec!["3607990008".to_owned()])
    );
    // Two schools of one name: the name alone cannot say which; their codes are offered.
    let mut twice = current.clone();
    let mut other = current[0].clone();
    other.code = "3607990099".into();
    twice.push(other);
    assert_eq!(
        merge::take_codes(&twice, &["示例县第一小学".into()]),
        Err((
            "--take-return 示例县第一小学：content/schools.xlsx 中有 2 所学校叫这个名字".to_owned(),
            "改用学校代码指定：3607990001、3607990099".to_owned()
        ))
    );
}

#[test]
fn collect_and_apply_keep_a_record_that_outlives_out() {
    let ws = support::sample_copy();
    // Nothing is counted before the first collect.
    let check = bin().arg("check").arg("-w").arg(ws.path()).output().unwrap();
    assert!(!String::from_utf8(check.stdout).unwrap().contains("填报回收"));
    yingjian::collect::collect(ws.path()).unwrap();
    let r = record(ws.path());
    // One round, dated by county.yaml's today (2026-11-20), the sample's 30 schools and the
    // 4 units the forms went to.
    assert_eq!(r.rounds.len(), 1);
    assert_eq!((r.rounds[0].round, r.rounds[0].date.as_str()), (1, "2026-11-20"));
    assert_eq!((r.rounds[0].schools.len(), r.rounds[0].units.len()), (30, 4));
    assert!(r.merged.is_empty());
    let ret = ws.path().join("实验学校(1).xlsx");
    patch(
        &ws.path().join(FORM),
        &ret,
        "xl/worksheets/sheet1.xml",
        &[("G2", "1300", "1320")],
    );
    // A refused return beside it: nothing is written, the record neither.
    let stranger = ws.path().join("总表.xlsx");
    std::fs::copy(ws.path().join("content/schools.xlsx"), &stranger).unwrap();
    let (code, _, _) = merge_cli(ws.path(), &["--apply"], &[&ret, &stranger]);
    assert_eq!(code, Some(1));
    assert_eq!(record(ws.path()), r);
    let (code, stdout, _) = merge_cli(ws.path(), &["--apply"], &[&ret]);
    assert_eq!(code, Some(0));
    assert!(
        stdout.contains("已在 content/.填报记录.json 中记下这些回收表"),
        "{stdout}"
    );
    let m = &record(ws.path()).merged;
    assert_eq!(m.len(), 1);
    assert_eq!(
        (m[0].round, m[0].file.as_str(), m[0].code.as_str(), m[0].name.as_str()),
        (1, "实验学校(1).xlsx", "3607990008", "示例县实验学校")
    );
    assert_eq!(m[0].cells[0].at, "content/schools.xlsx 学校基础数据!G9");
    assert_eq!(
        (m[0].cells[0].old.as_deref(), m[0].cells[0].new.as_deref()),
        (Some("1300"), Some("1320"))
    );
    // The record is beside the inputs: removing out/ loses nothing. 1 of 30 schools back:
    // 30 − 1 = 29 outstanding, the first five named.
    std::fs::remove_dir_all(ws.path().join("out")).unwrap();
    let check = bin().arg("check").arg("-w").arg(ws.path()).output().unwrap();
    let stdout = String::from_utf8(check.stdout).unwrap();
    assert!(
        stdout.contains(
            "填报回收（第 1 轮，2026-11-20 下发）：学校已回收 1/30 所，单位已回收 0/4 个；\
             未回收学校：示例县第一小学、示例县第二小学、示例县第三小学、示例县实验小学、示例县第一中学 等 29 所；\
             未回收单位：教科体局、人社局、自然资源局、编办\n"
        ),
        "{stdout}"
    );
}

/// collect → build → a return applied → build: the change report names the return, the
/// overview counts it.
/// A record that exists but cannot be read is never replaced: merge --apply and collect stop
/// before writing anything, and say how to recover.
#[test]
fn a_damaged_record_stops_merge_and_collect_and_is_kept() {
    let ws = collected();
    let rec = ws.path().join("content/.填报记录.json");
    std::fs::write(&rec, "{ 半截").unwrap();
    let ret = ws.path().join("城南学校.xlsx");
    patch(
        &ws.path().join(FORM),
        &ret,
        "xl/worksheets/sheet1.xml",
        &[("G2", "1300", "1320")],
    );
    let before = std::fs::read(ws.path().join("content/schools.xlsx")).unwrap();
    let (code, _, stderr) = merge_cli(ws.path(), &["--apply"], &[&ret]);
    assert_eq!(code, Some(1));
    assert!(
        stderr.contains("content/.填报记录.json 无法读取（文件已损坏或被手工改动），没有写入任何修改"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(ws.path().join("content/schools.xlsx")).unwrap(), before);
    let out = bin().arg("collect").arg("-w").arg(ws.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&rec).unwrap(), "{ 半截");
    // check tells, rather than silently showing no return counts.
    let out = bin().arg("check").arg("-w").arg(ws.path()).output().unwrap();
    let said = String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("警告[returns-record-unreadable]: 填报记录无法读取（文件已损坏或被手工改动）")
            && said.contains("--> content/.填报记录.json"),
        "{said}"
    );
}

#[test]
fn the_build_after_apply_names_the_return_in_its_change_report() {
    let ws = collected();
    let build = || {
        let out = bin().arg("build").arg("-w").arg(ws.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    build();
    let ret = ws.path().join("城南学校(1).xlsx");
    patch(
        &ws.path().join(FORM),
        &ret,
        "xl/worksheets/sheet1.xml",
        &[("G2", "1300", "1320")],
    );
    let (code, _, _) = merge_cli(ws.path(), &["--apply"], &[&ret]);
    assert_eq!(code, Some(0));
    let stdout = build();
    assert!(stdout.contains("学校已回收 1/30 所"), "{stdout}");
    let md = std::fs::read_to_string(ws.path().join("out/变更说明.md")).unwrap();
    assert!(
        md.contains(
            "- content/schools.xlsx 示例县实验学校（小学）在校生数：1300 → 1320（来自回收表 城南学校(1).xlsx，2026-11-20 合并）\n"
        ),
        "{md}"
    );
    let html = std::fs::read_to_string(ws.path().join("out/index.html")).unwrap();
    assert!(
        html.contains(r#"学校已回收 <span class="pending">1 / 30</span> 所"#),
        "{html}"
    );
    assert!(html.contains(
        "未回收学校：示例县第一小学、示例县第二小学、示例县第三小学、示例县实验小学、示例县第一中学 等 29 所"
    ));
}

#[test]
fn a_return_of_a_school_no_longer_in_content_is_refused() {
    let ws = collected();
    // 示例县第一小学 (3607990001, row 2 of content/schools.xlsx) removed since its form went out.
    drop_row(&ws.path().join("content/schools.xlsx"), 2);
    let form = ws.path().join("out/填报表/学校/3607990001-示例县第一小学.xlsx");
    let m = merged(ws.path(), &[form]);
    assert!(m.returns.is_empty());
    let said: Vec<(&str, String)> = m
        .diagnostics
        .as_slice()
        .iter()
        .map(|d| (d.code, d.message.clone()))
        .collect();
    assert_eq!(
        said,
        [(
            "return-unknown-school",
            "学校代码 3607990001（示例县第一小学）不在 content/schools.xlsx 中".to_owned()
        )]
    );
}

/// A return saved as .xls (Excel 97–2003, as old WPS saves) is read and merges.
#[test]
fn a_return_saved_as_xls_merges() {
    let Some(soffice) = calc() else {
        return;
    };
    let ws = collected();
    let work = tempfile::tempdir().unwrap();
    let ret = work.path().join("实验学校.xlsx");
    patch(
        &ws.path().join(FORM),
        &ret,
        "xl/worksheets/sheet1.xml",
        &[("G2", "1300", "1320")],
    );
    let saved = convert(&soffice, work.path(), &ret, "xls");
    let xls = saved.join("实验学校.xls");
    let m = merged(ws.path(), &[xls]);
    // Read as content/schools.xlsx saved as .xls is: the one warning that an .xls cannot show
    // its hidden rows (the rows are checked against the issued ones all the same).
    let codes: Vec<&str> = m.diagnostics.as_slice().iter().map(|d| d.code).collect();
    assert_eq!(codes, ["xls-hidden-unchecked"]);
    assert_eq!(m.returns[0].file, "实验学校.xls");
    assert_eq!(
        m.returns[0].changes,
        [Change {
            slot: Slot::Stage(Some(Stage::Primary)),
            column: STUDENTS,
            old: n(1300.0),
            new: n(1320.0)
        }]
    );
}

/// The units' forms of the sample: 人社局 leads A16 (teacher pay), 教科体局 the rest.
const HR_FORM: &str = "out/填报表/单位/人社局.xlsx";
const BUREAU_FORM: &str = "out/填报表/单位/教科体局.xlsx";
/// The sheet 县级数据 of a unit form (the second sheet).
const UNIT_SHEET: &str = "xl/worksheets/sheet2.xml";

#[test]
fn a_unit_return_is_merged_into_county_yaml_changing_only_its_values() {
    let ws = collected();
    let yaml = ws.path().join("content/county.yaml");
    // The unit's figures are inputs pre-filled from county.yaml: 人社局's rows 3 and 4.
    let mut wb = calamine::open_workbook_auto(ws.path().join(HR_FORM)).unwrap();
    let sheet = wb.worksheet_range("县级数据").unwrap();
    assert_eq!(
        sheet.get_value((2, 1)),
        Some(&Data::String("教师年平均工资收入".into()))
    );
    assert_eq!(sheet.get_value((2, 3)), Some(&Data::Float(98650.0)));
    assert_eq!(sheet.get_value((3, 3)), Some(&Data::Float(97820.0)));
    // Since the forms went out, county.yaml corrected 公务员 pay 97820 → 97900.
    let issued = std::fs::read_to_string(&yaml).unwrap();
    let corrected = issued.replace(
        "civil_servant_average_pay: 97820   #",
        "civil_servant_average_pay: 97900   #",
    );
    assert_ne!(corrected, issued);
    std::fs::write(&yaml, &corrected).unwrap();
    let back = tempfile::tempdir().unwrap();
    // 人社局 typed 99000 for teacher pay (a change) and 98000 for 公务员 pay (a conflict);
    // 教科体局 corrected 初中 就近入学 97.6 → 98 (row 20: the 18th figure it leads).
    let hr = back.path().join("人社局(1).xlsx");
    patch(
        &ws.path().join(HR_FORM),
        &hr,
        UNIT_SHEET,
        &[("D3", "98650", "99000"), ("D4", "97820", "98000")],
    );
    let bureau = back.path().join("教科体局-回.xlsx");
    patch(
        &ws.path().join(BUREAU_FORM),
        &bureau,
        UNIT_SHEET,
        &[("D20", "97.6", "98")],
    );
    let m = merged(ws.path(), &[back.path().to_path_buf()]);
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics.as_slice());
    let listing = merge::report(&m);
    assert!(
        listing.contains(
            "人社局(1).xlsx → 单位 人社局\n  修改 教师年平均工资收入（county.yaml finance.teacher_average_pay）：98650 → 99000\n  冲突 当地公务员年平均工资收入（county.yaml finance.civil_servant_average_pay）：下发时 97820，content/county.yaml 现为 97900，回收表填 98000（保留 county.yaml 的值，请核实）\n"
        ),
        "{listing}"
    );
    assert!(
        listing
            .contains("  修改 城区和镇区公办初中就近划片入学比例（county.yaml enrolment.zoned_junior）：97.6 → 98\n"),
        "{listing}"
    );
    assert!(
        listing.contains("共读取 2 份回收表：2 处修改，1 处冲突，0 份被拒绝。"),
        "{listing}"
    );

    // A build before the merge, so that the next one reports what the merge changed.
    let build = || {
        let out = bin().arg("build").arg("-w").arg(ws.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(build().contains("单位已回收 0/4 个"));
    let out = bin()
        .args(["merge", "--apply"])
        .arg(back.path())
        .arg("-w")
        .arg(ws.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(
            "已把 2 处修改写入 content/county.yaml（只改动这些数值，注释、顺序和格式不变），原文件备份在 content/.备份/"
        ),
        "{stdout}"
    );
    // The whole file: the two values replaced, the comments after them in their columns
    // (97.6 → 98 is two characters shorter: two more spaces before the comment), the
    // conflicting 97900 kept, every other byte as it was.
    let expected = corrected
        .replace(
            "teacher_average_pay: 98650         #",
            "teacher_average_pay: 99000         #",
        )
        .replace("  zoned_junior: 97.6\n", "  zoned_junior: 98\n");
    assert_ne!(expected, corrected);
    assert_eq!(std::fs::read_to_string(&yaml).unwrap(), expected);
    let backups: Vec<PathBuf> = std::fs::read_dir(ws.path().join("content/.备份"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1);
    assert_eq!(
        std::fs::read_to_string(backups[0].join("county.yaml")).unwrap(),
        corrected
    );
    // schools.xlsx had nothing to change: no backup of it.
    assert!(!backups[0].join("schools.xlsx").exists());
    // The workspace reads the new figures.
    let config = yingjian::load::load(ws.path()).0.config.unwrap();
    assert_eq!(config.finance.teacher_average_pay, Some(99000.0));
    assert_eq!(config.enrolment.zoned_junior, Some(98.0));
    // The record counts both units as returned, and the change report names their returns.
    let stdout = build();
    assert!(stdout.contains("单位已回收 2/4 个"), "{stdout}");
    let md = std::fs::read_to_string(ws.path().join("out/变更说明.md")).unwrap();
    assert!(
        md.contains(
            "- content/county.yaml finance.teacher\\_average\\_pay：98650 → 99000（来自回收表 人社局(1).xlsx，2026-11-20 合并）\n"
        ),
        "{md}"
    );
    assert!(
        md.contains("- content/county.yaml enrolment.zoned\\_junior：97.6 → 98（来自回收表 教科体局-回.xlsx，2026-11-20 合并）\n"),
        "{md}"
    );
}

#[test]
fn unit_returns_of_another_workspace_altered_or_with_bad_values_write_nothing() {
    let ws = collected();
    let other = support::sample_copy();
    let yaml = other.path().join("content/county.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, text.replace("county: 示例县", "county: 另一县")).unwrap();
    yingjian::collect::collect(other.path()).unwrap();
    let back = tempfile::tempdir().unwrap();
    std::fs::copy(other.path().join(HR_FORM), back.path().join("a.xlsx")).unwrap();
    // A row of 县级数据 deleted: the 公务员 pay (row 4) is gone.
    std::fs::copy(ws.path().join(HR_FORM), back.path().join("b.xlsx")).unwrap();
    let b = back.path().join("b.xlsx");
    let tmp = back.path().join("b.tmp");
    drop_row_of(&b, &tmp, UNIT_SHEET, 4);
    std::fs::rename(&tmp, &b).unwrap();
    // Words where a figure goes (D3), and a rate over 100 (教科体局's 初中 就近入学, D20).
    patch(
        &ws.path().join(HR_FORM),
        &back.path().join("c.xlsx"),
        UNIT_SHEET,
        &[("D3", "98650", "9.9万")],
    );
    as_text(&back.path().join("c.xlsx"), UNIT_SHEET, "D3");
    patch(
        &ws.path().join(BUREAU_FORM),
        &back.path().join("d.xlsx"),
        UNIT_SHEET,
        &[("D20", "97.6", "976")],
    );
    let m = merged(ws.path(), &[back.path().to_path_buf()]);
    let said: Vec<(&str, String, String)> = m
        .diagnostics
        .as_slice()
        .iter()
        .map(|d| (d.code, d.location.to_string(), d.message.clone()))
        .collect();
    assert_eq!(
        said,
        [
            (
                "return-foreign",
                "a.xlsx".to_owned(),
                "这份核实表是“另一县”的工作区下发的，不属于本工作区".to_owned()
            ),
            (
                "return-altered",
                "b.xlsx".to_owned(),
                "核实表的结构被改动：“县级数据”工作表的数据项（行）与下发时不同".to_owned()
            ),
            (
                "county-return-value",
                "c.xlsx 县级数据!D3".to_owned(),
                "“教师年平均工资收入”应填数字，回收表中是“9.9万”".to_owned()
            ),
            (
                "county-return-value",
                "d.xlsx 县级数据!D20".to_owned(),
                "“城区和镇区公办初中就近划片入学比例”应在 0 到 100 之间，回收表中是 976".to_owned()
            ),
        ]
    );
    let county = ws.path().join("content/county.yaml");
    let before = std::fs::read(&county).unwrap();
    let out = bin()
        .args(["merge", "--apply"])
        .arg(back.path())
        .arg("-w")
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read(&county).unwrap(), before);
    assert!(!ws.path().join("content/.备份").exists());
}

/// `src` with row `r` (one-based) of `part` removed, written to `dst`.
fn drop_row_of(src: &Path, dst: &Path, part: &str, r: u32) {
    let mut input = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..input.len() {
        let mut f = input.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut bytes = vec![];
        f.read_to_end(&mut bytes).unwrap();
        if name == part {
            let xml = String::from_utf8(bytes).unwrap();
            let start = xml.find(&format!("<row r=\"{r}\"")).unwrap();
            let end = start + xml[start..].find("</row>").unwrap() + "</row>".len();
            bytes = format!("{}{}", &xml[..start], &xml[end..]).into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}

/// Makes the number cell `cell` of the sheet `part` (already holding what is to be text) an
/// inline string, as Excel stores a value typed as text.
fn as_text(path: &Path, part: &str, cell: &str) {
    let tmp = path.with_extension("tmp");
    let mut input = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(&tmp).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..input.len() {
        let mut f = input.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut bytes = vec![];
        f.read_to_end(&mut bytes).unwrap();
        if name == part {
            let mut xml = String::from_utf8(bytes).unwrap();
            let start = xml.find(&format!("<c r=\"{cell}\"")).unwrap();
            let tag_end = start + xml[start..].find('>').unwrap();
            xml.insert_str(tag_end, " t=\"inlineStr\"");
            let v = start + xml[start..].find("<v>").unwrap();
            xml.replace_range(v..v + 3, "<is><t>");
            let e = v + xml[v..].find("</v>").unwrap();
            xml.replace_range(e..e + 4, "</t></is>");
            bytes = xml.into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
    std::fs::rename(tmp, path).unwrap();
}

/// A unit form opened and saved by LibreOffice (standing in for WPS/Excel) merges as its edit.
#[test]
fn a_unit_form_saved_by_libreoffice_merges() {
    let Some(soffice) = calc() else {
        return;
    };
    let ws = collected();
    let work = tempfile::tempdir().unwrap();
    let ret = work.path().join("人社局.xlsx");
    patch(&ws.path().join(HR_FORM), &ret, UNIT_SHEET, &[("D3", "98650", "99000")]);
    let saved = convert(&soffice, work.path(), &ret, "xlsx");
    let m = merged(ws.path(), &[saved.join("人社局.xlsx")]);
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics.as_slice());
    assert_eq!(
        m.units[0].changes,
        [yingjian::collect::unit_merge::CountyChange {
            path: "finance.teacher_average_pay".into(),
            label: "教师年平均工资收入".into(),
            old: Some(CountyValue::Number(98650.0)),
            new: Some(CountyValue::Number(99000.0))
        }]
    );
    // The dry run names the file it would write.
    let out = bin()
        .arg("merge")
        .arg(saved.join("人社局.xlsx"))
        .arg("-w")
        .arg(ws.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("试运行，没有改动任何文件；确认无误后加 --apply 写入 content/county.yaml。"),
        "{stdout}"
    );
}

/// A figure county.yaml lacks is issued blank; filled in the return, `--apply` adds its line
/// at the end of its section.
#[test]
fn a_figure_county_yaml_lacks_is_added_to_its_section() {
    let ws = support::sample_copy();
    let yaml = ws.path().join("content/county.yaml");
    let full = std::fs::read_to_string(&yaml).unwrap();
    let without = full.replace("  special_ed_per_pupil: 6800\n", "");
    assert_ne!(without, full);
    std::fs::write(&yaml, &without).unwrap();
    yingjian::collect::collect(ws.path()).unwrap();
    // 教科体局's tenth figure (row 12) is the 特殊教育 funding, blank; the unit types 6900.
    let ret = ws.path().join("教科体局.xlsx");
    let mut input = zip::ZipArchive::new(std::fs::File::open(ws.path().join(BUREAU_FORM)).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(&ret).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..input.len() {
        let mut f = input.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut bytes = vec![];
        f.read_to_end(&mut bytes).unwrap();
        if name == UNIT_SHEET {
            let xml = String::from_utf8(bytes).unwrap();
            let start = xml.find("<c r=\"D12\"").unwrap();
            let end = start + xml[start..].find("/>").unwrap();
            bytes = format!("{}><v>6900</v></c>{}", &xml[..end], &xml[end + 2..]).into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
    let m = merged(ws.path(), std::slice::from_ref(&ret));
    assert!(
        merge::report(&m)
            .contains("  修改 特殊教育学校生均公用经费（county.yaml finance.special_ed_per_pupil）：（空） → 6900\n"),
        "{}",
        merge::report(&m)
    );
    let out = bin()
        .args(["merge", "--apply"])
        .arg(&ret)
        .arg("-w")
        .arg(ws.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    // The line comes back where it was: the last of finance, after public_funds_baseline.
    assert_eq!(
        std::fs::read_to_string(&yaml).unwrap(),
        full.replace("special_ed_per_pupil: 6800\n", "special_ed_per_pupil: 6900\n")
    );
}

/// `src` with cells of one part set: each (cell, value) a number when it reads as one, else
/// an inline string (as Excel stores typed text; `&`, `<` and `>` escaped, line breaks kept);
/// the cell's style kept, blank cells filled; written to `dst`, the other parts byte for byte.
fn put(src: &Path, dst: &Path, part: &str, edits: &[(&str, &str)]) {
    let mut input = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..input.len() {
        let mut f = input.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut bytes = vec![];
        f.read_to_end(&mut bytes).unwrap();
        if name == part {
            let mut xml = String::from_utf8(bytes).unwrap();
            for (cell, value) in edits {
                let start = xml
                    .find(&format!("<c r=\"{cell}\""))
                    .unwrap_or_else(|| panic!("{cell} not in {part}"));
                let tag = start + xml[start..].find('>').unwrap();
                let end = if xml[..tag].ends_with('/') {
                    tag + 1
                } else {
                    tag + xml[tag..].find("</c>").unwrap() + 4
                };
                let open = &xml[start..tag];
                let style = open
                    .split_once(" s=\"")
                    .map(|(_, r)| format!(" s=\"{}\"", &r[..r.find('"').unwrap()]))
                    .unwrap_or_default();
                let new = if value.parse::<f64>().is_ok() {
                    format!("<c r=\"{cell}\"{style}><v>{value}</v></c>")
                } else {
                    let t = value.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
                    format!("<c r=\"{cell}\"{style} t=\"inlineStr\"><is><t xml:space=\"preserve\">{t}</t></is></c>")
                };
                xml.replace_range(start..end, &new);
            }
            bytes = xml.into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}

/// 教科体局's form (the sample): the figures in rows 3–50, among them the yes/no
/// 名额分配是否向农村初中倾斜 (D24); the subjects 语文, 数学, 科学 in rows 54–56 (level in C,
/// 校际差异率 in D); the veto items V1–V7 in rows 60–66 (是否存在 in C, 说明 in D).
const QUOTA_LEANING: &str = "D24";

/// A note no YAML plain scalar could hold: `: `, ` #`, quotes and a line break.
const HOSTILE: &str = "编制: 已补齐 # 见附件\n第二行 \"引号\"";

#[test]
fn yes_no_subject_results_and_veto_notes_are_merged_into_county_yaml() {
    let ws = collected();
    let yaml = ws.path().join("content/county.yaml");
    let issued = std::fs::read_to_string(&yaml).unwrap();
    // The rows as issued: the yes/no as 是 with its list, a subject's level, V4's note.
    let mut wb = calamine::open_workbook_auto(ws.path().join(BUREAU_FORM)).unwrap();
    let sheet = wb.worksheet_range("县级数据").unwrap();
    assert_eq!(
        sheet.get_value((23, 1)),
        Some(&Data::String("名额分配是否向农村初中倾斜".into()))
    );
    assert_eq!(sheet.get_value((23, 3)), Some(&Data::String("是".into())));
    assert_eq!(sheet.get_value((55, 1)), Some(&Data::String("科学".into())));
    assert_eq!(sheet.get_value((55, 2)), Some(&Data::Float(4.0)));
    assert_eq!(sheet.get_value((62, 0)), Some(&Data::String("V4".into())));
    assert_eq!(
        sheet.get_value((62, 3)),
        Some(&Data::String("2026年已按核定编制补齐教师".into()))
    );
    let back = tempfile::tempdir().unwrap();
    let ret = back.path().join("教科体局-回.xlsx");
    // 是 → 否; 语文 0.09 → 0.08 and 科学 level 4 → 3 (all subjects still at Ⅲ or above, the
    // largest difference still 数学's 0.11: county.yaml stays consistent); a note for V1
    // where there was none, and V4's note replaced by a YAML-hostile one.
    put(
        &ws.path().join(BUREAU_FORM),
        &ret,
        UNIT_SHEET,
        &[
            (QUOTA_LEANING, "否"),
            ("D54", "0.08"),
            ("C56", "3"),
            ("D60", "无: 招生均按划片"),
            ("D63", HOSTILE),
        ],
    );
    let m = merged(ws.path(), std::slice::from_ref(&ret));
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics.as_slice());
    let listing = merge::report(&m);
    assert_eq!(
        listing,
        "教科体局-回.xlsx → 单位 教科体局\n\
         \x20 修改 名额分配是否向农村初中倾斜（county.yaml enrolment.quota_rural_leaning）：是 → 否\n\
         \x20 修改 质量监测 语文 校际差异率（county.yaml quality.subjects.语文.difference）：0.09 → 0.08\n\
         \x20 修改 质量监测 科学 学业水平（county.yaml quality.subjects.科学.level）：4 → 3\n\
         \x20 修改 一票否决 V1 说明（county.yaml veto.V1.note）：（空） → “无: 招生均按划片”\n\
         \x20 修改 一票否决 V4 说明（county.yaml veto.V4.note）：“2026年已按核定编制补齐教师” → “编制: 已补齐 # 见附件↵第二行 \"引号\"”\n\
         共读取 1 份回收表：5 处修改，0 处冲突，0 份被拒绝。\n"
    );
    let build = || {
        let out = bin().arg("build").arg("-w").arg(ws.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    };
    build();
    let (code, stdout, stderr) = merge_cli(ws.path(), &["--apply"], &[&ret]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(stdout.contains("已把 5 处修改写入 content/county.yaml"), "{stdout}");
    // The whole file: those values replaced inside their flow mappings, the notes quoted
    // (V1's plain-looking one holds `: `), every other byte as it was.
    let expected = issued
        .replace("  quota_rural_leaning: true\n", "  quota_rural_leaning: false\n")
        .replace("语文, level: 3, difference: 0.09}", "语文, level: 3, difference: 0.08}")
        .replace("科学, level: 4, difference: 0.10}", "科学, level: 3, difference: 0.10}")
        .replace(
            "  V1: {present: false}\n",
            "  V1: {present: false, note: \"无: 招生均按划片\"}\n",
        )
        .replace(
            "note: 2026年已按核定编制补齐教师}",
            "note: \"编制: 已补齐 # 见附件\\n第二行 \\\"引号\\\"\"}",
        );
    assert_eq!(std::fs::read_to_string(&yaml).unwrap(), expected);
    // Read back: the note is that text, byte for byte; the others as typed.
    let config = yingjian::load::load(ws.path()).0.config.unwrap();
    assert_eq!(config.veto["V4"].note.as_deref(), Some(HOSTILE));
    assert_eq!(config.veto["V1"].note.as_deref(), Some("无: 招生均按划片"));
    assert_eq!(config.enrolment.quota_rural_leaning, Some(false));
    assert_eq!(config.quality.subjects[2].level, Some(3));
    assert_eq!(config.quality.subjects[0].difference, Some(0.08));
    // The record names the return for each, and so does the next build's change report.
    let r = record(ws.path());
    let cells: Vec<(&str, Option<&str>)> = r.merged[0]
        .cells
        .iter()
        .map(|c| (c.column.as_str(), c.new.as_deref()))
        .collect();
    assert_eq!(
        cells,
        [
            ("enrolment.quota_rural_leaning", Some("false")),
            ("quality.subjects.语文.difference", Some("0.08")),
            ("quality.subjects.科学.level", Some("3")),
            ("veto.V1.note", Some("无: 招生均按划片")),
            ("veto.V4.note", Some(HOSTILE)),
        ]
    );
    build();
    let md = std::fs::read_to_string(ws.path().join("out/变更说明.md")).unwrap();
    for line in [
        "- content/county.yaml enrolment.quota\\_rural\\_leaning：true → false（来自回收表 教科体局-回.xlsx，2026-11-20 合并）\n",
        "- content/county.yaml quality.subjects.语文.difference：0.09 → 0.08（来自回收表 教科体局-回.xlsx，2026-11-20 合并）\n",
        "- content/county.yaml quality.subjects.科学.level：4 → 3（来自回收表 教科体局-回.xlsx，2026-11-20 合并）\n",
    ] {
        assert!(md.contains(line), "{line}\n{md}");
    }
    assert!(
        md.contains("veto.V1.note：（空） → 无: 招生均按划片（来自回收表 教科体局-回.xlsx"),
        "{md}"
    );
}

#[test]
fn a_yes_no_a_subject_and_a_veto_note_changed_on_both_sides_are_conflicts() {
    let ws = collected();
    let yaml = ws.path().join("content/county.yaml");
    // Since the forms went out: the 倾斜 declaration removed, 数学 re-marked Ⅳ级, V4's note
    // rewritten.
    let issued = std::fs::read_to_string(&yaml).unwrap();
    let corrected = issued
        .replace("  quota_rural_leaning: true\n", "")
        .replace("数学, level: 3,", "数学, level: 4,")
        .replace("note: 2026年已按核定编制补齐教师}", "note: 已补齐}");
    std::fs::write(&yaml, &corrected).unwrap();
    let ret = ws.path().join("教科体局(2).xlsx");
    put(
        &ws.path().join(BUREAU_FORM),
        &ret,
        UNIT_SHEET,
        &[(QUOTA_LEANING, "否"), ("C55", "2"), ("D63", "另有说明")],
    );
    let (code, stdout, stderr) = merge_cli(ws.path(), &["--apply"], &[&ret]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    for line in [
        "  冲突 名额分配是否向农村初中倾斜（county.yaml enrolment.quota_rural_leaning）：下发时 是，content/county.yaml 现为 （空），回收表填 否（保留 county.yaml 的值，请核实）\n",
        "  冲突 质量监测 数学 学业水平（county.yaml quality.subjects.数学.level）：下发时 3，content/county.yaml 现为 4，回收表填 2（保留 county.yaml 的值，请核实）\n",
        "  冲突 一票否决 V4 说明（county.yaml veto.V4.note）：下发时 “2026年已按核定编制补齐教师”，content/county.yaml 现为 “已补齐”，回收表填 “另有说明”（保留 county.yaml 的值，请核实）\n",
        "共读取 1 份回收表：0 处修改，3 处冲突，0 份被拒绝。\n",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    // Conflicts are never written.
    assert_eq!(std::fs::read_to_string(&yaml).unwrap(), corrected);
}

#[test]
fn a_typed_yes_a_level_out_of_range_and_a_note_without_its_declaration_are_errors() {
    let ws = support::sample_copy();
    let yaml = ws.path().join("content/county.yaml");
    let full = std::fs::read_to_string(&yaml).unwrap();
    // V7 not declared: its 是否存在 goes out blank.
    std::fs::write(&yaml, full.replace("  V7: {present: false}\n", "")).unwrap();
    yingjian::collect::collect(ws.path()).unwrap();
    let back = tempfile::tempdir().unwrap();
    put(
        &ws.path().join(BUREAU_FORM),
        &back.path().join("a.xlsx"),
        UNIT_SHEET,
        &[(QUOTA_LEANING, "对"), ("C54", "5"), ("D66", "没有弄虚作假")],
    );
    put(
        &ws.path().join(BUREAU_FORM),
        &back.path().join("b.xlsx"),
        UNIT_SHEET,
        &[("C60", "Y")],
    );
    let m = merged(ws.path(), &[back.path().to_path_buf()]);
    let said: Vec<(String, String, Option<String>)> = m
        .diagnostics
        .as_slice()
        .iter()
        .map(|d| (d.location.to_string(), d.message.clone(), d.hint.clone()))
        .collect();
    let yes_no = Some("从下拉列表选择 是 或 否".to_owned());
    assert_eq!(
        said,
        [
            (
                "a.xlsx 县级数据!D24".to_owned(),
                "“名额分配是否向农村初中倾斜”应为 是 或 否，回收表中是“对”".to_owned(),
                yes_no.clone()
            ),
            (
                "a.xlsx 县级数据!C54".to_owned(),
                "“质量监测 语文 学业水平”应为 1 到 4 的整数，回收表中是 5".to_owned(),
                Some("学业水平填 1～4（Ⅰ～Ⅳ级），例如Ⅲ级填 3".to_owned())
            ),
            (
                "a.xlsx 县级数据!C66".to_owned(),
                "一票否决事项“有弄虚作假行为”填了说明，但没有选择是否存在".to_owned(),
                Some("从下拉列表选择 是 或 否：本县不存在该情况的选“否”".to_owned())
            ),
            (
                "b.xlsx 县级数据!C60".to_owned(),
                "“一票否决 V1 是否存在”应为 是 或 否，回收表中是“Y”".to_owned(),
                yes_no
            ),
        ]
    );
    assert!(m.diagnostics.as_slice().iter().all(|d| d.code == "county-return-value"));
    let before = std::fs::read(&yaml).unwrap();
    let (code, _, _) = merge_cli(ws.path(), &["--apply"], &[back.path()]);
    assert_eq!(code, Some(1));
    assert_eq!(std::fs::read(&yaml).unwrap(), before);
}

/// The yes/no, a subject's level and a YAML-hostile note, on a form opened and saved by
/// LibreOffice (standing in for WPS/Excel): the same changes as the file it was given.
#[test]
fn yes_no_subjects_and_veto_notes_survive_a_libreoffice_save() {
    let Some(soffice) = calc() else {
        return;
    };
    let ws = collected();
    let work = tempfile::tempdir().unwrap();
    let ret = work.path().join("教科体局.xlsx");
    put(
        &ws.path().join(BUREAU_FORM),
        &ret,
        UNIT_SHEET,
        &[(QUOTA_LEANING, "否"), ("C56", "3"), ("D63", HOSTILE)],
    );
    let direct = merged(ws.path(), std::slice::from_ref(&ret));
    let saved = convert(&soffice, work.path(), &ret, "xlsx");
    let m = merged(ws.path(), &[saved.join("教科体局.xlsx")]);
    assert!(m.diagnostics.is_empty(), "{:?}", m.diagnostics.as_slice());
    let changes: Vec<(&str, Option<CountyValue>)> = m.units[0]
        .changes
        .iter()
        .map(|c| (c.path.as_str(), c.new.clone()))
        .collect();
    assert_eq!(
        changes,
        [
            ("enrolment.quota_rural_leaning", Some(CountyValue::Bool(false))),
            ("quality.subjects.科学.level", Some(CountyValue::Number(3.0))),
            ("veto.V4.note", Some(CountyValue::Text(HOSTILE.into()))),
        ]
    );
    assert_eq!(m.units[0].changes, direct.units[0].changes);
}

/// A standard subject county.yaml lacks goes out as an empty row; filled in, `--apply` adds
/// its item after the others, in their style.
#[test]
fn a_subject_county_yaml_lacks_is_added_as_a_new_item() {
    let ws = support::sample_copy();
    let yaml = ws.path().join("content/county.yaml");
    let full = std::fs::read_to_string(&yaml).unwrap();
    let line = "    - {subject: 科学, level: 4, difference: 0.10}\n";
    assert!(full.contains(line));
    std::fs::write(&yaml, full.replace(line, "")).unwrap();
    yingjian::collect::collect(ws.path()).unwrap();
    // 科学 comes last (row 56), empty: the county's 语文 and 数学, then the standard ones it lacks.
    let mut wb = calamine::open_workbook_auto(ws.path().join(BUREAU_FORM)).unwrap();
    let sheet = wb.worksheet_range("县级数据").unwrap();
    assert_eq!(sheet.get_value((55, 1)), Some(&Data::String("科学".into())));
    assert!(matches!(sheet.get_value((55, 2)), None | Some(Data::Empty)));
    let ret = ws.path().join("教科体局.xlsx");
    put(
        &ws.path().join(BUREAU_FORM),
        &ret,
        UNIT_SHEET,
        &[("C56", "4"), ("D56", "0.1")],
    );
    let (code, stdout, stderr) = merge_cli(ws.path(), &["--apply"], &[&ret]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(
        stdout.contains("  修改 质量监测 科学 学业水平（county.yaml quality.subjects.科学.level）：（空） → 4\n"),
        "{stdout}"
    );
    // The item comes back after 数学's, as the sample had it (0.10 written 0.1).
    assert_eq!(
        std::fs::read_to_string(&yaml).unwrap(),
        full.replace(line, "    - {subject: 科学, level: 4, difference: 0.1}\n")
    );
}
