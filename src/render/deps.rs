//! Which templates a template may pull in (`extends`, `include`, `import`), read
//! from the template text, and one fingerprint per template over everything it
//! may use. A tag whose template name is computed (`{% include "x/" ~ kind %}`)
//! makes its template depend on every template: the fingerprint errs towards
//! re-rendering, never towards a stale page.

use std::collections::{BTreeSet, HashMap};

/// What one template names.
#[derive(Debug, PartialEq, Eq)]
enum Refs {
    /// Literal names only.
    Names(BTreeSet<String>),
    /// A computed name: could be any template.
    Any,
}

/// Fingerprints per template name, for `(name, text)` pairs.
pub fn fingerprints(templates: &[(&str, &str)]) -> HashMap<String, [u8; 32]> {
    let refs: HashMap<&str, Refs> = templates
        .iter()
        .map(|(name, text)| (*name, references(text)))
        .collect();
    let texts: HashMap<&str, &str> = templates.iter().copied().collect();
    templates
        .iter()
        .map(|(name, _)| {
            let closure = closure(name, &refs);
            let mut hasher = blake3::Hasher::new();
            let names: Vec<&str> = match &closure {
                Some(set) => set.iter().copied().collect(),
                None => templates.iter().map(|(n, _)| *n).collect(),
            };
            for n in names {
                hasher.update(n.as_bytes());
                hasher.update(&[0]);
                hasher.update(texts.get(n).copied().unwrap_or("").as_bytes());
                hasher.update(&[0]);
            }
            ((*name).to_string(), *hasher.finalize().as_bytes())
        })
        .collect()
}

/// Every template reachable from `start`, itself included; `None` when one of
/// them computes a name.
fn closure<'a>(start: &'a str, refs: &HashMap<&'a str, Refs>) -> Option<BTreeSet<&'a str>> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![start];
    while let Some(name) = todo.pop() {
        if !seen.insert(name) {
            continue;
        }
        match refs.get(name) {
            Some(Refs::Any) => return None,
            Some(Refs::Names(names)) => {
                for n in names {
                    // Names of templates that do not exist render as errors.
                    if let Some((key, _)) = refs.get_key_value(n.as_str()) {
                        todo.push(key);
                    }
                }
            }
            None => {}
        }
    }
    Some(seen)
}

/// The template names a template text refers to.
fn references(text: &str) -> Refs {
    let mut names = BTreeSet::new();
    let mut rest = text;
    while let Some(open) = rest.find("{%") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("%}") else {
            break;
        };
        let tag = after[..close].trim_matches(|c: char| c == '-' || c.is_whitespace());
        rest = &after[close + 2..];
        let (word, args) = tag.split_once(char::is_whitespace).unwrap_or((tag, ""));
        if !matches!(word, "extends" | "include" | "import" | "from") {
            continue;
        }
        let args = args.trim_start();
        let computed = args.contains(['~', '+', '(']) || !args.starts_with(['"', '\'', '`', '[']);
        if computed {
            return Refs::Any;
        }
        names.extend(literals(args));
    }
    Refs::Names(names)
}

/// The quoted strings in a tag's arguments.
fn literals(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = args;
    while let Some(i) = rest.find(['"', '\'', '`']) {
        // Quotes are ASCII, so byte offsets stay on character boundaries.
        let quote = rest.as_bytes()[i] as char;
        let body = &rest[i + 1..];
        let Some(len) = body.find(quote) else {
            break;
        };
        out.push(body[..len].to_string());
        rest = &body[len + 1..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Refs {
        Refs::Names(list.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn literal_extends_include_and_import_are_found() {
        let text = "{% extends \"base.html\" %}{%- include 'partials/a.html' -%}\
                    {% import \"macros.html\" as m %}{% if x %}{% endif %}";
        assert_eq!(
            references(text),
            names(&["base.html", "macros.html", "partials/a.html"])
        );
    }

    #[test]
    fn computed_names_depend_on_everything() {
        assert_eq!(references("{% include \"x/\" ~ kind %}"), Refs::Any);
        assert_eq!(references("{% include name %}"), Refs::Any);
    }

    #[test]
    fn a_template_change_reaches_only_the_templates_that_use_it() {
        let before = fingerprints(&[
            ("base.html", "B"),
            ("article.html", "{% extends \"base.html\" %}A"),
            (
                "list.html",
                "{% extends \"base.html\" %}{% include \"card.html\" %}",
            ),
            ("card.html", "C"),
        ]);
        let after = fingerprints(&[
            ("base.html", "B"),
            ("article.html", "{% extends \"base.html\" %}A2"),
            (
                "list.html",
                "{% extends \"base.html\" %}{% include \"card.html\" %}",
            ),
            ("card.html", "C"),
        ]);
        assert_ne!(before["article.html"], after["article.html"]);
        assert_eq!(before["list.html"], after["list.html"]);
        let base_changed = fingerprints(&[
            ("base.html", "B2"),
            ("article.html", "{% extends \"base.html\" %}A"),
            (
                "list.html",
                "{% extends \"base.html\" %}{% include \"card.html\" %}",
            ),
            ("card.html", "C"),
        ]);
        assert_ne!(before["list.html"], base_changed["list.html"]);
        assert_ne!(before["article.html"], base_changed["article.html"]);
    }
}
