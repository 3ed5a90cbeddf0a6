//! 申报表: the national application form (表Ⅰ–表Ⅵ) as a workbook and a PDF, both drawn from
//! one filled form; what the data lacks is left empty and named in one warning.

use super::{Context, Document, Made};
use crate::diag::{Diagnostic, Location};
use crate::render::data::form;
use crate::render::xlsx;

pub struct ApplicationForm;

impl Document for ApplicationForm {
    fn name(&self) -> &'static str {
        "申报表"
    }

    fn make(&self, cx: &Context, out: &mut Made) {
        let f = form::form(cx.ws, cx.a, cx.schools);
        // One warning per file to edit: county.yaml's figures, the school data's.
        let (school, county): (Vec<&String>, Vec<&String>) =
            f.missing.iter().partition(|m| m.starts_with(form::SCHOOL_DATA));
        let school: Vec<&str> = school.iter().map(|m| &m[form::SCHOOL_DATA.len()..]).collect();
        let county: Vec<&str> = county.iter().map(|m| m.as_str()).collect();
        for (list, file, hint) in [
            (
                county,
                crate::paths::CONFIG,
                "在 content/county.yaml 中补齐后重新生成（各项说明见 docs/inputs.md）",
            ),
            (
                school,
                cx.ws.schools_file.as_str(),
                "在学校基础数据中补齐这些列后重新生成",
            ),
        ] {
            if !list.is_empty() {
                out.diags.push(
                    Diagnostic::warning(
                        "form-data-missing",
                        Location::file(file),
                        format!("申报表中以下数据未填写，对应单元格留空：{}", list.join("；")),
                    )
                    .with_hint(hint),
                );
            }
        }
        out.xlsx("申报表.xlsx", xlsx::form::workbook(&f));
        // Strings and optional numbers only: serializing cannot fail.
        let data = serde_json::to_value(&f).unwrap_or_default();
        out.pdf("申报表.pdf".into(), "application-form.typ", data, false);
    }
}
