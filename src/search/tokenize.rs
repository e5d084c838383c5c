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
use crate::text::pinyin::{push_ascii, syllable};

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
    let mut word = String::new();
    walk(&chars, &mut word, &mut |piece| {
        out.push(match piece {
            Piece::Han(run) => Segment::Han(run.to_vec()),
            Piece::Word(w, next_han) => Segment::Word {
                text: w.to_string(),
                next_han,
            },
        })
    });
    out
}

/// A segment as [`walk`] reports it, borrowed.
enum Piece<'a> {
    Han(&'a [char]),
    Word(&'a str, Option<char>),
}

/// The segment rules, without allocating: calls `f` with every run of Han characters and
/// every word (built in `buf`) with the Han character right after it.
fn walk(chars: &[char], buf: &mut String, f: &mut impl FnMut(Piece<'_>)) {
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_han(c) {
            let start = i;
            while i < chars.len() && is_han(chars[i]) {
                i += 1;
            }
            f(Piece::Han(&chars[start..i]));
        } else if c.is_ascii_alphanumeric() {
            buf.clear();
            while i < chars.len() {
                let c = chars[i];
                let after_digit = buf.ends_with(|p: char| p.is_ascii_digit());
                let decimal_point =
                    c == '.' && after_digit && chars.get(i + 1).is_some_and(|n| n.is_ascii_digit());
                if c.is_ascii_alphanumeric() || decimal_point {
                    buf.push(c);
                } else if c == '%' && after_digit {
                    buf.push(c);
                    i += 1;
                    break;
                } else {
                    break;
                }
                i += 1;
            }
            let next_han = chars.get(i).copied().filter(|c| is_han(*c));
            f(Piece::Word(buf, next_han));
        } else {
            i += 1;
        }
    }
}

/// True for a word made of digits (and a decimal point) only.
pub fn is_number(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit())
        && word.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// One index token. Han n-grams, the bulk of every page, need no string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// One Han character.
    Han1(char),
    /// Two neighbouring Han characters.
    Han2(char, char),
    /// A word, number, number with its measure word, or pinyin token.
    Text(&'a str),
}

impl Token<'_> {
    /// The token as the index files and `search.js` spell it.
    pub fn push_to(&self, out: &mut String) {
        match *self {
            Token::Han1(c) => out.push(c),
            Token::Han2(a, b) => {
                out.push(a);
                out.push(b);
            }
            Token::Text(t) => out.push_str(t),
        }
    }
}

/// Reusable buffers for tokenizing many texts without allocating per token.
#[derive(Debug, Default)]
pub struct Tokenizer {
    chars: Vec<char>,
    word: String,
    extra: String,
    syllables: Vec<Option<&'static str>>,
    full: String,
    initials: String,
}

impl Tokenizer {
    /// Calls `emit` with every index token of `text` (Han n-grams, words, numbers), and with
    /// its pinyin tokens when `with_pinyin` is set. Tokens repeat as often as they occur.
    pub fn tokens(&mut self, text: &str, with_pinyin: bool, emit: &mut impl FnMut(Token<'_>)) {
        let Tokenizer {
            chars,
            word,
            extra,
            syllables,
            full,
            initials,
        } = self;
        chars.clear();
        chars.extend(text.chars().map(normalize_char));
        walk(chars, word, &mut |piece| match piece {
            Piece::Han(run) => {
                for (i, c) in run.iter().enumerate() {
                    emit(Token::Han1(*c));
                    if let Some(n) = run.get(i + 1) {
                        emit(Token::Han2(*c, *n));
                    }
                }
                if with_pinyin {
                    pinyin_tokens(run, syllables, full, initials, emit);
                }
            }
            Piece::Word(w, next_han) => {
                if let Some(bare) = w.strip_suffix('%') {
                    emit(Token::Text(bare));
                }
                if let (true, Some(h)) = (is_number(w), next_han) {
                    extra.clear();
                    extra.push_str(w);
                    extra.push(h);
                    emit(Token::Text(extra));
                }
                emit(Token::Text(w));
            }
        });
    }

    /// Number of characters a field counts as for length normalization: Han characters and
    /// words, each one.
    pub fn field_len(&mut self, text: &str) -> usize {
        self.chars.clear();
        self.chars.extend(text.chars().map(normalize_char));
        let mut n = 0;
        walk(&self.chars, &mut self.word, &mut |piece| match piece {
            Piece::Han(run) => n += run.len(),
            Piece::Word(..) => n += 1,
        });
        n
    }
}

/// Calls `emit` with every index token of `text` as a string (see [`Tokenizer::tokens`]).
pub fn tokens(text: &str, with_pinyin: bool, emit: &mut impl FnMut(String)) {
    Tokenizer::default().tokens(text, with_pinyin, &mut |t| {
        let mut s = String::new();
        t.push_to(&mut s);
        emit(s)
    });
}

/// Pinyin tokens of one Han run: full pinyin of every run of 1..=PINYIN_MAX characters,
/// initials of every run of 2..=PINYIN_MAX characters.
fn pinyin_tokens(
    run: &[char],
    syl: &mut Vec<Option<&'static str>>,
    full: &mut String,
    initials: &mut String,
    emit: &mut impl FnMut(Token<'_>),
) {
    syl.clear();
    syl.extend(run.iter().map(|c| syllable(*c)));
    for start in 0..syl.len() {
        full.clear();
        full.push(FULL_PREFIX);
        initials.clear();
        initials.push(INITIALS_PREFIX);
        for (len, s) in syl[start..].iter().take(PINYIN_MAX).enumerate() {
            let Some(s) = s else { break };
            push_ascii(full, s);
            push_ascii(initials, &s[..s.chars().next().map_or(0, char::len_utf8)]);
            emit(Token::Text(full));
            if len >= 1 {
                emit(Token::Text(initials));
            }
        }
    }
}

/// Number of characters a field counts as for length normalization: Han characters and
/// words, each one.
pub fn field_len(text: &str) -> usize {
    Tokenizer::default().field_len(text)
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
