//! The self-evaluation report typeset in parts and put together at the PDF level, so that a
//! correction lays out only the parts it moved: the body (a figure in a table, a coefficient
//! in the text), one stage's charts in the charts appendix, a table of the checks appendix —
//! not the other two hundred pages. Each part begins where the whole report (report.typ) has it: its
//! first page number follows the part before it, and so do the numbers of its tables and
//! figures; the contents are typeset last, from the parts' headings. A part whose input is
//! unchanged and whose file under out/.yingjian/parts/ is as written is taken as it is.

use serde_json::{Value, json};
use std::borrow::Cow;
use std::path::Path;

use super::batch::{How, Typeset};
use super::{compile, world::YjWorld};
use crate::diag::{Diagnostic, Location};
use crate::hash::Fnv;
use crate::model::Date;
use crate::render::assemble::{self, Part};
use crate::render::plan::Job;
use crate::render::templates;
use crate::store::Store;

/// The template of a part.
pub const TEMPLATE: &str = "report-part.typ";

/// Where the parts are kept, under out/.
pub const DIR: &str = ".yingjian/parts/自评报告";

/// What a typeset part tells the parts after it and the contents (report-part.typ's
/// `<part-marks>`): its headings (level, text, printed page number, page in the part), the
/// number of its last page, the tables and figures numbered so far.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Marks {
    pub headings: Vec<Heading>,
    pub last: i64,
    /// The heading counter at the part's end (the body's tail numbers its chapters on).
    #[serde(default)]
    pub heading: Vec<i64>,
    pub tables: i64,
    pub images: i64,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct Heading {
    pub level: usize,
    pub text: String,
    pub page: i64,
    pub at: usize,
}

/// An object of `pairs`, the values moved in (`json!` copies each value by serializing it,
/// and the report's data runs to megabytes).
fn object<'a>(pairs: impl IntoIterator<Item = (&'a str, Value)>) -> Value {
    Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// A copy of the object `v` with the members `emptied` set to `[]` (not copied first).
fn without(v: &Value, emptied: &[&str]) -> Value {
    let mut copy = match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !emptied.contains(&k.as_str()))
                .map(|(k, x)| (k.clone(), x.clone()))
                .collect(),
        ),
        other => other.clone(),
    };
    for key in emptied {
        copy[*key] = json!([]);
    }
    copy
}

/// The report's data split into its parts, in order: (name, data of the part).
fn parts(d: &Value) -> Vec<(String, Value)> {
    let common = |extra: Vec<(&str, Value)>| {
        let title = [("title", d["title"].clone()), ("government", d["government"].clone())];
        object(title.into_iter().chain(extra))
    };
    // Resource tables set apart: the body's head, a part per page of them, the body's tail.
    let per_page = d["table_rows"].as_u64().filter(|n| *n > 0);
    // The body draws no chart, school check or crosswalk; set apart, no school's row either
    // (the head and tail are left as they are unless a coefficient or a verdict moves).
    let mut body = without(d, &["school_checks", "crosswalk"]);
    let drawn_apart: &[&str] = if per_page.is_some() {
        &["charts", "rows"]
    } else {
        &["charts"]
    };
    if let Some(stages) = d["resource"].as_array() {
        body["resource"] = stages.iter().map(|st| without(st, drawn_apart)).collect();
    }
    let mut out = vec![];
    match per_page {
        None => out.push(("body".to_owned(), object([("report", body)]))),
        Some(per_page) => {
            out.push((
                "body-head".to_owned(),
                object([("report", body.clone()), ("section", json!("head"))]),
            ));
            let pages: Vec<(&Value, &[Value])> = d["resource"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|st| {
                    let rows = st["rows"].as_array().map(Vec::as_slice).unwrap_or_default();
                    rows.chunks(per_page as usize).map(move |chunk| (st, chunk))
                })
                .collect();
            let mut stage = None;
            for (k, (st, rows)) in pages.iter().enumerate() {
                let first = stage != Some(&st["stage"]);
                stage = Some(&st["stage"]);
                let data = object([
                    ("report", common(vec![("splits", d["splits"].clone())])),
                    ("stage", without(st, &["rows", "charts", "cv"])),
                    ("rows", Value::Array(rows.to_vec())),
                    ("first", json!(first)),
                    ("last", json!(k + 1 == pages.len())),
                ]);
                let name = format!("table-{}-{k}", st["stage"].as_str().unwrap_or_default());
                out.push((name, data));
            }
            out.push((
                "body-tail".to_owned(),
                object([("report", body), ("section", json!("tail"))]),
            ));
        }
    }
    let some = |key: &str| d[key].as_array().is_some_and(|a| !a.is_empty());
    for (key, name) in [("school_checks", "checks"), ("crosswalk", "crosswalk")] {
        if some(key) {
            let data = common(vec![(key, d[key].clone())]);
            out.push((name.to_owned(), object([("report", data)])));
        }
    }
    // The charts appendix: a part per stage, its charts two or three a page.
    let mut first = true;
    for st in d["resource"].as_array().into_iter().flatten() {
        let charts: Vec<Value> = (st["charts"].as_array().into_iter().flatten())
            .filter(|c| c["bars"].as_array().is_some_and(|b| !b.is_empty()))
            .cloned()
            .collect();
        if charts.is_empty() {
            continue;
        }
        let name = format!("chart-{}", st["stage"].as_str().unwrap_or_default());
        let part = object([
            ("report", common(vec![])),
            ("stage", st["stage"].clone()),
            ("charts", Value::Array(charts)),
            ("first", json!(first)),
        ]);
        out.push((name, part));
        first = false;
    }
    out
}

/// The report of `job` (its data the whole report's), typeset part by part where a part
/// changed, and put together: the parts typeset or kept, then the report.
pub fn typeset(root: &Path, today: Date, job: &Job, input: u64, store: &dyn Store) -> Vec<Typeset> {
    let template = templates::hash(root, TEMPLATE);
    let mut made: Vec<Typeset> = vec![];
    let mut pieces: Vec<(Vec<u8>, Vec<u64>, Marks, bool)> = vec![];
    let (mut start, mut tables, mut images) = (1i64, 0i64, 0i64);
    let mut heading: Vec<i64> = vec![0];
    let mut toc: Vec<Value> = vec![];
    for (k, (name, mut data)) in parts(&job.data).into_iter().enumerate() {
        // A part starting on an even page number starts on a left-hand page: an empty page
        // first gives its first page that binding side (the page is left out below).
        let blank = start % 2 == 0;
        data["part"] = json!(name.split('-').next().unwrap_or_default());
        data["start"] = json!(start);
        data["tables"] = json!(tables);
        data["images"] = json!(images);
        data["heading"] = json!(heading);
        data["blank"] = json!(blank);
        let rel = format!("{DIR}/{k:02}-{name}.pdf");
        let part = one(root, today, &rel, &data, (template, job.files), store);
        let Some((pdf, marks)) = part.made() else {
            made.push(part);
            return fail(made, job, input);
        };
        start = marks.last + 1;
        tables = marks.tables;
        images = marks.images;
        if !marks.heading.is_empty() {
            heading = marks.heading.clone();
        }
        toc.extend(
            marks
                .headings
                .iter()
                .map(|h| json!({ "level": h.level, "text": h.text, "page": h.page })),
        );
        let hashes = part.result.as_ref().map(|(_, h)| h.clone()).unwrap_or_default();
        pieces.push((pdf.to_vec(), hashes, marks, blank));
        made.push(part);
    }
    // The cover and the contents, from the parts' headings.
    let d = &job.data;
    let front = json!({
        "part": "front",
        "report": { "title": d["title"], "government": d["government"], "date": d["date"], "profile": d["profile"] },
        "toc": toc,
    });
    let rel = format!("{DIR}/front.pdf");
    let part = one(root, today, &rel, &front, (template, job.files), store);
    let Ok((front_pdf, _)) = &part.result else {
        made.push(part);
        return fail(made, job, input);
    };
    let front_hashes = part.result.as_ref().map(|(_, h)| h.clone()).unwrap_or_default();
    let front_pages = front_hashes.len();
    // An odd number of pages is made even, as the whole report's `pagebreak(to: "odd")` does
    // (whose empty page may carry a page number; this one is left bare).
    let mut volume = vec![Part {
        hashes: front_hashes,
        pad_even: true,
        ..Part::whole(String::new(), Cow::Owned(front_pdf.to_vec()))
    }];
    made.push(part);
    for (pdf, hashes, marks, blank) in pieces {
        let skip = usize::from(blank);
        volume.push(Part {
            title: String::new(),
            pdf: Cow::Owned(pdf),
            pages: (1 + skip as i64, -1),
            marks: marks
                .headings
                .iter()
                .map(|h| (h.level, h.text.clone(), h.at.saturating_sub(skip)))
                .collect(),
            hashes,
            pad_even: false,
        });
    }
    let title = d["title"].as_str().unwrap_or_default().replace('\n', "");
    let result = assemble::assemble(&title, &volume).map_err(|e| {
        vec![
            Diagnostic::error(
                "assemble",
                Location::file(format!("out/{}", job.rel)),
                format!("无法合成 {}：{e}", job.rel),
            )
            .with_hint("请删除 out/ 后重新生成；若仍出现请报告此问题"),
        ]
    });
    // Its headings with their printed page numbers (the Word version's contents take them),
    // and the pages before "— 1 —" (cover and contents, made even): the change report names
    // the pages after them as printed.
    let front = front_pages + front_pages % 2;
    let mut report = Typeset::new(job.rel.clone(), input, result, How::Assembled);
    report.marks = Some(json!({ "contents": toc, "front": front }));
    made.push(report);
    made
}

/// The report failed with its part: the part's problems are the report's.
fn fail(mut made: Vec<Typeset>, job: &Job, input: u64) -> Vec<Typeset> {
    let mut problems: Vec<Diagnostic> = made
        .iter()
        .filter_map(|t| t.result.as_ref().err())
        .flatten()
        .cloned()
        .collect();
    if problems.is_empty() {
        // The part was made but did not tell where it ends: a template that lost its marks.
        problems.push(
            Diagnostic::error(
                "typst",
                Location::file(format!("templates/{TEMPLATE}")),
                format!("无法合成 {}：报告的分册未给出标记 <part-marks>", job.rel),
            )
            .with_hint("若修改过 templates/report-part.typ，请保留文件末尾的 <part-marks>"),
        );
    }
    made.push(Typeset::new(job.rel.clone(), input, Err(problems), How::Typeset));
    // Reported once, with the report.
    for t in made.iter_mut().filter(|t| t.rel != job.rel) {
        if t.result.is_err() {
            t.result = Err(vec![]);
        }
    }
    made
}

impl Typeset {
    /// The PDF and marks of a part made or kept.
    fn made(&self) -> Option<(&[u8], Marks)> {
        let (pdf, _) = self.result.as_ref().ok()?;
        let marks = serde_json::from_value(self.marks.clone()?).ok()?;
        Some((pdf, marks))
    }
}

/// One part: kept when its input — the version, the templates (`made_of.0`), the files the
/// report places (`made_of.1`: a replaced image under the same name), its data — is unchanged
/// and its file as written; typeset otherwise.
fn one(root: &Path, today: Date, rel: &str, data: &Value, made_of: (u64, u64), store: &dyn Store) -> Typeset {
    let mut h = Fnv::default();
    h.add(format!("{}|{}|{}|", env!("CARGO_PKG_VERSION"), made_of.0, made_of.1).as_bytes());
    let _ = serde_json::to_writer(&mut h, data);
    let input = h.0;
    // The parts after the contents tell where they end (their marks); the contents need not.
    let front = data["part"] == "front";
    let kept = store
        .kept(rel, input)
        .filter(|k| front || k.marks.is_some())
        .map(|k| (k.bytes, k.pages, k.marks));
    if let Some((pdf, pages, marks)) = kept {
        return Typeset {
            rel: rel.to_owned(),
            input,
            result: Ok((pdf, pages)),
            marks,
            how: How::Kept,
        };
    }
    let result = YjWorld::new(root, TEMPLATE, serde_json::to_vec(data).unwrap_or_default(), today)
        .ok_or_else(compile::no_world)
        .and_then(|world| {
            let doc = compile::layout(&world)?;
            let marks = compile::metadata(&doc, "part-marks");
            let pdf = compile::export_part(&world, &doc)?;
            Ok((pdf, compile::page_hashes(&doc), marks))
        });
    match result {
        Ok((pdf, pages, marks)) => Typeset {
            rel: rel.to_owned(),
            input,
            result: Ok((pdf, pages)),
            marks,
            how: How::Typeset,
        },
        Err(e) => Typeset::new(rel.to_owned(), input, Err(e), How::Typeset),
    }
}
