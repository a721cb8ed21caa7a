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
    if std::env::var_os("PATHS").is_some() {
        paragraph_paths(&dom);
    }
    if std::env::var_os("NODES").is_some() {
        for (i, n) in dom.nodes.iter().enumerate().filter(|(_, n)| !n.is_text()) {
            let (text, links, good) = (x.text[i], x.links[i], x.good[i]);
            println!(
                "{i} {} {:?} removed {} text {text} links {links} good {good}",
                n.name,
                n.attr("class"),
                x.removed[i]
            );
        }
    }
    let mut at = x.candidate;
    let mut path = Vec::new();
    while at != 0 {
        let n = &dom.nodes[at];
        path.push(format!(
            "{}{}[{}#{}] good {} bad {}",
            if at == x.root { "ROOT " } else { "" },
            n.name,
            n.attr("class")
                .unwrap_or("")
                .chars()
                .take(60)
                .collect::<String>(),
            n.attr("id").unwrap_or(""),
            x.good[at],
            x.bad[at]
        ));
        at = n.parent;
    }
    path.reverse();
    println!("container:\n  {}", path.join("\n  "));
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

/// The ancestors of the first paragraphs, for looking at the parsed tree.
#[allow(dead_code, reason = "called while investigating a page")]
fn paragraph_paths(dom: &Dom) {
    for p in dom.all("p").take(3) {
        let mut at = p;
        let mut chain = Vec::new();
        while at != 0 {
            chain.push(format!(
                "{}.{}",
                dom.nodes[at].name,
                dom.nodes[at].attr("class").unwrap_or("")
            ));
            at = dom.nodes[at].parent;
        }
        chain.reverse();
        println!("p: {}", chain.join(" > "));
    }
}
