//! 学校实地督查表: each school's inspection form, one file each and all in one volume.

use serde_json::Value;

use super::{Context, Document, Made};
use crate::render::data::{file_name, school_form};

pub struct SchoolForms;

impl Document for SchoolForms {
    fn name(&self) -> &'static str {
        "学校实地督查表"
    }

    fn make(&self, cx: &Context, out: &mut Made) {
        let schools = cx.schools;
        // Strings, flags and lists of them: serializing cannot fail.
        let forms: Vec<Value> = schools
            .iter()
            .map(|s| serde_json::to_value(school_form::school_form(cx.ws, cx.a, s)).unwrap_or_default())
            .collect();
        for (school, data) in schools.iter().zip(&forms) {
            out.pdf(form_rel(school), "school-form.typ", data.clone(), false);
        }
        if forms.is_empty() {
            return;
        }
        // The combined forms: assembled from the schools' PDFs; typeset only when it must be PDF/A.
        if cx.archival() {
            out.pdf(
                "学校实地督查表.pdf".into(),
                "school-forms.typ",
                serde_json::json!({ "forms": forms }),
                false,
            );
            return;
        }
        let parts = schools
            .iter()
            .map(|s| serde_json::json!({ "rel": form_rel(s), "title": format!("{} {}", s.code, s.name) }))
            .collect();
        let title = format!(
            "{}学校实地督查表",
            cx.ws.config.as_ref().map(|c| c.county.as_str()).unwrap_or("")
        );
        out.volume("学校实地督查表.pdf", &title, parts);
    }
}

/// Where a school's inspection form goes: the single file, and a part of the volume.
fn form_rel(s: &crate::model::School) -> String {
    format!("学校实地督查表/{}-{}.pdf", s.code, file_name(&s.name))
}
