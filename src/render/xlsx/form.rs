//! 申报表.xlsx: the national application form, one sheet per table (表Ⅰ … 表Ⅵ) with the
//! form's header rows, L-codes, merged header cells, A4 print setup and frozen headers.
//! Figures are numbers with the form's number format; a missing figure is an empty cell.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

use super::style::new_workbook;
use crate::render::data::form::{Form, Num};

/// The formats of the form: bordered, centred; headers bold on grey; shaded figures.
struct Looks {
    title: Format,
    sub: Format,
    head: Format,
    text: Format,
    left: Format,
    note: Format,
    /// Figures by decimals (0–3), plain and shaded (below the standard).
    num: Vec<Format>,
    dark: Vec<Format>,
}

impl Looks {
    fn new() -> Looks {
        let cell = || {
            Format::new()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::VerticalCenter)
                .set_font_size(10)
        };
        let number = |d: usize| {
            let f = if d == 0 {
                "0".to_owned()
            } else {
                format!("0.{}", "0".repeat(d))
            };
            cell().set_align(FormatAlign::Center).set_num_format(f)
        };
        Looks {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center),
            sub: Format::new().set_font_size(10),
            head: cell()
                .set_bold()
                .set_background_color("#D9D9D9")
                .set_align(FormatAlign::Center)
                .set_text_wrap(),
            text: cell().set_align(FormatAlign::Center).set_text_wrap(),
            left: cell().set_text_wrap(),
            note: Format::new()
                .set_font_size(9)
                .set_text_wrap()
                .set_align(FormatAlign::Top),
            num: (0..4).map(number).collect(),
            // The form: cells under the standard shaded dark; white bold figures stay legible.
            dark: (0..4)
                .map(|d| {
                    number(d)
                        .set_background_color("#404040")
                        .set_font_color("#FFFFFF")
                        .set_bold()
                })
                .collect(),
        }
    }

    fn put(&self, s: &mut Worksheet, r: u32, c: u16, n: &Num, shaded: bool) -> Result<(), XlsxError> {
        let d = n.decimals.min(3);
        let f = if shaded { &self.dark[d] } else { &self.num[d] };
        match n.value {
            Some(v) => s.write_number_with_format(r, c, v, f)?,
            None => s.write_blank(r, c, f)?,
        };
        Ok(())
    }
}

/// Title, the county line, page setup shared by every sheet.
fn start(s: &mut Worksheet, l: &Looks, f: &Form, title: &str, cols: u16, landscape: bool) -> Result<(), XlsxError> {
    s.merge_range(0, 0, 0, cols - 1, title, &l.title)?;
    s.set_row_height(0, 30)?;
    s.merge_range(
        1,
        0,
        1,
        cols - 1,
        &format!("填报单位：{}{}（盖章）        年度：{}", f.province, f.county, f.year),
        &l.sub,
    )?;
    s.set_paper_size(9);
    if landscape {
        s.set_landscape();
    }
    s.set_print_fit_to_pages(1, 0);
    s.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    s.set_print_center_horizontally(true);
    Ok(())
}

/// A header cell spanning `rows` × `cols` (merged when more than one).
fn head(s: &mut Worksheet, l: &Looks, r: u32, c: u16, rows: u32, cols: u16, text: &str) -> Result<(), XlsxError> {
    if rows == 1 && cols == 1 {
        s.write_string_with_format(r, c, text, &l.head)?;
    } else {
        s.merge_range(r, c, r + rows - 1, c + cols - 1, text, &l.head)?;
    }
    Ok(())
}

fn finish(s: &mut Worksheet, last_row: u32, cols: u16, head_rows: (u32, u32)) -> Result<(), XlsxError> {
    s.set_print_area(0, 0, last_row, cols - 1)?;
    s.set_repeat_rows(head_rows.0, head_rows.1)?;
    Ok(())
}

pub fn workbook(f: &Form) -> Result<Vec<u8>, XlsxError> {
    let mut wb = new_workbook()?;
    let l = Looks::new();
    basic(wb.add_worksheet().set_name("表Ⅰ")?, &l, f)?;
    compliance(wb.add_worksheet().set_name("表Ⅱ-1")?, &l, f)?;
    schools(wb.add_worksheet().set_name("表Ⅱ-2")?, &l, f)?;
    balance(wb.add_worksheet().set_name("表Ⅲ")?, &l, f)?;
    conclusions(
        wb.add_worksheet().set_name("表Ⅳ")?,
        &l,
        f,
        "表Ⅳ  政府保障程度",
        &f.government,
    )?;
    conclusions(wb.add_worksheet().set_name("表Ⅴ")?, &l, f, "表Ⅴ  教育质量", &f.quality)?;
    survey(wb.add_worksheet().set_name("表Ⅵ")?, &l, f)?;
    wb.save_to_buffer()
}

/// 表Ⅰ: L1–L24 across, under their group headings; the figures on row 6.
fn basic(s: &mut Worksheet, l: &Looks, f: &Form) -> Result<(), XlsxError> {
    let cols = f.basic.len() as u16;
    start(s, l, f, "表Ⅰ  基本情况", cols, true)?;
    let mut c = 0u16;
    while (c as usize) < f.basic.len() {
        let b = &f.basic[c as usize];
        let span = f.basic[c as usize..].iter().take_while(|x| x.group == b.group).count() as u16;
        let label = |b: &crate::render::data::form::Basic| format!("{}（{}）", b.label, b.unit);
        if b.group.is_empty() {
            for k in 0..span {
                head(s, l, 2, c + k, 2, 1, &label(&f.basic[(c + k) as usize]))?;
            }
        } else {
            head(s, l, 2, c, 1, span, b.group)?;
            for k in 0..span {
                head(s, l, 3, c + k, 1, 1, &label(&f.basic[(c + k) as usize]))?;
            }
        }
        c += span;
    }
    for (i, b) in f.basic.iter().enumerate() {
        head(s, l, 4, i as u16, 1, 1, &b.code)?;
        l.put(s, 5, i as u16, &b.num, false)?;
        s.set_column_width(i as u16, 9)?;
    }
    s.set_row_height(3, 64)?;
    s.set_freeze_panes(5, 0)?;
    finish(s, 5, cols, (2, 4))
}

/// 表Ⅱ-1: per stage, schools meeting L1–L7 and the rule (L8), and their share.
fn compliance(s: &mut Worksheet, l: &Looks, f: &Form) -> Result<(), XlsxError> {
    let cols = 2 + 8 * 2;
    start(s, l, f, "表Ⅱ-1  义务教育学校资源配置达标情况", cols, true)?;
    head(s, l, 2, 0, 3, 1, "学段")?;
    head(s, l, 2, 1, 3, 1, "学校数（所）")?;
    let mut names: Vec<(String, &str)> = f.items.iter().map(|i| (i.code.clone(), i.name)).collect();
    names.push(("L8".into(), "综合评估"));
    for (k, (code, name)) in names.iter().enumerate() {
        let c = 2 + 2 * k as u16;
        head(s, l, 2, c, 1, 2, &format!("{code} {name}"))?;
        head(s, l, 3, c, 1, 1, "达标学校总数（所）")?;
        head(s, l, 3, c + 1, 1, 1, "达标学校比例（%）")?;
        head(s, l, 4, c, 1, 2, code)?;
        s.set_column_width(c, 8)?;
        s.set_column_width(c + 1, 8)?;
    }
    s.set_row_height(2, 48)?;
    s.set_row_height(3, 40)?;
    s.set_column_width(0, 8)?;
    s.set_column_width(1, 8)?;
    for (i, st) in f.compliance.iter().enumerate() {
        let r = 5 + i as u32;
        s.write_string_with_format(r, 0, st.stage, &l.text)?;
        s.write_number_with_format(r, 1, st.schools as f64, &l.num[0])?;
        for k in 0..st.met.len() {
            l.put(s, r, 2 + 2 * k as u16, &st.met[k], false)?;
            l.put(s, r, 3 + 2 * k as u16, &st.share[k], false)?;
        }
    }
    s.merge_range(
        7,
        0,
        7,
        cols - 1,
        &format!(
            "注：按表Ⅱ-2所列学校统计（不含特殊教育学校和{}人以下教学点）；L8 综合评估达标指{}。",
            f.teaching_point_min, f.school_rule
        ),
        &l.note,
    )?;
    s.set_row_height(7, 28)?;
    s.set_freeze_panes(5, 1)?;
    finish(s, 7, cols, (2, 4))
}

/// 表Ⅱ-2: one row per school-stage, blocks 小学, 初中, 教学点; cells under the standard dark.
fn schools(s: &mut Worksheet, l: &Looks, f: &Form) -> Result<(), XlsxError> {
    let cols: u16 = 6 + 7 + 2;
    start(s, l, f, "表Ⅱ-2  义务教育学校资源配置情况", cols, true)?;
    for (c, t) in [
        "序号",
        "学校名称",
        "举办者类型",
        "在校生数（人）",
        "年级数（个）",
        "班级数（个）",
    ]
    .iter()
    .enumerate()
    {
        head(s, l, 2, c as u16, 3, 1, t)?;
    }
    head(s, l, 2, 6, 1, 7, "资源配置指标值")?;
    for (k, i) in f.items.iter().enumerate() {
        head(s, l, 3, 6 + k as u16, 1, 1, &format!("{}（{}）", i.name, i.unit))?;
        head(s, l, 4, 6 + k as u16, 1, 1, &i.code)?;
        s.set_column_width(6 + k as u16, 10)?;
    }
    head(s, l, 2, 13, 3, 1, "该校综合评估是否达标")?;
    head(s, l, 2, 14, 3, 1, "备注")?;
    for (c, w) in [
        (0u16, 5.0),
        (1, 24.0),
        (2, 7.0),
        (3, 8.0),
        (4, 6.0),
        (5, 6.0),
        (13, 8.0),
        (14, 30.0),
    ] {
        s.set_column_width(c, w)?;
    }
    s.set_row_height(3, 64)?;
    let mut r = 5u32;
    let mut block = "";
    for row in &f.schools {
        if row.block != block {
            block = row.block;
            let label = match block {
                "教学点" => format!("教学点（{}人及以上）", f.teaching_point_min),
                b => b.to_owned(),
            };
            s.merge_range(r, 0, r, cols - 1, &label, &l.left)?;
            r += 1;
        }
        s.write_number_with_format(r, 0, row.number as f64, &l.num[0])?;
        s.write_string_with_format(r, 1, &row.name, &l.left)?;
        l.put(s, r, 2, &row.owner, false)?;
        l.put(s, r, 3, &row.students, false)?;
        l.put(s, r, 4, &row.grades, false)?;
        l.put(s, r, 5, &row.classes, false)?;
        for (k, v) in row.values.iter().enumerate() {
            l.put(s, r, 6 + k as u16, v, row.short[k])?;
        }
        s.write_string_with_format(r, 13, row.pass, &l.text)?;
        s.write_string_with_format(r, 14, &row.note, &l.left)?;
        // Spreadsheets do not grow a row for wrapped text on opening: about 28 half-width
        // characters a line in the 备注 column (width 30).
        let width: usize = row.note.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
        let lines = width.div_ceil(28).max(1);
        if lines > 1 {
            s.set_row_height(r, 14.0 * lines as f64 + 2.0)?;
        }
        r += 1;
    }
    let ft = &f.footer;
    s.merge_range(
        r,
        0,
        r,
        cols - 1,
        &format!(
            "注：1. 本表含一贯制学校学段{}个，50人及以上教学点{}个，完全中学初中部{}个；不含特殊教育学校和{}人以下教学点。2. 指标值低于国家标准的单元格以深色底纹标示。3. 举办者类型按申报表注释的代码填写（7 = 县级教育部门，10 = 民办），学校基础数据未填时按 7 计。",
            ft.combined, ft.teaching_points, ft.complete, f.teaching_point_min
        ),
        &l.note,
    )?;
    s.set_row_height(r, 40)?;
    s.set_freeze_panes(5, 2)?;
    finish(s, r, cols, (2, 4))
}

/// 表Ⅲ: per stage, the county mean and the coefficient of L1–L7.
fn balance(s: &mut Worksheet, l: &Looks, f: &Form) -> Result<(), XlsxError> {
    let cols: u16 = 1 + 7 * 2;
    start(s, l, f, "表Ⅲ  校际均衡情况", cols, true)?;
    head(s, l, 2, 0, 3, 1, "学段")?;
    for (k, i) in f.items.iter().enumerate() {
        let c = 1 + 2 * k as u16;
        head(s, l, 2, c, 1, 2, &format!("{}（{}）", i.name, i.unit))?;
        head(s, l, 3, c, 1, 1, "全县平均值")?;
        head(s, l, 3, c + 1, 1, 1, "差异系数")?;
        head(s, l, 4, c, 1, 2, &i.code)?;
        s.set_column_width(c, 9)?;
        s.set_column_width(c + 1, 9)?;
    }
    s.set_row_height(2, 48)?;
    for (i, b) in f.balance.iter().enumerate() {
        let r = 5 + i as u32;
        s.write_string_with_format(r, 0, b.stage, &l.text)?;
        for k in 0..b.mean.len() {
            l.put(s, r, 1 + 2 * k as u16, &b.mean[k], false)?;
            l.put(s, r, 2 + 2 * k as u16, &b.cv[k], false)?;
        }
    }
    let limits: Vec<String> = f
        .balance
        .iter()
        .map(|b| format!("{} ≤ {}", b.stage, b.cv_limit))
        .collect();
    s.merge_range(
        7,
        0,
        7,
        cols - 1,
        &format!(
            "注：全县平均值、差异系数按学生数加权计算，与评估结果一致；差异系数标准：{}。",
            limits.join("，")
        ),
        &l.note,
    )?;
    s.set_freeze_panes(5, 1)?;
    finish(s, 7, cols, (2, 4))
}

/// 表Ⅳ, 表Ⅴ: 序号, 指标, 指标值或简要结论, 是否达标.
fn conclusions(
    s: &mut Worksheet,
    l: &Looks,
    f: &Form,
    title: &str,
    rows: &[crate::render::data::form::Conclusion],
) -> Result<(), XlsxError> {
    start(s, l, f, title, 4, false)?;
    for (c, (t, w)) in [
        ("序号", 5.0),
        ("指标", 22.0),
        ("指标值或简要结论", 62.0),
        ("是否达标", 9.0),
    ]
    .iter()
    .enumerate()
    {
        head(s, l, 2, c as u16, 1, 1, t)?;
        s.set_column_width(c as u16, *w)?;
    }
    for (i, row) in rows.iter().enumerate() {
        let r = 3 + i as u32;
        s.write_number_with_format(r, 0, row.number as f64, &l.num[0])?;
        s.write_string_with_format(r, 1, &row.name, &l.left)?;
        s.write_string_with_format(r, 2, &row.text, &l.left)?;
        s.write_string_with_format(r, 3, row.met, &l.text)?;
        // About 30 characters a line in the conclusion column.
        let lines = row.text.chars().count().div_ceil(30).max(1);
        s.set_row_height(r, 15.0 * lines as f64 + 4.0)?;
    }
    let last = 2 + rows.len() as u32;
    s.set_freeze_panes(3, 0)?;
    finish(s, last, 4, (2, 2))
}

/// 表Ⅵ: the questionnaire and the visits, rows 计 and 其中：家长.
fn survey(s: &mut Worksheet, l: &Looks, f: &Form) -> Result<(), XlsxError> {
    let cols: u16 = 8;
    start(s, l, f, "表Ⅵ  社会认可度", cols, false)?;
    head(s, l, 2, 0, 2, 1, "调查对象")?;
    head(s, l, 2, 1, 1, 4, "问卷调查")?;
    head(s, l, 2, 5, 1, 3, "实地走访")?;
    for (c, t) in [
        "问卷总数（份）",
        "回收有效问卷数（份）",
        "满意问卷数（份）",
        "综合满意度（%）",
        "实地走访人数（人）",
        "满意人数（人）",
        "走访满意度（%）",
    ]
    .iter()
    .enumerate()
    {
        head(s, l, 3, 1 + c as u16, 1, 1, t)?;
        s.set_column_width(1 + c as u16, 11)?;
    }
    s.set_column_width(0, 12)?;
    s.set_row_height(3, 32)?;
    for (i, line) in f.survey.iter().enumerate() {
        let r = 4 + i as u32;
        s.write_string_with_format(r, 0, line.label, &l.text)?;
        for (k, n) in line.cells.iter().enumerate() {
            l.put(s, r, 1 + k as u16, n, false)?;
        }
    }
    s.merge_range(
        6,
        0,
        6,
        cols - 1,
        "注：综合满意度 = 满意问卷数 ÷ 回收有效问卷数 × 100%；走访满意度 = 满意人数 ÷ 实地走访人数 × 100%。",
        &l.note,
    )?;
    s.set_row_height(6, 28)?;
    s.set_freeze_panes(4, 1)?;
    finish(s, 6, cols, (2, 3))
}
