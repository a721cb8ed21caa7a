//! Reads one saved page (`.html` or `.html.gz`) the way a build does and
//! prints its metadata (with sources), the chosen story container and the
//! story as plain text: for looking at why a page extracts as it does.
//!
//! `cargo run --example extract_page -- PAGE.html.gz`

use std::io::Read;

use broadsheet::ingest::html::{self, HtmlOptions, dom::Dom, extract};

fn main() -> std::io::Result<()> {
    let path = std::env::args().nth(1).expect("usage: extract_page PAGE");
    let mut bytes = std::fs::read(&path)?;
    if path.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut out)?;
        bytes = out;
    }
    let text = html::decode_page(&bytes).text;
    let dom = Dom::parse(&text);
    let x = extract::extract(&dom);
    let mut at = x.root;
    let mut path = Vec::new();
    while at != 0 {
        let n = &dom.nodes[at];
        path.push(format!(
            "{}[{}#{}]",
            n.name,
            n.attr("class").unwrap_or(""),
            n.attr("id").unwrap_or("")
        ));
        at = n.parent;
    }
    path.reverse();
    println!("container: {}", path.join(" > "));
    for (i, n) in dom.nodes.iter().enumerate() {
        let len = dom.text_of(i).len();
        if x.removed[i] && !x.removed[n.parent] && len > 300 {
            let class = n.attr("class").unwrap_or("");
            println!(
                "removed {len}: {}[{class}#{}]",
                n.name,
                n.attr("id").unwrap_or("")
            );
        }
    }
    let page = html::read_page(&text, &HtmlOptions::default());
    println!("{:#?}", page.meta);
    println!(
        "doubts: {:?}  not article: {:?}",
        page.doubts, page.not_article
    );
    println!("----\n{}", page.body.text);
    Ok(())
}
