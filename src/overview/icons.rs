//! The overview's icons: small hand-written SVG files in the theme's `static/icons/`, drawn
//! with `currentColor` so they take the colour of the text around them. The default theme's
//! icons are compiled in; a theme may replace or add icons by file name. The same markup is
//! inlined into the page (decorative, `aria-hidden`) and nested into `/overview.svg`.

use std::collections::BTreeMap;
use std::path::Path;

use super::data::PageInput;
use super::settings::{OverviewSettings, SettingError};
use crate::load::front_matter::Kind;

/// The default theme's icons, by name (file stem).
const BUILTIN: &[(&str, &str)] = &[
    (
        "action",
        include_str!("../../themes/default/static/icons/action.svg"),
    ),
    (
        "building",
        include_str!("../../themes/default/static/icons/building.svg"),
    ),
    (
        "community",
        include_str!("../../themes/default/static/icons/community.svg"),
    ),
    (
        "download",
        include_str!("../../themes/default/static/icons/download.svg"),
    ),
    (
        "elder",
        include_str!("../../themes/default/static/icons/elder.svg"),
    ),
    (
        "farmer",
        include_str!("../../themes/default/static/icons/farmer.svg"),
    ),
    (
        "lab",
        include_str!("../../themes/default/static/icons/lab.svg"),
    ),
    (
        "network",
        include_str!("../../themes/default/static/icons/network.svg"),
    ),
    (
        "official",
        include_str!("../../themes/default/static/icons/official.svg"),
    ),
    (
        "project",
        include_str!("../../themes/default/static/icons/project.svg"),
    ),
    (
        "worker",
        include_str!("../../themes/default/static/icons/worker.svg"),
    ),
    (
        "youth",
        include_str!("../../themes/default/static/icons/youth.svg"),
    ),
];

/// Icon chosen from the audience (人群) of an action.
const BY_AUDIENCE: &[(&str, &str)] = &[
    ("青少年", "youth"),
    ("农牧民", "farmer"),
    ("农民", "farmer"),
    ("产业工人", "worker"),
    ("老年人", "elder"),
    ("领导干部", "official"),
    ("公务员", "official"),
];

/// Icon chosen from a word of a section's title.
const BY_TITLE: &[(&str, &str)] = &[
    ("青少年", "youth"),
    ("农牧民", "farmer"),
    ("产业工人", "worker"),
    ("老年人", "elder"),
    ("领导干部", "official"),
    ("科技资源", "lab"),
    ("信息化", "network"),
    ("基础设施", "building"),
    ("基层", "community"),
];

/// Icon markup by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Icons {
    svgs: BTreeMap<String, String>,
}

impl Default for Icons {
    fn default() -> Self {
        Icons::builtin()
    }
}

impl Icons {
    /// The default theme's icons.
    pub fn builtin() -> Icons {
        Icons {
            svgs: BUILTIN
                .iter()
                .map(|(name, svg)| (name.to_string(), svg.trim().to_string()))
                .collect(),
        }
    }

    /// The built-in icons, replaced or extended by the `*.svg` files of `dir` (a theme's
    /// `static/icons/`). Files that are not a plain `<svg>` or that refer outside themselves
    /// are skipped with a warning, one per file.
    pub fn with_dir(dir: &Path) -> (Icons, Vec<String>) {
        let mut icons = Icons::builtin();
        let mut warnings = Vec::new();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return (icons, warnings);
        };
        let mut paths: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "svg"))
            .collect();
        paths.sort();
        for path in paths {
            let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
                continue;
            };
            match std::fs::read_to_string(&path) {
                Ok(svg) => match check_icon(&svg) {
                    Ok(()) => {
                        icons.svgs.insert(name.to_string(), svg.trim().to_string());
                    }
                    Err(why) => {
                        warnings.push(format!("{}: {why}; the icon is not used", path.display()))
                    }
                },
                Err(e) => warnings.push(format!("{}: cannot read: {e}", path.display())),
            }
        }
        (icons, warnings)
    }

    /// Icon names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.svgs.keys().map(String::as_str)
    }

    /// True when an icon of that name exists.
    pub fn contains(&self, name: &str) -> bool {
        self.svgs.contains_key(name)
    }

    /// `overview.icons` entries that name no icon.
    pub fn check_settings(&self, settings: &OverviewSettings) -> Vec<SettingError> {
        settings
            .icons
            .iter()
            .filter(|(_, icon)| !self.contains(icon))
            .map(|(key, icon)| SettingError {
                setting: format!("overview.icons.{key}"),
                message: format!(
                    "there is no icon `{icon}`; use one of: {}",
                    self.names().collect::<Vec<_>>().join(", ")
                ),
            })
            .collect()
    }

    /// The icon of a section: `overview.icons` by URL or last path segment, else from its
    /// audience, else from its title, else `action` / `project`.
    pub fn choose(&self, section: &PageInput, settings: &OverviewSettings) -> String {
        let segment = section
            .url
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("");
        let configured = settings
            .icons
            .get(&section.url)
            .or_else(|| settings.icons.get(segment))
            .filter(|name| self.contains(name));
        if let Some(name) = configured {
            return name.clone();
        }
        let from_audience = section.audience.iter().find_map(|a| {
            BY_AUDIENCE
                .iter()
                .find(|(word, _)| a.contains(word))
                .map(|(_, icon)| *icon)
        });
        let from_title = || {
            BY_TITLE
                .iter()
                .find(|(word, _)| section.title.contains(word))
                .map(|(_, icon)| *icon)
        };
        let fallback = if section.kind == Kind::Project {
            "project"
        } else {
            "action"
        };
        from_audience
            .or_else(from_title)
            .filter(|name| self.contains(name))
            .unwrap_or(fallback)
            .to_string()
    }

    /// Markup for inlining in HTML: decorative, hidden from assistive technology.
    pub fn inline(&self, name: &str) -> String {
        match self.svgs.get(name) {
            Some(svg) => svg.replacen(
                "<svg",
                "<svg class=\"ov-icon\" aria-hidden=\"true\" focusable=\"false\"",
                1,
            ),
            None => String::new(),
        }
    }

    /// Markup for nesting in another SVG at (x, y), `size` square, drawn in `colour`.
    pub fn nested(&self, name: &str, x: f64, y: f64, size: f64, colour: &str) -> String {
        match self.svgs.get(name) {
            Some(svg) => svg
                .replacen(
                    "<svg",
                    &format!("<svg x=\"{x}\" y=\"{y}\" width=\"{size}\" height=\"{size}\""),
                    1,
                )
                .replacen(" xmlns=\"http://www.w3.org/2000/svg\"", "", 1)
                .replace("currentColor", colour),
            None => String::new(),
        }
    }
}

/// An icon must be one `<svg>` element with no reference outside itself.
fn check_icon(svg: &str) -> Result<(), &'static str> {
    let t = svg.trim();
    if !t.starts_with("<svg") || !t.ends_with("</svg>") {
        return Err("an icon must be a single <svg>…</svg> element without an XML declaration");
    }
    let lower = t.to_ascii_lowercase();
    if [
        "href",
        "<script",
        "<image",
        "<foreignobject",
        "@import",
        "<style",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return Err("an icon may not contain links, images, scripts or styles");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_icons_are_plain_svg() {
        for (name, svg) in BUILTIN {
            assert_eq!(check_icon(svg), Ok(()), "{name}");
            assert!(svg.contains("currentColor"), "{name}");
        }
    }

    #[test]
    fn icons_follow_audience_then_title() {
        let icons = Icons::builtin();
        let settings = OverviewSettings::default();
        let mut page = PageInput {
            url: "/actions/a/".into(),
            title: "老年人科学素质提升行动".into(),
            kind: Kind::Action,
            ..Default::default()
        };
        assert_eq!(icons.choose(&page, &settings), "elder");
        page.audience = vec!["青少年".into()];
        assert_eq!(icons.choose(&page, &settings), "youth");
        page.title = "其他".into();
        page.audience.clear();
        assert_eq!(icons.choose(&page, &settings), "action");
        let settings: OverviewSettings = serde_yaml::from_str("icons: {a: lab}").unwrap();
        assert_eq!(icons.choose(&page, &settings), "lab");
    }

    #[test]
    fn unknown_icon_setting_is_named() {
        let settings: OverviewSettings = serde_yaml::from_str("icons: {youth: rocket}").unwrap();
        let errors = Icons::builtin().check_settings(&settings);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].setting, "overview.icons.youth");
    }

    #[test]
    fn theme_icons_replace_builtin_and_bad_ones_warn() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("youth.svg"),
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 24 24\"><circle cx=\"12\" cy=\"12\" r=\"5\" fill=\"currentColor\"/></svg>",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("evil.svg"),
            "<svg><image href=\"http://x/y.png\"/></svg>",
        )
        .unwrap();
        let (icons, warnings) = Icons::with_dir(dir.path());
        assert!(icons.inline("youth").contains("circle"));
        assert!(!icons.contains("evil"));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("evil.svg"));
    }
}
