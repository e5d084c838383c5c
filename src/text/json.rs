//! JSON as the site publishes it (search index, open data): `<`, `>` and `&` written as
//! `\u003c`, `\u003e`, `\u0026`, so an editor's text stays data even if a file is ever
//! read as HTML or pasted into a `<script>`. JSON readers get the same strings back.

use std::cell::RefCell;

use serde::{Serialize, Serializer};

/// `value` as JSON (indented when `pretty`), with the HTML-significant characters escaped.
pub fn to_vec<T: Serialize>(value: &T, pretty: bool) -> Vec<u8> {
    // Plain data structures with string keys always serialise.
    let json = if pretty {
        serde_json::to_vec_pretty(value)
    } else {
        serde_json::to_vec(value)
    }
    .unwrap_or_default();
    // Outside strings JSON has none of these three bytes, so escaping them everywhere only
    // touches string contents. Room for the escapes and a final newline, so that neither
    // grows (and doubles) a large file's buffer.
    let escapes = json
        .iter()
        .filter(|b| matches!(b, b'<' | b'>' | b'&'))
        .count();
    let mut out = Vec::with_capacity(json.len() + 5 * escapes + 1);
    for b in json {
        match b {
            b'<' => out.extend_from_slice(b"\\u003c"),
            b'>' => out.extend_from_slice(b"\\u003e"),
            b'&' => out.extend_from_slice(b"\\u0026"),
            _ => out.push(b),
        }
    }
    out
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
