//! JSON as the site publishes it (search index, open data): `<`, `>` and `&` written as
//! `\u003c`, `\u003e`, `\u0026`, so an editor's text stays data even if a file is ever
//! read as HTML or pasted into a `<script>`. JSON readers get the same strings back.

use std::cell::RefCell;

use serde::{Serialize, Serializer};

/// `value` as JSON (indented when `pretty`), with the HTML-significant characters escaped.
pub fn to_vec<T: Serialize>(value: &T, pretty: bool) -> Vec<u8> {
    let mut out = Escaping(Vec::new());
    // Plain data structures with string keys always serialise, and a Vec takes any write.
    let _ = if pretty {
        serde_json::to_writer_pretty(&mut out, value)
    } else {
        serde_json::to_writer(&mut out, value)
    };
    out.0
}

/// Collects JSON with `<`, `>` and `&` written as `\u003c`, `\u003e` and `\u0026`, as it is
/// written: one buffer, never a second copy of a large file. Outside strings JSON has none
/// of these bytes, so escaping them everywhere only touches string contents.
struct Escaping(Vec<u8>);

impl std::io::Write for Escaping {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(i) = memchr::memchr3(b'<', b'>', b'&', rest) {
            self.0.extend_from_slice(&rest[..i]);
            self.0.extend_from_slice(match rest[i] {
                b'<' => b"\\u003c",
                b'>' => b"\\u003e",
                _ => b"\\u0026",
            });
            rest = &rest[i + 1..];
        }
        self.0.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A list serialised as its items are made, so a large file never holds all its records
/// at once. Serialises once; a second time it is an empty list.
pub struct Stream<I>(RefCell<Option<I>>);

impl<I> Stream<I> {
    pub fn new(items: I) -> Self {
        Stream(RefCell::new(Some(items)))
    }
}

impl<I> Serialize for Stream<I>
where
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.borrow_mut().take() {
            Some(items) => s.collect_seq(items),
            None => s.collect_seq(std::iter::empty::<I::Item>()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_round_trips() {
        let s = "</script><b>&amp;";
        let bytes = to_vec(&vec![s], false);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        let back: Vec<String> = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(back, [s]);
    }

    #[test]
    fn a_stream_is_a_list() {
        let items = Stream::new((1..4).map(|i| i * 2));
        assert_eq!(to_vec(&items, false), b"[2,4,6]");
    }
}
