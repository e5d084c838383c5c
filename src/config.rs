//! `site.yaml`: the site's configuration. Unknown keys are errors with a did-you-mean hint.
//!
//! Adding a section for a new feature (e.g. `search:` for issue 6, `overview:` for issue 5,
//! more `markdown:` options for issue 9): define a `#[serde(deny_unknown_fields)]` struct
//! with `Default` in the feature's own module, add it below as a
//! `#[serde(default)] pub NAME: Type` field of [`Config`], and document its keys in README.md.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::load::front_matter::DocumentMeta;
use crate::load::locate::YamlPositions;
use crate::load::{source, yaml};

/// The name of the configuration file at the site root.
pub const FILE: &str = "site.yaml";

/// The whole `site.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Site name, shown in every page's header and `<title>`.
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the site is published, e.g. `https://kxxh.example.gov.cn/kepu/`. A path after the
    /// host is kept in every link, asset and feed.
    pub base_url: String,
    /// The `lang` of every page.
    #[serde(default = "default_language")]
    pub language: String,
    /// Folder under `themes/`.
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub footer: Footer,
    /// The published document's metadata (公文要素).
    #[serde(default, skip_serializing_if = "DocumentMeta::is_empty")]
    pub document: DocumentMeta,
    #[serde(default)]
    pub markdown: MarkdownConfig,
    #[serde(default)]
    pub feed: FeedConfig,
    /// The plan period and the date target progress is judged at (issue 4).
    #[serde(default)]
    pub plan: crate::model::policy::PlanConfig,
    /// `search:` options: extra synonyms for the search index.
    #[serde(default)]
    pub search: crate::search::SearchConfig,
    /// Also write Brotli (`.br`) copies of text files beside the gzip (`.gz`) ones that
    /// every build writes (default false: Brotli at high quality is slow).
    #[serde(default)]
    pub compress: bool,
    /// The 一图读懂 overview: blocks, titles, colours (issue 5, docs/overview.md).
    #[serde(default)]
    pub overview: crate::overview::OverviewSettings,
    // Later sections go here (see the module comment).
}

/// The footer every government site carries. Keys may be written in English or Chinese.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Footer {
    /// 主办单位.
    #[serde(default, alias = "主办单位", skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// 网站标识码.
    #[serde(default, alias = "网站标识码", skip_serializing_if = "Option::is_none")]
    pub site_code: Option<String>,
    /// ICP备案号.
    #[serde(default, alias = "ICP备案号", skip_serializing_if = "Option::is_none")]
    pub icp: Option<String>,
    /// 公安备案号.
    #[serde(default, alias = "公安备案号", skip_serializing_if = "Option::is_none")]
    pub police_record: Option<String>,
    /// 地址.
    #[serde(default, alias = "地址", skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// 电话.
    #[serde(default, alias = "电话", skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// 邮箱.
    #[serde(default, alias = "邮箱", skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// `markdown:` options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Highlight fenced code blocks with a language (default true).
    #[serde(default = "yes")]
    pub highlight_code: bool,
    /// Publish raw HTML in Markdown as written, scripts included, and allow links with any
    /// scheme (default false: raw HTML is sanitized, see `markdown::sanitize`). Only for
    /// sites whose every editor is trusted.
    #[serde(default)]
    pub unsafe_html: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight_code: true,
            unsafe_html: false,
        }
    }
}

/// `feed:` options for `/atom.xml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedConfig {
    /// How many entries the feed holds (default 30).
    #[serde(default = "default_feed_limit")]
    pub limit: usize,
}

impl Default for FeedConfig {
    fn default() -> Self {
        FeedConfig {
            limit: default_feed_limit(),
        }
    }
}

fn default_language() -> String {
    "zh-CN".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn default_feed_limit() -> usize {
    30
}
fn yes() -> bool {
    true
}

impl Config {
    /// Reads `site.yaml` at `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Diagnostic::error(format!(
                    "no {FILE} in {}",
                    root.display()
                ))
                .with_hint(
                    "run the command in the site's folder (or pass --root DIR), or create a new site with `site init DIR`",
                ));
            }
            Err(e) => {
                return Err(Diagnostic::error(format!("cannot read: {e}")).in_file(FILE));
            }
        };
        let text = source::decode(bytes, FILE)?;
        Config::parse(&text)
    }

    /// Parses the text of `site.yaml` and checks its values.
    pub fn parse(text: &str) -> Result<Config, Diagnostic> {
        if text.trim().is_empty() {
            return Err(Diagnostic::error(format!("{FILE} is empty"))
                .in_file(FILE)
                .with_hint("write at least `title:` and `base_url:`"));
        }
        let mut config: Config = yaml::parse(text, FILE, 1, FILE)?;
        let positions = YamlPositions::new(text, 1);
        let line = |key: &str| positions.find(&[key]).line;
        config.base_url = normalize_base_url(&config.base_url)
            .map_err(|d| d.in_file(FILE).at_line(line("base_url")))?;
        if config.theme.is_empty()
            || config.theme.contains(['/', '\\'])
            || config.theme.starts_with('.')
        {
            return Err(
                Diagnostic::error(format!("invalid theme name '{}'", config.theme))
                    .in_file(FILE)
                    .at_line(line("theme"))
                    .with_hint("name a folder under themes/, e.g. `theme: default`"),
            );
        }
        if let Some(e) = config
            .plan
            .validate(|key| positions.find(&[key]))
            .into_iter()
            .next()
        {
            return Err(e);
        }
        if let Err(errors) = config.overview.validate()
            && let Some(e) = errors.into_iter().next()
        {
            let key = e
                .setting
                .split('[')
                .next()
                .unwrap_or(&e.setting)
                .to_string();
            return Err(Diagnostic::error(format!("{}: {}", e.setting, e.message))
                .in_file(FILE)
                .at_line(positions.find(&[&key, "overview"]).line));
        }
        Ok(config)
    }
}

/// Checks a base URL and gives it exactly one trailing slash.
pub fn normalize_base_url(url: &str) -> Result<String, Diagnostic> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    match rest {
        Some(r) if !r.is_empty() && !r.starts_with('/') && !url.contains(char::is_whitespace) && !url.contains(['?', '#']) => {
            Ok(format!("{}/", url.trim_end_matches('/')))
        }
        _ => Err(Diagnostic::error(format!("invalid base_url '{url}'")).with_hint(
            "write the full address where the site is published, e.g. `https://kxxh.example.gov.cn/kepu/`",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_and_full() {
        let c = Config::parse("title: 科普\nbase_url: https://example.gov.cn\n").unwrap();
        assert_eq!(c.base_url, "https://example.gov.cn/");
        assert_eq!(c.language, "zh-CN");
        assert_eq!(c.theme, "default");
        let c = Config::parse(
            "title: t\nbase_url: https://a.cn/kepu\nfooter:\n  主办单位: 市科协\n  icp: 京ICP备1号\ndocument:\n  doc_number: 鄂府发〔2022〕158号\n",
        )
        .unwrap();
        assert_eq!(c.base_url, "https://a.cn/kepu/");
        assert_eq!(c.footer.host.as_deref(), Some("市科协"));
        assert_eq!(
            c.document.doc_number.as_deref(),
            Some("鄂府发〔2022〕158号")
        );
    }

    #[test]
    fn errors() {
        let e = Config::parse("title: t\nbase_url: https://a.cn\ntheem: x\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "error: site.yaml:3:1: unknown key 'theem' in site.yaml\n  hint: did you mean 'theme'?"
        );
        let e = Config::parse("title: t\nbase_url: a.cn\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("invalid base_url"));
        let e = Config::parse("title: t\nbase_url: https://a.cn\nfooter:\n  icq: x\n").unwrap_err();
        assert_eq!(e.hint.as_deref(), Some("did you mean 'icp'?"));
        assert!(
            Config::parse("title: t\n")
                .unwrap_err()
                .message
                .contains("base_url")
        );
    }
}
