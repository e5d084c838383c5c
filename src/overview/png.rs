//! `/overview.png`: the overview SVG rendered in pure Rust (resvg) at 2× (1500 px wide), with
//! a CJK font found on the system by fontdb. Without a font that covers Chinese the PNG is
//! skipped with one warning: never tofu boxes, never a failed build. The PNG is written with
//! a 256-colour palette (see [`encode`]); rendering and encoding are deterministic, so the
//! same SVG and fonts give the same bytes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};

use super::svg::WIDTH;

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

/// Renders `svg` at [`SCALE`]× with `fonts`. Skips (never fails the build) when no font
/// covers Chinese or the SVG cannot be drawn.
pub fn render_png(svg: &str, fonts: &Fonts) -> Png {
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
    let options = usvg::Options {
        fontdb: fonts.db.clone(),
        font_family: family.to_string(),
        languages: vec!["zh-CN".to_string()],
        ..usvg::Options::default()
    };
    let tree = match usvg::Tree::from_str(svg, &options) {
        Ok(tree) => tree,
        Err(e) => return Png::Skipped(format!("/overview.svg could not be drawn: {e}")),
    };
    let size = tree.size();
    let w = (size.width() * SCALE).round() as u32;
    let h = (size.height() * SCALE).round() as u32;
    let Some(mut pixmap) = tiny_skia::Pixmap::new(w, h) else {
        return Png::Skipped(format!(
            "the overview image is too large to draw ({w}×{h} px)"
        ));
    };
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(SCALE, SCALE),
        &mut pixmap.as_mut(),
    );
    let key = cache_key(svg, fonts);
    match encode(pixmap.width(), pixmap.height(), pixmap.data(), &key) {
        Ok(bytes) => Png::Written(bytes),
        Err(e) => Png::Skipped(format!("/overview.png could not be encoded: {e}")),
    }
}

/// Encodes opaque RGBA pixels as an 8-bit indexed PNG. The image is flat colours and their
/// anti-aliased edges: a few hundred colours, of which the 256 most frequent cover all but a
/// few hundredths of a per cent of the pixels. Those 256 make the palette (exact when there
/// are no more); each rarer colour takes its nearest palette entry. Ties are broken by the
/// colour value, so the result is deterministic.
fn encode(width: u32, height: u32, rgba: &[u8], key: &str) -> Result<Vec<u8>, png::EncodingError> {
    let pixels = || rgba.chunks_exact(4).map(|px| [px[0], px[1], px[2]]);
    // Histogram; runs of one colour (most of the image) cost one lookup.
    let mut counts: HashMap<[u8; 3], usize> = HashMap::new();
    let mut run: Option<([u8; 3], usize)> = None;
    for px in pixels() {
        match &mut run {
            Some((colour, n)) if *colour == px => *n += 1,
            _ => {
                if let Some((colour, n)) = run.replace((px, 1)) {
                    *counts.entry(colour).or_default() += n;
                }
            }
        }
    }
    if let Some((colour, n)) = run {
        *counts.entry(colour).or_default() += n;
    }
    let mut by_count: Vec<([u8; 3], usize)> = counts.into_iter().collect();
    by_count.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let palette: Vec<[u8; 3]> = by_count.iter().take(256).map(|(c, _)| *c).collect();
    let index: HashMap<[u8; 3], u8> = by_count
        .iter()
        .map(|(colour, _)| (*colour, nearest(&palette, *colour)))
        .collect();
    let mut indexed = Vec::with_capacity(rgba.len() / 4);
    let mut last: Option<([u8; 3], u8)> = None;
    for px in pixels() {
        let i = match last {
            Some((colour, i)) if colour == px => i,
            _ => index.get(&px).copied().unwrap_or(0),
        };
        last = Some((px, i));
        indexed.push(i);
    }
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(palette.concat());
    encoder.add_text_chunk(KEY_CHUNK.to_string(), key.to_string())?;
    // Balanced zlib without filters: half the size of RGB at a third of the time of `High`.
    encoder.set_compression(png::Compression::Balanced);
    encoder.set_filter(png::Filter::NoFilter);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&indexed)?;
    writer.finish()?;
    Ok(out)
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
