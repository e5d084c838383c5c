//! `/overview.svg`: the overview drawn as one self-contained SVG, 750 px wide and as tall
//! as its content, the way a "一图读懂" image is shared. Text is real text in a CJK font
//! stack named by family (no embedded or linked fonts), wrapped by [`measure`]; icons are
//! nested inline; the image ends with the source line and a QR code to the overview page.
//! Nothing outside the file is referenced: the only `href`s are hyperlinks on `<a>`.

use std::fmt::Write as _;
use std::ops::Range;

use qrcode::{Color, EcLevel, QrCode};

use super::data::{Figure, ItemKind, OverviewData, SectionBlock};
use super::icons::Icons;
use super::measure::{fit, width, wrap};
use super::settings::{self, BlockId, OverviewSettings, parse_hex, to_hex};

/// Width of the image in px.
pub const WIDTH: f64 = 750.0;
/// The font stack, by family name.
pub const FONT_FAMILY: &str =
    "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif";

const M: f64 = 32.0;
/// The space below a section card.
const CARD_GAP: f64 = 24.0;
const CW: f64 = WIDTH - 2.0 * M;
const INK: &str = "#1f2328";
const MUTED: &str = "#4b5563";
const FOOTER_BG: &str = "#eef1f5";

/// The SVG and where each band lies, for tests and for cropping.
#[derive(Debug, Clone, PartialEq)]
pub struct SvgImage {
    pub svg: String,
    /// Height in px (the width is [`WIDTH`]).
    pub height: f64,
    /// (block id or `source`, top, bottom), top to bottom.
    pub bands: Vec<(String, f64, f64)>,
    /// The pieces the image can be cut into, top to bottom (see [`piece_svg`](Self::piece_svg)).
    pieces: Vec<Piece>,
}

/// A run of drawing that nothing else overlaps: all of a band, or part of one (a section
/// card, say).
#[derive(Debug, Clone, PartialEq)]
struct Piece {
    /// Where its elements lie in the SVG.
    body: Range<usize>,
    /// Its top, in px.
    top: f64,
}

impl SvgImage {
    /// The top of each piece, in px: the image can be cut at these heights, as no drawing
    /// crosses them.
    pub fn piece_tops(&self) -> Vec<f64> {
        self.pieces.iter().map(|p| p.top).collect()
    }

    /// A standalone SVG of the rows `top .. top + height` of the image (in px) holding only
    /// the drawing of piece `index` (see [`piece_tops`](Self::piece_tops)) on no background:
    /// the image's root attributes, cropped by the viewBox. As no drawing crosses a piece's
    /// edge, drawing the pieces one by one gives the pixels of the whole image; the PNG is
    /// drawn that way, in parallel. `None` for an index past the last piece.
    pub fn piece_svg(&self, index: usize, top: f64, height: f64) -> Option<String> {
        let body = self.svg.get(self.pieces.get(index)?.body.clone())?;
        let mut svg = String::with_capacity(body.len() + 256);
        open_root(&mut svg, top, height);
        svg.push('>');
        svg.push_str(body);
        svg.push_str("</svg>");
        Some(svg)
    }
}

/// The opening `<svg` tag (unclosed, for more attributes) of the region `top .. top + height`
/// of the [`WIDTH`] px wide image.
fn open_root(svg: &mut String, top: f64, height: f64) {
    let _ = write!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 {top} {w} {h}\" font-family=\"{FONT_FAMILY}\"",
        w = n(WIDTH),
        h = n(height),
        top = n(top),
    );
}

/// Draws the overview. `base_url` makes links and the QR code absolute.
pub fn render_svg(
    data: &OverviewData,
    settings: &OverviewSettings,
    icons: &Icons,
    base_url: &str,
) -> SvgImage {
    let mut c = Canvas {
        out: String::new(),
        y: 0.0,
        base: base_url.trim_end_matches('/').to_string(),
        bands: Vec::new(),
        pieces: Vec::new(),
    };
    // The header band always opens the image, like the page's h1; it carries the
    // document's details when the `title` block is shown.
    let details = data.blocks.iter().any(|b| b.id == BlockId::Title.as_str());
    c.open_band("title");
    title_band(&mut c, data, details, &settings.colour(BlockId::Title));
    c.close_band();
    for head in &data.blocks {
        let Some(block) = BlockId::ALL.iter().copied().find(|b| b.as_str() == head.id) else {
            continue;
        };
        if block == BlockId::Title {
            continue;
        }
        let colour = settings.colour(block);
        c.open_band(head.id);
        match block {
            BlockId::Title => {}
            BlockId::Basis => {
                heading(&mut c, &head.title, &colour);
                basis(&mut c, data, &colour);
            }
            BlockId::Headline => {
                heading(&mut c, &head.title, &colour);
                headline(&mut c, &data.headline, &colour);
            }
            BlockId::Principles => {
                heading(&mut c, &head.title, &colour);
                principles(&mut c, data, &colour);
            }
            BlockId::Actions | BlockId::Projects => {
                heading(&mut c, &head.title, &colour);
                let sections = if block == BlockId::Actions {
                    &data.actions
                } else {
                    &data.projects
                };
                for s in sections {
                    // Cards follow the heading or one another with a gap of at least
                    // CARD_GAP.
                    c.cut(CARD_GAP / 2.0);
                    section_card(&mut c, s, &colour, icons);
                }
            }
            BlockId::Timeline => {
                heading(&mut c, &head.title, &colour);
                timeline(&mut c, data, &colour);
            }
            BlockId::Units => {
                heading(&mut c, &head.title, &colour);
                units(&mut c, data, &colour);
            }
        }
        c.y += 16.0;
        c.close_band();
    }
    c.open_band("source");
    source(&mut c, data);
    c.close_band();

    let height = c.y.ceil();
    let mut svg = String::with_capacity(c.out.len() + 1024);
    open_root(&mut svg, 0.0, height);
    let _ = write!(
        svg,
        " role=\"img\" aria-labelledby=\"ov-t\"><title id=\"ov-t\">{t}</title>\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>",
        w = n(WIDTH),
        h = n(height),
        t = esc(&data.title),
    );
    let start = svg.len();
    svg.push_str(&c.out);
    svg.push_str("</svg>\n");
    SvgImage {
        svg,
        height,
        bands: c.bands,
        pieces: c
            .pieces
            .into_iter()
            .filter(|p| !p.body.is_empty())
            .map(|p| Piece {
                body: p.body.start + start..p.body.end + start,
                top: p.top,
            })
            .collect(),
    }
}

struct Canvas {
    out: String,
    /// The top of the next thing to draw.
    y: f64,
    base: String,
    bands: Vec<(String, f64, f64)>,
    /// The pieces drawn so far, the last still open (its `body` ends at `out`'s end).
    pieces: Vec<Piece>,
}

impl Canvas {
    /// Starts band `id` (a block id or `source`) at the current height.
    fn open_band(&mut self, id: &str) {
        self.bands.push((id.to_string(), self.y, self.y));
        let _ = write!(self.out, "<g id=\"ov-{id}\">");
        self.pieces.push(Piece {
            body: self.out.len()..self.out.len(),
            top: self.y,
        });
    }

    /// Ends the band opened last at the current height.
    fn close_band(&mut self) {
        self.end_piece();
        self.out.push_str("</g>");
        if let Some(band) = self.bands.last_mut() {
            band.2 = self.y;
        }
    }

    /// Starts a new piece of the open band at `above` px over the current height, a height
    /// that nothing drawn before or after crosses. Cut in the middle of a gap, never at a
    /// shape's edge: a stroke reaches half its width past its shape.
    fn cut(&mut self, above: f64) {
        self.end_piece();
        self.pieces.push(Piece {
            body: self.out.len()..self.out.len(),
            top: self.y - above,
        });
    }

    /// Ends the open band's last piece at the end of what is drawn.
    fn end_piece(&mut self) {
        if let Some(piece) = self.pieces.last_mut() {
            piece.body.end = self.out.len();
        }
    }

    fn abs(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_string()
        } else {
            format!("{}{}", self.base, path)
        }
    }

    fn rect(&mut self, [x, y, w, h]: [f64; 4], rx: f64, fill: &str, stroke: Option<&str>) {
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"",
            n(x),
            n(y),
            n(w),
            n(h)
        );
        if rx > 0.0 {
            let _ = write!(self.out, " rx=\"{}\"", n(rx));
        }
        let _ = write!(self.out, " fill=\"{fill}\"");
        if let Some(s) = stroke {
            let _ = write!(self.out, " stroke=\"{s}\" stroke-width=\"2\"");
        }
        self.out.push_str("/>");
    }

    /// One line of text with its baseline at `y`.
    fn text(&mut self, x: f64, y: f64, style: Style, anchor: Anchor, content: &str) {
        let _ = write!(
            self.out,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" fill=\"{}\"{}{}>{}</text>",
            n(x),
            n(y),
            n(style.size),
            style.fill,
            if style.bold {
                " font-weight=\"bold\""
            } else {
                ""
            },
            anchor.attr(),
            esc(content)
        );
    }

    /// Wrapped lines from `top`; returns the height used.
    fn lines(&mut self, x: f64, top: f64, style: Style, anchor: Anchor, lines: &[String]) -> f64 {
        let lh = style.size * 1.45;
        for (i, line) in lines.iter().enumerate() {
            let baseline = top + i as f64 * lh + (lh - style.size) / 2.0 + style.size * 0.88;
            self.text(x, baseline, style, anchor, line);
        }
        lines.len() as f64 * lh
    }

    fn link_open(&mut self, path: &str) {
        let href = self.abs(path);
        let _ = write!(self.out, "<a href=\"{}\">", esc(&href));
    }
}

#[derive(Clone, Copy)]
struct Style<'a> {
    size: f64,
    fill: &'a str,
    bold: bool,
}

fn style(size: f64, fill: &str, bold: bool) -> Style<'_> {
    Style { size, fill, bold }
}

#[derive(Clone, Copy, PartialEq)]
enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn attr(self) -> &'static str {
        match self {
            Anchor::Start => "",
            Anchor::Middle => " text-anchor=\"middle\"",
            Anchor::End => " text-anchor=\"end\"",
        }
    }
}

/// A block heading: a coloured pill with white text, centred.
fn heading(c: &mut Canvas, title: &str, colour: &str) {
    c.y += 36.0;
    let size = fit(title, 30.0, CW - 56.0, 20.0);
    let w = width(title, size) + 56.0;
    let h = 56.0;
    c.rect([(WIDTH - w) / 2.0, c.y, w, h], h / 2.0, colour, None);
    let baseline = c.y + (h - size) / 2.0 + size * 0.88;
    c.text(
        WIDTH / 2.0,
        baseline,
        style(size, "#ffffff", true),
        Anchor::Middle,
        title,
    );
    c.y += h + 28.0;
}

fn title_band(c: &mut Canvas, data: &OverviewData, details: bool, colour: &str) {
    let label = "一图读懂";
    let d = &data.document;
    let title_lines = wrap(&d.title, 40.0, CW);
    let issuer = [d.issuer.as_deref(), d.doc_number.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("　");
    let issuer_lines = if issuer.is_empty() || !details {
        Vec::new()
    } else {
        wrap(&issuer, 22.0, CW)
    };
    let dates = [
        d.written_text.as_deref().map(|t| format!("成文日期：{t}")),
        d.published_text
            .as_deref()
            .map(|t| format!("发布日期：{t}")),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("　");
    let date_lines = if dates.is_empty() || !details {
        Vec::new()
    } else {
        wrap(&dates, 20.0, CW)
    };
    let h = 40.0
        + 44.0
        + 20.0
        + title_lines.len() as f64 * 40.0 * 1.45
        + 16.0
        + issuer_lines.len() as f64 * 22.0 * 1.45
        + date_lines.len() as f64 * 20.0 * 1.45
        + 40.0;
    let top = c.y;
    c.rect([0.0, top, WIDTH, h], 0.0, colour, None);
    // The label, outlined in white.
    let lw = width(label, 24.0) + 32.0;
    let _ = write!(
        c.out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"44\" rx=\"22\" fill=\"none\" \
         stroke=\"#ffffff\" stroke-width=\"2\"/>",
        n(M),
        n(top + 40.0),
        n(lw)
    );
    c.text(
        M + 16.0,
        top + 40.0 + 10.0 + 24.0 * 0.88,
        style(24.0, "#ffffff", true),
        Anchor::Start,
        label,
    );
    let mut y = top + 40.0 + 44.0 + 20.0;
    c.link_open(&d.full_text_url);
    y += c.lines(
        M,
        y,
        style(40.0, "#ffffff", true),
        Anchor::Start,
        &title_lines,
    );
    c.out.push_str("</a>");
    y += 16.0;
    y += c.lines(
        M,
        y,
        style(22.0, "#ffffff", false),
        Anchor::Start,
        &issuer_lines,
    );
    c.lines(
        M,
        y,
        style(20.0, "#ffffff", false),
        Anchor::Start,
        &date_lines,
    );
    c.y = top + h;
}

fn basis(c: &mut Canvas, data: &OverviewData, colour: &str) {
    for b in &data.basis {
        let lines = wrap(&format!("《{}》", b.title), 22.0, CW - 28.0);
        c.rect([M, c.y + 12.0, 10.0, 10.0], 0.0, colour, None);
        c.y += c.lines(
            M + 24.0,
            c.y,
            style(22.0, INK, false),
            Anchor::Start,
            &lines,
        );
        if let Some(number) = &b.number {
            c.y += c.lines(
                M + 24.0,
                c.y,
                style(18.0, MUTED, false),
                Anchor::Start,
                &wrap(number, 18.0, CW - 28.0),
            );
        }
        c.y += 12.0;
    }
}

fn headline(c: &mut Canvas, figures: &[Figure], colour: &str) {
    for f in figures {
        c.link_open(&f.url);
        if let Some(by) = f.by {
            c.y += c.lines(
                WIDTH / 2.0,
                c.y,
                style(26.0, MUTED, false),
                Anchor::Middle,
                &[format!("到{by}年")],
            );
        }
        let mut label = f.label.clone();
        if let Some(per) = &f.per {
            label = format!("{per}，{label}");
        }
        c.y += c.lines(
            WIDTH / 2.0,
            c.y,
            style(28.0, INK, true),
            Anchor::Middle,
            &wrap(&label, 28.0, CW),
        );
        // cmp label, value and unit as one centred line.
        let vsize = fit(&format!("{}{}", f.value, f.unit), 128.0, CW - 120.0, 48.0);
        let usize_ = vsize / 2.0;
        let total =
            width(f.cmp_label, 28.0) + 12.0 + width(&f.value, vsize) + width(&f.unit, usize_);
        let x = (WIDTH - total) / 2.0;
        let baseline = c.y + vsize * 0.95;
        let _ = write!(
            c.out,
            "<text x=\"{}\" y=\"{}\" fill=\"{colour}\" font-weight=\"bold\">\
             <tspan font-size=\"28\">{}</tspan><tspan dx=\"12\" font-size=\"{}\">{}</tspan>\
             <tspan font-size=\"{}\">{}</tspan></text>",
            n(x),
            n(baseline),
            esc(f.cmp_label),
            n(vsize),
            esc(&f.value),
            n(usize_),
            esc(&f.unit)
        );
        c.out.push_str("</a>");
        c.y += vsize * 1.15 + 12.0;
    }
}

fn principles(c: &mut Canvas, data: &OverviewData, colour: &str) {
    let gap = 16.0;
    let tw = (CW - gap) / 2.0;
    let tint = tint(colour);
    for pair in data.principles.chunks(2) {
        let laid: Vec<(Vec<String>, Vec<String>)> = pair
            .iter()
            .map(|p| {
                (
                    wrap(&p.title, 26.0, tw - 40.0),
                    wrap(&p.summary, 19.0, tw - 40.0),
                )
            })
            .collect();
        let h = laid
            .iter()
            .map(|(t, s)| {
                24.0 + t.len() as f64 * 26.0 * 1.45 + 8.0 + s.len() as f64 * 19.0 * 1.45 + 24.0
            })
            .fold(0.0, f64::max);
        for (i, (p, (title, summary))) in pair.iter().zip(&laid).enumerate() {
            let x = M + i as f64 * (tw + gap);
            c.link_open(&p.url);
            c.rect([x, c.y, tw, h], 12.0, &tint, Some(colour));
            let y = c.y + 24.0;
            let th = c.lines(x + 20.0, y, style(26.0, colour, true), Anchor::Start, title);
            c.lines(
                x + 20.0,
                y + th + 8.0,
                style(19.0, INK, false),
                Anchor::Start,
                summary,
            );
            c.out.push_str("</a>");
        }
        c.y += h + gap;
    }
}

fn section_card(c: &mut Canvas, s: &SectionBlock, colour: &str, icons: &Icons) {
    let pad = 20.0;
    let icon = 56.0;
    let top = c.y;
    let title_x = M + pad + icon + 16.0;
    let title_lines = wrap(&s.title, 28.0, M + CW - pad - title_x);
    let mut sub = Vec::new();
    if !s.audience.is_empty() {
        sub.push(format!("面向{}", s.audience.join("、")));
    }
    sub.push(format!("{}项任务", s.tasks));
    let sub_lines = wrap(&sub.join(" · "), 20.0, M + CW - pad - title_x);
    let text_h = title_lines.len() as f64 * 28.0 * 1.45 + sub_lines.len() as f64 * 20.0 * 1.45;
    let head_h = (icon + 2.0 * pad).max(text_h + 2.0 * pad);
    // Header: rounded on top, square below.
    c.rect([M, top, CW, head_h], 16.0, colour, None);
    c.rect([M, top + head_h - 16.0, CW, 16.0], 0.0, colour, None);
    c.out.push_str(&icons.nested(
        &s.icon,
        M + pad,
        top + (head_h - icon) / 2.0,
        icon,
        "#ffffff",
    ));
    c.link_open(&s.url);
    let mut y = top + (head_h - text_h) / 2.0;
    y += c.lines(
        title_x,
        y,
        style(28.0, "#ffffff", true),
        Anchor::Start,
        &title_lines,
    );
    c.out.push_str("</a>");
    c.lines(
        title_x,
        y,
        style(20.0, "#ffffff", false),
        Anchor::Start,
        &sub_lines,
    );

    let mut y = top + head_h + pad;
    let gap = 16.0;
    for row in s.figures.chunks(3) {
        // A row of one or two figures shares the width, so short rows do not wrap early.
        let cols = row.len() as f64;
        let cell_w = (CW - 2.0 * pad - (cols - 1.0) * gap) / cols;
        let mut row_h: f64 = 0.0;
        for (i, f) in row.iter().enumerate() {
            let x = M + pad + i as f64 * (cell_w + gap);
            row_h = row_h.max(figure_cell(c, f, x, y, cell_w, colour));
        }
        y += row_h + gap;
    }
    if s.figures.is_empty() {
        y += c.lines(
            M + pad,
            y,
            style(19.0, MUTED, false),
            Anchor::Start,
            &["以工作任务为主，未设量化指标".to_string()],
        ) + 8.0;
    } else if s.more_targets > 0 {
        c.link_open(&s.url);
        y += c.lines(
            M + pad,
            y,
            style(18.0, MUTED, false),
            Anchor::Start,
            &[format!("另有{}项指标，详见本行动页面", s.more_targets)],
        );
        c.out.push_str("</a>");
    }
    if !s.lead_units.is_empty() {
        let names = s
            .lead_units
            .iter()
            .map(|u| match u.count {
                0 => u.name.clone(),
                n => format!("{}（{n}项）", u.name),
            })
            .collect::<Vec<_>>()
            .join("、");
        let lines = wrap(&format!("牵头单位：{names}"), 19.0, CW - 2.0 * pad);
        y += c.lines(M + pad, y, style(19.0, INK, false), Anchor::Start, &lines);
    }
    let h = y + pad - top;
    c.rect([M, top, CW, h], 16.0, "none", Some(colour));
    c.y = top + h + CARD_GAP;
}

/// A key figure: time and comparison, the value big, the label; returns its height.
fn figure_cell(c: &mut Canvas, f: &Figure, x: f64, top: f64, w: f64, colour: &str) -> f64 {
    c.link_open(&f.url);
    let mut when = Vec::new();
    if let Some(by) = f.by {
        when.push(format!("到{by}年"));
    }
    if let Some(per) = &f.per {
        when.push(per.clone());
    }
    when.push(f.cmp_label.to_string());
    let mut y = top;
    y += c.lines(
        x,
        y,
        style(17.0, MUTED, false),
        Anchor::Start,
        &wrap(&when.join(" "), 17.0, w),
    );
    let vsize = fit(&format!("{}{}", f.value, f.unit), 52.0, w / 1.0 - 4.0, 22.0);
    let vsize = if width(&f.value, vsize) + width(&f.unit, vsize * 0.5) > w {
        vsize * 0.8
    } else {
        vsize
    };
    let _ = write!(
        c.out,
        "<text x=\"{}\" y=\"{}\" fill=\"{colour}\" font-weight=\"bold\">\
         <tspan font-size=\"{}\">{}</tspan><tspan font-size=\"{}\">{}</tspan></text>",
        n(x),
        n(y + vsize * 0.92),
        n(vsize),
        esc(&f.value),
        n(vsize * 0.5),
        esc(&f.unit)
    );
    y += vsize * 1.1;
    y += c.lines(
        x,
        y,
        style(18.0, INK, false),
        Anchor::Start,
        &wrap(&f.label, 18.0, w),
    );
    c.out.push_str("</a>");
    y - top
}

fn timeline(c: &mut Canvas, data: &OverviewData, colour: &str) {
    let line_x = M + 96.0;
    let item_x = line_x + 28.0;
    let item_w = M + CW - item_x;
    let mut nodes = String::new();
    let start = c.y;
    let mut first_node = None;
    let mut last_node = start;
    let body_start = c.out.len();
    for year in &data.timeline {
        let node_y = c.y + 20.0;
        first_node.get_or_insert(node_y);
        last_node = node_y;
        let _ = write!(
            nodes,
            "<circle cx=\"{}\" cy=\"{}\" r=\"10\" fill=\"{colour}\" stroke=\"#ffffff\" stroke-width=\"3\"/>",
            n(line_x),
            n(node_y)
        );
        c.text(
            line_x - 24.0,
            node_y + 10.0,
            style(28.0, colour, true),
            Anchor::End,
            &year.year.to_string(),
        );
        let mut y = c.y + 4.0;
        for item in &year.items {
            let tag_w = width(item.tag, 16.0) + 16.0;
            c.link_open(&item.url);
            let _ = write!(
                c.out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"26\" rx=\"6\" fill=\"#ffffff\" \
                 stroke=\"{colour}\" stroke-width=\"1.5\"/>",
                n(item_x),
                n(y + 2.0),
                n(tag_w)
            );
            c.text(
                item_x + 8.0,
                y + 2.0 + 5.0 + 16.0 * 0.88,
                style(16.0, colour, true),
                Anchor::Start,
                item.tag,
            );
            let weight = item.kind != ItemKind::Target;
            let lines = wrap(&item.label, 20.0, item_w - tag_w - 10.0);
            y += c.lines(
                item_x + tag_w + 10.0,
                y,
                style(20.0, INK, weight),
                Anchor::Start,
                &lines,
            );
            c.out.push_str("</a>");
            y += 8.0;
        }
        if year.more > 0 {
            c.link_open(&data.links.targets);
            y += c.lines(
                item_x,
                y,
                style(18.0, MUTED, false),
                Anchor::Start,
                &wrap(
                    &format!("另有{}项{}年目标，见“全部指标”", year.more, year.year),
                    18.0,
                    item_w,
                ),
            );
            c.out.push_str("</a>");
        }
        c.y = y.max(c.y + 44.0) + 16.0;
    }
    let first = first_node.unwrap_or(start);
    let line = format!(
        "<rect x=\"{}\" y=\"{}\" width=\"4\" height=\"{}\" fill=\"{colour}\"/>{nodes}",
        n(line_x - 2.0),
        n(first),
        n((last_node - first).max(0.0))
    );
    c.out.insert_str(body_start, &line);
}

fn units(c: &mut Canvas, data: &OverviewData, colour: &str) {
    let gap = 24.0;
    let col_w = (CW - gap) / 2.0;
    let max = data.units.iter().map(|u| u.count).max().unwrap_or(1).max(1) as f64;
    let rows = data.units.len().div_ceil(2);
    if rows == 0 {
        return;
    }
    for (i, u) in data.units.iter().enumerate() {
        // Column-major: the first half on the left, most tasks first.
        let (col, row) = (i / rows, i % rows);
        let x = M + col as f64 * (col_w + gap);
        let y = c.y + row as f64 * 52.0;
        let count = format!("{}项", u.count);
        let count_w = width(&count, 20.0) + 8.0;
        let size = fit(&u.name, 20.0, col_w - count_w, 14.0);
        if let Some(url) = &u.url {
            c.link_open(url);
        }
        c.text(x, y + 24.0, style(size, INK, false), Anchor::Start, &u.name);
        if u.url.is_some() {
            c.out.push_str("</a>");
        }
        c.text(
            x + col_w,
            y + 24.0,
            style(20.0, colour, true),
            Anchor::End,
            &count,
        );
        c.rect(
            [x, y + 34.0, col_w * u.count as f64 / max, 6.0],
            3.0,
            colour,
            None,
        );
    }
    c.y += rows as f64 * 52.0;
    c.link_open(&data.links.units);
    c.y += c.lines(
        M,
        c.y,
        style(18.0, MUTED, false),
        Anchor::Start,
        &["数字为牵头任务数，点击单位查看其全部任务".to_string()],
    );
    c.out.push_str("</a>");
}

/// The closing band: source line, link and the QR code to the overview page.
fn source(c: &mut Canvas, data: &OverviewData) {
    let d = &data.document;
    let qr = 184.0;
    let text_w = CW - qr - 24.0;
    let page = c.abs(&data.links.page);
    let mut lines = Vec::new();
    let mut src = String::from("来源：");
    src.push_str(d.issuer.as_deref().or(d.source.as_deref()).unwrap_or(""));
    if !d.title.is_empty() {
        src.push_str(&format!("《{}》", d.title));
    }
    if let Some(no) = &d.doc_number {
        src.push_str(&format!("（{no}）"));
    }
    lines.extend(wrap(&src, 18.0, text_w));
    if let Some(p) = &d.published_text {
        lines.extend(wrap(&format!("发布日期：{p}"), 18.0, text_w));
    }
    lines.extend(wrap("本图由网站数据生成，数字以网页为准", 18.0, text_w));
    lines.extend(wrap("扫码或访问网页版：", 18.0, text_w));
    let url_lines = wrap(&page, 16.0, text_w);
    let text_h = lines.len() as f64 * 18.0 * 1.45 + url_lines.len() as f64 * 16.0 * 1.45;
    let h = text_h.max(qr) + 64.0;
    let top = c.y;
    c.rect([0.0, top, WIDTH, h], 0.0, FOOTER_BG, None);
    let mut y = top + 32.0;
    y += c.lines(M, y, style(18.0, INK, false), Anchor::Start, &lines);
    c.link_open(&data.links.page);
    c.lines(M, y, style(16.0, INK, false), Anchor::Start, &url_lines);
    c.out.push_str("</a>");
    qr_code(c, &page, M + CW - qr, top + 32.0, qr);
    c.y = top + h;
}

/// A QR code as one path of dark modules on a white square (quiet zone included).
fn qr_code(c: &mut Canvas, url: &str, x: f64, y: f64, size: f64) {
    let Ok(code) = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M) else {
        return;
    };
    let modules = code.width();
    let quiet = 4;
    let cell = size / (modules + 2 * quiet) as f64;
    c.rect([x, y, size, size], 0.0, "#ffffff", None);
    let colors = code.to_colors();
    let mut d = String::new();
    for row in 0..modules {
        let mut col = 0;
        while col < modules {
            if colors[row * modules + col] == Color::Dark {
                let start = col;
                while col < modules && colors[row * modules + col] == Color::Dark {
                    col += 1;
                }
                let _ = write!(
                    d,
                    "M{} {}h{}v1h-{}z",
                    start + quiet,
                    row + quiet,
                    col - start,
                    col - start
                );
            } else {
                col += 1;
            }
        }
    }
    let _ = write!(
        c.out,
        "<path transform=\"translate({} {}) scale({})\" d=\"{d}\" fill=\"#000000\" \
         shape-rendering=\"crispEdges\"/>",
        n(x),
        n(y),
        n(cell)
    );
}

/// The light background of tiles in `colour`.
fn tint(colour: &str) -> String {
    to_hex(settings::tint(parse_hex(colour).unwrap_or((0, 0, 0))))
}

/// A coordinate, rounded to 0.01 px, without trailing zeros.
fn n(v: f64) -> String {
    let s = format!("{:.2}", (v * 100.0).round() / 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// XML-escapes text and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_escapes() {
        assert_eq!(n(12.0), "12");
        assert_eq!(n(12.345), "12.35");
        assert_eq!(n(-0.001), "0");
        assert_eq!(esc("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }

    #[test]
    fn tint_keeps_dark_text_readable() {
        let t = parse_hex(&tint("#1a5fa8")).unwrap();
        assert!(settings::contrast(t, parse_hex(INK).unwrap()) >= 4.5);
    }
}
