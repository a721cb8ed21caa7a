//! A site's own shortcodes: `templates/shortcodes/NAME.html` (in the site or
//! its theme), rendered with tera for `crate::shortcodes` through its
//! `SiteShortcodes` trait. A template sees each named argument as a variable
//! (`src`, `caption`), the positional ones as `args` (a list), and the text
//! between an opening and a closing tag as `body`; values are escaped unless
//! the template says `| safe`.

use std::collections::BTreeSet;
use std::sync::Arc;

use tera::{Context, Tera};

use super::theme::{self, ThemeFiles};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::shortcodes::{Args, SiteShortcodes};

const DIR: &str = "shortcodes/";

/// Loads the site's shortcode templates into `cfg.shortcodes`, and folds
/// their text into `cfg.fingerprint`: a changed shortcode re-reads every
/// article. A syntax error names the template file and line.
pub fn attach(cfg: &mut Config) -> Result<(), Diagnostic> {
    let files = theme::collect(cfg)?;
    let Some(templates) = SiteTemplates::new(&files)? else {
        return Ok(());
    };
    let mut hasher = blake3::Hasher::new();
    hasher.update(&cfg.fingerprint);
    for (name, (text, _)) in files.templates.range(DIR.to_string()..) {
        if !name.starts_with(DIR) {
            break;
        }
        hasher.update(name.as_bytes());
        hasher.update(&[0]);
        hasher.update(text.as_bytes());
        hasher.update(&[0]);
    }
    cfg.fingerprint = *hasher.finalize().as_bytes();
    cfg.shortcodes = Some(Arc::new(templates));
    Ok(())
}

/// The compiled shortcode templates.
pub struct SiteTemplates {
    tera: Tera,
    names: BTreeSet<String>,
}

impl std::fmt::Debug for SiteTemplates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SiteTemplates")
            .field("names", &self.names)
            .finish()
    }
}

impl SiteTemplates {
    /// The `shortcodes/*.html` templates among `files`, if there are any.
    pub fn new(files: &ThemeFiles) -> Result<Option<SiteTemplates>, Diagnostic> {
        let found: Vec<(&str, &str)> = files
            .templates
            .iter()
            .filter(|(n, _)| n.starts_with(DIR) && n.ends_with(".html"))
            .map(|(n, (t, _))| (n.as_str(), t.as_str()))
            .collect();
        if found.is_empty() {
            return Ok(None);
        }
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html"]);
        tera.add_raw_templates(found.iter().copied())
            .map_err(|e| super::template_error(&e, files))?;
        let names = found
            .iter()
            .map(|(n, _)| n[DIR.len()..n.len() - ".html".len()].to_string())
            .collect();
        Ok(Some(SiteTemplates { tera, names }))
    }
}

impl SiteShortcodes for SiteTemplates {
    fn has(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    fn render(&self, name: &str, args: &Args, body: Option<&str>) -> Result<String, String> {
        let mut ctx = Context::new();
        for (k, v) in &args.named {
            ctx.insert(k.clone(), v);
        }
        ctx.insert("args", &args.positional);
        ctx.insert("body", body.unwrap_or(""));
        let html = self
            .tera
            .render(&format!("{DIR}{name}.html"), &ctx)
            .map_err(|e| format!("templates/{DIR}{name}.html: {e}"))?;
        // One line: the HTML stands where the tag stood in the Markdown.
        Ok(html.trim().replace('\n', " "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shortcodes::{Context as Cx, translate};

    fn templates(list: &[(&str, &str)]) -> SiteTemplates {
        let mut files = ThemeFiles::default();
        for (n, t) in list {
            files.templates.insert(
                format!("{DIR}{n}"),
                (t.to_string(), format!("templates/{DIR}{n}").into()),
            );
        }
        SiteTemplates::new(&files).expect("compiles").expect("some")
    }

    #[test]
    fn site_shortcodes_render_their_arguments_escaped() {
        let site = templates(&[
            (
                "linked-figure.html",
                "<figure>\n<img src=\"{{ image }}\" alt=\"{{ alt }}\">\n{% if caption %}<figcaption>{{ caption }}</figcaption>{% endif %}</figure>",
            ),
            (
                "team_link.html",
                "<a href=\"/team/{{ args[0] }}/\">{{ args[0] }}</a>",
            ),
        ]);
        let cx = Cx {
            site: Some(&site),
            ..Cx::markdown()
        };
        let (out, found) = translate(
            "{% include \"linked-figure.html\", image: \"/a.png\", alt: \"A <b>\" %}\n\nBy {{ \"moncef\" | team_link }}.",
            &cx,
        );
        assert_eq!(
            out,
            "<figure> <img src=\"/a.png\" alt=\"A &lt;b&gt;\"> </figure>\n\n\nBy <a href=\"/team/moncef/\">moncef</a>."
        );
        assert!(found.iter().all(|f| f.translated), "{found:?}");
    }

    #[test]
    fn a_failing_site_shortcode_is_reported_and_left() {
        let site = templates(&[("boom.html", "{{ missing.field }}")]);
        let cx = Cx {
            site: Some(&site),
            ..Cx::markdown()
        };
        let (out, found) = translate("{{< boom >}}", &cx);
        assert_eq!(out, "{{< boom >}}");
        let problem = found[0].problem.as_deref().unwrap_or("");
        assert!(
            problem.starts_with("templates/shortcodes/boom.html: "),
            "{problem}"
        );
    }
}
