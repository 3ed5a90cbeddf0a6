//! A minimal valid PDF writer for the example workspaces (no dependencies).

/// A minimal valid PDF: `pages` pages, each with one line of ASCII text.
pub fn sample_pdf(label: &str, pages: u32) -> Vec<u8> {
    let esc = |s: &str| s.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)");
    let mut objects: Vec<String> = Vec::new();
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    let kids: Vec<String> = (0..pages).map(|p| format!("{} 0 R", 4 + 2 * p)).collect();
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages
    ));
    objects.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".into());
    for p in 0..pages {
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * p
        ));
        let text = format!("{} sample page {} of {}", esc(label), p + 1, pages);
        let stream = format!(
            "BT /F1 14 Tf 72 770 Td ({text}) Tj ET\nBT /F1 10 Tf 72 750 Td (Shili County - fictional evidence for yingjian) Tj ET\n"
        );
        objects.push(format!("<< /Length {} >>\nstream\n{}endstream", stream.len(), stream));
    }
    let objects: Vec<Vec<u8>> = objects.into_iter().map(String::into_bytes).collect();
    file(&objects)
}

/// A scanned document: one JPEG (`width` × `height` pixels, grey) per A4 page, drawn over
/// the whole page, as a scanner writes it.
#[allow(dead_code)]
pub fn scanned_pdf(jpegs: &[Vec<u8>], width: u32, height: u32) -> Vec<u8> {
    let n = jpegs.len();
    // Objects: 1 catalog, 2 pages, then per page: page, contents, image.
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {n} >>",
            (0..n)
                .map(|p| format!("{} 0 R", 3 + 3 * p))
                .collect::<Vec<_>>()
                .join(" ")
        )
        .into_bytes(),
    ];
    for (p, jpeg) in jpegs.iter().enumerate() {
        let id = 3 + 3 * p;
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 {} 0 R >> >> /Contents {} 0 R >>",
                id + 2,
                id + 1
            )
            .into_bytes(),
        );
        let content = "q 595 0 0 842 0 0 cm /Im0 Do Q\n";
        objects.push(format!("<< /Length {} >>\nstream\n{content}endstream", content.len()).into_bytes());
        let mut image = format!(
            "<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
            jpeg.len()
        )
        .into_bytes();
        image.extend_from_slice(jpeg);
        image.extend_from_slice(b"\nendstream");
        objects.push(image);
    }
    file(&objects)
}

/// The file of `objects` (numbered from 1, the first the catalogue), its cross-reference
/// table and trailer.
fn file(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out: Vec<u8> = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (k, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", k + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut tail = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for off in offsets {
        tail.push_str(&format!("{off:010} 00000 n \n"));
    }
    tail.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{}\n%%EOF\n",
        objects.len() + 1,
        xref
    ));
    out.extend_from_slice(tail.as_bytes());
    out
}
