//! Tokenizing for the search index: normalization, Han n-grams, numbers and pinyin.
//!
//! The browser (`themes/default/static/js/search.js`, functions `normalize`, `segments`
//! and the query planner) applies the same rules to queries; change both together.
//!
//! Rules:
//! - Normalization: full-width ASCII becomes half-width, ASCII letters are lowercased.
//! - Text splits into *segments*: runs of Han characters, and *words* (runs of ASCII
//!   letters and digits, with `.` between digits and one trailing `%` after a digit).
//!   Everything else separates segments.
//! - A Han run yields every character (unigram) and every pair of neighbours (bigram), so
//!   any one- or two-character query, and any longer substring (as overlapping bigrams),
//!   finds the page without a dictionary.
//! - A word yields itself; `14%` also yields `14`; a number directly followed by a Han
//!   character also yields the pair as one token (`25所`, `2025年`).
//! - Pinyin tokens (only for titles, headings and unit names): for every run of 1 to
//!   [`PINYIN_MAX`] Han characters, the full pinyin prefixed with `'` (`'kejiguan`) and, for
//!   runs of 2 or more, the initials prefixed with `^` (`^kjg`).

use crate::text::is_han;
use crate::text::pinyin::{push_ascii, syllables};

/// Longest run of syllables indexed as one pinyin token; longer queries are split into
/// overlapping runs of this length.
pub const PINYIN_MAX: usize = 4;

/// Prefix of full-pinyin tokens.
pub const FULL_PREFIX: char = '\'';
/// Prefix of initials tokens.
pub const INITIALS_PREFIX: char = '^';

/// Full-width ASCII to half-width, ASCII letters to lower case.
pub fn normalize_char(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// A piece of text between separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A run of Han characters.
    Han(Vec<char>),
    /// An ASCII word or number; `next_han` is the Han character right after it, if any.
    Word {
        text: String,
        next_han: Option<char>,
    },
}

/// Split normalized text into segments (see the module rules).
pub fn segments(text: &str) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().map(normalize_char).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_han(c) {
            let start = i;
            while i < chars.len() && is_han(chars[i]) {
                i += 1;
            }
            out.push(Segment::Han(chars[start..i].to_vec()));
        } else if c.is_ascii_alphanumeric() {
            let mut word = String::new();
            while i < chars.len() {
                let c = chars[i];
                let after_digit = word.ends_with(|p: char| p.is_ascii_digit());
                let decimal_point =
                    c == '.' && after_digit && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                if c.is_ascii_alphanumeric() || decimal_point {
                    word.push(c);
                } else if c == '%' && after_digit {
                    word.push(c);
                    i += 1;
                    break;
                } else {
                    break;
                }
                i += 1;
            }
            let next_han = chars.get(i).copied().filter(|c| is_han(*c));
            out.push(Segment::Word {
                text: word,
                next_han,
            });
        } else {
            i += 1;
        }
    }
    out
}

/// True for a word made of digits (and a decimal point) only.
pub fn is_number(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
        && word.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Calls `emit` with every index token of `text` (Han n-grams, words, numbers), and with
/// its pinyin tokens when `with_pinyin` is set. Tokens repeat as often as they occur.
pub fn tokens(text: &str, with_pinyin: bool, emit: &mut impl FnMut(String)) {
    for seg in segments(text) {
        match seg {
            Segment::Han(run) => {
                for (i, c) in run.iter().enumerate() {
                    emit(c.to_string());
                    if let Some(n) = run.get(i + 1) {
                        emit([*c, *n].iter().collect());
                    }
                }
                if with_pinyin {
                    pinyin_tokens(&run, emit);
                }
            }
            Segment::Word { text, next_han } => {
                if let Some(bare) = text.strip_suffix('%') {
                    emit(bare.to_string());
                }
                if let (true, Some(h)) = (is_number(&text), next_han) {
                    emit(format!("{text}{h}"));
                }
                emit(text);
            }
        }
    }
}

/// Pinyin tokens of one Han run: full pinyin of every run of 1..=PINYIN_MAX characters,
/// initials of every run of 2..=PINYIN_MAX characters.
fn pinyin_tokens(run: &[char], emit: &mut impl FnMut(String)) {
    let text: String = run.iter().collect();
    let syl = syllables(&text);
    for start in 0..syl.len() {
        let mut full = String::from(FULL_PREFIX);
        let mut initials = String::from(INITIALS_PREFIX);
        for (len, s) in syl[start..].iter().take(PINYIN_MAX).enumerate() {
            let Some(s) = s else { break };
            push_ascii(&mut full, s);
            push_ascii(
                &mut initials,
                &s[..s.chars().next().map_or(0, char::len_utf8)],
            );
            emit(full.clone());
            if len >= 1 {
                emit(initials.clone());
            }
        }
    }
}

/// Number of characters a field counts as for length normalization: Han characters and
/// words, each one.
pub fn field_len(text: &str) -> usize {
    segments(text)
        .iter()
        .map(|s| match s {
            Segment::Han(run) => run.len(),
            Segment::Word { .. } => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str, with_pinyin: bool) -> Vec<String> {
        let mut v = Vec::new();
        tokens(text, with_pinyin, &mut |t| v.push(t));
        v
    }

    #[test]
    fn han_unigrams_and_bigrams() {
        assert_eq!(all("科技馆", false), ["科", "科技", "技", "技馆", "馆"]);
        // punctuation separates runs: no bigram across it
        assert_eq!(all("科，普", false), ["科", "普"]);
    }

    #[test]
    fn numbers_percent_and_measure_words() {
        let t = all("比例达到14%，命名学校25所，到2025年。", false);
        for want in ["14%", "14", "25所", "25", "2025年", "2025", "所", "年"] {
            assert!(t.contains(&want.to_string()), "{want} missing from {t:?}");
        }
        assert!(!t.contains(&"14%，".to_string()));
        assert_eq!(all("工程2.0", false), ["工", "工程", "程", "2.0"]);
    }

    #[test]
    fn full_width_and_case() {
        assert_eq!(all("１４％", false), ["14", "14%"]);
        assert_eq!(all("科普E站", false), ["科", "科普", "普", "e", "站"]);
    }

    #[test]
    fn pinyin_tokens_for_titles() {
        let t = all("科技馆", true);
        for want in [
            "'ke",
            "'keji",
            "'kejiguan",
            "'jiguan",
            "'guan",
            "^kj",
            "^kjg",
            "^jg",
        ] {
            assert!(t.contains(&want.to_string()), "{want} missing from {t:?}");
        }
        assert!(!t.contains(&"^k".to_string()), "no one-letter initials");
        let long = all("科学技术协会", true);
        assert!(long.contains(&"^kxjs".to_string()));
        assert!(
            !long.contains(&"^kxjsx".to_string()),
            "runs stop at PINYIN_MAX"
        );
    }

    #[test]
    fn field_length_counts_han_and_words() {
        assert_eq!(field_len("到2025年，14%"), 4);
    }
}
