//! The overview's icons: the theme's one icon set, `static/icons/NAME.svg` (48 × 48, drawn
//! with `currentColor`; docs/theme.md). The default theme's icons are compiled in; a theme
//! may replace or add icons by file name. Here a section's icon is chosen (the page shows it
//! with the theme's `icon` component) and its drawing nested into `/overview.svg`.

use std::collections::BTreeMap;

use super::data::PageInput;
use super::settings::{OverviewSettings, SettingError};
use crate::load::front_matter::Kind;
use crate::model::policy::AUDIENCES;
use crate::theme::ThemeFiles;

/// Icon of a project chosen from a word of its title (the theme's `section_icon` component
/// follows the same rule). Actions take the icon of their 人群, whose slug is its name
/// ([`AUDIENCES`]).
const BY_TITLE: &[(&str, &str)] = &[
    ("科技资源", "project-resources"),
    ("信息化", "project-digital"),
    ("基础设施", "project-facilities"),
    ("基层", "project-grassroots"),
];

/// The icon of a section nothing else chooses one for.
const FALLBACK: &str = "emblem";

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
    /// The default theme's icons (compiled into the program).
    pub fn builtin() -> Icons {
        Icons::from_theme(&crate::theme::builtin_default()).0
    }

    /// The icons of a theme, its site's `static/icons/` overrides included: every
    /// `icons/NAME.svg` of its static files. Files that are not a plain `<svg>` or that refer
    /// outside themselves are left out with a warning, one per file.
    pub fn from_theme(files: &ThemeFiles) -> (Icons, Vec<String>) {
        let mut svgs = BTreeMap::new();
        let mut warnings = Vec::new();
        for f in &files.statics {
            let Some(name) = f
                .rel
                .strip_prefix("icons/")
                .and_then(|n| n.strip_suffix(".svg"))
                .filter(|n| !n.contains('/'))
            else {
                continue;
            };
            let svg = match f.origin.read().map(String::from_utf8) {
                Ok(Ok(svg)) => svg,
                Ok(Err(_)) => {
                    warnings.push(format!("{}: not UTF-8 text; the icon is not used", f.shown));
                    continue;
                }
                Err(e) => {
                    warnings.push(format!("{}: cannot read: {e}", f.shown));
                    continue;
                }
            };
            match check_icon(&svg) {
                Ok(()) => {
                    svgs.insert(name.to_string(), svg.trim().to_string());
                }
                Err(why) => warnings.push(format!("{}: {why}; the icon is not used", f.shown)),
            }
        }
        (Icons { svgs }, warnings)
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
            let a = a.trim();
            AUDIENCES
                .iter()
                .find(|(name, _)| a == *name || (!a.is_empty() && name.starts_with(a)))
                .map(|(_, slug)| *slug)
        });
        let from_title = || {
            (section.kind == Kind::Project)
                .then(|| {
                    BY_TITLE
                        .iter()
                        .find(|(word, _)| section.title.contains(word))
                        .map(|(_, icon)| *icon)
                })
                .flatten()
        };
        from_audience
            .or_else(from_title)
            .filter(|name| self.contains(name))
            .unwrap_or(FALLBACK)
            .to_string()
    }

    /// Markup for nesting in another SVG at (x, y), `size` square, drawn in `colour`: the
    /// icon's drawing in a nested `<svg>` with its `viewBox`, without its `<title>` (the text
    /// beside it names the thing) and without ids (an icon may appear twice).
    pub fn nested(&self, name: &str, x: f64, y: f64, size: f64, colour: &str) -> String {
        let Some(svg) = self.svgs.get(name) else {
            return String::new();
        };
        let Some((open, inner)) = svg
            .find('>')
            .map(|i| (&svg[..i], &svg[i + 1..svg.len() - "</svg>".len()]))
        else {
            return String::new();
        };
        let view_box = attribute(open, "viewBox").unwrap_or("0 0 48 48");
        // Presentation attributes of the root (fill, stroke…) carry over to the drawing.
        let inherited: String = [
            "fill",
            "stroke",
            "stroke-width",
            "stroke-linecap",
            "stroke-linejoin",
        ]
        .iter()
        .filter_map(|a| attribute(open, a).map(|v| format!(" {a}=\"{v}\"")))
        .collect();
        let mut drawing = inner.to_string();
        while let Some(start) = drawing.find("<title") {
            match drawing[start..].find("</title>") {
                Some(end) => drawing.replace_range(start..start + end + "</title>".len(), ""),
                None => break,
            }
        }
        while let Some(start) = drawing.find(" id=\"") {
            match drawing[start + 5..].find('"') {
                Some(end) => drawing.replace_range(start..start + 5 + end + 1, ""),
                None => break,
            }
        }
        format!(
            "<svg x=\"{x}\" y=\"{y}\" width=\"{size}\" height=\"{size}\" viewBox=\"{view_box}\"{inherited}>{}</svg>",
            drawing.trim().replace("currentColor", colour)
        )
    }
}

/// The value of attribute `name` in an opening tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let pattern = format!(" {name}=\"");
    let start = tag.find(&pattern)? + pattern.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
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
        let (icons, warnings) = Icons::from_theme(&crate::theme::builtin_default());
        assert!(warnings.is_empty(), "{warnings:?}");
        for name in [
            "youth",
            "farmers",
            "workers",
            "elderly",
            "officials",
            "emblem",
        ] {
            assert!(icons.svgs[name].contains("currentColor"), "{name}");
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
        // An action's icon is its 人群's; without one, the emblem.
        assert_eq!(icons.choose(&page, &settings), "emblem");
        page.audience = vec!["老年人".into()];
        assert_eq!(icons.choose(&page, &settings), "elderly");
        page.audience = vec!["领导干部".into()];
        assert_eq!(icons.choose(&page, &settings), "officials");
        // A project's from its title.
        page.audience.clear();
        page.kind = Kind::Project;
        page.title = "科普信息化提升工程".into();
        assert_eq!(icons.choose(&page, &settings), "project-digital");
        let settings: OverviewSettings = serde_yaml::from_str("icons: {a: targets}").unwrap();
        assert_eq!(icons.choose(&page, &settings), "targets");
    }

    #[test]
    fn nested_icons_keep_their_drawing_without_title_or_id() {
        let nested = Icons::builtin().nested("youth", 10.0, 20.0, 56.0, "#1a5fa8");
        assert!(nested.starts_with(
            "<svg x=\"10\" y=\"20\" width=\"56\" height=\"56\" viewBox=\"0 0 48 48\">"
        ));
        assert!(
            !nested.contains("<title") && !nested.contains(" id="),
            "{nested}"
        );
        assert!(nested.contains("stroke=\"#1a5fa8\"") && !nested.contains("currentColor"));
        assert_eq!(nested.matches(" width=").count(), 1, "{nested}");
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
        let mut files = crate::theme::builtin_default();
        for name in ["youth.svg", "evil.svg"] {
            files.statics.push(crate::theme::ThemeFile {
                rel: format!("icons/{name}"),
                shown: format!("static/icons/{name}"),
                origin: crate::theme::Origin::Disk(dir.path().join(name)),
            });
        }
        files.statics.sort_by(|a, b| a.rel.cmp(&b.rel));
        let (icons, warnings) = Icons::from_theme(&files);
        assert!(
            icons
                .nested("youth", 0.0, 0.0, 56.0, "#000")
                .contains("circle")
        );
        assert!(!icons.contains("evil"));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].contains("evil.svg"));
    }
}
