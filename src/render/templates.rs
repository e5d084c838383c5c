//! Loading the tera templates once per build, the helper functions they can call, and
//! turning tera errors into diagnostics that name the template file and line.

use std::collections::HashMap;

use tera::{ErrorKind, Kwargs, State, Tera, TeraResult};

use crate::diagnostic::Diagnostic;
use crate::model::Urls;
use crate::theme::ThemeFile;

/// The loaded templates.
pub struct Templates {
    pub tera: Tera,
    /// Template name → file as shown in messages.
    files: HashMap<String, String>,
}

impl Templates {
    /// Parses every template; reports all that fail to parse.
    pub fn load(files: &[ThemeFile], urls: &Urls) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml"]);
        register_functions(&mut tera, urls);
        let mut shown = HashMap::new();
        let mut sources = Vec::new();
        let mut errors = Vec::new();
        for f in files {
            shown.insert(f.rel.clone(), f.shown.clone());
            match f.origin.read().map(String::from_utf8) {
                Ok(Ok(text)) => sources.push((f.rel.clone(), text)),
                Ok(Err(_)) => errors.push(
                    Diagnostic::error("template is not valid UTF-8")
                        .in_file(&f.shown)
                        .with_hint("save the template as UTF-8"),
                ),
                Err(e) => errors.push(
                    Diagnostic::error(format!("cannot read template: {e}")).in_file(&f.shown),
                ),
            }
        }
        let this = |tera| Templates {
            tera,
            files: shown.clone(),
        };
        // Parse each template alone first so every syntax error is reported, then all
        // together so inheritance is checked.
        for (name, text) in &sources {
            let mut probe = Tera::new();
            if let Err(e) = probe.add_raw_template(name, text)
                && matches!(e.kind(), ErrorKind::SyntaxError(_))
            {
                errors.push(this(Tera::new()).diagnostic(&e, name));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        if let Err(e) =
            tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        {
            return Err(vec![this(Tera::new()).diagnostic(&e, "")]);
        }
        Ok(this(tera))
    }

    /// True when a template of that name exists.
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Renders `name` to UTF-8 bytes; an error names the template file and line.
    pub fn render(&self, name: &str, ctx: &tera::Context) -> Result<Vec<u8>, Diagnostic> {
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(name, ctx, &mut out)
            .map_err(|e| self.diagnostic(&e, name))?;
        Ok(out)
    }

    fn shown(&self, name: &str) -> String {
        self.files
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    }

    /// A tera error as a diagnostic. `name` is the template being rendered or loaded.
    pub fn diagnostic(&self, e: &tera::Error, name: &str) -> Diagnostic {
        let mut d = match e.kind() {
            ErrorKind::SyntaxError(r) => Diagnostic::error(format!("template syntax error: {}", r.message()))
                .in_file(self.shown(r.filename()))
                .at(r.span().start_line, r.span().start_col + 1)
                .with_hint("check the {% %} and {{ }} tags near this line; every block, for and if needs its end tag"),
            ErrorKind::RenderingError(r) => Diagnostic::error(format!("template error: {}", r.message()))
                .in_file(self.shown(r.filename()))
                .at(r.span().start_line, r.span().start_col + 1)
                .with_hint("the variables a template can use are listed in docs/templates.md"),
            ErrorKind::MissingParent { current, parent } => {
                Diagnostic::error(format!("template extends '{parent}', which does not exist"))
                    .in_file(self.shown(current))
                    .with_hint("fix the name in {% extends %} or add that template")
            }
            ErrorKind::TemplateNotFound(missing) => Diagnostic::error(format!("template '{missing}' not found"))
                .in_file(self.shown(name))
                .with_hint(format!("add templates/{missing} beside content/, or use a theme that has it")),
            ErrorKind::CircularInclude { tpl, include_chain } => Diagnostic::error(format!(
                "templates include each other in a circle: {}",
                include_chain.join(" → ")
            ))
            .in_file(self.shown(tpl))
            .with_hint("remove the {% include %} that leads back to this template"),
            ErrorKind::CircularExtend { tpl, inheritance_chain } => Diagnostic::error(format!(
                "templates extend each other in a circle: {}",
                inheritance_chain.join(" → ")
            ))
            .in_file(self.shown(tpl))
            .with_hint("remove the {% extends %} that leads back to this template"),
            _ => match located_report(&e.to_string()) {
                // Checks made after parsing (an include of a missing template) come as a
                // text report: `error: MESSAGE`, then `--> NAME:LINE:COLUMN`.
                Some((message, tpl, line, column)) => {
                    let hint = match message.strip_prefix("Unknown template `") {
                        Some(rest) => format!(
                            "add templates/{} beside content/, or fix the name",
                            rest.trim_end_matches('`')
                        ),
                        None => "check the template near this line; the variables and functions a template can use are listed in docs/templates.md".to_string(),
                    };
                    Diagnostic::error(format!("template error: {message}"))
                        .in_file(self.shown(&tpl))
                        .at(line, column)
                        .with_hint(hint)
                }
                None => {
                    let d = Diagnostic::error(format!("template error: {e}"))
                        .with_hint("check the template; docs/templates.md lists what a template can use");
                    if name.is_empty() { d } else { d.in_file(self.shown(name)) }
                }
            },
        };
        // Tera keeps the cause of errors raised by functions and filters as the source.
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            d.message.push_str(&format!(": {s}"));
            source = s.source();
        }
        if !name.is_empty() && d.file.as_deref() != Some(&self.shown(name)) {
            d.message.push_str(&format!(" (while rendering {name})"));
        }
        d
    }
}

/// The first `error: MESSAGE` and `--> NAME:LINE:COLUMN` lines of a tera text report.
fn located_report(report: &str) -> Option<(String, String, usize, usize)> {
    let mut lines = report.lines();
    let message = lines.find_map(|l| l.trim().strip_prefix("error: "))?;
    let message = message.strip_prefix("error: ").unwrap_or(message);
    let place = lines.find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = place.rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    let name = parts.next()?.to_string();
    Some((message.to_string(), name, line, column))
}

/// Helpers available in every template.
///
/// - `url_for(path="css/site.css")` → `/kepu/css/site.css`: a link to a file or page of the
///   site, with the base path (works under a sub-path deployment).
/// - `permalink_for(path="/targets/")` → `https://host/kepu/targets/`: the full address.
fn register_functions(tera: &mut Tera, urls: &Urls) {
    let u = urls.clone();
    tera.register_function(
        "url_for",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path = kwargs.must_get::<&str>("path")?;
            Ok(u.url(path))
        },
    );
    let u = urls.clone();
    tera.register_function(
        "permalink_for",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path = kwargs.must_get::<&str>("path")?;
            Ok(u.permalink(path))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::theme::Origin;

    fn file(rel: &str, text: &'static str) -> ThemeFile {
        ThemeFile {
            rel: rel.to_string(),
            shown: format!("themes/t/templates/{rel}"),
            origin: Origin::Embedded(text.as_bytes()),
        }
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        let urls = Urls::new("https://a.cn/");
        let e = Templates::load(
            &[
                file("a.html", "ok\n{% if x %}\nno end\n"),
                file("b.html", "{{ x }"),
            ],
            &urls,
        )
        .err()
        .unwrap();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].file.as_deref(), Some("themes/t/templates/a.html"));
        assert!(e[0].line.is_some());
        assert_eq!(e[1].file.as_deref(), Some("themes/t/templates/b.html"));
    }

    #[test]
    fn runtime_error_and_helpers() {
        let urls = Urls::new("https://a.cn/kepu/");
        let t = Templates::load(
            &[
                file(
                    "u.html",
                    "{{ url_for(path=\"css/site.css\") }} {{ permalink_for(path=\"/a/\") }}",
                ),
                file("bad.html", "line1\n{{ nothing.here }}"),
            ],
            &urls,
        )
        .unwrap_or_else(|_| panic!("templates load"));
        let ctx = tera::Context::new();
        assert_eq!(
            String::from_utf8(t.render("u.html", &ctx).unwrap()).unwrap(),
            "/kepu/css/site.css https://a.cn/kepu/a/"
        );
        let d = t.render("bad.html", &ctx).unwrap_err();
        assert_eq!(d.file.as_deref(), Some("themes/t/templates/bad.html"));
        assert_eq!(d.line, Some(2));
    }
}
