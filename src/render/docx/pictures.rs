//! The Word report's chart pictures, each chart rendered once: kept in the store's picture
//! cache (out/.yingjian/pictures/) by a hash of what draws it (the chart's data, the
//! templates, the resolution, the version), so a correction renders again only the charts it
//! moved. Charts not in the cache are rendered in parallel. What this build did not use is
//! removed.

use rayon::prelude::*;
use serde_json::Value;
use std::path::Path;

use super::report::{Picture, chart_blocks};
use crate::diag::{Diagnostic, Location};
use crate::hash::Fnv;
use crate::model::Date;
use crate::render::{templates, typst::compile};
use crate::store::Store;

/// The pictures of `charts` (`{stage, chart}` each), a picture per block of bars, in order.
pub fn charts(
    root: &Path,
    template: &str,
    charts: &[Value],
    today: Date,
    dpi: f32,
    store: &dyn Store,
) -> Result<Vec<Picture>, Vec<Diagnostic>> {
    let drawn_by = templates::hash(root, template);
    let keyed: Vec<(String, &Value)> = charts
        .iter()
        .map(|c| {
            let mut h = Fnv::default();
            h.add(format!("{}|{drawn_by}|{template}|{dpi}|", env!("CARGO_PKG_VERSION")).as_bytes());
            let _ = serde_json::to_writer(&mut h, c);
            (format!("{:016x}", h.0), c)
        })
        .collect();
    let drawn: Vec<Result<Vec<Picture>, Vec<Diagnostic>>> = keyed
        .par_iter()
        .map(|(key, c)| {
            let blocks = chart_blocks(c["chart"]["bars"].as_array().map_or(0, Vec::len));
            if let Some(cached) = cached(store, key, blocks) {
                return Ok(cached);
            }
            let data = serde_json::json!({ "charts": [c] });
            let pictures = compile::pictures(root, template, &data, today, dpi)?;
            // One picture per block of bars; a template drawing otherwise cannot be matched up.
            if pictures.len() != blocks {
                return Err(vec![
                    Diagnostic::error(
                        "typst",
                        Location::file(format!("templates/{template}")),
                        format!(
                            "图表模板为一个图表画出 {} 张图，应为 {blocks} 张（每 {} 所学校一张）",
                            pictures.len(),
                            super::report::PER_BLOCK
                        ),
                    )
                    .with_hint("若修改过 templates/chart.typ 或 charts.typ，请保持每个图表每块一页"),
                ]);
            }
            for (k, (png, _)) in pictures.iter().enumerate() {
                store.keep_picture(&format!("{key}-{k}.png"), png);
            }
            Ok(pictures)
        })
        .collect();
    let mut out = vec![];
    for d in drawn {
        out.extend(d?);
    }
    // Pictures of charts drawn differently now go.
    store.forget_pictures(&|name| keyed.iter().any(|(key, _)| name.starts_with(key.as_str())));
    Ok(out)
}

/// The `blocks` pictures of chart `key` as an earlier build left them, when all are there.
fn cached(store: &dyn Store, key: &str, blocks: usize) -> Option<Vec<Picture>> {
    (0..blocks)
        .map(|k| {
            let png = store.picture(&format!("{key}-{k}.png"))?;
            let size = png_size(&png)?;
            Some((png, size))
        })
        .collect()
}

/// Width and height from a PNG's header chunk.
fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    if png.get(..8)? != b"\x89PNG\r\n\x1a\n" || png.get(12..16)? != b"IHDR" {
        return None;
    }
    let at = |i: usize| Some(u32::from_be_bytes(png.get(i..i + 4)?.try_into().ok()?));
    Some((at(16)?, at(20)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_size_reads_the_header_chunk() {
        // 8-byte signature, chunk length 13, "IHDR", width 1654, height 2339.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(1654u32.to_be_bytes());
        png.extend(2339u32.to_be_bytes());
        assert_eq!(png_size(&png), Some((1654, 2339)));
        assert_eq!(png_size(b"GIF89a"), None);
    }
}
