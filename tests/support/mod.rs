//! Building small workspaces for tests: a valid baseline and helpers to break it.
#![allow(dead_code)]

use rust_xlsxwriter::Workbook;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub use yingjian::model::school::columns::HEADERS;

#[derive(Clone, Debug)]
pub enum Cell {
    S(String),
    N(f64),
    Blank,
}

pub fn s(v: &str) -> Cell {
    Cell::S(v.into())
}

/// A school row meeting every standard, `students` pupils (values scale with the size).
/// Per 100 pupils: 6 qualified, 1.5 backbone, 1.2 PE/art teachers, 3 multimedia rooms;
/// per pupil: 6 m² building, 11 m² sports, 0.3 万元 = 3000 元 equipment.
pub fn row(code: &str, name: &str, kind: &str, stage: &str, students: f64) -> Vec<Cell> {
    use yingjian::model::school::columns as col;
    let p = students / 100.0;
    let classes = (students / 40.0).ceil();
    let teachers = (students / 12.0).ceil();
    let rooms = (classes / 12.0).ceil().max(1.0);
    // By header: a column not named here (教职工数, 高中部在校生数, any added later) is blank;
    // without 教职工数 the staffing ratio is taken over 专任教师数.
    let values = [
        (col::CODE, s(code)),
        (col::NAME, s(name)),
        (col::KIND, s(kind)),
        (col::STAGE, s(stage)),
        (col::LOCALE, s("城区")),
        (col::BUILT, s("2010-09")),
        (col::STUDENTS, Cell::N(students)),
        (col::CLASSES, Cell::N(classes)),
        (col::MAX_CLASS, Cell::N(42.0)),
        (col::TEACHERS, Cell::N(teachers)),
        (col::CERTIFIED, Cell::N(teachers)),
        (col::DEGREE, Cell::N((6.0 * p).ceil())),
        (col::BACKBONE, Cell::N((1.5 * p).ceil())),
        (col::PE_ART, Cell::N((1.2 * p).ceil())),
        (col::BUILDING, Cell::N(6.0 * students)),
        (col::SPORTS, Cell::N(11.0 * students)),
        (col::EQUIPMENT, Cell::N(0.3 * students)),
        (col::MULTIMEDIA, Cell::N((3.0 * p).ceil())),
        (col::MUSIC_ROOMS, Cell::N(rooms)),
        (col::MUSIC_AREA, Cell::N(100.0)),
        (col::ART_ROOMS, Cell::N(rooms)),
        (col::ART_AREA, Cell::N(95.0)),
        (col::BUDGET, Cell::N(students * 0.1)),
        (col::TRAINING, Cell::N(students * 0.006)),
    ];
    HEADERS
        .iter()
        .map(|h| {
            values
                .iter()
                .find(|(k, _)| k == h)
                .map_or(Cell::Blank, |(_, v)| v.clone())
        })
        .collect()
}

/// A workbook with fixed document properties, so regenerated fixtures are byte-identical.
pub fn workbook() -> Workbook {
    let mut wb = Workbook::new();
    wb.set_properties(&yingjian::render::xlsx::style::fixed_properties().unwrap());
    wb
}

pub fn write_sheet(path: &Path, sheet: &str, headers: &[&str], rows: &[Vec<Cell>]) {
    let mut wb = workbook();
    let ws = wb.add_worksheet().set_name(sheet).unwrap();
    write_rows(ws, headers, rows);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    wb.save(path).unwrap();
}

/// A header row, then one row per entry of `rows`.
pub fn write_rows(ws: &mut rust_xlsxwriter::Worksheet, headers: &[&str], rows: &[Vec<Cell>]) {
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, cells) in rows.iter().enumerate() {
        for (c, cell) in cells.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell {
                Cell::S(v) => {
                    ws.write_string(r, c, v).unwrap();
                }
                Cell::N(v) => {
                    ws.write_number(r, c, *v).unwrap();
                }
                Cell::Blank => {}
            }
        }
    }
}

pub fn write_schools(root: &Path, rows: &[Vec<Cell>]) {
    write_sheet(&root.join("content/schools.xlsx"), "学校基础数据", &HEADERS, rows);
}

pub const CONFIG: &str = "county: 测试县\nyear: 2026\nlevel: 市检\nprofile: national-2017\ntoday: 2026-11-20\n";

/// Three schools: a primary, a junior and a 九年一贯制 with two rows.
/// School-wide columns are left blank on the combined school's second row.
pub fn baseline_rows() -> Vec<Vec<Cell>> {
    let mut junior = row("3600000003", "测试实验学校", "九年一贯制学校", "初中", 300.0);
    use yingjian::model::school::columns::{COLUMNS, NAME, Scope};
    for (c, column) in COLUMNS.iter().enumerate() {
        if column.scope() == Scope::School && column.header != NAME {
            junior[c] = Cell::Blank;
        }
    }
    vec![
        row("3600000001", "测试第一小学", "小学", "小学", 800.0),
        row("3600000002", "测试第一中学", "初中", "初中", 600.0),
        row("3600000003", "测试实验学校", "九年一贯制学校", "小学", 500.0),
        junior,
    ]
}

pub fn baseline(root: &Path) {
    std::fs::create_dir_all(root.join("content")).unwrap();
    std::fs::create_dir_all(root.join("evidence")).unwrap();
    std::fs::write(root.join("content/county.yaml"), CONFIG).unwrap();
    write_schools(root, &baseline_rows());
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

/// A copy of the repository's sample workspace (content/ and evidence/) in a temporary folder.
pub fn sample_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["content", "evidence"] {
        copy_dir(&repo.join(sub), &dir.path().join(sub));
    }
    dir
}

/// The data rows of a sheet as cells, to edit and write back.
pub fn read_sheet(path: &Path, sheet: &str) -> Vec<Vec<Cell>> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    let range = book.worksheet_range(sheet).unwrap();
    range
        .rows()
        .skip(1)
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => Cell::Blank,
                    Data::Float(f) => Cell::N(*f),
                    Data::Int(i) => Cell::N(*i as f64),
                    other => Cell::S(other.to_string()),
                })
                .collect()
        })
        .collect()
}

/// Sets the cell under `header` (a column of 学校基础数据) in a row.
pub fn set(row: &mut [Cell], header: &str, v: Cell) {
    let c = HEADERS
        .iter()
        .position(|h| *h == header)
        .unwrap_or_else(|| panic!("no column {header}"));
    row[c] = v;
}

pub fn n(v: f64) -> Cell {
    Cell::N(v)
}

/// `got` is a number equal to `want` up to rounding.
#[track_caller]
pub fn close(got: &Value, want: f64) {
    let g = got.as_f64().unwrap_or_else(|| panic!("not a number: {got}"));
    assert!((g - want).abs() <= 1e-9 * want.abs().max(1.0), "got {g}, want {want}");
}

/// The entry of a JSON array whose `name` is `name`.
#[track_caller]
pub fn named<'a>(list: &'a Value, name: &str) -> &'a Value {
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .find(|e| e["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {list}"))
}

/// Every file of a folder, relative to it.
pub fn files(root: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Each fixture workspace under `dir` is byte for byte what its builder writes (besides its
/// `expected.txt`), so the assertions that describe the builders describe the fixtures.
pub fn fixtures_match_builders(dir: &Path, cases: &[&str], build: impl Fn(&str, &Path)) {
    let tmp = tempfile::tempdir().unwrap();
    for case in cases {
        let built = tmp.path().join(case);
        build(case, &built);
        let committed = dir.join(case);
        let mut want = files(&committed);
        want.retain(|p| p != Path::new("expected.txt"));
        assert_eq!(files(&built), want, "{case}: files differ; run `regenerate`");
        for f in &want {
            assert!(
                std::fs::read(built.join(f)).unwrap() == std::fs::read(committed.join(f)).unwrap(),
                "{case}: {} differs from its builder; run `regenerate`",
                f.display()
            );
        }
    }
}

/// Compares `text` with the case's `expected.txt` (or writes it with UPDATE_SNAPSHOTS set);
/// a difference is added to `failures`.
pub fn compare_snapshot(case_dir: &Path, case: &str, text: &str, failures: &mut Vec<String>) {
    let snap = case_dir.join("expected.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snap, text).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&snap).unwrap_or_default();
    if want != text {
        failures.push(format!(
            "{case}: output differs from expected.txt\n--- expected\n{want}--- got\n{text}"
        ));
    }
}
