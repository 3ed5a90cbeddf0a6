//! 文件汇编: contents page numbers against where documents really start, bookmarks, bad input.

mod support;

use hayro_syntax::object::{Dict, String as PdfString};
use support::sample_copy;
use yingjian::render::typst::compile::page_texts;

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Bookmark titles of a PDF: the outline's top-level items, First → Next.
fn bookmarks(pdf: Vec<u8>) -> Vec<String> {
    let pdf = hayro_syntax::Pdf::new(pdf).unwrap();
    let xref = pdf.xref();
    let root: Dict = xref.get(xref.root_id()).unwrap();
    let Some(outlines) = root.get::<Dict>(b"Outlines") else {
        return vec![];
    };
    let mut out = vec![];
    let mut item = outlines.get::<Dict>(b"First");
    while let Some(d) = item {
        let t = d
            .get::<PdfString>(b"Title")
            .map(|s| s.as_bytes().to_vec())
            .unwrap_or_default();
        // UTF-16BE with a byte-order mark, else PDFDocEncoding (ASCII here).
        let title = if t.starts_with(&[0xFE, 0xFF]) {
            let units: Vec<u16> = t[2..]
                .chunks(2)
                .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
                .collect();
            String::from_utf16_lossy(&units)
        } else {
            String::from_utf8_lossy(&t).into_owned()
        };
        out.push(title);
        item = d.get::<Dict>(b"Next");
    }
    out
}

#[test]
fn contents_page_numbers_match_where_documents_start() {
    let dir = sample_copy();
    let root = dir.path();
    let built = yingjian::build(root).unwrap();
    assert!(!built.assessment.has_errors());
    let ws = yingjian::load::load(root).0;
    assert!(ws.documents.len() >= 8, "the sample compiles at least 8 documents");
    let mut diags = yingjian::diag::Diagnostics::default();
    let data = yingjian::render::data::compilation::data(&ws, &mut diags).unwrap();
    let world = yingjian::render::typst::world::YjWorld::new(
        root,
        "compilation.typ",
        serde_json::to_vec(&data).unwrap(),
        ws.config.as_ref().unwrap().today,
    )
    .unwrap();
    let doc = yingjian::render::typst::compile::compile(&world)
        .unwrap_or_else(|d| panic!("{}", yingjian::diag::render_human(&d)));
    let pages: Vec<String> = page_texts(&doc.document).iter().map(|p| squash(p)).collect();
    let contents = &pages[1];
    // Body page n is document page index n - 1 + (cover + contents).
    let offset = pages.iter().position(|p| p.ends_with("—1—")).unwrap();
    let ordered = yingjian::render::data::compilation::ordered(&ws.documents, &ws.document_categories);
    let mut expected_next: Option<u32> = None;
    for (_, docs) in ordered {
        for d in docs {
            let title = squash(&d.title);
            let at = contents
                .find(&title)
                .unwrap_or_else(|| panic!("{title} not in contents"));
            let after = &contents[at + title.len()..];
            let digits: String = after
                .trim_start_matches('．')
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            let listed: u32 = digits
                .parse()
                .unwrap_or_else(|_| panic!("no page number after {title}: {after:.40}"));
            match &d.source {
                yingjian::model::Source::Markdown { .. } => {
                    let page = &pages[listed as usize - 1 + offset];
                    assert!(
                        page.contains(&title[..title.len().min(30)]),
                        "{title} listed on page {listed} but not there"
                    );
                    expected_next = None;
                }
                yingjian::model::Source::Pdf { pages: n, .. } => {
                    if let Some(e) = expected_next {
                        assert_eq!(listed, e, "{title}");
                    }
                    // The next document starts right after this PDF's pages.
                    expected_next = Some(listed + n);
                }
            }
        }
    }
    // One bookmark per document, in order, titled as the document.
    let marks = bookmarks(std::fs::read(root.join("out/文件汇编.pdf")).unwrap());
    let titles: Vec<String> = yingjian::render::data::compilation::ordered(&ws.documents, &ws.document_categories)
        .into_iter()
        .flat_map(|(_, docs)| docs.into_iter().map(|d| d.title.clone()))
        .collect();
    assert_eq!(marks, titles);
}

#[test]
fn bad_front_matter_and_corrupt_pdf_leave_the_rest_building() {
    let dir = sample_copy();
    let root = dir.path();
    let docs = root.join("content/documents");
    // 成文日期 malformed on line 5 of the file; a PDF that is not a PDF.
    std::fs::write(
        docs.join("07-坏.md"),
        "---\n标题: 测试\n发文机关: 测试县\n文号: 无\n成文日期: 2025年13月1日\n类别: 制度文件\n---\n正文\n",
    )
    .unwrap();
    std::fs::write(docs.join("学校布局专项规划.pdf"), b"%PDF-1.7 broken").unwrap();
    // HTML in the body of a document whose front matter is followed by a blank line:
    // `---` line 1, front matter 2–5, `---` 6, blank 7, 正文 8, blank 9, the HTML line 10.
    std::fs::write(
        docs.join("08-带HTML.md"),
        "---\n标题: 测试二\n发文机关: 测试县\n成文日期: 2025-03-01\n类别: 制度文件\n---\n\n正文\n\n<div>附件</div>\n",
    )
    .unwrap();
    let built = yingjian::build(root).unwrap();
    assert!(
        !built.assessment.has_errors(),
        "{}",
        yingjian::diag::render_human(&built.assessment.diagnostics)
    );
    let d = built
        .assessment
        .diagnostics
        .iter()
        .find(|d| d.at.starts_with("content/documents/07-坏.md"))
        .expect("front matter diagnostic");
    assert_eq!(d.at, "content/documents/07-坏.md:5:7", "{}", d.message);
    let html = built
        .assessment
        .diagnostics
        .iter()
        .find(|d| d.code == "markdown-html")
        .expect("HTML diagnostic");
    // The body "正文\n\n<div>附件</div>" puts the HTML on its line 3; 7 lines come before
    // the body (`---`, 4 front matter lines, `---`, one blank): 7 + 3 = line 10.
    assert_eq!(html.at, "content/documents/08-带HTML.md:10:1", "{}", html.message);
    assert!(
        built
            .assessment
            .diagnostics
            .iter()
            .any(|d| d.code == "document-unreadable" && d.at == "content/documents/学校布局专项规划.pdf")
    );
    // The compilation still builds without the two broken documents: the sample's 9
    // documents − the broken PDF + 08-带HTML.md = 9 (07-坏.md never counted).
    let marks = bookmarks(std::fs::read(root.join("out/文件汇编.pdf")).unwrap());
    assert_eq!(marks.len(), 9);
    assert!(!marks.iter().any(|m| m.contains("学校布局专项规划")));
}
