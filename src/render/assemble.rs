//! Combined volumes (合订本) put together from the typeset documents' pages at the PDF level,
//! not typeset again: the pages of each part in order, one bookmark per part. The parts'
//! catalogues (their tags, outlines and metadata) are left behind; a volume that must be
//! PDF/A is typeset instead (see the render plan).

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use crate::hash::fnv1a;

/// A PDF text string (outline titles, document info): UTF-16BE with its byte-order mark.
fn text(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend(unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// A page's attribute, from the page or the nearest node above it that has it.
fn inherited(doc: &Document, page: ObjectId, key: &[u8]) -> Option<Object> {
    let mut current = page;
    for _ in 0..64 {
        let node = doc.get_dictionary(current).ok()?;
        if let Ok(v) = node.get(key) {
            return Some(v.clone());
        }
        current = node.get(b"Parent").ok()?.as_reference().ok()?;
    }
    None
}

/// One part of a volume: its bookmark title, its PDF and which of its pages go in.
pub struct Part<'a> {
    pub title: String,
    pub pdf: std::borrow::Cow<'a, [u8]>,
    /// First and last page, from 1; a negative number counts from the end (−1 the last page).
    pub pages: (i64, i64),
}

/// The 1-based page numbers `range` selects from a document of `count` pages.
fn selected(range: (i64, i64), count: usize) -> std::ops::RangeInclusive<u32> {
    let at = |k: i64| if k < 0 { count as i64 + 1 + k } else { k };
    let (from, to) = (at(range.0).max(1), at(range.1).min(count as i64));
    if from > to { 1..=0 } else { from as u32..=to as u32 }
}

/// The volume of `parts`, titled `title`, and a hash of each page's content (for the pages
/// to reprint).
pub fn assemble(title: &str, parts: &[Part]) -> Result<(Vec<u8>, Vec<u64>), String> {
    let mut out = Document::with_version("1.7");
    let pages_id = out.new_object_id();
    let mut kids: Vec<Object> = vec![];
    let mut hashes = vec![];
    let mut marks: Vec<(String, ObjectId)> = vec![];
    for part in parts {
        let name = &part.title;
        let mut doc = Document::load_mem(&part.pdf).map_err(|e| format!("{name}：{e}"))?;
        // Inherited attributes onto each page before the page tree is left behind.
        for page in doc.get_pages().into_values() {
            let mut dict = doc.get_dictionary(page).map_err(|e| e.to_string())?.clone();
            for key in [&b"MediaBox"[..], b"CropBox", b"Resources", b"Rotate"] {
                if let Some(v) = inherited(&doc, page, key) {
                    dict.set(key.to_vec(), v);
                }
            }
            doc.objects.insert(page, Object::Dictionary(dict));
        }
        doc.renumber_objects_with(out.max_id + 1);
        let mut pages = doc.get_pages();
        let keep = selected(part.pages, pages.len());
        pages.retain(|n, _| keep.contains(n));
        let Some(&first) = pages.values().next() else { continue };
        marks.push((name.clone(), first));
        for &page in pages.values() {
            hashes.push(fnv1a(&doc.get_page_content(page)));
            if let Some(Object::Dictionary(d)) = doc.objects.get_mut(&page) {
                d.set("Parent", pages_id);
                // The part's structure tree stays behind: so do the references into it.
                d.remove(b"StructParents");
            }
            kids.push(page.into());
        }
        let kinds = |o: &Object| match o {
            Object::Dictionary(d) => d.get(b"Type").and_then(Object::as_name).ok().map(<[u8]>::to_vec),
            _ => None,
        };
        for (id, object) in doc.objects {
            // The part's catalogue and page tree nodes give way to the volume's.
            if matches!(kinds(&object).as_deref(), Some(b"Catalog" | b"Pages")) {
                continue;
            }
            out.objects.insert(id, object);
        }
        out.max_id = out.max_id.max(doc.max_id);
    }
    let count = kids.len() as i64;
    out.objects.insert(
        pages_id,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Kids", Object::Array(kids)),
            ("Count", Object::Integer(count)),
        ])),
    );
    // One bookmark per part, pointing at its first page.
    let outlines_id = out.new_object_id();
    let ids: Vec<ObjectId> = marks.iter().map(|_| out.new_object_id()).collect();
    for (i, ((name, page), id)) in marks.iter().zip(&ids).enumerate() {
        let mut item = Dictionary::from_iter([
            ("Title", text(name)),
            ("Parent", Object::Reference(outlines_id)),
            (
                "Dest",
                Object::Array(vec![Object::Reference(*page), Object::Name(b"Fit".to_vec())]),
            ),
        ]);
        if i > 0 {
            item.set("Prev", ids[i - 1]);
        }
        if let Some(next) = ids.get(i + 1) {
            item.set("Next", *next);
        }
        out.objects.insert(*id, Object::Dictionary(item));
    }
    let mut outlines = Dictionary::from_iter([
        ("Type", Object::Name(b"Outlines".to_vec())),
        ("Count", Object::Integer(ids.len() as i64)),
    ]);
    if let (Some(first), Some(last)) = (ids.first(), ids.last()) {
        outlines.set("First", *first);
        outlines.set("Last", *last);
    }
    out.objects.insert(outlines_id, Object::Dictionary(outlines));
    let catalog = out.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_id)),
        ("Outlines", Object::Reference(outlines_id)),
        ("PageMode", Object::Name(b"UseOutlines".to_vec())),
    ]));
    let info = out.add_object(Dictionary::from_iter([
        ("Title", text(title)),
        ("Creator", text("yingjian")),
    ]));
    out.trailer.set("Root", catalog);
    out.trailer.set("Info", info);
    // What only the parts' catalogues reached (their tags, outlines, metadata) goes.
    out.prune_objects();
    out.renumber_objects();
    let mut bytes = vec![];
    out.save_to(&mut bytes).map_err(|e| e.to_string())?;
    Ok((bytes, hashes))
}

/// Pages per part, for tests and checks: the page count of a PDF.
pub fn page_count(pdf: &[u8]) -> Option<usize> {
    Document::load_mem(pdf).ok().map(|d| d.get_pages().len())
}

/// The bookmarks of a volume, in order (for tests).
pub fn bookmarks(pdf: &[u8]) -> Vec<String> {
    let Ok(doc) = Document::load_mem(pdf) else {
        return vec![];
    };
    let mut out = vec![];
    let first = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"Outlines").ok()?.as_reference().ok())
        .and_then(|o| doc.get_dictionary(o).ok()?.get(b"First").ok()?.as_reference().ok());
    let mut seen: BTreeMap<ObjectId, ()> = BTreeMap::new();
    let mut current = first;
    while let Some(id) = current {
        if seen.insert(id, ()).is_some() {
            break;
        }
        let Ok(item) = doc.get_dictionary(id) else { break };
        if let Ok(Object::String(bytes, _)) = item.get(b"Title") {
            let units: Vec<u16> = bytes
                .get(2..)
                .unwrap_or_default()
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            out.push(String::from_utf16_lossy(&units));
        }
        current = item.get(b"Next").ok().and_then(|n| n.as_reference().ok());
    }
    out
}
