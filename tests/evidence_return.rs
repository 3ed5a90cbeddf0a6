//! Issue 33 points 1–2: a unit's form lists the evidence it owes (sheet 佐证材料) and takes
//! rows of the items it sends; `yingjian merge` reads the rows of the returned form, finds each
//! file beside it or in a .zip, and checks every row — each refusal a reason on the row and a
//! warning at its cell. The sample county (the repository root) is the workspace; the returned
//! form is filled programmatically (cells written into the sheet XML, as Excel saves them).

mod support;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader};
use yingjian::collect::evidence_return::{EvidenceReturn, Source};
use yingjian::collect::merge;

/// 人社局 leads one indicator of the Jiangxi profile, A16 (points 1, 2, 3).
const HR_FORM: &str = "out/填报表/单位/人社局.xlsx";
const BUREAU_FORM: &str = "out/填报表/单位/教科体局.xlsx";
/// Its first input row (1-based): three owed points in rows 4–6 under the title (1), the
/// section line (2) and the header (3); a blank row 7, the section line 8, the header 9.
const FIRST_INPUT: u32 = 10;

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

/// A value typed into a cell.
enum V<'a> {
    T(&'a str),
    N(f64),
}

fn entries(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut input = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..input.len())
        .map(|i| {
            let mut f = input.by_index(i).unwrap();
            let mut bytes = vec![];
            f.read_to_end(&mut bytes).unwrap();
            (f.name().unwrap().into_owned(), bytes)
        })
        .collect()
}

/// The part of the sheet named `sheet`, from the workbook's relationships.
fn part_of(parts: &[(String, Vec<u8>)], sheet: &str) -> String {
    let text = |name: &str| String::from_utf8(parts.iter().find(|p| p.0 == name).unwrap().1.clone()).unwrap();
    let wb = text("xl/workbook.xml");
    let at = wb.find(&format!("name=\"{sheet}\"")).unwrap();
    let rid = &wb[at..];
    let rid = &rid[rid.find("r:id=\"").unwrap() + 6..];
    let rid = &rid[..rid.find('"').unwrap()];
    let rels = text("xl/_rels/workbook.xml.rels");
    let at = rels.find(&format!("Id=\"{rid}\"")).unwrap();
    let tag = &rels[rels[..at].rfind('<').unwrap()..];
    let target = &tag[tag.find("Target=\"").unwrap() + 8..];
    format!("xl/{}", &target[..target.find('"').unwrap()])
}

/// `src` with the blank input cells `cells` of 佐证材料 filled, written to `dst`: text as an
/// inline string, a number as a value, keeping each cell's style (the yellow input format).
fn fill(src: &Path, dst: &Path, cells: &[(String, V)]) {
    let parts = entries(src);
    let part = part_of(&parts, "佐证材料");
    let mut out = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, mut bytes) in parts {
        if name == part {
            let mut xml = String::from_utf8(bytes).unwrap();
            for (cell, v) in cells {
                let start = xml
                    .find(&format!("<c r=\"{cell}\""))
                    .unwrap_or_else(|| panic!("{cell} not in the sheet"));
                let end = start + xml[start..].find("/>").unwrap();
                let attrs = xml[start + 2..end].to_owned();
                let new = match v {
                    V::T(t) => {
                        let t = t.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
                        format!("<c{attrs} t=\"inlineStr\"><is><t>{t}</t></is></c>")
                    }
                    V::N(n) => format!("<c{attrs}><v>{n}</v></c>"),
                };
                xml.replace_range(start..end + 2, &new);
            }
            bytes = xml.into_bytes();
        }
        out.start_file(name, opts).unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap();
}

/// The cells of one input row (1-based `row`): 指标 要点 题名 文号 责任者 日期 页数 密级 文件名.
fn row<'a>(row: u32, values: [Option<V<'a>>; 9]) -> Vec<(String, V<'a>)> {
    values
        .into_iter()
        .zip("ABCDEFGHI".chars())
        .filter_map(|(v, c)| v.map(|v| (format!("{c}{row}"), v)))
        .collect()
}

fn t(s: &str) -> Option<V<'_>> {
    Some(V::T(s))
}

/// A PDF whose trailer names an /Encrypt dictionary (an open password nobody gave us).
fn encrypted_pdf() -> Vec<u8> {
    let zeros = "00".repeat(32);
    format!(
        "%PDF-1.4\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n2 0 obj <</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n3 0 obj <</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>> endobj\n4 0 obj <</Filter/Standard/V 1/R 2/O<{zeros}>/U<{zeros}>/P -4>> endobj\ntrailer <</Size 5/Root 1 0 R/Encrypt 4 0 R/ID[<00><00>]>>\n%%EOF\n"
    )
    .into_bytes()
}

fn zip_of(path: &Path, files: &[(&str, &[u8])]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
}

/// The warnings of `m` as (cell, message) for the form `file`.
fn warnings(m: &merge::Merge, file: &str) -> Vec<(String, String)> {
    m.diagnostics
        .as_slice()
        .iter()
        .filter_map(|d| match &d.location {
            yingjian::diag::Location::Cell { file: f, sheet, cell } if f == file => {
                Some((format!("{sheet}!{cell}"), d.message.clone()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn the_unit_form_lists_what_the_unit_owes_and_takes_new_items() {
    let ws = collected();
    let mut wb = calamine::open_workbook_auto(ws.path().join(HR_FORM)).unwrap();
    let sheet = wb.worksheet_range("佐证材料").unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r - 1, c)).map(|d| d.to_string()).unwrap_or_default();
    // Row 4: A16 point 1, what the profile asks for, no task in tasks.yaml names A16 (no
    // deadline), the two items content/evidence.xlsx lists for it (one by 财政局, whose file
    // A16/A16-1-乡村教师生活补助发放办法.pdf is not under evidence/): 部分缺失.
    assert_eq!(cell(4, 0), "A16");
    assert_eq!(cell(4, 1), "1");
    assert_eq!(
        cell(4, 2),
        "教师社会保险及住房公积金缴纳凭证；乡村教师生活补助及各类津贴发放文件；教师待遇经费财政预算文件"
    );
    assert_eq!(cell(4, 3), "");
    assert_eq!(
        cell(4, 4),
        "2 件：《示例县中小学教师社会保险和住房公积金缴纳情况说明》；《示例县人民政府办公室关于印发《示例县乡村教师生活补助发放办法》的通知》（文件缺）"
    );
    assert_eq!(cell(4, 9), "部分缺失");
    assert_eq!((cell(5, 1), cell(6, 1)), ("2".to_owned(), "3".to_owned()));
    // The input table's header, found where FIRST_INPUT says.
    let header: Vec<String> = (0..10).map(|c| cell(FIRST_INPUT - 1, c)).collect();
    assert_eq!(
        header,
        [
            "指标",
            "要点",
            "题名",
            "文号",
            "责任者",
            "日期",
            "页数",
            "密级",
            "文件名",
            "备注"
        ]
    );
    // 30 input rows (3 points owed + 10 is fewer), each validated: the unit's indicators, the
    // points, a date, a whole number ≥ 1, the three 密级, a prompt for the file name.
    let parts = entries(&ws.path().join(HR_FORM));
    let part = part_of(&parts, "佐证材料");
    let xml = String::from_utf8(parts.iter().find(|p| p.0 == part).unwrap().1.clone()).unwrap();
    let last = FIRST_INPUT + 29;
    for (kind, range, formula) in [
        ("list", "A", "\"A16\""),
        ("list", "B", "\"1,2,3\""),
        ("whole", "G", "1"),
        ("list", "H", "\"公开,内部,秘密\""),
    ] {
        let sqref = format!("sqref=\"{range}{FIRST_INPUT}:{range}{last}\"");
        let at = xml.find(&sqref).unwrap_or_else(|| panic!("{sqref}"));
        let tag = &xml[xml[..at].rfind("<dataValidation ").unwrap()..];
        let tag = &tag[..tag.find("</dataValidation>").unwrap()];
        assert!(tag.contains(&format!("type=\"{kind}\"")), "{tag}");
        assert!(tag.contains(&format!("<formula1>{formula}</formula1>")), "{tag}");
    }
    assert!(xml.contains(&format!("type=\"date\"")) && xml.contains(&format!("sqref=\"F{FIRST_INPUT}:F{last}\"")));
    assert!(xml.contains("与本表放在同一文件夹（或同一个 .zip）中的文件名，如 关于印发….pdf"));

    // 教科体局 leads A5: its evidence is due with its own last task naming A5, 2026-10-15
    // (住建局's A5 task, due 2026-11-15, is not its own).
    let mut wb = calamine::open_workbook_auto(ws.path().join(BUREAU_FORM)).unwrap();
    let sheet = wb.worksheet_range("佐证材料").unwrap();
    let a5: Vec<u32> = (0..sheet.height() as u32)
        .filter(|r| sheet.get_value((*r, 0)) == Some(&Data::String("A5".into())))
        .collect();
    assert_eq!(a5.len(), 3);
    assert_eq!(sheet.get_value((a5[0], 3)), Some(&Data::String("2026-10-15".into())));
}

/// The return of 人社局 with its files: 12 rows, 4 accepted, 8 refused, each for its reason.
fn hr_return(ws: &Path, back: &Path) -> PathBuf {
    let pdf2 = std::fs::read(ws.join("evidence/A5/A5-1-小学体育运动场馆面积统计表.pdf")).unwrap();
    let pdf1 = std::fs::read(ws.join("evidence/A16/A16-2-教师与公务员平均工资收入比较表.pdf")).unwrap();
    let png = std::fs::read(ws.join("evidence/A5/学校运动场照片01.png")).unwrap();
    for (name, bytes) in [
        ("社保缴纳补充说明.pdf", &pdf2[..]),
        ("工资公示照片.png", &png[..]),
        ("绩效说明.pdf", b"%PDF-1.4 broken"),
        ("公积金明细.pdf", &pdf2[..]),
        ("清册.pdf", &pdf2[..]),
        ("加密.pdf", &encrypted_pdf()[..]),
        ("日期.pdf", &pdf2[..]),
    ] {
        std::fs::write(back.join(name), bytes).unwrap();
    }
    // A statistics table sent as evidence: an .xlsx beside the form that is no return.
    std::fs::copy(ws.join("content/evidence.xlsx"), back.join("工资统计表.xlsx")).unwrap();
    zip_of(&back.join("材料.zip"), &[("人社局/工资比较.pdf", &pdf1)]);
    let r = |n: u32| FIRST_INPUT + n;
    let mut cells = vec![];
    // 2026-03-01 as Excel stores a typed date: 20 513 days after 1970-01-01, + 25 569 = 46 082.
    cells.extend(row(
        r(0),
        [
            t("A16"),
            t("1"),
            t("2026年教师社会保险缴纳情况补充说明"),
            t("示人社字〔2026〕3号"),
            t("示例县人力资源和社会保障局"),
            Some(V::N(46082.0)),
            Some(V::N(2.0)),
            t("公开"),
            t("社保缴纳补充说明.pdf"),
        ],
    ));
    cells.extend(row(
        r(1),
        [
            t("A16"),
            t("2"),
            t("教师工资公示照片"),
            None,
            None,
            None,
            Some(V::N(1.0)),
            None,
            t("工资公示照片.png"),
        ],
    ));
    cells.extend(row(
        r(2),
        [
            t("A16"),
            t("3"),
            t("绩效工资发放说明"),
            None,
            None,
            None,
            None,
            None,
            t("绩效说明.pdf"),
        ],
    ));
    cells.extend(row(
        r(3),
        [
            t("A16"),
            t("1"),
            t("公积金缴存明细"),
            None,
            None,
            None,
            Some(V::N(12.0)),
            None,
            t("公积金明细.pdf"),
        ],
    ));
    cells.extend(row(
        r(4),
        [
            t("A16"),
            t("7"),
            t("其他说明"),
            None,
            None,
            None,
            None,
            None,
            t("社保缴纳补充说明.pdf"),
        ],
    ));
    // The catalogue's 《示例县2025年教师绩效工资发放清册（汇总）》 with half-width brackets.
    cells.extend(row(
        r(5),
        [
            t("A16"),
            t("3"),
            t("示例县2025年教师绩效工资发放清册(汇总)"),
            None,
            None,
            None,
            None,
            None,
            t("清册.pdf"),
        ],
    ));
    cells.extend(row(
        r(6),
        [
            t("A16"),
            t("2"),
            t("工资比较表（2026年）"),
            None,
            None,
            None,
            Some(V::N(1.0)),
            None,
            t("工资比较.pdf"),
        ],
    ));
    cells.extend(row(
        r(7),
        [
            t("A16"),
            t("1"),
            t("加密的说明"),
            None,
            None,
            None,
            None,
            None,
            t("加密.pdf"),
        ],
    ));
    cells.extend(row(
        r(8),
        [
            t("A16"),
            t("2"),
            t("工资统计表"),
            None,
            None,
            None,
            None,
            None,
            t("工资统计表.xlsx"),
        ],
    ));
    cells.extend(row(
        r(9),
        [
            t("A16"),
            t("1"),
            t("日期有误的说明"),
            None,
            None,
            t("2025-02-30"),
            None,
            None,
            t("日期.pdf"),
        ],
    ));
    // r(10) left blank; then an unknown indicator, and A5 (教科体局's) without a file.
    cells.extend(row(
        r(11),
        [
            t("A99"),
            t("1"),
            t("未知指标的材料"),
            None,
            None,
            None,
            None,
            None,
            t("日期.pdf"),
        ],
    ));
    cells.extend(row(
        r(12),
        [t("A5"), t("1"), t("运动场验收报告"), None, None, None, None, None, None],
    ));
    let form = back.join("人社局(1).xlsx");
    fill(&ws.join(HR_FORM), &form, &cells);
    form
}

#[test]
fn merge_checks_every_row_and_places_each_refusal_at_its_cell() {
    let ws = collected();
    let back = tempfile::tempdir().unwrap();
    let form = hr_return(ws.path(), back.path());
    let m = merged(ws.path(), &[back.path().to_path_buf()]);
    // The .xlsx named as evidence is not read as a return; nothing is an error.
    assert!(!m.diagnostics.has_errors(), "{:?}", m.diagnostics.as_slice());
    assert!(m.returns.is_empty());
    assert_eq!(m.units.len(), 1);
    let [e]: &[EvidenceReturn] = &m.evidence[..] else {
        panic!("{:?}", m.evidence)
    };
    assert_eq!((e.file.as_str(), e.unit.as_str()), ("人社局(1).xlsx", "人社局"));
    // Rows 10–19, 21 and 22 (row 20 is blank).
    let rows: Vec<u32> = e.rows.iter().map(|r| r.row + 1).collect();
    assert_eq!(rows, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22]);
    let good = &e.rows[0];
    assert_eq!(good.at, "人社局(1).xlsx 佐证材料!A10");
    assert_eq!((good.indicator.as_str(), good.point.as_str()), ("A16", "1"));
    assert_eq!(good.doc_no.as_deref(), Some("示人社字〔2026〕3号"));
    assert_eq!(good.author.as_deref(), Some("示例县人力资源和社会保障局"));
    assert_eq!(good.date.map(|d| d.to_string()).as_deref(), Some("2026-03-01"));
    assert_eq!((good.pages, good.counted_pages), (Some(2), Some(2)));
    assert_eq!(good.secrecy.as_deref(), Some("公开"));
    assert_eq!(
        good.source,
        Some(Source::File(back.path().join("社保缴纳补充说明.pdf")))
    );
    assert!(good.accepted());
    // The picture counts one page; the PDF in the .zip one page, read from the archive.
    assert_eq!((e.rows[1].counted_pages, e.rows[1].accepted()), (Some(1), true));
    let zipped = &e.rows[6];
    assert_eq!(
        zipped.source,
        Some(Source::Zip {
            archive: back.path().join("材料.zip"),
            entry: "人社局/工资比较.pdf".into()
        })
    );
    assert_eq!((zipped.counted_pages, zipped.accepted()), (Some(1), true));
    let original = std::fs::read(ws.path().join("evidence/A16/A16-2-教师与公务员平均工资收入比较表.pdf")).unwrap();
    assert_eq!(zipped.source.as_ref().unwrap().read().unwrap(), original);
    assert_eq!(zipped.source.as_ref().unwrap().name(), "工资比较.pdf");
    // The spreadsheet: accepted, its pages not counted.
    let sheet = &e.rows[8];
    assert_eq!((sheet.counted_pages, sheet.accepted()), (None, true));
    assert_eq!(sheet.source, Some(Source::File(back.path().join("工资统计表.xlsx"))));

    let refused: Vec<(u32, Vec<&str>)> = e
        .rows
        .iter()
        .filter(|r| !r.accepted())
        .map(|r| (r.row + 1, r.refusals.iter().map(String::as_str).collect()))
        .collect();
    let broken = "文件“绩效说明.pdf”无法使用：PDF 文件已损坏或不是 PDF，无法读取页数";
    let locked = "文件“加密.pdf”无法使用：PDF 已加密（设有打开密码或权限密码），无法核对页数和打印归档";
    let duplicate = "佐证材料清单中已有《示例县2025年教师绩效工资发放清册（汇总）》（指标 A16 要点 3），不重复收录";
    assert_eq!(
        refused,
        [
            (12, vec![broken]),
            (13, vec!["页数填 12，PDF 实际 2 页"]),
            (14, vec!["指标 A16 没有要点“7”"]),
            (15, vec![duplicate]),
            (17, vec![locked]),
            (19, vec!["日期“2025-02-30”不存在：2025 年 2 月只有 28 天"]),
            (21, vec!["指标体系“jiangxi-2018”中没有指标“A99”"]),
            (22, vec!["指标 A5 由教科体局牵头，不是本单位牵头的指标", "未填“文件名”"]),
        ]
    );
    // Each reason is a warning at the cell the unit corrects.
    let at: Vec<(String, String)> = warnings(&m, "人社局(1).xlsx");
    let want = [
        ("佐证材料!I12", broken),
        ("佐证材料!G13", "页数填 12，PDF 实际 2 页"),
        ("佐证材料!B14", "指标 A16 没有要点“7”"),
        ("佐证材料!C15", duplicate),
        ("佐证材料!I17", locked),
        ("佐证材料!F19", "日期“2025-02-30”不存在：2025 年 2 月只有 28 天"),
        ("佐证材料!A21", "指标体系“jiangxi-2018”中没有指标“A99”"),
        ("佐证材料!A22", "指标 A5 由教科体局牵头，不是本单位牵头的指标"),
        ("佐证材料!I22", "未填“文件名”"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(c, m)| (c.to_string(), format!("退回：{m}")))
        .collect();
    assert_eq!(at, want);
    let hint = |cell: &str| {
        m.diagnostics
            .as_slice()
            .iter()
            .find(|d| d.location.to_string().ends_with(cell))
            .and_then(|d| d.hint.clone())
            .unwrap()
    };
    assert_eq!(
        hint("!B14"),
        "指标 A16 的要点编号：1、2、3（见本表上方“应提供的佐证材料”）"
    );
    assert_eq!(hint("!A21"), "本单位牵头的指标：A16");

    let listing = merge::report(&m);
    let want = format!(
        "人社局(1).xlsx → 单位 人社局\n  没有改动\n  佐证材料：12 行，接收 4 件，退回 8 件\n  退回 佐证材料!A12 A16-3《绩效工资发放说明》：{broken}\n  退回 佐证材料!A13 A16-1《公积金缴存明细》：页数填 12，PDF 实际 2 页\n"
    );
    assert!(listing.contains(&want), "{listing}");
    assert!(
        listing.contains(
            "  退回 佐证材料!A22 A5-1《运动场验收报告》：指标 A5 由教科体局牵头，不是本单位牵头的指标；未填“文件名”\n"
        ),
        "{listing}"
    );
    assert!(
        listing.contains("共读取 1 份回收表：0 处修改，0 处冲突，0 份被拒绝。"),
        "{listing}"
    );
    // The command prints the same, the refusals as warnings (exit 0: they block nothing).
    let out = Command::new(env!("CARGO_BIN_EXE_yingjian"))
        .arg("merge")
        .arg(back.path())
        .arg("-w")
        .arg(ws.path())
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stdout.contains(&want), "{stdout}");
    assert!(
        stderr
            .contains("警告[evidence-row-pages]: 退回：页数填 12，PDF 实际 2 页\n  --> 人社局(1).xlsx 佐证材料!G13\n"),
        "{stderr}"
    );
    // Nothing beside the form was moved or changed.
    assert!(form.exists() && back.path().join("材料.zip").exists());
    assert_eq!(
        std::fs::read(back.path().join("绩效说明.pdf")).unwrap(),
        b"%PDF-1.4 broken"
    );
}

/// A .zip given on the command line: an entry unpacking past 200 MB and one whose name leaves
/// its folder are refused, never unpacked anywhere; a name typed without its extension and in
/// another case finds its file, with a warning naming it.
#[test]
fn zip_entries_too_large_or_escaping_are_refused() {
    let ws = collected();
    let back = tempfile::tempdir().unwrap();
    let pdf = std::fs::read(ws.path().join("evidence/A5/A5-1-小学体育运动场馆面积统计表.pdf")).unwrap();
    // 201 MiB of zeros: deflated to a few hundred KB, declared 210 763 776 bytes > 200 MiB.
    let big = vec![0u8; 201 * 1024 * 1024];
    let bundle = back.path().join("另寄/全部材料.zip");
    std::fs::create_dir_all(bundle.parent().unwrap()).unwrap();
    zip_of(
        &bundle,
        &[("大文件.pdf", &big), ("../逃逸.pdf", &pdf), ("Report-2026.PDF", &pdf)],
    );
    drop(big);
    let cells: Vec<(String, V)> = [
        row(
            FIRST_INPUT,
            [
                t("A16"),
                t("1"),
                t("大文件"),
                None,
                None,
                None,
                None,
                None,
                t("大文件.pdf"),
            ],
        ),
        row(
            FIRST_INPUT + 1,
            [t("A16"), t("2"), t("逃逸"), None, None, None, None, None, t("逃逸.pdf")],
        ),
        row(
            FIRST_INPUT + 2,
            [
                t("A16"),
                t("3"),
                t("报告"),
                None,
                None,
                None,
                None,
                None,
                t("report-2026"),
            ],
        ),
    ]
    .into_iter()
    .flatten()
    .collect();
    let form = back.path().join("人社局.xlsx");
    fill(&ws.path().join(HR_FORM), &form, &cells);
    let m = merged(ws.path(), &[form, bundle.clone()]);
    assert!(!m.diagnostics.has_errors(), "{:?}", m.diagnostics.as_slice());
    let rows = &m.evidence[0].rows;
    assert_eq!(
        rows[0].refusals,
        ["文件“大文件.pdf”无法使用：解压后超过 200 MB，未读取"]
    );
    assert_eq!(
        rows[1].refusals,
        ["文件“逃逸.pdf”无法使用：压缩包中该文件的路径不安全（含 .. 或绝对路径），未读取"]
    );
    assert!(rows[2].accepted(), "{:?}", rows[2].refusals);
    assert_eq!(rows[2].counted_pages, Some(2));
    assert!(!back.path().join("逃逸.pdf").exists());
    assert_eq!(
        warnings(&m, "人社局.xlsx"),
        [
            (
                format!("佐证材料!I{FIRST_INPUT}"),
                "退回：文件“大文件.pdf”无法使用：解压后超过 200 MB，未读取".to_owned()
            ),
            (
                format!("佐证材料!I{}", FIRST_INPUT + 1),
                "退回：文件“逃逸.pdf”无法使用：压缩包中该文件的路径不安全（含 .. 或绝对路径），未读取".to_owned()
            ),
            (
                format!("佐证材料!I{}", FIRST_INPUT + 2),
                "文件名“report-2026”与找到的文件“Report-2026.PDF”不完全相同，已按该文件读取".to_owned()
            ),
        ]
    );
}

/// LibreOffice with Calc (as tests/collect.rs finds it), or `None`: the test skips unless CI
/// requires it.
fn calc() -> Option<PathBuf> {
    let calc = Path::new("/usr/lib/libreoffice/program/libsclo.so").exists();
    let found = ["/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
        .filter(|_| calc);
    if found.is_none() {
        assert!(
            std::env::var_os("YINGJIAN_REQUIRE_LIBREOFFICE").is_none(),
            "LibreOffice Calc is required (apt-get install libreoffice-calc-nogui)"
        );
        eprintln!("跳过：未安装 LibreOffice Calc（apt-get install libreoffice-calc-nogui）");
    }
    found
}

/// A unit form with evidence rows, opened and saved by LibreOffice (standing in for WPS and
/// Excel): its rows read the same, the typed date a date.
#[test]
fn a_unit_form_with_evidence_rows_saved_by_libreoffice_reads() {
    let Some(soffice) = calc() else {
        return;
    };
    let ws = collected();
    let work = tempfile::tempdir().unwrap();
    let back = work.path().join("back");
    std::fs::create_dir(&back).unwrap();
    let form = hr_return(ws.path(), &back);
    let saved = work.path().join("saved");
    let status = Command::new("timeout")
        .arg("600")
        .arg(soffice)
        .env("HOME", work.path())
        .args(["--headless", "--convert-to", "xlsx", "--outdir"])
        .arg(&saved)
        .arg(&form)
        .status()
        .unwrap();
    assert!(status.success());
    // The saved form replaces the original beside the same files.
    std::fs::copy(saved.join("人社局(1).xlsx"), &form).unwrap();
    let m = merged(ws.path(), &[back.clone()]);
    let e = &m.evidence[0];
    assert_eq!(e.rows.len(), 12);
    assert_eq!(e.rows.iter().filter(|r| r.accepted()).count(), 4);
    assert_eq!(e.rows[0].date.map(|d| d.to_string()).as_deref(), Some("2026-03-01"));
    assert_eq!(e.rows[0].pages, Some(2));
    assert_eq!(e.rows[9].refusals, ["日期“2025-02-30”不存在：2025 年 2 月只有 28 天"]);
}
