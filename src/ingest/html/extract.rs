//! Finds the story in a page. Three passes over the arena:
//!
//! 1. **Furniture out.** Scripts, forms, navigation, hidden elements and
//!    elements named like share bars, related lists, comments, cookie
//!    banners or advertisements are dropped (`boiler`), unless the element
//!    holds the headline and most of the page's paragraphs, as a whole-page
//!    wrapper with a stray class name does.
//! 2. **Text blocks measured.** Each run of text belongs to its nearest block
//!    element; a block is *good* when it has a sentence's worth of text that
//!    is mostly not link text, *bad* otherwise (menus, link lists, labels).
//! 3. **The container chosen.** Readability's rule picks the element whose
//!    paragraphs score best (paragraph count, commas and length, credited to
//!    parent and grandparent, scaled by link density, nudged by class names);
//!    the choice then widens to an ancestor while that adds more good text
//!    than bad, which gathers a story split into several boxes.

use super::boiler;
use super::dom::Dom;

/// Text blocks shorter than this (characters outside links) are not paragraphs.
const MIN_PARAGRAPH: usize = 25;

/// Bad characters a wrapper may add around the story and still be passed
/// through on the way to an ancestor that gathers more of it.
const WRAPPER_SLACK: i64 = 200;

/// The measured page and the chosen story container.
#[derive(Debug)]
pub struct Extraction {
    /// The element holding the story.
    pub root: usize,
    /// The element whose paragraphs scored best (`root` or inside it).
    pub candidate: usize,
    /// Per node: characters of text that is not good paragraphs.
    pub bad: Vec<u32>,
    /// Per node: dropped as furniture (with its subtree).
    pub removed: Vec<bool>,
    /// Per node: text characters in the subtree (kept nodes only).
    pub text: Vec<u32>,
    /// Per node: of those, characters inside links.
    pub links: Vec<u32>,
    /// Per node: characters of good paragraphs in the subtree.
    pub good: Vec<u32>,
    /// Per node: the subtree holds a heading that is all link text (the
    /// title of a teaser for another story).
    pub linked_heading: Vec<bool>,
}

/// Measures the page and picks the story container.
pub fn extract(dom: &Dom) -> Extraction {
    let removed = furniture(dom);
    let mut x = Extraction {
        root: 0,
        candidate: 0,
        bad: Vec::new(),
        text: vec![0; dom.nodes.len()],
        links: vec![0; dom.nodes.len()],
        good: vec![0; dom.nodes.len()],
        linked_heading: vec![false; dom.nodes.len()],
        removed,
    };
    let own = measure(dom, &mut x);
    x.bad = bad_text(dom, &x, &own.chars);
    linked_headings(dom, &mut x);
    x.candidate = best_candidate(dom, &x, &own);
    x.root = widen(dom, &x, x.candidate);
    x
}

/// Whether a block element: text inside it, up to the next block, is its
/// own. Everything that is not a known inline element counts, custom
/// elements (`<story-body>`) included: pages use them as boxes.
pub fn is_block(name: &str) -> bool {
    !matches!(
        name,
        "" | "a"
            | "span"
            | "em"
            | "strong"
            | "b"
            | "i"
            | "u"
            | "s"
            | "small"
            | "big"
            | "sub"
            | "sup"
            | "code"
            | "kbd"
            | "samp"
            | "var"
            | "tt"
            | "font"
            | "abbr"
            | "acronym"
            | "cite"
            | "dfn"
            | "q"
            | "mark"
            | "time"
            | "label"
            | "img"
            | "picture"
            | "br"
            | "wbr"
            | "del"
            | "ins"
            | "strike"
            | "bdi"
            | "bdo"
            | "data"
            | "nobr"
            | "iframe"
    )
}

/// Pass 1: which nodes are furniture.
fn furniture(dom: &Dom) -> Vec<bool> {
    let n = dom.nodes.len();
    let mut removed = vec![false; n];
    for i in 1..n {
        let node = &dom.nodes[i];
        removed[i] = removed[node.parent]
            || matches!(
                &*node.name,
                "script" | "style" | "noscript" | "template" | "head"
            )
            || (!node.is_text() && node.attr("hidden").is_some());
    }
    let para = paragraph_text(dom, &removed);
    for i in 1..n {
        let node = &dom.nodes[i];
        if removed[i] || node.is_text() {
            removed[i] |= removed[node.parent];
            continue;
        }
        removed[i] = removed[node.parent] || is_furniture(dom, i, para[i], para[0]);
    }
    removed
}

/// Text directly inside `<p>` elements per subtree (children before parents).
fn paragraph_text(dom: &Dom, removed: &[bool]) -> Vec<usize> {
    let mut para = vec![0usize; dom.nodes.len()];
    for i in (1..dom.nodes.len()).rev() {
        let node = &dom.nodes[i];
        if removed[i] {
            continue;
        }
        if node.is_text() && dom.nodes[node.parent].name.as_ref() == "p" {
            para[i] = node.text.trim().len();
        }
        para[node.parent] += para[i];
    }
    para
}

/// Whether one element is furniture. Layout tags (`header`, `aside`,
/// `form`...) and furniture names are trusted only on elements that do not
/// hold most of the page's paragraphs: whole pages are wrapped in a `form`
/// (ASP.NET) or a box named `content-with-sidebar`. An element that also
/// has a story name (`entry`, `author-jane` on a WordPress post) is kept.
fn is_furniture(dom: &Dom, i: usize, para: usize, page_para: usize) -> bool {
    let node = &dom.nodes[i];
    let holds_story = para * 2 > page_para;
    if boiler::is_dropped_tag(&node.name) {
        let layout = matches!(
            &*node.name,
            "header" | "footer" | "aside" | "nav" | "form" | "label"
        );
        return !(layout && holds_story);
    }
    if boiler::is_hidden_or_furniture_role(node) {
        return !holds_story;
    }
    // Names on inline elements (`<a class="textTag">` inside a sentence)
    // say how a word looks, not what a box is.
    if !is_block(&node.name) {
        return false;
    }
    let names = boiler::name_signal(node);
    names.furniture && !names.story && (names.comments || !holds_story)
}

/// Each block's own text: (characters, of them in links), and commas.
struct Own {
    chars: Vec<(u32, u32)>,
    commas: Vec<u32>,
}

/// Pass 2: text and link characters per subtree, good paragraph characters
/// per subtree, and each block's own (text, link) characters.
fn measure(dom: &Dom, x: &mut Extraction) -> Own {
    let n = dom.nodes.len();
    let mut own = vec![(0u32, 0u32); n];
    let mut commas = vec![0u32; n];
    for i in 0..n {
        let node = &dom.nodes[i];
        if !node.is_text() || x.removed[i] {
            continue;
        }
        let len = node
            .text
            .split_whitespace()
            .map(|w| w.chars().count() + 1)
            .sum::<usize>() as u32;
        let mut in_link = false;
        let mut at = node.parent;
        while !is_block(&dom.nodes[at].name) {
            in_link |= dom.nodes[at].name.as_ref() == "a";
            at = dom.nodes[at].parent;
        }
        own[at].0 += len;
        commas[at] += node.text.matches([',', '،', '、', '，']).count() as u32;
        if in_link {
            own[at].1 += len;
        }
        x.text[i] = len;
        x.links[i] = if in_link { len } else { 0 };
    }
    for i in (1..n).rev() {
        if x.removed[i] {
            continue;
        }
        if is_good(dom, i, own[i]) {
            x.good[i] += own[i].0 - own[i].1;
        }
        let p = dom.nodes[i].parent;
        x.text[p] += x.text[i];
        x.links[p] += x.links[i];
        x.good[p] += x.good[i];
    }
    Own { chars: own, commas }
}

/// Marks the subtrees that hold a heading made only of link text.
fn linked_headings(dom: &Dom, x: &mut Extraction) {
    for i in (1..dom.nodes.len()).rev() {
        let heading = matches!(&*dom.nodes[i].name, "h2" | "h3" | "h4" | "h5" | "h6");
        let in_link = dom.nodes[dom.nodes[i].parent].name.as_ref() == "a";
        if heading && x.text[i] > 0 && (x.links[i] == x.text[i] || in_link) {
            x.linked_heading[i] = true;
        }
        if x.linked_heading[i] {
            x.linked_heading[dom.nodes[i].parent] = true;
        }
    }
}

/// Whether a block's own text makes a paragraph of the story.
fn is_good(dom: &Dom, i: usize, (text, links): (u32, u32)) -> bool {
    let plain = (text - links) as usize;
    plain >= MIN_PARAGRAPH && links * 2 < text && dom.nodes[i].name.as_ref() != "h1"
}

/// Bad characters per subtree: text of blocks that are not good paragraphs.
fn bad_text(dom: &Dom, x: &Extraction, own: &[(u32, u32)]) -> Vec<u32> {
    let n = dom.nodes.len();
    let mut bad = vec![0u32; n];
    for i in (1..n).rev() {
        if x.removed[i] {
            continue;
        }
        bad[i] += if is_good(dom, i, own[i]) {
            own[i].1
        } else {
            own[i].0
        };
        bad[dom.nodes[i].parent] += bad[i];
    }
    bad
}

/// Pass 3a: readability's candidate: paragraph scores credited to the
/// parent in full and the grandparent in half.
fn best_candidate(dom: &Dom, x: &Extraction, own: &Own) -> usize {
    let n = dom.nodes.len();
    let mut score = vec![0f64; n];
    for i in 1..n {
        if x.removed[i] || !is_good(dom, i, own.chars[i]) {
            continue;
        }
        let commas = f64::from(own.commas[i]);
        let points = 1.0 + commas + (f64::from(own.chars[i].0) / 100.0).floor().min(3.0);
        let parent = dom.nodes[i].parent;
        score[parent] += points;
        score[dom.nodes[parent].parent] += points / 2.0;
        // A block holding its text directly (a `div` used as a paragraph
        // box) is a container as well.
        if !matches!(&*dom.nodes[i].name, "p" | "li" | "td" | "th" | "dd" | "pre") {
            score[i] += points;
        }
    }
    let mut best = (0usize, 0f64);
    for (i, &points) in score.iter().enumerate().skip(1) {
        if points <= 0.0 || x.removed[i] || matches!(&*dom.nodes[i].name, "#" | "html") {
            continue;
        }
        let density = f64::from(x.links[i]) / f64::from(x.text[i].max(1));
        let weight = 1.0 + 0.25 * f64::from(boiler::name_weight(&dom.nodes[i]));
        let s = points * (1.0 - density) * weight.max(0.25);
        if s > best.1 {
            best = (i, s);
        }
    }
    best.0
}

/// An element that says it holds one whole story: the choice never widens
/// past it (around it are teasers of other stories).
fn is_story_boundary(node: &super::dom::Node) -> bool {
    node.name.as_ref() == "article"
        || node
            .attr("itemprop")
            .is_some_and(|p| p.eq_ignore_ascii_case("articlebody"))
}

/// Pass 3b: the candidate or the ancestor of it with the most good text
/// net of bad text (the lowest on a tie): a wrapper that only adds boxes
/// around the same paragraphs is passed through on the way to one that
/// gathers a story split into several boxes.
fn widen(dom: &Dom, x: &Extraction, candidate: usize) -> usize {
    let bad = &x.bad;
    if candidate == 0 {
        return dom.find("body").unwrap_or(0);
    }
    let mut best = candidate;
    let mut at = candidate;
    if is_story_boundary(&dom.nodes[at]) {
        return best;
    }
    loop {
        let parent = dom.nodes[at].parent;
        if parent == at || matches!(&*dom.nodes[parent].name, "#" | "html") {
            return best;
        }
        at = parent;
        let gained = i64::from(x.good[at]) - i64::from(x.good[best]);
        let cost = i64::from(bad[at]) - i64::from(bad[best]);
        if gained > 0 && gained >= cost {
            best = at;
        } else if gained > 0 || cost > WRAPPER_SLACK {
            return best;
        }
        if is_story_boundary(&dom.nodes[at]) {
            return best;
        }
    }
}
