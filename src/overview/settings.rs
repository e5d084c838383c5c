//! The `overview:` section of `site.yaml`: which blocks the 一图读懂 shows and in what
//! order, their titles and colours. Parsing denies unknown keys; [`OverviewSettings::validate`]
//! checks what serde cannot (duplicate blocks, colour syntax, contrast ≥ 4.5:1) and names the
//! setting at fault. [`OverviewSettings::css`] turns the colours into the generated
//! `/css/overview-colours.css`, so that templates colour blocks by class, never by inline style.

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One block of the overview, in the order the issue lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockId {
    /// Document title, issuer, 发文字号, dates, link to the full text.
    Title,
    /// 制定依据: the documents the plan is based on.
    Basis,
    /// The headline target(s), big.
    Headline,
    /// 基本原则, as tiles.
    Principles,
    /// 提升行动: one block per action.
    Actions,
    /// 重点工程: one block per project.
    Projects,
    /// 2021→2025: dated targets and evaluation steps.
    Timeline,
    /// Who carries it out: lead units with counts.
    Units,
}

impl BlockId {
    /// Every block, in the default order.
    pub const ALL: [BlockId; 8] = [
        BlockId::Title,
        BlockId::Basis,
        BlockId::Headline,
        BlockId::Principles,
        BlockId::Actions,
        BlockId::Projects,
        BlockId::Timeline,
        BlockId::Units,
    ];

    /// The name used in `site.yaml`, in CSS classes and in HTML ids.
    pub fn as_str(self) -> &'static str {
        match self {
            BlockId::Title => "title",
            BlockId::Basis => "basis",
            BlockId::Headline => "headline",
            BlockId::Principles => "principles",
            BlockId::Actions => "actions",
            BlockId::Projects => "projects",
            BlockId::Timeline => "timeline",
            BlockId::Units => "units",
        }
    }

    /// The heading shown when `overview.titles` does not set one.
    pub fn default_title(self) -> &'static str {
        match self {
            BlockId::Title => "发文信息",
            BlockId::Basis => "制定依据",
            BlockId::Headline => "总体目标",
            BlockId::Principles => "基本原则",
            BlockId::Actions => "五项提升行动",
            BlockId::Projects => "四项重点工程",
            BlockId::Timeline => "时间表",
            BlockId::Units => "谁来落实",
        }
    }

    /// The colour used when `overview.colours` does not set one. Every default passes the
    /// same contrast check as an editor's colour (tested).
    pub fn default_colour(self) -> &'static str {
        match self {
            BlockId::Title => "#1b4f8a",
            BlockId::Basis => "#4a5868",
            BlockId::Headline => "#b3261e",
            BlockId::Principles => "#00695c",
            BlockId::Actions => "#1a5fa8",
            BlockId::Projects => "#6a3d9a",
            BlockId::Timeline => "#8a4b08",
            BlockId::Units => "#37474f",
        }
    }
}

impl fmt::Display for BlockId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text per block; every field optional. Unknown block names are an error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerBlock {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principles: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projects: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<String>,
}

impl PerBlock {
    /// The value set for `block`, if any.
    pub fn get(&self, block: BlockId) -> Option<&str> {
        match block {
            BlockId::Title => self.title.as_deref(),
            BlockId::Basis => self.basis.as_deref(),
            BlockId::Headline => self.headline.as_deref(),
            BlockId::Principles => self.principles.as_deref(),
            BlockId::Actions => self.actions.as_deref(),
            BlockId::Projects => self.projects.as_deref(),
            BlockId::Timeline => self.timeline.as_deref(),
            BlockId::Units => self.units.as_deref(),
        }
    }
}

/// `overview:` in `site.yaml`. Every key is optional; the defaults give the layout of the
/// issue (all eight blocks in order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverviewSettings {
    /// Which blocks appear, in this order. A block left out is not shown.
    #[serde(default = "default_blocks")]
    pub blocks: Vec<BlockId>,
    /// Headings per block (default: [`BlockId::default_title`]).
    #[serde(default)]
    pub titles: PerBlock,
    /// Colours per block, `#rgb` or `#rrggbb`; white text is set on them, so each needs a
    /// contrast of at least 4.5:1 with white.
    #[serde(default)]
    pub colours: PerBlock,
    /// How many targets of a section are shown when none is marked `key: true`.
    #[serde(default = "default_key_targets")]
    pub key_targets: usize,
    /// How many targets one year of the timeline lists before linking to /targets/.
    #[serde(default = "default_timeline_limit")]
    pub timeline_limit: usize,
    /// The plan's period, first and last year. Default: the years in the document title
    /// (`2021—2025年`), else the years of the targets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<[i32; 2]>,
    /// Where 组织实施 lives; its pages are scanned for evaluation steps (评估).
    #[serde(default = "default_implementation")]
    pub implementation: String,
    /// Icon per section, by the section's URL or by its last path segment
    /// (`youth: youth`); default: chosen from the audience and the title.
    #[serde(default)]
    pub icons: std::collections::BTreeMap<String, String>,
}

fn default_blocks() -> Vec<BlockId> {
    BlockId::ALL.to_vec()
}
fn default_key_targets() -> usize {
    3
}
fn default_timeline_limit() -> usize {
    8
}
fn default_implementation() -> String {
    "/implementation/".to_string()
}

impl Default for OverviewSettings {
    fn default() -> Self {
        OverviewSettings {
            blocks: default_blocks(),
            titles: PerBlock::default(),
            colours: PerBlock::default(),
            key_targets: default_key_targets(),
            timeline_limit: default_timeline_limit(),
            period: None,
            implementation: default_implementation(),
            icons: Default::default(),
        }
    }
}

/// A setting that is present and well-typed but wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingError {
    /// The setting's path in `site.yaml`, e.g. `overview.colours.actions`.
    pub setting: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for SettingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "site.yaml: {}: {}", self.setting, self.message)
    }
}

impl std::error::Error for SettingError {}

/// The minimum contrast ratio (WCAG 2 AA, normal text).
pub const MIN_CONTRAST: f64 = 4.5;

impl OverviewSettings {
    /// Checks what the types cannot: duplicate blocks, colour syntax and contrast, period.
    /// Returns every problem, each naming its setting.
    pub fn validate(&self) -> Result<(), Vec<SettingError>> {
        let mut errors = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, block) in self.blocks.iter().enumerate() {
            if !seen.insert(*block) {
                errors.push(SettingError {
                    setting: format!("overview.blocks[{i}]"),
                    message: format!("`{block}` is listed twice; list each block once"),
                });
            }
        }
        for block in BlockId::ALL {
            let Some(text) = self.colours.get(block) else {
                continue;
            };
            let setting = format!("overview.colours.{block}");
            match parse_hex(text) {
                None => errors.push(SettingError {
                    setting,
                    message: format!(
                        "`{text}` is not a colour; write it as #rrggbb, e.g. {}",
                        block.default_colour()
                    ),
                }),
                Some(rgb) => {
                    let ratio = worst_contrast(rgb);
                    if ratio < MIN_CONTRAST {
                        errors.push(SettingError {
                            setting,
                            message: format!(
                                "`{text}` has a contrast of {ratio:.2}:1 with white text and \
                                 its light background; at least {MIN_CONTRAST}:1 is needed so \
                                 everyone can read it. A darker shade such as {} passes",
                                to_hex(darken_to(rgb, MIN_CONTRAST))
                            ),
                        });
                    }
                }
            }
        }
        for block in BlockId::ALL {
            if let Some(t) = self.titles.get(block)
                && t.trim().is_empty()
            {
                errors.push(SettingError {
                    setting: format!("overview.titles.{block}"),
                    message: "the title is empty; write a heading or remove the key".into(),
                });
            }
        }
        if let Some([a, b]) = self.period
            && a > b
        {
            errors.push(SettingError {
                setting: "overview.period".into(),
                message: format!("the first year ({a}) is after the last ({b}); write [{b}, {a}]"),
            });
        }
        if self.key_targets == 0 {
            errors.push(SettingError {
                setting: "overview.key_targets".into(),
                message: "must be at least 1".into(),
            });
        }
        if !self.implementation.starts_with('/') {
            errors.push(SettingError {
                setting: "overview.implementation".into(),
                message: format!(
                    "`{}` must be a site path starting with /, e.g. /implementation/",
                    self.implementation
                ),
            });
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The heading of `block`.
    pub fn title(&self, block: BlockId) -> &str {
        self.titles
            .get(block)
            .unwrap_or_else(|| block.default_title())
    }

    /// The colour of `block` as `#rrggbb` (the default when unset or invalid; invalid
    /// colours are reported by [`validate`](Self::validate)).
    pub fn colour(&self, block: BlockId) -> String {
        let rgb = self
            .colours
            .get(block)
            .and_then(parse_hex)
            .or_else(|| parse_hex(block.default_colour()))
            .unwrap_or((0, 0, 0));
        to_hex(rgb)
    }

    /// The generated stylesheet `/css/overview-colours.css`: one custom property per block
    /// class, read by the theme's `overview.css`.
    pub fn css(&self) -> String {
        let mut css =
            String::from("/* Generated from overview.colours in site.yaml; do not edit. */\n");
        for block in BlockId::ALL {
            css.push_str(&format!(
                ".ov-b-{block}{{--ov-colour:{}}}\n",
                self.colour(block)
            ));
        }
        css
    }
}

/// An sRGB colour.
pub type Rgb = (u8, u8, u8);

const WHITE: Rgb = (255, 255, 255);

/// Parses `#rgb` or `#rrggbb`.
pub fn parse_hex(text: &str) -> Option<Rgb> {
    let hex = text.trim().strip_prefix('#')?;
    if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let digit = |i: usize, n: usize| u8::from_str_radix(&hex[i..i + n], 16).ok();
    match hex.len() {
        3 => Some((digit(0, 1)? * 17, digit(1, 1)? * 17, digit(2, 1)? * 17)),
        6 => Some((digit(0, 2)?, digit(2, 2)?, digit(4, 2)?)),
        _ => None,
    }
}

/// `#rrggbb`, lower case.
pub fn to_hex((r, g, b): Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// WCAG 2 relative luminance.
fn luminance((r, g, b): Rgb) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// WCAG 2 contrast ratio of two colours, 1.0 to 21.0.
pub fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// `rgb` mixed with 92% white: the background of tiles, on which the colour is text.
pub fn tint((r, g, b): Rgb) -> Rgb {
    let mix = |v: u8| (f64::from(v) * 0.08 + 255.0 * 0.92).round() as u8;
    (mix(r), mix(g), mix(b))
}

/// A block colour is both the background of white text and the text on its own tint.
fn worst_contrast(rgb: Rgb) -> f64 {
    contrast(rgb, WHITE).min(contrast(rgb, tint(rgb)))
}

/// The lightest shade of `rgb` (scaled towards black) that passes [`worst_contrast`].
fn darken_to(rgb: Rgb, ratio: f64) -> Rgb {
    let (r, g, b) = rgb;
    for step in 0..=100u32 {
        let f = 1.0 - f64::from(step) / 100.0;
        let scale = |c: u8| (f64::from(c) * f).floor() as u8;
        let shade = (scale(r), scale(g), scale(b));
        if worst_contrast(shade) >= ratio {
            return shade;
        }
    }
    (0, 0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<OverviewSettings, serde_yaml::Error> {
        serde_yaml::from_str(yaml)
    }

    #[test]
    fn defaults_are_valid_and_every_default_colour_passes() {
        let s = OverviewSettings::default();
        assert_eq!(s.validate(), Ok(()));
        for block in BlockId::ALL {
            let rgb = parse_hex(block.default_colour()).unwrap();
            assert!(worst_contrast(rgb) >= MIN_CONTRAST, "{block}");
        }
        assert_eq!(parse("{}").unwrap(), s);
    }

    #[test]
    fn unknown_keys_and_blocks_are_errors() {
        let e = parse("colors: {}").unwrap_err().to_string();
        assert!(e.contains("unknown field `colors`"), "{e}");
        let e = parse("colours: {actoins: '#000'}").unwrap_err().to_string();
        assert!(e.contains("actoins") && e.contains("actions"), "{e}");
        let e = parse("blocks: [title, timelin]").unwrap_err().to_string();
        assert!(e.contains("timelin") && e.contains("timeline"), "{e}");
    }

    #[test]
    fn low_contrast_is_an_error_naming_the_setting_and_a_fix() {
        let s = parse("colours: {actions: '#7fb3ff', units: '#123456'}").unwrap();
        let errors = s.validate().unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].setting, "overview.colours.actions");
        assert!(errors[0].message.contains("2.03:1"), "{}", errors[0]);
        assert!(errors[0].message.contains("#5070a0"), "{}", errors[0]);
        // The suggested shade passes.
        let suggested = errors[0].message.rsplit(' ').nth(1).unwrap();
        let rgb = parse_hex(suggested).unwrap();
        assert!(worst_contrast(rgb) >= MIN_CONTRAST, "{suggested}");
    }

    #[test]
    fn bad_colour_duplicate_block_and_period_are_named() {
        let s =
            parse("blocks: [title, units, title]\ncolours: {title: blue}\nperiod: [2025, 2021]")
                .unwrap();
        let settings: Vec<String> = s
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.setting)
            .collect();
        assert_eq!(
            settings,
            [
                "overview.blocks[2]",
                "overview.colours.title",
                "overview.period"
            ]
        );
    }

    #[test]
    fn contrast_matches_known_values() {
        assert!((contrast((0, 0, 0), WHITE) - 21.0).abs() < 1e-9);
        assert!((contrast((0x76, 0x76, 0x76), WHITE) - 4.54).abs() < 0.01);
        assert_eq!(parse_hex("#abc"), Some((0xaa, 0xbb, 0xcc)));
        assert_eq!(parse_hex("#12345g"), None);
    }

    #[test]
    fn css_has_one_rule_per_block() {
        let s = parse("colours: {headline: '#000000'}").unwrap();
        let css = s.css();
        assert!(css.contains(".ov-b-headline{--ov-colour:#000000}"));
        assert_eq!(css.matches("--ov-colour").count(), BlockId::ALL.len());
    }
}
