//! Where a value stands in a YAML text: maps a path such as `targets.0.progress.1.as_of` to
//! its line and column, so that problems found after parsing (an unknown unit, a duplicate
//! target id) can point an editor at the exact spot in the file.
//!
//! serde_yaml forgets positions once a document is parsed; this re-reads the same text with
//! the event parser of `saphyr-parser`, which reports a span for every event.
//!
//! Paths are dot-separated mapping keys and sequence indexes. For a mapping entry the
//! position is that of its key (`by:` for `targets.0.by`); for a sequence item it is the
//! start of the item (the `{` or the first key of a block mapping, or the scalar itself).

use std::collections::HashMap;

use saphyr_parser::{Event, Parser};

/// A 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Positions of every node of one YAML document, by path.
#[derive(Debug, Clone, Default)]
pub struct YamlPositions {
    by_path: HashMap<String, Position>,
    /// Where the text starts in its file, for paths that cannot be found.
    start: Position,
}

enum Frame {
    Map { path: String, key: Option<String> },
    Seq { path: String, index: usize },
}

impl YamlPositions {
    /// Indexes `text`, whose first line is line `first_line` of its file (e.g. 2 for front
    /// matter after an opening `---`). Text that is not valid YAML yields an empty index
    /// whose lookups all answer the first line: the YAML error itself is reported by the
    /// loader.
    pub fn new(text: &str, first_line: usize) -> Self {
        let start = Position {
            line: first_line.max(1),
            column: 1,
        };
        let mut by_path = HashMap::new();
        let mut stack: Vec<Frame> = Vec::new();
        let offset = first_line.max(1) - 1;
        for event in Parser::new_from_str(text) {
            let Ok((event, span)) = event else {
                return YamlPositions {
                    by_path: HashMap::new(),
                    start,
                };
            };
            let pos = Position {
                line: span.start.line() + offset,
                column: span.start.col() + 1,
            };
            match event {
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map { path, key }) = stack.last_mut()
                        && key.is_none()
                    {
                        let full = join(path, &value);
                        by_path.entry(full).or_insert(pos);
                        *key = Some(value.into_owned());
                        continue;
                    }
                    if let Some(path) = value_path(&stack) {
                        by_path.entry(path).or_insert(pos);
                    }
                    advance(&mut stack);
                }
                Event::MappingStart(..) | Event::SequenceStart(..) => {
                    let path = value_path(&stack).unwrap_or_default();
                    by_path.entry(path.clone()).or_insert(pos);
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Frame::Map { path, key: None }
                    } else {
                        Frame::Seq { path, index: 0 }
                    });
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    stack.pop();
                    advance(&mut stack);
                }
                Event::Alias(_) => advance(&mut stack),
                _ => {}
            }
        }
        YamlPositions { by_path, start }
    }

    /// The position of `path`, if the text has it.
    pub fn get(&self, path: &str) -> Option<Position> {
        self.by_path.get(path).copied()
    }

    /// The position of the first of `paths` the text has, else the start of the text.
    pub fn find(&self, paths: &[&str]) -> Position {
        paths.iter().find_map(|p| self.get(p)).unwrap_or(self.start)
    }
}

fn join(base: &str, key: &str) -> String {
    if base.is_empty() {
        key.to_string()
    } else {
        format!("{base}.{key}")
    }
}

/// The path of the value about to be read in the innermost container.
fn value_path(stack: &[Frame]) -> Option<String> {
    match stack.last() {
        None => Some(String::new()),
        Some(Frame::Map { path, key }) => key.as_deref().map(|k| join(path, k)),
        Some(Frame::Seq { path, index }) => Some(join(path, &index.to_string())),
    }
}

/// After a value: a mapping waits for its next key, a sequence moves to its next item.
fn advance(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Map { key, .. }) => *key = None,
        Some(Frame::Seq { index, .. }) => *index += 1,
        None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "title: 提升\nlead_units: [市教育体育局, 市科协]\nunits:\n  - 市农牧局\n  - 各成员单位\ntargets:\n  - id: a\n    value: 25\n    by: 2025\n    progress:\n      - {value: 18, as_of: 2023-12-31}\n      - value: 20\n        source: 年报\n";

    #[test]
    fn keys_items_and_flow_entries() {
        let p = YamlPositions::new(TEXT, 2);
        let at = |path: &str| p.get(path).map(|x| (x.line, x.column));
        assert_eq!(at("title"), Some((2, 1)));
        assert_eq!(at("lead_units.0"), Some((3, 14)));
        assert_eq!(at("lead_units.1"), Some((3, 22)));
        assert_eq!(at("units.1"), Some((6, 5)));
        assert_eq!(at("targets.0.id"), Some((8, 5)));
        assert_eq!(at("targets.0.by"), Some((10, 5)));
        assert_eq!(at("targets.0.progress.0"), Some((12, 9)));
        assert_eq!(at("targets.0.progress.1"), Some((13, 9)));
        assert_eq!(at("targets.0.progress.1.source"), Some((14, 9)));
        assert_eq!(at("targets.1"), None);
    }

    #[test]
    fn fallback_is_the_first_line() {
        let p = YamlPositions::new("a: [unclosed", 5);
        assert_eq!(p.find(&["a"]), Position { line: 5, column: 1 });
        let p = YamlPositions::new(TEXT, 2);
        assert_eq!(p.find(&["nope", "title"]).line, 2);
    }
}
