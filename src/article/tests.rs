//! Properties of the whole article reader: no input makes it panic, and wire
//! copy never lets markup through.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::*;

fn file(name: &str, format: Format) -> SourceFile {
    SourceFile {
        rel_path: PathBuf::from("content").join(name),
        content_path: name.to_string(),
        abs_path: PathBuf::from("/nonexistent").join(name),
        format,
    }
}

fn cfg() -> Config {
    Config::parse("[content]\nundated = \"include\"\n", Path::new("/site")).expect("valid config")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn no_bytes_make_the_reader_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600), md in any::<bool>()) {
        let f = if md { file("x.md", Format::Markdown) } else { file("x.txt", Format::Wire) };
        let c = cfg();
        let _ = parse(&f, &bytes, &c);
        let _ = body_html(&f, &bytes, &c);
    }

    #[test]
    fn front_matter_shaped_input_never_panics(
        fence in prop::sample::select(vec!["+++", "---"]),
        lines in proptest::collection::vec("[a-z_]{1,8}( = |: )[\\[\\]\"'0-9a-zA-Z :+-]{0,20}", 0..8),
        body in ".{0,80}",
    ) {
        let text = format!("{fence}\n{}\n{fence}\n{body}", lines.join("\n"));
        let _ = parse(&file("x.md", Format::Markdown), text.as_bytes(), &cfg());
    }

    #[test]
    fn wire_copy_never_yields_unescaped_markup(
        lines in proptest::collection::vec("[<>&\"'a-zA-Z0-9 /=]{0,40}", 1..12),
    ) {
        let text = lines.join("\n\n");
        let c = cfg();
        let f = file("x.txt", Format::Wire);
        let html = body_html(&f, text.as_bytes(), &c);
        let stripped = html.replace("<p>", "").replace("</p>", "");
        prop_assert!(!stripped.contains('<') && !stripped.contains('>'), "{}", html);
        if let Some(a) = parse(&f, text.as_bytes(), &c).article {
            let summary = a.summary.replace("<p>", "").replace("</p>", "");
            prop_assert!(!summary.contains('<') && !summary.contains('>'), "{}", a.summary);
        }
    }
}
