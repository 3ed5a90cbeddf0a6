//! What a PDF asks of the reader before it is parsed: a cross-reference table claiming two
//! billion objects (gigabytes allocated), dictionaries and arrays nested thousands deep, or a
//! page tree of thousands of levels overflow the reader's stack and end the process. Such a
//! file is refused from a scan of its bytes, and what passes is read on a thread with a
//! large stack; docs/fuzzing.md lists the limits.

/// Deepest nesting of arrays and dictionaries outside streams (real files stay below 20).
pub const MAX_NESTING: usize = 100;

/// Most page-tree nodes (`/Type /Pages`) seen outside compressed streams: the tree's depth
/// is at most their number (real files have one per 10 to 100 pages).
pub const MAX_PAGE_NODES: usize = 1000;

use super::pdf_streams::{Inflated, Stream};

/// The stack of the thread that reads a PDF.
const STACK: usize = 64 * 1024 * 1024;

/// Why `bytes` are refused before parsing, or `None`. The objects inside object streams
/// count as the rest (see `pdf_streams`).
pub fn refuse(bytes: &[u8]) -> Option<&'static str> {
    let mut found = Found::default();
    let streams = scan(bytes, &mut found);
    if let Some(why) = found.verdict(bytes.len()) {
        return Some(why);
    }
    match super::pdf_streams::inflate(&streams) {
        Inflated::Refused(why) => Some(why),
        Inflated::ObjectStreams(objects) => {
            for o in &objects {
                scan(o, &mut found);
            }
            found.verdict(bytes.len())
        }
    }
}

/// What the byte scan counts: the deepest nesting, page-tree nodes, the largest /Size.
#[derive(Default)]
struct Found {
    deepest: usize,
    nodes: usize,
    size: u64,
}

impl Found {
    fn verdict(&self, len: usize) -> Option<&'static str> {
        if self.size > len as u64 {
            Some("PDF 的交叉引用表声明的对象数远超文件大小，文件已损坏或经过篡改，未读取")
        } else if self.deepest > MAX_NESTING {
            Some("PDF 中的数组或字典嵌套层数过多（超过 100 层），文件已损坏或经过篡改，未读取")
        } else if self.nodes > MAX_PAGE_NODES {
            Some("PDF 的页面目录层级或节点过多（超过 1000 个），文件已损坏或经过篡改，未读取")
        } else {
            None
        }
    }
}

/// Counts into `found` what `bytes` hold outside streams, and returns the streams.
fn scan<'a>(bytes: &'a [u8], found: &mut Found) -> Vec<Stream<'a>> {
    let mut depth = 0usize;
    let mut streams = vec![];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => i = skip_to_eol(bytes, i),
            b'(' => i = skip_string(bytes, i),
            b'[' => depth += 1,
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 1;
            }
            b']' => depth = depth.saturating_sub(1),
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b's' if bytes[i..].starts_with(b"stream") && bytes[..i].trim_ascii_end().ends_with(b">>") => {
                let end = find(bytes, i, b"endstream").unwrap_or(bytes.len());
                streams.push(stream_at(bytes, i, end));
                i = end;
            }
            b'/' if bytes[i..].starts_with(b"/Pages") && typed(bytes, i) => found.nodes += 1,
            b'/' if bytes[i..].starts_with(b"/Size") => found.size = found.size.max(number_after(bytes, i + 5)),
            _ => {}
        }
        found.deepest = found.deepest.max(depth);
        i += 1;
    }
    streams
}

/// The stream whose keyword `stream` is at `i` and whose `endstream` ends at `end`: its
/// dictionary (from its object's `obj`) and its data.
fn stream_at(bytes: &[u8], i: usize, end: usize) -> Stream<'_> {
    let from = i.saturating_sub(64 * 1024);
    let dict_start = bytes[from..i]
        .windows(3)
        .rposition(|w| w == b"obj")
        .map_or(from, |p| from + p);
    let mut start = i + b"stream".len();
    for eol in [b'\r', b'\n'] {
        if bytes.get(start) == Some(&eol) {
            start += 1;
        }
    }
    let stop = (end + 1).saturating_sub(b"endstream".len()).max(start).min(bytes.len());
    Stream {
        dict: &bytes[dict_start..i],
        data: &bytes[start..stop],
    }
}

/// Runs `read` on `bytes` on a thread with a large stack (a page tree is read recursively).
pub fn on_big_stack<T: Send>(bytes: Vec<u8>, read: impl FnOnce(Vec<u8>) -> T + Send) -> Option<T> {
    std::thread::scope(|s| {
        let worker = std::thread::Builder::new()
            .stack_size(STACK)
            .spawn_scoped(s, move || read(bytes))
            .ok()?;
        worker.join().ok()
    })
}

/// Whether the `/Pages` at `i` is the value of a `/Type` key (not the catalogue's `/Pages 2 0 R`).
fn typed(bytes: &[u8], i: usize) -> bool {
    let after = bytes.get(i + 6).copied().unwrap_or(b' ');
    if after.is_ascii_alphanumeric() {
        return false;
    }
    let before = bytes[..i].trim_ascii_end();
    before.ends_with(b"/Type")
}

fn skip_to_eol(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .map_or(bytes.len(), |p| i + p)
}

/// The index of the `)` closing the literal string opened at `i` (nested and escaped
/// parentheses count as PDF says).
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    let mut open = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => open += 1,
            b')' => {
                open -= 1;
                if open == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, what: &[u8]) -> Option<usize> {
    bytes[from..]
        .windows(what.len())
        .position(|w| w == what)
        .map(|p| from + p + what.len() - 1)
}

fn number_after(bytes: &[u8], mut i: usize) -> u64 {
    while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
        i += 1;
    }
    let mut n: u64 = 0;
    while let Some(d) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
        n = n.saturating_mul(10).saturating_add(u64::from(d - b'0'));
        i += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absurd_sizes_and_depths_are_refused_and_ordinary_files_pass() {
        let ok = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Size 3 >>\n";
        assert_eq!(refuse(ok), None);
        // 307 bytes claiming 2 147 483 647 objects.
        let mut huge = ok.to_vec();
        huge.extend(b"<< /Size 2147483647 >>");
        assert!(refuse(&huge).unwrap().contains("对象数"));
        // 101 levels of arrays: one more than allowed; brackets inside a string or a stream do not count.
        let deep = [b"[".repeat(101), b"]".repeat(101)].concat();
        assert!(refuse(&deep).unwrap().contains("嵌套"));
        let hidden = [
            b"(".to_vec(),
            b"[".repeat(200),
            b") << >> stream\n".to_vec(),
            b"<<".repeat(200),
            b"\nendstream".to_vec(),
        ]
        .concat();
        assert_eq!(refuse(&hidden), None);
        // 1 001 page-tree nodes.
        let nodes = b"<< /Type /Pages /Kids [] >>".repeat(1001);
        assert!(refuse(&nodes).unwrap().contains("页面目录"));
    }
}
