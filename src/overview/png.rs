//! `/overview.png`: the overview SVG rendered in pure Rust (resvg) at 2× (1500 px wide), with
//! a CJK font found on the system by fontdb. Without a font that covers Chinese the PNG is
//! skipped with one warning: never tofu boxes, never a failed build. The PNG is written with
//! a 256-colour palette (see [`encode`]); rendering and encoding are deterministic, so the
//! same SVG and fonts give the same bytes.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use flate2::{Compress, Compression, FlushCompress, Status};
use rayon::prelude::*;
use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};
use rustc_hash::FxHashMap;

use super::svg::{SvgImage, WIDTH};

/// Characters a font must have for the PNG to be drawn.
pub const CJK_PROBE: &str = "科学素质一图读懂";

/// Environment variable: font directories (separated like `PATH`) to use instead of the
/// system's. An empty directory simulates a machine without CJK fonts.
pub const FONT_DIRS_ENV: &str = "SITE_FONT_DIRS";

/// Scale of the PNG relative to the SVG.
pub const SCALE: f32 = 2.0;

/// The fonts the PNG is drawn with, and whether they can draw Chinese.
pub struct Fonts {
    db: Arc<fontdb::Database>,
    /// The family of the first face covering [`CJK_PROBE`], if any.
    cjk_family: Option<String>,
    /// The files of that family with their sizes, for [`cache_key`].
    font_files: String,
}

impl Fonts {
    /// The system's fonts, or those of the directories in `SITE_FONT_DIRS` when set.
    pub fn from_env() -> Fonts {
        Fonts::from_setting(std::env::var_os(FONT_DIRS_ENV).as_deref())
    }

    /// The system's fonts, or only those in `dirs` (a `SITE_FONT_DIRS` value) when given.
    pub fn from_setting(dirs: Option<&std::ffi::OsStr>) -> Fonts {
        match dirs {
            Some(dirs) => Fonts::from_dirs(&std::env::split_paths(dirs).collect::<Vec<_>>()),
            None => Fonts::system(),
        }
    }

    /// [`from_env`](Self::from_env), loaded once per process (fonts are slow to scan; a
    /// `--watch` session reuses them).
    pub fn shared() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(Fonts::from_env)
    }

    /// The fonts fontdb finds in the usual system directories.
    pub fn system() -> Fonts {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        Fonts::with_db(db)
    }

    /// Only the fonts in `dirs` (searched recursively).
    pub fn from_dirs(dirs: &[PathBuf]) -> Fonts {
        let mut db = fontdb::Database::new();
        for dir in dirs {
            db.load_fonts_dir(dir);
        }
        Fonts::with_db(db)
    }

    fn with_db(mut db: fontdb::Database) -> Fonts {
        let cjk_family = find_cjk_family(&db);
        let mut font_files = String::new();
        if let Some(family) = &cjk_family {
            // Generic `sans-serif` at the end of the stack means this face.
            db.set_sans_serif_family(family.clone());
            let mut files: Vec<String> = db
                .faces()
                .filter(|f| f.families.iter().any(|(name, _)| name == family))
                .filter_map(|f| match &f.source {
                    fontdb::Source::File(path) => Some(format!(
                        "{}:{}",
                        path.display(),
                        std::fs::metadata(path).map_or(0, |m| m.len())
                    )),
                    _ => None,
                })
                .collect();
            files.sort();
            files.dedup();
            font_files = files.join("\n");
            share_files(&mut db, family);
        }
        Fonts {
            db: Arc::new(db),
            cjk_family,
            font_files,
        }
    }

    /// The family that will draw the Chinese text, if any.
    pub fn cjk_family(&self) -> Option<&str> {
        self.cjk_family.as_deref()
    }

    /// Number of font faces found.
    pub fn faces(&self) -> usize {
        self.db.len()
    }

    /// The advance of `c` in em in the CJK family (bold or regular), as the PNG draws it;
    /// `None` without a CJK font or glyph. Lets tests hold the SVG's width estimates
    /// ([`super::measure`]) against a real font.
    pub fn advance_em(&self, c: char, bold: bool) -> Option<f64> {
        use skrifa::MetadataProvider;
        let family = self.cjk_family.as_deref()?;
        let query = fontdb::Query {
            families: &[fontdb::Family::Name(family)],
            weight: if bold {
                fontdb::Weight::BOLD
            } else {
                fontdb::Weight::NORMAL
            },
            ..fontdb::Query::default()
        };
        let id = self.db.query(&query)?;
        self.db
            .with_face_data(id, |data, index| {
                let font = skrifa::FontRef::from_index(data, index).ok()?;
                let glyph = font.charmap().map(c)?;
                let metrics = font.glyph_metrics(
                    skrifa::instance::Size::new(1.0),
                    skrifa::instance::LocationRef::default(),
                );
                metrics.advance_width(glyph).map(f64::from)
            })
            .flatten()
    }
}

/// The outcome of [`render_png`].
#[derive(Debug)]
pub enum Png {
    /// The encoded PNG.
    Written(Vec<u8>),
    /// No PNG; the reason is meant to be shown to the editor once, as a warning.
    Skipped(String),
}

/// The PNG text chunk that records what a PNG was drawn from.
pub const KEY_CHUNK: &str = "site-overview-key";

/// What the PNG of `svg` depends on: this program's version, the SVG's bytes, the scale and
/// the font that draws the Chinese text (family, file, size). Stored in the PNG, so a later
/// build can reuse an unchanged image instead of drawing it again (see [`reusable`]).
pub fn cache_key(svg: &str, fonts: &Fonts) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for part in [
        env!("CARGO_PKG_VERSION").as_bytes(),
        &SCALE.to_le_bytes(),
        fonts.cjk_family.as_deref().unwrap_or("").as_bytes(),
        fonts.font_files.as_bytes(),
        svg.as_bytes(),
    ] {
        // Length-prefixed, so that parts cannot run into each other.
        h.update((part.len() as u64).to_le_bytes());
        h.update(part);
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// True when `previous` (e.g. the last build's `/overview.png`) was drawn from the same SVG
/// with the same fonts by this version, so it can be written again as it is.
pub fn reusable(previous: &[u8], key: &str) -> bool {
    png::Decoder::new(std::io::Cursor::new(previous))
        .read_info()
        .is_ok_and(|reader| {
            reader
                .info()
                .uncompressed_latin1_text
                .iter()
                .any(|chunk| chunk.keyword == KEY_CHUNK && chunk.text == key)
        })
}

/// `previous` (e.g. the last build's `/overview.png`) when it was drawn from the same SVG
/// with the same fonts by this version (see [`reusable`]), else `image` drawn anew.
pub fn reuse_or_render(image: &SvgImage, fonts: &Fonts, previous: Option<&[u8]>) -> Png {
    match previous {
        Some(p) if fonts.cjk_family().is_some() && reusable(p, &cache_key(&image.svg, fonts)) => {
            Png::Written(p.to_vec())
        }
        _ => render_png(image, fonts),
    }
}

/// Draws `image` at [`SCALE`]× with `fonts`. Skips (never fails the build) when no font
/// covers Chinese or the SVG cannot be drawn.
///
/// The pieces of the image (bands, or section cards within them) are parsed and drawn side
/// by side: each on its own gives the pixels of the whole image (see
/// [`SvgImage::piece_svg`]), and a test holds the result to a drawing of the whole SVG.
pub fn render_png(image: &SvgImage, fonts: &Fonts) -> Png {
    let Some(family) = fonts.cjk_family() else {
        return Png::Skipped(format!(
            "no font with Chinese characters was found, so /overview.png was not written \
             (the page and /overview.svg are complete). Install one, e.g. \
             `apt-get install fonts-noto-cjk`{}",
            match std::env::var_os(FONT_DIRS_ENV) {
                Some(d) => format!(
                    ", or add one to {FONT_DIRS_ENV}={}",
                    Path::new(&d).display()
                ),
                None => String::new(),
            }
        ));
    };
    let options = options(fonts, family);
    let width = png_width();
    let height = (image.height as f32 * SCALE).round() as u32;
    if tiny_skia::IntSize::from_wh(width, height).is_none() || height > MAX_HEIGHT {
        return Png::Skipped(format!(
            "the overview image is too large to draw ({width}×{height} px)"
        ));
    }
    // Each piece's rows: from its top to the next piece's top, the last to the bottom.
    let mut tops: Vec<u32> = image
        .piece_tops()
        .iter()
        .map(|top| ((*top as f32 * SCALE).round() as u32).min(height))
        .collect();
    if let Some(first) = tops.first_mut() {
        *first = 0;
    }
    let pieces: Vec<(usize, Range<u32>)> = tops
        .iter()
        .enumerate()
        .map(|(i, &top)| (i, top..tops.get(i + 1).copied().unwrap_or(height)))
        .filter(|(_, rows)| !rows.is_empty())
        .collect();
    // The PNG's rows: filter type 0 (none), then a palette index per pixel. Each piece
    // draws into its own rows, first with indexes into its own colours.
    let row = width as usize + 1;
    let mut data = vec![0; row * height as usize];
    let mut parts = Vec::with_capacity(pieces.len());
    let mut rest = data.as_mut_slice();
    for (i, rows) in pieces {
        let (part, tail) = std::mem::take(&mut rest).split_at_mut(row * rows.len());
        parts.push((i, rows, part));
        rest = tail;
    }
    // One canvas per drawing thread, as tall as the tallest piece, reused from piece to
    // piece: a canvas per piece touched fresh memory for the whole image (on the seed,
    // 17,700 page faults instead of 13,700).
    let tallest = parts
        .iter()
        .map(|(_, rows, _)| rows.len())
        .max()
        .unwrap_or(0);
    let canvases = Canvases::new(width as usize * tallest);
    let strips: Result<Vec<Strip>, String> = parts
        .into_par_iter()
        .map(|(i, rows, part)| {
            let mut canvas = canvases.take();
            let svg = image
                .piece_svg(
                    i,
                    f64::from(rows.start) / f64::from(SCALE),
                    rows.len() as f64 / f64::from(SCALE),
                )
                .ok_or_else(|| format!("piece {i} of the overview is missing"))?;
            let tree = usvg::Tree::from_str(&svg, &options)
                .map_err(|e| format!("/overview.svg could not be drawn: {e}"))?;
            let strip = Strip::draw(&mut canvas, &tree, width, part);
            canvases.give_back(canvas);
            Ok(strip)
        })
        .collect();
    let strips = match strips {
        Ok(strips) => strips,
        Err(why) => return Png::Skipped(why),
    };
    let palette = Palette::of(&strips);
    strips
        .into_par_iter()
        .for_each(|strip| strip.map_to(&palette, width as usize));
    let key = cache_key(&image.svg, fonts);
    match encode(width, height, &palette, &data, &key) {
        Ok(bytes) => Png::Written(bytes),
        Err(e) => Png::Skipped(format!("/overview.png could not be encoded: {e}")),
    }
}

/// The whole of `svg` drawn in one piece at [`SCALE`]×, as RGB pixels row after row: the
/// reference that the drawing piece by piece of [`render_png`] is tested against. `None` without a
/// CJK font or when the SVG cannot be drawn.
pub fn draw_whole(svg: &str, fonts: &Fonts) -> Option<Vec<[u8; 3]>> {
    let tree = usvg::Tree::from_str(svg, &options(fonts, fonts.cjk_family()?)).ok()?;
    let size = tree.size();
    let mut pixmap = tiny_skia::Pixmap::new(
        (size.width() * SCALE).round() as u32,
        (size.height() * SCALE).round() as u32,
    )?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    Some(
        pixmap
            .data()
            .chunks_exact(4)
            .map(|px| rgb(colour(px)))
            .collect(),
    )
}

/// The tallest PNG drawn (px), far above any real overview; a guard against a runaway size.
const MAX_HEIGHT: u32 = 100_000;

/// usvg's options for the PNG: `fonts`, with `family` for text without a matching font.
fn options(fonts: &Fonts, family: &str) -> usvg::Options<'static> {
    usvg::Options {
        fontdb: fonts.db.clone(),
        font_family: family.to_string(),
        languages: vec!["zh-CN".to_string()],
        ..usvg::Options::default()
    }
}

/// An opaque pixel's RGBA bytes as one number (see [`colour`]).
type Rgba = u32;

/// The pixel at the start of `px` (RGBA bytes).
fn colour(px: &[u8]) -> Rgba {
    u32::from_le_bytes([px[0], px[1], px[2], px[3]])
}

/// The RGB bytes of a [`colour`].
fn rgb(colour: Rgba) -> [u8; 3] {
    let [r, g, b, _] = colour.to_le_bytes();
    [r, g, b]
}

/// The canvases that pieces are drawn in, a pixel (RGBA bytes) per `u32`: taken by a thread
/// for a piece, given back after, so that there are no more canvases than threads drawing
/// at once.
struct Canvases {
    free: std::sync::Mutex<Vec<Vec<u32>>>,
    /// The pixels of a new canvas: enough for the tallest piece.
    len: usize,
}

impl Canvases {
    fn new(len: usize) -> Canvases {
        Canvases {
            free: std::sync::Mutex::new(Vec::new()),
            len,
        }
    }

    /// A free canvas, or a new one.
    fn take(&self) -> Vec<u32> {
        self.free
            .lock()
            .ok()
            .and_then(|mut free| free.pop())
            .unwrap_or_else(|| vec![0; self.len])
    }

    fn give_back(&self, canvas: Vec<u32>) {
        if let Ok(mut free) = self.free.lock() {
            free.push(canvas);
        }
    }
}

/// A piece of the image, drawn into its rows of the PNG's data as indexes into its own
/// colours, until [`map_to`](Self::map_to) maps them to the PNG's palette.
struct Strip<'a> {
    /// The piece's PNG rows (filter byte, then an index per pixel).
    rows: &'a mut [u8],
    /// The indexes, when the piece has more than 256 colours (never seen in an overview)
    /// and they could not go into `rows`.
    wide: Option<Vec<u32>>,
    colours: Colours,
}

impl<'a> Strip<'a> {
    /// Draws `tree` on white into `rows`, the piece's PNG rows of `width` pixels. `canvas`
    /// is the buffer to draw in, reused from piece to piece.
    fn draw(canvas: &mut Vec<u32>, tree: &usvg::Tree, width: u32, rows: &'a mut [u8]) -> Self {
        let row = width as usize + 1;
        let len = rows.len() / row * width as usize;
        if canvas.len() < len {
            *canvas = vec![0; len];
        }
        let rgba: &mut [u8] = bytemuck::cast_slice_mut(&mut canvas[..len]);
        if let Some(mut pixmap) =
            tiny_skia::PixmapMut::from_bytes(rgba, width, (rows.len() / row) as u32)
        {
            pixmap.fill(tiny_skia::Color::WHITE);
            resvg::render(
                tree,
                tiny_skia::Transform::from_scale(SCALE, SCALE),
                &mut pixmap,
            );
        }
        let pixels = &canvas[..len];
        let mut colours = Colours::default();
        let narrow = rows
            .chunks_exact_mut(row)
            .zip(pixels.chunks_exact(width as usize))
            .all(|(out, pixels)| colours.index_row(pixels, &mut out[1..]));
        let wide = (!narrow).then(|| {
            colours = Colours::default();
            pixels
                .iter()
                .map(|&px| colours.add(u32::from_le(px), 1) as u32)
                .collect()
        });
        Strip {
            rows,
            wide,
            colours,
        }
    }

    /// Replaces the piece's own indexes by the palette's.
    fn map_to(self, palette: &Palette, width: usize) {
        let map: Vec<u8> = self
            .colours
            .list
            .iter()
            .map(|c| palette.index(*c))
            .collect();
        let rows = self.rows.chunks_exact_mut(width + 1);
        match &self.wide {
            None => {
                // A piece with one-byte indexes has at most 256 colours: a table of 256
                // needs no bounds check per pixel.
                let mut table = [0u8; 256];
                for (t, m) in table.iter_mut().zip(&map) {
                    *t = *m;
                }
                for out in rows {
                    for o in &mut out[1..] {
                        *o = table[usize::from(*o)];
                    }
                }
            }
            Some(wide) => {
                for (out, pixels) in rows.zip(wide.chunks_exact(width)) {
                    for (o, &i) in out[1..].iter_mut().zip(pixels) {
                        *o = map[i as usize];
                    }
                }
            }
        }
    }
}

/// The colours of a piece in order of first appearance, with how many pixels have each.
#[derive(Default)]
struct Colours {
    list: Vec<Rgba>,
    counts: Vec<usize>,
    index: FxHashMap<Rgba, usize>,
}

impl Colours {
    /// The index of `colour`, added when new, counted for `n` more pixels.
    fn add(&mut self, colour: Rgba, n: usize) -> usize {
        let next = self.list.len();
        let i = *self.index.entry(colour).or_insert(next);
        if i == next {
            self.list.push(colour);
            self.counts.push(0);
        }
        self.counts[i] += n;
        i
    }

    /// Writes the index of each pixel of a row (RGBA bytes, a pixel per `u32`) to `out`, a
    /// run of one colour at a time: the image is mostly runs, which then cost one lookup
    /// each. False when the piece has more than 256 colours, which one byte cannot index.
    fn index_row(&mut self, pixels: &[u32], out: &mut [u8]) -> bool {
        let mut start = 0;
        while start < out.len() {
            let here = pixels[start];
            let run = 1 + run_length(&pixels[start + 1..], here);
            let Ok(i) = u8::try_from(self.add(u32::from_le(here), run)) else {
                return false;
            };
            out[start..start + run].fill(i);
            start += run;
        }
        true
    }
}

/// How many pixels at the start of `pixels` are `colour`: eight at a time (one vector
/// comparison), then one by one, as most of the image is long runs of one colour.
fn run_length(pixels: &[u32], colour: u32) -> usize {
    let eights = pixels
        .chunks_exact(8)
        .take_while(|eight| eight.iter().fold(0, |differ, &p| differ | (p ^ colour)) == 0)
        .count();
    let rest = &pixels[eights * 8..];
    eights * 8 + rest.iter().take_while(|&&p| p == colour).count()
}

/// The PNG's palette. The image is flat colours and their anti-aliased edges: a few hundred
/// colours, of which the 256 most frequent cover all but a few hundredths of a per cent of
/// the pixels. Those 256 make the palette (exact when there are no more); each rarer colour
/// takes its nearest palette entry. Ties are broken by the colour value, so the result is
/// deterministic.
struct Palette {
    entries: Vec<[u8; 3]>,
    index: FxHashMap<Rgba, u8>,
}

impl Palette {
    fn of(strips: &[Strip]) -> Palette {
        let mut counts: FxHashMap<Rgba, usize> = FxHashMap::default();
        for strip in strips {
            for (colour, n) in strip.colours.list.iter().zip(&strip.colours.counts) {
                *counts.entry(*colour).or_default() += n;
            }
        }
        let mut by_count: Vec<(Rgba, usize)> = counts.into_iter().collect();
        by_count.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let entries: Vec<[u8; 3]> = by_count.iter().take(256).map(|(c, _)| rgb(*c)).collect();
        let index = by_count
            .iter()
            .map(|(colour, _)| (*colour, nearest(&entries, rgb(*colour))))
            .collect();
        Palette { entries, index }
    }

    /// The palette index of `colour`, one of the image's.
    fn index(&self, colour: Rgba) -> u8 {
        self.index.get(&colour).copied().unwrap_or(0)
    }
}

/// The PNG of `data`, the image's rows (see [`render_png`]), with the pixel data compressed
/// by [`zlib_stream`] and `key` in a text chunk.
fn encode(
    width: u32,
    height: u32,
    palette: &Palette,
    data: &[u8],
    key: &str,
) -> Result<Vec<u8>, png::EncodingError> {
    let zlib = zlib_stream(data, width as usize + 1)
        .map_err(|e| png::EncodingError::IoError(std::io::Error::other(e)))?;
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(palette.entries.concat());
    encoder.add_text_chunk(KEY_CHUNK.to_string(), key.to_string())?;
    let mut writer = encoder.write_header()?;
    writer.write_chunk(png::chunk::IDAT, &zlib)?;
    writer.finish()?;
    Ok(out)
}

/// zlib's level for the PNG's pixel data.
const PNG_LEVEL: u32 = 6;

/// Rows of pixel data deflated as one block of [`zlib_stream`]. Fixed, so that the bytes do
/// not depend on the number of threads.
const DEFLATE_ROWS: usize = 512;

/// `data` (rows of `row` bytes) as one zlib stream, deflated [`DEFLATE_ROWS`] rows at a time
/// on all threads, the way pigz does: every block but the last ends with a sync flush (an
/// empty stored block), which leaves the stream byte-aligned, so the blocks are simply
/// joined; the Adler-32 of the whole data ends the stream. Each block starts without the
/// window of the one before, which costs next to nothing here: on the seed's overview (19 MB
/// of rows, 25 blocks) the stream is 555 KB against 556 KB as one deflate of the whole, made
/// in 28 ms on two cores against 53 ms.
fn zlib_stream(data: &[u8], row: usize) -> Result<Vec<u8>, flate2::CompressError> {
    let mut blocks: Vec<&[u8]> = data.chunks(DEFLATE_ROWS * row.max(1)).collect();
    if blocks.is_empty() {
        // No data: the stream still needs its one final (empty) block.
        blocks.push(data);
    }
    let last = blocks.len() - 1;
    let (deflated, adler) = rayon::join(
        || {
            blocks
                .par_iter()
                .enumerate()
                .map(|(i, block)| deflate(block, i == last))
                .collect::<Result<Vec<_>, _>>()
        },
        || libdeflater::adler32(data),
    );
    let deflated = deflated?;
    // CMF: deflate with a 32 KiB window; FLG: the default level, and a check that makes
    // the two bytes a multiple of 31 (RFC 1950).
    let mut zlib = vec![0x78, 0x9c];
    zlib.reserve(deflated.iter().map(Vec::len).sum::<usize>() + 4);
    for block in &deflated {
        zlib.extend_from_slice(block);
    }
    zlib.extend_from_slice(&adler.to_be_bytes());
    Ok(zlib)
}

/// Raw deflate of `block`: ended by a sync flush, or the final block of the stream when
/// `last`.
fn deflate(block: &[u8], last: bool) -> Result<Vec<u8>, flate2::CompressError> {
    let mut compress = Compress::new(Compression::new(PNG_LEVEL), false);
    let flush = if last {
        FlushCompress::Finish
    } else {
        FlushCompress::Sync
    };
    let mut out = Vec::new();
    loop {
        // The image's rows compress to a few per cent; grow as needed.
        out.reserve(block.len() / 16 + 1024);
        let consumed = compress.total_in() as usize;
        let status = compress.compress_vec(&block[consumed..], &mut out, flush)?;
        let all_in = compress.total_in() as usize == block.len();
        // A flush is complete when it leaves room in the output (zlib's rule).
        let flushed = all_in && out.len() < out.capacity();
        if status == Status::StreamEnd || (!last && flushed) {
            return Ok(out);
        }
    }
}

/// The index of the palette entry closest to `colour` (squared RGB distance; first wins).
fn nearest(palette: &[[u8; 3]], colour: [u8; 3]) -> u8 {
    let distance = |p: &[u8; 3]| -> u32 {
        p.iter()
            .zip(colour)
            .map(|(a, b)| u32::from(a.abs_diff(b)).pow(2))
            .sum()
    };
    let mut best = (u32::MAX, 0usize);
    for (i, p) in palette.iter().enumerate() {
        let d = distance(p);
        if d < best.0 {
            best = (d, i);
        }
    }
    best.1 as u8
}

/// Maps the font files of `family` once for the whole run. Otherwise fontdb maps a file
/// and unmaps it again for every run of text it shapes and every glyph it outlines, which
/// was most of the time spent turning the overview's text into paths.
fn share_files(db: &mut fontdb::Database, family: &str) {
    let ids: Vec<fontdb::ID> = db
        .faces()
        .filter(|f| f.families.iter().any(|(name, _)| name == family))
        .map(|f| f.id)
        .collect();
    for id in ids {
        // SAFETY: the same mapping of the same file that fontdb makes on each access
        // (`Source::File`), kept instead of remade. As there, a font file rewritten on disk
        // while the build reads it is the only hazard; system fonts are not.
        unsafe {
            db.make_shared_face_data(id);
        }
    }
}

/// The first family, preferring the SVG's own stack, whose face has every glyph of
/// [`CJK_PROBE`].
fn find_cjk_family(db: &fontdb::Database) -> Option<String> {
    let preferred = [
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "PingFang SC",
        "Microsoft YaHei",
    ];
    let covers = |id: fontdb::ID| {
        db.with_face_data(id, |data, index| {
            use skrifa::MetadataProvider;
            skrifa::FontRef::from_index(data, index).is_ok_and(|font| {
                let charmap = font.charmap();
                CJK_PROBE.chars().all(|c| charmap.map(c).is_some())
            })
        })
        .unwrap_or(false)
    };
    let family_of = |face: &fontdb::FaceInfo| face.families.first().map(|(name, _)| name.clone());
    for name in preferred {
        let query = fontdb::Query {
            families: &[fontdb::Family::Name(name)],
            ..fontdb::Query::default()
        };
        if let Some(id) = db.query(&query)
            && covers(id)
        {
            return Some(name.to_string());
        }
    }
    // Any other face, in a stable order (by family name, then path order).
    let mut faces: Vec<&fontdb::FaceInfo> = db.faces().collect();
    faces.sort_by_cached_key(|face| family_of(face));
    faces
        .into_iter()
        .find(|face| covers(face.id))
        .and_then(family_of)
}

/// The PNG's width in px for an SVG of [`WIDTH`].
pub fn png_width() -> u32 {
    (WIDTH as f32 * SCALE).round() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inflate(zlib: &[u8]) -> Vec<u8> {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::ZlibDecoder::new(zlib)
            .read_to_end(&mut out)
            .expect("a valid zlib stream");
        out
    }

    #[test]
    fn the_zlib_stream_of_blocks_inflates_to_the_data_whatever_its_length() {
        let row = 31;
        // Rows that vary, so that blocks do not compress to nothing.
        let rows = |n: usize| -> Vec<u8> {
            (0..n * row)
                .map(|i| ((i / row) % 7 * 40 + i % row % 3) as u8)
                .collect()
        };
        for n in [0, 1, DEFLATE_ROWS - 1, DEFLATE_ROWS, 3 * DEFLATE_ROWS + 5] {
            let data = rows(n);
            let stream = zlib_stream(&data, row).unwrap();
            assert_eq!(inflate(&stream), data, "{n} rows");
            assert_eq!(
                zlib_stream(&data, row).unwrap(),
                zlib_stream(&data, row).unwrap()
            );
        }
    }
}
