use super::*;
use crate::testing::{archive, config, md};

fn messages(diags: &[Diagnostic]) -> Vec<String> {
    diags.iter().map(ToString::to_string).collect()
}

#[test]
fn aliases_make_one_table_for_pages_netlify_and_nginx() {
    let cfg = config("base_url = \"https://n.example\"\n");
    let a = archive(
        &cfg,
        &[
            (
                "a.md",
                &md(
                    "Floods",
                    "2013-02-02",
                    "aliases: [/old/floods/, \"story.php\", \"https://n.example/2013/floods\", /café/]\n",
                ),
            ),
            (
                "b.md",
                &md("Other", "2013-02-03", "redirect_from: [/x/other.html]\n"),
            ),
        ],
    );
    let (aliases, diags) = table(&a, &cfg);
    assert!(diags.is_empty(), "{diags:?}");
    let files: Vec<(&str, &str, &str)> = aliases
        .iter()
        .map(|al| (al.from.as_str(), al.file.as_str(), al.to.as_str()))
        .collect();
    assert_eq!(
        files,
        [
            (
                "/old/floods/",
                "old/floods/index.html",
                "/2013/02/02/floods/"
            ),
            ("/story.php", "story.php", "/2013/02/02/floods/"),
            (
                "/2013/floods",
                "2013/floods/index.html",
                "/2013/02/02/floods/"
            ),
            ("/café/", "café/index.html", "/2013/02/02/floods/"),
            ("/x/other.html", "x/other.html", "/2013/02/03/other/"),
        ]
    );
    assert_eq!(
        netlify(&aliases),
        "# Old URLs of articles (front matter `aliases`), made by broadsheet.
/old/floods/ /2013/02/02/floods/ 301
/story.php /2013/02/02/floods/ 301
/2013/floods /2013/02/02/floods/ 301
/caf%C3%A9/ /2013/02/02/floods/ 301
/x/other.html /2013/02/03/other/ 301
"
    );
    let nginx = nginx(&aliases);
    assert!(nginx.contains("map $uri $broadsheet_redirect {\n    default \"\";\n    \"/old/floods/\" \"/2013/02/02/floods/\";\n"), "{nginx}");
    assert!(nginx.ends_with("    \"/x/other.html\" \"/2013/02/03/other/\";\n}\n"));
    assert_eq!(
        page(&aliases[0], &a, &cfg),
        "<!DOCTYPE html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<title>Floods</title>
<link rel=\"canonical\" href=\"https://n.example/2013/02/02/floods/\">
<meta name=\"robots\" content=\"noindex\">
<meta http-equiv=\"refresh\" content=\"0; url=https://n.example/2013/02/02/floods/\">
</head>
<body>
<p>This article has moved to <a href=\"https://n.example/2013/02/02/floods/\">Floods</a>.</p>
</body>
</html>
"
    );
}

#[test]
fn two_articles_claiming_one_old_path_is_an_error_naming_both() {
    let cfg = config("");
    let a = archive(
        &cfg,
        &[
            ("a.md", &md("A", "2013-02-02", "aliases: [/old/]\n")),
            ("b.md", &md("B", "2013-02-03", "aliases: [/old]\n")),
            ("c.md", &md("C", "2013-02-04", "aliases: [/c/, /c/]\n")),
        ],
    );
    let (aliases, diags) = table(&a, &cfg);
    assert_eq!(
        messages(&diags),
        [
            "content/b.md: error: alias /old is also an alias of content/a.md (both would write old/index.html)"
        ]
    );
    assert_eq!(
        aliases.len(),
        2,
        "the first claim and c's alias (listed once) stay"
    );
}

#[test]
fn unsafe_and_foreign_aliases_are_refused() {
    let cfg = config("base_url = \"https://n.example\"\n");
    let a = archive(
        &cfg,
        &[(
            "a.md",
            &md(
                "A",
                "2013-02-02",
                "aliases: [\"/a/../../etc/\", \"//evil/\", \"/a/./b/\", \"/s.php?id=<3>\", \"/caf%C3%A9/\", \"https://other.example/x/\", \"/2013/02/02/a/\"]\n",
            ),
        )],
    );
    let (aliases, diags) = table(&a, &cfg);
    assert!(aliases.is_empty());
    assert_eq!(
        messages(&diags),
        [
            "content/a.md: error: alias `/a/../../etc/` is not a safe site path: empty, `.` and `..` segments are not allowed",
            "content/a.md: error: alias `//evil/` is not a safe site path: empty, `.` and `..` segments are not allowed",
            "content/a.md: error: alias `/a/./b/` is not a safe site path: empty, `.` and `..` segments are not allowed",
            "content/a.md: error: alias `/s.php?id=<3>`: a query in an alias must be plain `key=value` pairs, such as /?p=123",
            "content/a.md: error: alias `/caf%C3%A9/` contains '%': an alias is a plain site path (and plain query pairs), without fragment or percent escapes",
            "content/a.md: error: alias `https://other.example/x/` is not on this site (https://n.example): write it as a path such as /2013/02/old-story/",
            "content/a.md: error: alias /2013/02/02/a/ is this article's own URL",
        ]
    );
}

#[test]
fn an_alias_on_a_taken_path_names_the_owner() {
    let cfg = config("");
    let a = archive(
        &cfg,
        &[
            (
                "a.md",
                &md(
                    "A",
                    "2013-02-02",
                    "aliases: [/2013/02/03/b/, /tags/, /style.css]\n",
                ),
            ),
            ("b.md", &md("B", "2013-02-03", "")),
        ],
    );
    let (mut aliases, diags) = table(&a, &cfg);
    assert!(diags.is_empty());
    let taken: HashMap<String, Owner> = [
        (
            "2013/02/03/b/index.html",
            Owner::Article("content/b.md".into()),
        ),
        ("tags/index.html", Owner::Page("/tags/".into())),
        ("style.css", Owner::Static("style.css".into())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    assert_eq!(
        messages(&collisions(&mut aliases, &a, &taken)),
        [
            "content/a.md: error: alias /2013/02/03/b/ collides with the page of content/b.md",
            "content/a.md: error: alias /tags/ collides with the generated page /tags/",
            "content/a.md: error: alias /style.css collides with the static file style.css",
        ]
    );
}

#[test]
fn query_aliases_get_forced_netlify_rules_and_an_nginx_request_uri_map() {
    let cfg = config("base_url = \"https://n.example\"\n");
    let a = archive(
        &cfg,
        &[(
            "a.md",
            &md(
                "Floods",
                "2013-02-02",
                "aliases: [\"/?p=123\", \"/index.php?page_id=7&lang=en\", \"/old/\"]\n",
            ),
        )],
    );
    let (aliases, diags) = table(&a, &cfg);
    assert!(diags.is_empty(), "{diags:?}");
    let files: Vec<(&str, &str)> = aliases
        .iter()
        .map(|al| (al.from.as_str(), al.file.as_str()))
        .collect();
    assert_eq!(
        files,
        [
            ("/?p=123", ""),
            ("/index.php?page_id=7&lang=en", ""),
            ("/old/", "old/index.html")
        ]
    );
    assert_eq!(
        netlify(&aliases),
        "# Old URLs of articles (front matter `aliases`), made by broadsheet.
/ p=123 /2013/02/02/floods/ 301!
/index.php page_id=7 lang=en /2013/02/02/floods/ 301!
/old/ /2013/02/02/floods/ 301
"
    );
    let nginx = nginx(&aliases);
    assert!(
        nginx.ends_with(
            "map $request_uri $broadsheet_query_redirect {
    default \"\";
    \"/?p=123\" \"/2013/02/02/floods/\";
    \"/index.php?page_id=7&lang=en\" \"/2013/02/02/floods/\";
}
"
        ),
        "{nginx}"
    );
    assert!(!nginx.contains("map $uri $broadsheet_redirect {\n    default \"\";\n    \"/?p"));
}

#[test]
fn a_query_alias_must_be_plain_pairs() {
    let cfg = config("base_url = \"https://n.example\"\n");
    let a = archive(
        &cfg,
        &[(
            "a.md",
            &md("Floods", "2013-02-02", "aliases: [\"/?p=<x>\"]\n"),
        )],
    );
    let (_, diags) = table(&a, &cfg);
    assert_eq!(
        messages(&diags),
        [
            "content/a.md: error: alias `/?p=<x>`: a query in an alias must be plain `key=value` pairs, such as /?p=123"
        ]
    );
}
