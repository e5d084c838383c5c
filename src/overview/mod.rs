//! The 一图读懂 overview (issue 5): the whole plan on one page, generated from the site's data.
//!
//! The seam is narrow: the build fills [`PageInput`] records from its model and calls
//! [`OverviewData::from_parts`]; the result is the template context `overview` of
//! `overview.html` and the input of [`render_files`], which draws `/overview.svg`,
//! `/overview.png` and the colour stylesheet. Nothing here reads content files or writes
//! output; the caller writes the returned bytes.
//!
//! - [`settings`]: `overview:` in `site.yaml`, validation, the generated colour CSS;
//! - [`data`]: input records → [`OverviewData`] (key targets, timeline, unit counts);
//! - [`icons`]: the theme's icons: which one a section gets, nested in the image;
//! - [`measure`]: text width estimates and CJK-aware line wrapping for the SVG;
//! - [`svg`]: the 750 px SVG with source line and QR code;
//! - [`png`]: the SVG drawn at 2× with resvg and a system CJK font.

pub mod data;
pub mod icons;
pub mod measure;
pub mod png;
pub mod settings;
pub mod svg;

pub use data::{
    CSS_PATH, OverviewData, PAGE_PATH, PNG_PATH, PageInput, SVG_PATH, chinese_date, format_value,
};
pub use icons::Icons;
pub use png::{Fonts, Png, render_png};
pub use settings::{BlockId, OverviewSettings, SettingError};
pub use svg::{SvgImage, render_svg};

/// The files of the overview besides its page, ready to write.
#[derive(Debug)]
pub struct OverviewFiles {
    /// `/overview.svg`.
    pub svg: String,
    /// `/overview.png`; `None` when skipped (see `warnings`).
    pub png: Option<Vec<u8>>,
    /// `/css/overview-colours.css`.
    pub css: String,
    /// Warnings for the editor (at most one: the skipped PNG).
    pub warnings: Vec<String>,
}

/// Draws the SVG and the PNG and generates the colour CSS. Marks in `data` whether the PNG
/// exists, so render the page after this.
///
/// `previous_png` is the last build's `/overview.png`, if there is one (read it from the
/// output folder before it is replaced, or keep it in memory in `--watch`): when it was
/// drawn from the same SVG with the same fonts (its [`png::KEY_CHUNK`]), it is returned as it
/// is instead of being drawn again, which saves nearly all of the overview's build time.
pub fn render_files(
    data: &mut OverviewData,
    settings: &OverviewSettings,
    icons: &Icons,
    base_url: &str,
    fonts: &Fonts,
    previous_png: Option<&[u8]>,
) -> OverviewFiles {
    let image = render_svg(data, settings, icons, base_url);
    let mut warnings = Vec::new();
    let png = match png::reuse_or_render(&image, fonts, previous_png) {
        Png::Written(bytes) => Some(bytes),
        Png::Skipped(why) => {
            warnings.push(why);
            None
        }
    };
    data.set_png_written(png.is_some());
    OverviewFiles {
        svg: image.svg,
        png,
        css: settings.css(),
        warnings,
    }
}
