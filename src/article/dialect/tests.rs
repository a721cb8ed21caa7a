use serde_json::json;

use super::*;

fn map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => panic!("not a map"),
    }
}

fn at(path: &str) -> Context<'_> {
    Context {
        content_path: path,
        categories: Categories::Section,
    }
}

#[test]
fn hugo_names_map_onto_canonical_fields_and_losing_synonyms_stay_in_extra() {
    let c = canonical(
        map(json!({
            "title": "T", "date": "2020-01-02", "publishDate": "2020-01-01",
            "lastmod": "2020-02-02", "expiryDate": "2030-01-01", "url": "/x.html",
            "author": "Ann", "authors": ["Bo"], "images": ["a.jpg", "b.jpg"],
            "description": "D", "summary": "S", "weight": 3,
            "params": {"subtitle": "Sub"}
        })),
        &at("posts/x.md"),
    );
    assert_eq!(c.fields["date"], "2020-01-02");
    assert_eq!(c.fields["updated"], "2020-02-02");
    assert_eq!(c.fields["expires"], "2030-01-01");
    assert_eq!(c.fields["url"], "/x.html");
    assert_eq!(c.fields["image"], "a.jpg");
    assert_eq!(c.fields["summary"], "S");
    assert_eq!(c.fields["authors"], json!(["Bo", "Ann"]));
    assert_eq!(c.written_as("expires"), "expiryDate");
    assert_eq!(c.extra["publishDate"], "2020-01-01");
    assert_eq!(c.extra["description"], "D");
    assert_eq!(c.extra["images"], json!(["a.jpg", "b.jpg"]));
    assert_eq!(c.extra["subtitle"], "Sub");
    assert_eq!(c.extra["weight"], 3);
    assert_eq!(c.unknown, ["weight"]);
}

#[test]
fn publish_date_is_the_date_when_there_is_none() {
    let c = canonical(
        map(json!({"title": "T", "PublishDate": "2020-01-01"})),
        &at("x.md"),
    );
    assert_eq!(c.fields["date"], "2020-01-01");
    assert_eq!(c.written_as("date"), "PublishDate");
}

#[test]
fn zola_taxonomies_and_extra_are_read_and_other_taxonomies_reported() {
    let c = canonical(
        map(json!({
            "title": "T", "path": "2019/03/04/zola-post", "updated": "2019-04-01",
            "taxonomies": {"tags": ["rust"], "categories": ["Tech", "Web"], "series": ["s1"]},
            "extra": {"lead": "L"}
        })),
        &at("blog/zola-post.md"),
    );
    assert_eq!(c.fields["url"], "2019/03/04/zola-post");
    assert_eq!(c.fields["section"], "Tech");
    assert_eq!(c.fields["tags"], json!(["rust", "Web"]));
    assert_eq!(c.extra["lead"], "L");
    assert_eq!(c.extra["taxonomies"], json!({"series": ["s1"]}));
    assert_eq!(c.unknown, ["taxonomies.series"]);
}

#[test]
fn jekyll_published_false_redirect_from_and_space_separated_lists() {
    let c = canonical(
        map(json!({
            "title": "T", "published": false, "categories": "news world",
            "tags": "a b", "redirect_from": ["/old/"], "layout": "post"
        })),
        &at("_posts/2015-01-02-x.md"),
    );
    assert_eq!(c.fields["draft"], true);
    assert_eq!(c.fields["section"], "news");
    assert_eq!(c.fields["tags"], json!(["a", "b", "world"]));
    assert_eq!(c.fields["aliases"], json!(["/old/"]));
    assert_eq!(c.unknown, ["layout"]);
    // Outside `_posts`, a string is one name (or a comma-separated list).
    let c = canonical(map(json!({"title": "T", "tags": "New York"})), &at("x.md"));
    assert_eq!(c.fields["tags"], json!(["New York"]));
}

#[test]
fn eleventy_permalink_false_and_drafts_folders_make_drafts() {
    let c = canonical(map(json!({"title": "T", "permalink": false})), &at("x.md"));
    assert_eq!(c.fields["draft"], true);
    assert!(!c.fields.contains_key("url"));
    let c = canonical(map(json!({"title": "T"})), &at("_drafts/x.md"));
    assert_eq!(c.fields["draft"], true);
    let c = canonical(map(json!({"title": "T", "draft": false})), &at("x.md"));
    assert_eq!(c.fields["draft"], false);
}

#[test]
fn categories_follow_the_site_setting() {
    let raw = || map(json!({"title": "T", "section": "World", "categories": ["A", "B"]}));
    let c = canonical(raw(), &at("x.md"));
    assert_eq!(c.fields["section"], "World");
    assert_eq!(c.fields["tags"], json!(["A", "B"]));
    let cx = Context {
        content_path: "x.md",
        categories: Categories::Tags,
    };
    let c = canonical(map(json!({"title": "T", "categories": ["A"]})), &cx);
    assert!(!c.fields.contains_key("section"));
    assert_eq!(c.fields["tags"], json!(["A"]));
}

#[test]
fn a_list_of_the_wrong_type_is_left_for_the_reader_to_report() {
    let c = canonical(map(json!({"title": "T", "tags": 3})), &at("x.md"));
    assert_eq!(c.fields["tags"], 3);
    assert!(c.unknown.is_empty());
}
