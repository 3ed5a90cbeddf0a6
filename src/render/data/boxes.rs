//! Archive boxes (档案盒): contents lists (卷内目录, DA/T 22-2015 columns), covers, 备考表 and spine
//! labels at true size; which prints changed.

use serde::Serialize;
use serde_json::{Value, json};

use crate::hash::{Fnv, fnv1a};
use crate::model::Lock;
use crate::model::Workspace;
use crate::rules::Assessment;
use crate::rules::evidence::ArchiveBox;

/// One box, as every box template (box.typ, box-book.typ, box-kind.typ) reads it.
#[derive(Serialize)]
pub struct BoxData {
    pub id: String,
    /// The id with its part: A5（二）.
    pub label: String,
    pub part: Option<String>,
    pub title: String,
    pub county: String,
    pub year: String,
    /// 全宗名称 and 全宗号 (DA/T 22-2015).
    pub fonds: String,
    pub fonds_no: String,
    pub retention: String,
    /// The spine's width for the box's sheets, and the label's height.
    pub spine_mm: u32,
    pub label_mm: f64,
    pub sheets: u32,
    pub count: usize,
    /// The printed sheets, the paper-only items apart (issue 34 point 11), and how the spine
    /// width was reached: "盒脊 30 毫米：打印 8 张，纸质材料 120 页按 120 张计，共 128 张，
    /// 不超过该规格容量 270 张".
    pub printed: u32,
    pub paper: Option<String>,
    pub spine_note: String,
    /// The first and last item numbers.
    pub range: String,
    pub items: Vec<BoxItem>,
}

/// A line of the contents list (卷内目录, DA/T 22-2015 columns).
#[derive(Serialize)]
pub struct BoxItem {
    pub n: usize,
    pub number: String,
    pub doc_no: String,
    pub author: String,
    pub title: String,
    /// DA/T 22-2015: YYYYMMDD.
    pub date: String,
    pub pages: String,
    pub secrecy: String,
    pub note: String,
    /// For box books: where the pages come from (PDF and images that are present).
    pub src: Option<String>,
    /// pdf, image or other.
    pub kind: Option<&'static str>,
    pub page_count: u32,
}

/// The data of one box.
pub fn box_data(ws: &Workspace, a: &Assessment, b: &ArchiveBox) -> BoxData {
    let cfg = ws.config.as_ref();
    let opts = cfg.map(|c| c.evidence.clone()).unwrap_or_default();
    let items: Vec<BoxItem> = b
        .items
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let s = &a.evidence.items[i];
            let e = &ws.evidence[s.index];
            let mut note = match (s.status, &e.note) {
                ("文件缺失", Some(n)) => format!("文件缺失；{n}"),
                ("文件缺失", None) => "文件缺失".to_owned(),
                (_, Some(n)) => n.clone(),
                _ => String::new(),
            };
            // The item's number in the other inspection's boxes, to find it from either list.
            if let Some(other) = &s.catalogue_number {
                let which = if ws
                    .catalogue
                    .as_ref()
                    .is_some_and(|c| c.profile.id == crate::model::profile::DEFAULT)
                {
                    "国检编号"
                } else {
                    "省检编号"
                };
                note = if note.is_empty() {
                    format!("{which} {other}")
                } else {
                    format!("{which} {other}；{note}")
                };
            }
            BoxItem {
                n: n + 1,
                number: s.number.clone(),
                doc_no: e.doc_no.clone().unwrap_or_default(),
                author: e.author.clone().unwrap_or_default(),
                title: e.title.clone(),
                date: e.date.map(|d| d.compact()).unwrap_or_default(),
                pages: s.pages.map(|p| p.to_string()).unwrap_or_default(),
                secrecy: e.secrecy.clone().unwrap_or_default(),
                note,
                src: printable(s).map(|f| format!("/evidence/{f}")),
                kind: s
                    .file
                    .as_deref()
                    .map(|f| match crate::model::evidence::FileKind::of_name(f) {
                        crate::model::evidence::FileKind::Pdf => "pdf",
                        crate::model::evidence::FileKind::Image => "image",
                        crate::model::evidence::FileKind::Other => "other",
                    }),
                page_count: s.pages.unwrap_or(1),
            }
        })
        .collect();
    let first = b
        .items
        .first()
        .map(|&i| a.evidence.items[i].number.clone())
        .unwrap_or_default();
    let last = b
        .items
        .last()
        .map(|&i| a.evidence.items[i].number.clone())
        .unwrap_or_default();
    let fonds = opts
        .fonds
        .clone()
        .or_else(|| cfg.and_then(|c| c.bureau.clone()))
        .unwrap_or_else(|| "教育局".into());
    BoxData {
        id: b.id.clone(),
        label: format!(
            "{}{}",
            b.id,
            b.part.as_deref().map(|p| format!("（{p}）")).unwrap_or_default()
        ),
        part: b.part.clone(),
        title: b.title.clone(),
        county: cfg.map(|c| c.county.clone()).unwrap_or_default(),
        year: cfg.map(|c| c.year.to_string()).unwrap_or_default(),
        fonds,
        fonds_no: opts.fonds_no.clone().unwrap_or_default(),
        retention: opts.retention,
        spine_mm: b.spine_mm,
        label_mm: opts.label_height,
        sheets: b.sheets,
        count: b.items.len(),
        printed: b.sheets - b.paper_sheets,
        paper: (b.paper_items > 0).then(|| format!("另有纸质材料 {} 件 {} 页", b.paper_items, b.paper_pages)),
        spine_note: spine_note(b),
        range: if first == last {
            first
        } else {
            format!("{first}—{last}")
        },
        items,
    }
}

/// How the spine width was reached, said under the contents list.
fn spine_note(b: &ArchiveBox) -> String {
    let printed = b.sheets - b.paper_sheets;
    let parts = if b.paper_items > 0 {
        format!(
            "打印材料 {printed} 张，纸质材料 {} 页按 {} 张计，共 {} 张",
            b.paper_pages, b.paper_sheets, b.sheets
        )
    } else {
        format!("共 {} 张", b.sheets)
    };
    format!(
        "盒脊宽 {} 毫米：{parts}，该规格档案盒可容 {} 张。",
        b.spine_mm, b.capacity
    )
}

/// The file of an item whose pages can be placed in a box book.
fn printable(s: &crate::rules::evidence::ItemState) -> Option<&str> {
    let f = s.file.as_deref()?;
    let placeable = !matches!(
        crate::model::evidence::FileKind::of_name(f),
        crate::model::evidence::FileKind::Other
    );
    (s.status == "已提供" && placeable && s.pages.is_some()).then_some(f)
}

/// Hashes of what a box's contents list and spine label print, to tell which need reprinting.
/// The contents hash is that of the box's data as compact JSON without `spine_mm`, hashed
/// as it is written (the values stored in existing evidence.lock files stay valid).
pub fn print_hashes(data: &Value) -> (u64, u64) {
    let mut contents = Fnv::default();
    match data.as_object() {
        Some(o) => {
            contents.add(b"{");
            for (n, (k, v)) in o.iter().filter(|(k, _)| *k != "spine_mm").enumerate() {
                if n > 0 {
                    contents.add(b",");
                }
                let _ = serde_json::to_writer(&mut contents, k);
                contents.add(b":");
                let _ = serde_json::to_writer(&mut contents, v);
            }
            contents.add(b"}");
        }
        None => {
            let _ = serde_json::to_writer(&mut contents, data);
        }
    }
    let label = json!([
        data["label"],
        data["title"],
        data["county"],
        data["year"],
        data["range"],
        data["spine_mm"],
        data["fonds_no"],
        data["retention"]
    ]);
    (contents.0, fnv1a(label.to_string().as_bytes()))
}

/// What the evidence lock and the reprint list keep of a box: its id, label and print hashes.
pub struct Printed {
    pub id: String,
    pub label: String,
    pub hashes: (u64, u64),
}

/// A box as the lock and the reprint list see it; `data` is the box as its templates receive
/// it (`box_data`, serialized).
pub fn printed(b: &BoxData, data: &Value) -> Printed {
    Printed {
        id: b.id.clone(),
        label: b.label.clone(),
        hashes: print_hashes(data),
    }
}

/// Boxes whose prints differ from the previous build: (box label, what to reprint).
pub fn changed_prints(old: &Lock, boxes: &[Printed]) -> Vec<(String, &'static str)> {
    let mut out = vec![];
    for b in boxes {
        let (c, l) = b.hashes;
        let label = b.label.clone();
        match old.prints.get(&b.id) {
            None => out.push((label, "新盒：目录、盒面、盒脊")),
            Some((oc, ol)) if *oc != c && *ol != l => out.push((label, "卷内目录与盒脊")),
            Some((oc, _)) if *oc != c => out.push((label, "卷内目录")),
            Some((_, ol)) if *ol != l => out.push((label, "盒脊")),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contents_hash_is_that_of_the_json_text_without_the_spine_width() {
        // The value earlier versions stored in evidence.lock: the data without spine_mm,
        // serialized compactly, then hashed. A different value would ask to reprint every box.
        let data = json!({"id": "A5", "label": "A5", "spine_mm": 30, "items": [{"n": 1, "title": "“引号”\n"}]});
        let mut without = data.clone();
        without.as_object_mut().unwrap().remove("spine_mm");
        assert_eq!(print_hashes(&data).0, fnv1a(without.to_string().as_bytes()));
        let mut wider = data.clone();
        wider["spine_mm"] = json!(40);
        assert_eq!(print_hashes(&wider).0, print_hashes(&data).0);
        assert_ne!(print_hashes(&wider).1, print_hashes(&data).1);
    }
}
