//! Unit tests of src/load/sheet.rs.

use super::*;

#[test]
fn numbers_as_people_type_them() {
    assert_eq!(parse_number("1,234"), Some(1234.0));
    assert_eq!(parse_number("１２３４．５"), Some(1234.5));
    assert_eq!(parse_number(" 12 "), Some(12.0));
    assert_eq!(parse_number("12人"), None);
    assert_eq!(parse_number("NaN"), None);
}

#[test]
fn year_months() {
    let want = Some(YearMonth { year: 2009, month: 9 });
    for s in ["2009-09", "2009年9月", "200909", "2009/9", "2009.09"] {
        assert_eq!(parse_year_month(s), want, "{s}");
    }
    assert_eq!(parse_year_month("2009-13"), None);
    // Typed as numbers: 2008.9 is September, 2009.1 (from 2009.10) October.
    assert_eq!(float_year_month(2008.9), Some(YearMonth { year: 2008, month: 9 }));
    assert_eq!(float_year_month(2009.05), Some(YearMonth { year: 2009, month: 5 }));
    assert_eq!(float_year_month(2009.1), Some(YearMonth { year: 2009, month: 10 }));
    assert_eq!(float_year_month(2009.13), None);
    assert_eq!(
        parse_year_month(&format!("{:.2}", 2009.1f64)),
        Some(YearMonth { year: 2009, month: 10 })
    );
}

#[test]
fn headers_ignore_spaces_and_bracket_width() {
    assert_eq!(
        normalize_header("教学及辅助用房面积 (平方米)"),
        normalize_header("教学及辅助用房面积（平方米）")
    );
}
