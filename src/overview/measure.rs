//! Text width estimates and line wrapping for the SVG, which has no text layout of its own.
//!
//! Widths are estimated per character in em (CJK 1, digits 0.6, Latin 0.66…), on purpose not
//! measured with a font found on this machine: the SVG is shown by viewers with their own
//! fonts (PingFang, YaHei, Noto), and must be the same bytes on every build machine. The
//! estimates err wide; a test checks them against Noto Sans CJK SC when it is installed.
//! Break opportunities come from the Unicode line breaking algorithm (UAX #14), which keeps
//! CJK punctuation off the start of a line and Latin words and numbers whole.

/// Estimated advance of `c` in em.
pub fn char_em(c: char) -> f64 {
    // Bold Noto Sans CJK SC plus a little for other CJK fonts (tested against Noto).
    match c {
        ' ' => 0.25,
        '0'..='9' => 0.6,
        '.' | ',' | ':' | ';' | '!' | '\'' | '|' | 'i' | 'l' | 'j' => 0.34,
        '(' | ')' | '[' | ']' | '-' | '/' | 'f' | 't' | 'r' => 0.44,
        '%' | 'm' | 'w' | 'M' | 'W' => 1.0,
        'A'..='Z' => 0.72,
        c if c.is_ascii() => 0.66,
        // CJK, and curly quotes, dashes, ellipsis and middle dot, full width in CJK fonts.
        _ => 1.0,
    }
}

/// Estimated width of `text` at `size` px.
pub fn width(text: &str, size: f64) -> f64 {
    text.chars().map(char_em).sum::<f64>() * size
}

/// Splits `text` into lines no wider than `max` px at `size` px. Never returns an empty
/// list; a segment wider than a line on its own is broken between characters.
pub fn wrap(text: &str, size: f64, max: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        wrap_paragraph(paragraph.trim(), size, max, &mut lines);
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

fn wrap_paragraph(text: &str, size: f64, max: f64, lines: &mut Vec<String>) {
    let mut line = String::new();
    let mut start = 0;
    for (end, _) in unicode_linebreak::linebreaks(text) {
        let segment = &text[start..end];
        start = end;
        let candidate = format!("{line}{segment}");
        if width(candidate.trim_end(), size) <= max {
            line = candidate;
            continue;
        }
        if !line.trim().is_empty() {
            lines.push(line.trim_end().to_string());
            line.clear();
        }
        // The segment alone: split between characters when it still does not fit.
        for c in segment.chars() {
            let next = format!("{line}{c}");
            if width(next.trim_end(), size) > max && !line.is_empty() {
                lines.push(line.trim_end().to_string());
                line = c.to_string();
            } else {
                line = next;
            }
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_string());
    }
}

/// The largest size ≤ `size` at which `text` fits `max` px on one line (at least `min`).
pub fn fit(text: &str, size: f64, max: f64, min: f64) -> f64 {
    let w = width(text, 1.0);
    if w <= 0.0 {
        return size;
    }
    (max / w).clamp(min, size).min(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_and_keep_every_character() {
        let text = "到2025年，命名科技教育示范学校25所，每校每学期举办科普讲座不少于2次，参与活动的在校学生人数达到90%以上。";
        let lines = wrap(text, 20.0, 200.0);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(width(l, 20.0) <= 200.0, "{l}");
        }
        assert_eq!(lines.concat(), text);
    }

    #[test]
    fn punctuation_never_starts_a_line_and_numbers_stay_whole() {
        // 9 ideographs fit on a line of 10 em; the comma must not start the next line.
        let lines = wrap("一二三四五六七八九十，十一", 10.0, 100.0);
        assert!(lines.iter().all(|l| !l.starts_with('，')), "{lines:?}");
        let lines = wrap("培训高素质农牧民6000人", 10.0, 85.0);
        assert!(lines.iter().any(|l| l.contains("6000")), "{lines:?}");
    }

    #[test]
    fn an_overlong_word_is_broken() {
        let lines = wrap("https://example.org/a/very/long/path", 10.0, 60.0);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| width(l, 10.0) <= 60.0));
    }

    #[test]
    fn fit_shrinks_to_the_width() {
        let s = fit("100000", 56.0, 120.0, 24.0);
        assert!(s < 56.0 && width("100000", s) <= 120.0 + 1e-9);
        assert_eq!(fit("14", 56.0, 300.0, 24.0), 56.0);
    }
}
