//! The look every generated workbook shares, and fixed properties so that the same data
//! gives the same bytes.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, XlsxError};

/// A header cell: bold on light blue, centred, wrapped, boxed.
pub fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color("#DDEBF7")
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
}

pub fn fixed_properties() -> Result<DocProperties, XlsxError> {
    // A fixed creation time keeps the generated files identical from run to run.
    Ok(DocProperties::new()
        .set_author("yingjian")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?))
}

/// Width in Excel character units that fits a Chinese header (CJK glyphs are two units wide).
pub fn text_width(s: &str) -> f64 {
    s.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum::<f64>() + 2.0
}
