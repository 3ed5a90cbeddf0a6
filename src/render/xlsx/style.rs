//! The look every generated workbook shares, and fixed properties so that the same data
//! gives the same bytes.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

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

/// Fixed properties: a fixed creation time keeps the generated files identical from run to run.
pub fn fixed_properties() -> Result<DocProperties, XlsxError> {
    Ok(DocProperties::new()
        .set_author("yingjian")
        .set_creation_datetime(&ExcelDateTime::from_ymd(2026, 1, 1)?))
}

/// A new workbook as every generated one is made: fixed properties and the fastest deflate
/// (the catalogue's sheet at county scale is megabytes of XML; level 1 saves it in a fraction
/// of the default level's time, for a somewhat larger file).
pub fn new_workbook() -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    wb.set_properties(&fixed_properties()?);
    wb.set_zip_compression_level(1);
    Ok(wb)
}

/// Width in Excel character units that fits a Chinese header (CJK glyphs are two units wide).
pub fn text_width(s: &str) -> f64 {
    s.chars().map(|c| if c.is_ascii() { 1.0 } else { 2.0 }).sum::<f64>() + 2.0
}
