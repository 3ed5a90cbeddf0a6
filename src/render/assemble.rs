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

/// A dictionary's /Type.
fn kind(o: &Object) -> Option<&[u8]> {
    match o {
        Object::Dictionary(d) => d.get(b"Type").and_then(Object::as_name).ok(),
        _ => None,
    }
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
    /// Its bookmarks, when it has several (a part of the report): level (1 the top), title and
    /// page, from 1 among the pages that go in. Without them the part has one, `title`
    /// (none when that is empty).
    pub marks: Vec<(usize, String, usize)>,
    /// What each page of `pdf` prints, as typesetting hashed it (`compile::page_hashes`): the
    /// volume's pages to reprint. Without them a page's content stream is hashed, which moves
    /// when the part's fonts were numbered differently.
    pub hashes: Vec<u64>,
    /// An empty page after it when it has an odd number of pages (the next part then begins
    /// on a right-hand page).
    pub pad_even: bool,
}

impl<'a> Part<'a> {
    /// All the pages of `pdf`, with one bookmark.
    pub fn whole(title: String, pdf: std::borrow::Cow<'a, [u8]>) -> Self {
        Part {
            title,
            pdf,
            pages: (1, -1),
            marks: vec![],
            hashes: vec![],
            pad_even: false,
        }
    }
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
    let mut marks: Vec<(usize, String, ObjectId)> = vec![];
    // The parts read in parallel (a volume has hundreds), then put together in order.
    let docs: Vec<Document> = {
        use rayon::prelude::*;
        parts.par_iter().map(read).collect::<Result<_, _>>()?
    };
    for (part, mut doc) in parts.iter().zip(docs) {
        let name = &part.title;
        doc.renumber_objects_with(out.max_id + 1);
        let mut pages = doc.get_pages();
        let keep = selected(part.pages, pages.len());
        pages.retain(|n, _| keep.contains(n));
        let Some(&first) = pages.values().next() else { continue };
        let ids: Vec<ObjectId> = pages.values().copied().collect();
        if part.marks.is_empty() && !name.is_empty() {
            marks.push((1, name.clone(), first));
        }
        for (level, title, at) in &part.marks {
            if let Some(page) = ids.get(at.saturating_sub(1)) {
                marks.push((*level, title.clone(), *page));
            }
        }
        if part.pad_even && ids.len() % 2 == 1 {
            // The blank page: the size of the part's last page, nothing on it.
            let last = doc.get_dictionary(ids[ids.len() - 1]).map_err(|e| e.to_string())?;
            let size = last.get(b"MediaBox").cloned().unwrap_or(Object::Null);
            let blank = Dictionary::from_iter([
                ("Type", Object::Name(b"Page".to_vec())),
                ("MediaBox", size),
                ("Resources", Object::Dictionary(Dictionary::new())),
            ]);
            let id = (doc.max_id + 1, 0);
            doc.max_id += 1;
            doc.objects.insert(id, Object::Dictionary(blank));
            pages.insert(u32::MAX, id);
        }
        for (&n, &page) in &pages {
            let typeset = part.hashes.get(n as usize - 1).copied();
            hashes.push(typeset.unwrap_or_else(|| fnv1a(&doc.get_page_content(page))));
            if let Some(Object::Dictionary(d)) = doc.objects.get_mut(&page) {
                d.set("Parent", pages_id);
                // The part's structure tree stays behind: so do the references into it.
                d.remove(b"StructParents");
            }
            kids.push(page.into());
        }
        for (id, object) in doc.objects {
            // The part's catalogue and page tree nodes give way to the volume's.
            if matches!(kind(&object), Some(b"Catalog" | b"Pages")) {
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
    let outlines_id = out.new_object_id();
    outline(&mut out, outlines_id, &marks);
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
    // About the parts' size: written without growing the buffer again and again.
    let mut bytes = Vec::with_capacity(parts.iter().map(|p| p.pdf.len()).sum::<usize>() + (1 << 16));
    out.save_to(&mut bytes).map_err(|e| e.to_string())?;
    Ok((bytes, hashes))
}

/// A part's PDF read, each page given the attributes it inherits before the page tree is
/// left behind.
fn read(part: &Part) -> Result<Document, String> {
    let mut doc = Document::load_mem(&part.pdf).map_err(|e| format!("{}：{e}", part.title))?;
    for page in doc.get_pages().into_values() {
        let mut dict = doc.get_dictionary(page).map_err(|e| e.to_string())?.clone();
        for key in [&b"MediaBox"[..], b"CropBox", b"Resources", b"Rotate"] {
            if let Some(v) = inherited(&doc, page, key) {
                dict.set(key.to_vec(), v);
            }
        }
        doc.objects.insert(page, Object::Dictionary(dict));
    }
    Ok(doc)
}

/// The bookmarks `marks` (level, title, page) as the outline `root`: each under the nearest
/// one before it of a lower level, pointing at its page.
fn outline(out: &mut Document, root: ObjectId, marks: &[(usize, String, ObjectId)]) {
    let ids: Vec<ObjectId> = marks.iter().map(|_| out.new_object_id()).collect();
    // Each item's parent: the nearest item before it of a lower level (else the root).
    let mut parents = vec![root; marks.len()];
    let mut open: Vec<(usize, ObjectId)> = vec![];
    for (i, (level, _, _)) in marks.iter().enumerate() {
        while open.last().is_some_and(|(l, _)| l >= level) {
            open.pop();
        }
        parents[i] = open.last().map_or(root, |(_, id)| *id);
        open.push((*level, ids[i]));
    }
    let children = |p: ObjectId| -> Vec<usize> { (0..marks.len()).filter(|&i| parents[i] == p).collect() };
    let mut items: Vec<Dictionary> = marks
        .iter()
        .zip(&parents)
        .map(|((_, title, page), parent)| {
            Dictionary::from_iter([
                ("Title", text(title)),
                ("Parent", Object::Reference(*parent)),
                (
                    "Dest",
                    Object::Array(vec![Object::Reference(*page), Object::Name(b"Fit".to_vec())]),
                ),
            ])
        })
        .collect();
    let mut root_dict = Dictionary::from_iter([("Type", Object::Name(b"Outlines".to_vec()))]);
    for parent in std::iter::once(root).chain(ids.iter().copied()) {
        let kids = children(parent);
        for (k, &i) in kids.iter().enumerate() {
            if k > 0 {
                items[i].set("Prev", ids[kids[k - 1]]);
            }
            if let Some(&next) = kids.get(k + 1) {
                items[i].set("Next", ids[next]);
            }
        }
        let (Some(&first), Some(&last)) = (kids.first(), kids.last()) else {
            continue;
        };
        // Everything below: the items after it up to the next one not nested in it.
        let below = if parent == root {
            marks.len()
        } else {
            let at = ids.iter().position(|id| *id == parent).unwrap_or_default();
            marks[at + 1..].iter().take_while(|(l, _, _)| *l > marks[at].0).count()
        };
        let dict = if parent == root {
            &mut root_dict
        } else {
            let at = ids.iter().position(|id| *id == parent).unwrap_or_default();
            &mut items[at]
        };
        dict.set("First", ids[first]);
        dict.set("Last", ids[last]);
        // Open, showing every item below it: the count of all of them (PDF 32000-1, 12.3.3).
        dict.set("Count", below as i64);
    }
    for (id, item) in ids.into_iter().zip(items) {
        out.objects.insert(id, Object::Dictionary(item));
    }
    out.objects.insert(root, Object::Dictionary(root_dict));
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

/// A4 in points, for a page that does not say its size.
const A4: [f32; 4] = [0.0, 0.0, 595.0, 842.0];

/// The most a page's content may inflate to (a scan's is a few bytes; a vector page's some MB).
const CONTENT_LIMIT: usize = 256 << 20;

/// An evidence page drawn under a page of a box book: page `page` (from 1) of the book gets
/// page `from` (from 1) of `file`.
pub struct Underlay {
    pub page: usize,
    pub file: std::path::PathBuf,
    pub from: u32,
}

/// A number of a PDF array (integer or real).
fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

/// [x0 y0 x1 y1] of a box array.
fn rect(o: &Object) -> Option<[f32; 4]> {
    let a = o.as_array().ok()?;
    let v: Vec<f32> = a.iter().filter_map(number).collect();
    (v.len() == 4).then(|| [v[0].min(v[2]), v[1].min(v[3]), v[0].max(v[2]), v[1].max(v[3])])
}

/// Page `page` of `doc` as a form XObject (its content, resources and visible box), with the
/// matrix that turns it upright (its /Rotate) into a box from the origin: (form, width,
/// height, matrix).
fn page_form(doc: &Document, page: ObjectId) -> Result<(lopdf::Stream, f32, f32, [f32; 6]), String> {
    // A value may be given by reference.
    let value = |key: &[u8]| {
        inherited(doc, page, key).map(|o| match o {
            Object::Reference(r) => doc.get_object(r).cloned().unwrap_or(Object::Null),
            o => o,
        })
    };
    let area = value(b"CropBox")
        .and_then(|b| rect(&b))
        .or_else(|| value(b"MediaBox").and_then(|b| rect(&b)))
        .unwrap_or(A4);
    let [x0, y0, x1, y1] = area;
    let (w, h) = (x1 - x0, y1 - y0);
    let rotate = value(b"Rotate")
        .and_then(|r| number(&r))
        .map_or(0, |r| (r.round() as i64).rem_euclid(360));
    let resources = inherited(doc, page, b"Resources").unwrap_or(Object::Dictionary(Dictionary::new()));
    // Content that inflates beyond reason is a damaged (or hostile) file, not a scan.
    let content = doc
        .get_page_content_with_limit(page, CONTENT_LIMIT)
        .map_err(|e| format!("第 {} 页内容无法读取：{e}", page.0))?;
    let mut form = lopdf::Stream::new(
        Dictionary::from_iter([
            ("Type", Object::Name(b"XObject".to_vec())),
            ("Subtype", Object::Name(b"Form".to_vec())),
            (
                "BBox",
                Object::Array([x0, y0, x1, y1].into_iter().map(Object::Real).collect()),
            ),
            ("Resources", resources),
        ]),
        content,
    );
    let _ = form.compress();
    // Upright: (u, v) from the box's lower left corner, turned clockwise by /Rotate.
    let (shown_w, shown_h, m) = match rotate {
        90 => (h, w, [0.0, -1.0, 1.0, 0.0, -y0, x1]),
        180 => (w, h, [-1.0, 0.0, 0.0, -1.0, x1, y1]),
        270 => (h, w, [0.0, 1.0, -1.0, 0.0, y1, -x0]),
        _ => (w, h, [1.0, 0.0, 0.0, 1.0, -x0, -y0]),
    };
    Ok((form, shown_w, shown_h, m))
}

/// The box book: its typeset pages (`skeleton`: the contents list, each item's pages with the
/// item's number stamped on its first) with the evidence pages drawn under them, each scaled
/// to fit the page and centred, copied at the PDF level (the typesetter never holds the
/// evidence). One evidence file is read at a time.
pub fn underlay(skeleton: &[u8], placed: &[Underlay]) -> Result<Vec<u8>, Unplaced> {
    let book = |e: lopdf::Error| Unplaced::Book(e.to_string());
    let mut out = Document::load_mem(skeleton).map_err(book)?;
    let pages = out.get_pages();
    let mut k = 0;
    while k < placed.len() {
        let file = &placed[k].file;
        let same = placed[k..].iter().take_while(|u| &u.file == file).count();
        let first_id = out.max_id + 1;
        // The file is the county's, not ours: whatever its reader cannot take (an error or a
        // panic it did not foresee) is said of the file.
        let read = std::panic::catch_unwind(|| evidence_forms(file, first_id, &placed[k..k + same]));
        let (doc, forms) = match read {
            Ok(Some(made)) => made,
            _ => return Err(Unplaced::File(file.clone())),
        };
        out.max_id = out.max_id.max(doc.max_id);
        for (id, object) in doc.objects {
            // Their catalogue and page tree stay behind; what the forms use comes along.
            if !matches!(kind(&object), Some(b"Catalog" | b"Pages" | b"Page")) {
                out.objects.insert(id, object);
            }
        }
        for (at, (form, w, h, m)) in forms {
            let Some(&page) = pages.get(&(at as u32)) else { continue };
            let form_id = out.add_object(form);
            let mut dict = out.get_dictionary(page).map_err(book)?.clone();
            let size = inherited(&out, page, b"MediaBox").and_then(|b| rect(&b)).unwrap_or(A4);
            let (pw, ph) = (size[2] - size[0], size[3] - size[1]);
            let s = if w > 0.0 && h > 0.0 { (pw / w).min(ph / h) } else { 1.0 };
            let (ox, oy) = (size[0] + (pw - w * s) / 2.0, size[1] + (ph - h * s) / 2.0);
            let draw = format!(
                "q {s} 0 0 {s} {ox} {oy} cm {} {} {} {} {} {} cm /YjEvidence Do Q\n",
                m[0], m[1], m[2], m[3], m[4], m[5]
            );
            let under = out.add_object(lopdf::Stream::new(Dictionary::new(), draw.into_bytes()));
            // The evidence first, the page's own content (the stamp) over it.
            let mut contents = vec![Object::Reference(under)];
            match dict.get(b"Contents") {
                Ok(Object::Array(a)) => contents.extend(a.iter().cloned()),
                Ok(Object::Reference(r)) => match out.get_object(*r) {
                    Ok(Object::Array(a)) => contents.extend(a.iter().cloned()),
                    _ => contents.push(Object::Reference(*r)),
                },
                Ok(o) => contents.push(o.clone()),
                Err(_) => {}
            }
            dict.set("Contents", Object::Array(contents));
            let mut resources = match inherited(&out, page, b"Resources") {
                Some(Object::Reference(r)) => out.get_dictionary(r).map_err(book)?.clone(),
                Some(Object::Dictionary(d)) => d,
                _ => Dictionary::new(),
            };
            let mut xobjects = match resources.get(b"XObject") {
                Ok(Object::Reference(r)) => out.get_dictionary(*r).map_err(book)?.clone(),
                Ok(Object::Dictionary(d)) => d.clone(),
                _ => Dictionary::new(),
            };
            xobjects.set("YjEvidence", form_id);
            resources.set("XObject", Object::Dictionary(xobjects));
            dict.set("Resources", Object::Dictionary(resources));
            out.objects.insert(page, Object::Dictionary(dict));
        }
        k += same;
    }
    out.prune_objects();
    out.renumber_objects();
    let mut bytes = vec![];
    out.save_to(&mut bytes).map_err(|e| Unplaced::Book(e.to_string()))?;
    Ok(bytes)
}

/// Why a box book was not made: an evidence file that could not be read or drawn (its path),
/// or the book's own pages (the reader's words).
#[derive(Debug)]
pub enum Unplaced {
    File(std::path::PathBuf),
    Book(String),
}

/// `file` read with its objects numbered from `first_id`, and the pages `placed` asks of it
/// as forms; `None` when it cannot be read or a page not drawn.
#[allow(clippy::type_complexity)]
fn evidence_forms(
    file: &std::path::Path,
    first_id: u32,
    placed: &[Underlay],
) -> Option<(Document, Vec<(usize, (lopdf::Stream, f32, f32, [f32; 6]))>)> {
    let mut doc = Document::load(file).ok()?;
    doc.renumber_objects_with(first_id);
    let theirs = doc.get_pages();
    let mut forms = vec![];
    for u in placed {
        let Some(&their) = theirs.get(&u.from) else { continue };
        forms.push((u.page, page_form(&doc, their).ok()?));
    }
    Some((doc, forms))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-page PDF with a correct cross-reference table.
    fn one_page() -> Vec<u8> {
        let objects = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ];
        let mut out = b"%PDF-1.4\n".to_vec();
        let mut offsets = vec![];
        for (k, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            out.extend(format!("{} 0 obj\n{body}\nendobj\n", k + 1).as_bytes());
        }
        let xref = out.len();
        out.extend(b"xref\n0 4\n0000000000 65535 f \n");
        for o in offsets {
            out.extend(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend(format!("trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
        out
    }

    #[test]
    fn an_evidence_file_the_reader_cannot_take_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let (good, bad) = (dir.path().join("好.pdf"), dir.path().join("坏.pdf"));
        std::fs::write(&good, one_page()).unwrap();
        std::fs::write(&bad, b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog").unwrap();
        let at = |file: &std::path::Path| Underlay {
            page: 1,
            file: file.to_path_buf(),
            from: 1,
        };
        assert!(underlay(&one_page(), &[at(&good)]).is_ok());
        match underlay(&one_page(), &[at(&bad)]) {
            Err(Unplaced::File(f)) => assert_eq!(f, bad),
            other => panic!("{:?}", other.map(|b| b.len())),
        }
    }
}
