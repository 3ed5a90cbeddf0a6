//! Compressed streams of a PDF, measured before a reader inflates them. A FlateDecode stream
//! of a few kilobytes (compressed twice) can inflate to gigabytes: the readers inflate object
//! streams whole when the file is opened and the box book inflates each page's content. Each
//! such stream (images aside, which are copied as they are) is inflated here into a small
//! buffer, counting, and the file is refused past `MAX_STREAM` for one stream or
//! `MAX_STREAMS` for all; object streams are kept (at most `MAX_OBJECT_STREAM`) and scanned like
//! the rest of the file, since the objects inside them are parsed just as deep.

use std::io::Read;

/// Most bytes one stream may inflate to: the box book's limit for a page's content
/// (src/render/assemble.rs `CONTENT_LIMIT`); a scanned page's content is a few bytes.
pub const MAX_STREAM: u64 = 256 << 20;

/// Most bytes an object stream may inflate to: it is held whole to be scanned (the objects
/// of a real file's object stream come to kilobytes, rarely a few megabytes).
pub const MAX_OBJECT_STREAM: u64 = 64 << 20;

/// Most bytes all the inflated streams of one file may come to.
pub const MAX_STREAMS: u64 = 1 << 30;

/// Compression layers inflated (`/Filter [/FlateDecode /FlateDecode]` is two).
const MAX_LAYERS: usize = 4;

/// A stream's dictionary and its data, as the byte scan found them.
pub struct Stream<'a> {
    pub dict: &'a [u8],
    pub data: &'a [u8],
}

/// What inflating the file's streams found: a reason to refuse it, or the contents of its
/// object streams to scan.
pub enum Inflated {
    Refused(&'static str),
    ObjectStreams(Vec<Vec<u8>>),
}

pub fn inflate(streams: &[Stream]) -> Inflated {
    let mut total = 0u64;
    let mut objects = vec![];
    for s in streams {
        let layers = count(s.dict, b"/FlateDecode");
        if layers == 0 || contains(s.dict, b"/Image") {
            continue;
        }
        if layers > MAX_LAYERS {
            return Inflated::Refused(LAYERS);
        }
        let keep = contains(s.dict, b"/ObjStm");
        let limit = if keep { MAX_OBJECT_STREAM } else { MAX_STREAM };
        let (size, kept) = bounded(s.data, layers, limit, keep);
        if size > limit {
            return Inflated::Refused(BOMB);
        }
        total += size;
        if total > MAX_STREAMS {
            return Inflated::Refused(BOMB);
        }
        objects.extend(kept);
    }
    Inflated::ObjectStreams(objects)
}

const BOMB: &str = "PDF 中的压缩数据解压后过大（一个数据流超过 256 MB、一个对象流超过 64 MB 或合计超过 1 GB），文件已损坏或经过篡改，未读取";
const LAYERS: &str = "PDF 中的数据流压缩层数过多（超过 4 层），文件已损坏或经过篡改，未读取";

/// Bytes `data` inflates to through `layers` zlib layers, counted up to one past `limit`,
/// and the bytes themselves when `keep`. Damaged data ends the count where it
/// breaks (the readers cope with such streams as they can).
fn bounded(data: &[u8], layers: usize, limit: u64, keep: bool) -> (u64, Option<Vec<u8>>) {
    let mut reader: Box<dyn Read + '_> = Box::new(flate2::read::ZlibDecoder::new(data));
    for _ in 1..layers {
        reader = Box::new(flate2::read::ZlibDecoder::new(reader));
    }
    let mut reader = reader.take(limit + 1);
    let mut buf = vec![0u8; 64 * 1024];
    let (mut size, mut kept) = (0u64, keep.then(Vec::new));
    while let Ok(n) = reader.read(&mut buf) {
        if n == 0 {
            break;
        }
        size += n as u64;
        if let Some(k) = &mut kept {
            k.extend_from_slice(&buf[..n]);
        }
    }
    (size, kept)
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    count(hay, needle) > 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut z = flate2::write::ZlibEncoder::new(vec![], flate2::Compression::best());
        z.write_all(data).unwrap();
        z.finish().unwrap()
    }

    #[test]
    fn a_stream_inflating_past_the_limit_is_refused() {
        // 300 MB of zeros compressed twice: about 300 kB, then a few hundred bytes.
        let once = {
            let mut z = flate2::write::ZlibEncoder::new(vec![], flate2::Compression::best());
            let chunk = vec![0u8; 1 << 20];
            for _ in 0..300 {
                z.write_all(&chunk).unwrap();
            }
            z.finish().unwrap()
        };
        let twice = zlib(&once);
        let dict = b"<< /Filter [/FlateDecode /FlateDecode] /Length 1 >>";
        let s = [Stream { dict, data: &twice }];
        assert!(matches!(inflate(&s), Inflated::Refused(m) if m == BOMB));
        // The same data as an image is not inflated.
        let image = [Stream {
            dict: b"<< /Subtype /Image /Filter [/FlateDecode /FlateDecode] >>",
            data: &twice,
        }];
        assert!(matches!(inflate(&image), Inflated::ObjectStreams(o) if o.is_empty()));
    }

    #[test]
    fn object_streams_are_kept_and_small_streams_pass() {
        let objects = zlib(b"3 0 << /Type /Page >>");
        let s = [
            Stream {
                dict: b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >>",
                data: &objects,
            },
            Stream {
                dict: b"<< /Filter /FlateDecode >>",
                data: &zlib(b"q 1 0 0 1 0 0 cm Q"),
            },
        ];
        match inflate(&s) {
            Inflated::ObjectStreams(o) => assert_eq!(o, vec![b"3 0 << /Type /Page >>".to_vec()]),
            Inflated::Refused(m) => panic!("{m}"),
        }
    }
}
