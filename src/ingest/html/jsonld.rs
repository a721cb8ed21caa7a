//! Schema.org JSON-LD: the `NewsArticle` (or `Article`, `BlogPosting`,
//! `ReportageNewsArticle`...) a page describes itself with, found at the top
//! level, in an array or inside `@graph`, with authors given by name, as
//! objects, or as `@id` references to a `Person` elsewhere in the graph.

use serde_json::Value;

/// The fields of a page's article object, as text.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct JsonLdArticle {
    pub headline: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub authors: Vec<String>,
    pub section: Option<String>,
    pub tags: Vec<String>,
    pub description: Option<String>,
    pub image: Option<String>,
    pub url: Option<String>,
    pub body: Option<String>,
}

/// The first article object in the page's JSON-LD scripts.
pub fn article<'a>(scripts: impl Iterator<Item = &'a str>) -> Option<JsonLdArticle> {
    let mut objects = Vec::new();
    for script in scripts {
        if let Some(v) = parse_lenient(script) {
            flatten(v, &mut objects);
        }
    }
    let art = objects.iter().find(|o| is_article(o))?;
    let text = |key: &str| one_text(art.get(key)?, &objects);
    Some(JsonLdArticle {
        headline: text("headline").or_else(|| text("name")),
        date: text("datePublished").or_else(|| text("dateCreated")),
        updated: text("dateModified"),
        authors: names(art.get("author"), &objects),
        section: text("articleSection"),
        tags: art.get("keywords").map(list).unwrap_or_default(),
        description: text("description"),
        image: art.get("image").and_then(url_of),
        url: text("url").or_else(|| art.get("mainEntityOfPage").and_then(url_of)),
        body: text("articleBody"),
    })
}

/// JSON as pages write it: raw line breaks inside strings, HTML comments
/// around the object, a trailing semicolon.
fn parse_lenient(script: &str) -> Option<Value> {
    let cleaned: String = script
        .trim()
        .trim_start_matches("<!--")
        .trim_end_matches("-->")
        .trim()
        .trim_end_matches(';')
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    serde_json::from_str(&cleaned).ok()
}

/// Every object of a script, `@graph` members and array items included.
fn flatten(v: Value, out: &mut Vec<Value>) {
    match v {
        Value::Array(items) => items.into_iter().for_each(|i| flatten(i, out)),
        Value::Object(mut map) => {
            if let Some(graph) = map.remove("@graph") {
                flatten(graph, out);
            }
            out.push(Value::Object(map));
        }
        _ => {}
    }
}

/// Whether an object's `@type` is an article kind.
fn is_article(v: &Value) -> bool {
    let is = |t: &str| {
        let t = t.rsplit('/').next().unwrap_or(t);
        t.ends_with("Article") || matches!(t, "BlogPosting" | "LiveBlogPosting" | "Report")
    };
    match v.get("@type") {
        Some(Value::String(t)) => is(t),
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(is),
        _ => false,
    }
}

/// A string value, or the first of a list, or a `name`d object's name.
fn one_text(v: &Value, objects: &[Value]) -> Option<String> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Array(items) => return items.iter().find_map(|i| one_text(i, objects)),
        Value::Object(_) => return name_of(v, objects),
        _ => return None,
    };
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

/// Author names from a string, an object, an `@id` reference or a list.
fn names(v: Option<&Value>, objects: &[Value]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let items: Vec<&Value> = match v {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    };
    for item in items {
        let name = match item {
            Value::String(s) => Some(s.trim().to_string()),
            _ => name_of(item, objects),
        };
        if let Some(n) = name.filter(|n| !n.is_empty() && !n.contains("://")) {
            if !out.contains(&n) {
                out.push(n);
            }
        }
    }
    out
}

/// An object's `name`, following an `@id` reference when it has none.
fn name_of(v: &Value, objects: &[Value]) -> Option<String> {
    if let Some(name) = v.get("name").and_then(Value::as_str) {
        return Some(name.trim().to_string());
    }
    let id = v.get("@id")?.as_str()?;
    objects
        .iter()
        .find(|o| o.get("@id").and_then(Value::as_str) == Some(id) && o.get("name").is_some())
        .and_then(|o| o.get("name")?.as_str())
        .map(|s| s.trim().to_string())
}

/// `keywords` as a list: an array, or one comma-separated string.
fn list(v: &Value) -> Vec<String> {
    let raw: Vec<String> = match v {
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        Value::String(s) => s.split(',').map(str::to_string).collect(),
        _ => Vec::new(),
    };
    raw.into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The address of an image or page: a string, an object's `url` or `@id`,
/// or the first of a list.
fn url_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(url_of),
        Value::Object(o) => o.get("url").or_else(|| o.get("@id")).and_then(url_of),
        _ => None,
    }
}
