//! A compact arena of the parsed page: html5ever (through `scraper`) parses
//! the way browsers do, and the tree is then laid out in document order in
//! one vector, so that every pass of the extractor is a loop over indices
//! with per-node tables beside it, instead of a walk over linked nodes.

use ego_tree::iter::Edge;
use scraper::Html;

/// One node of the page: an element or a run of text.
#[derive(Debug)]
pub struct Node {
    /// Index of the parent (the root is its own parent).
    pub parent: usize,
    /// One past the last descendant: the subtree is `index..end`.
    pub end: usize,
    /// Lower-case element name, empty for text.
    pub name: Box<str>,
    /// Attributes with lower-case names (elements only).
    pub attrs: Vec<(Box<str>, Box<str>)>,
    /// The text of a text node, as written (not collapsed).
    pub text: Box<str>,
}

/// The page as an arena in document order; index 0 is the document root.
#[derive(Debug)]
pub struct Dom {
    pub nodes: Vec<Node>,
}

impl Node {
    pub fn is_text(&self) -> bool {
        self.name.is_empty()
    }

    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| &**k == name)
            .map(|(_, v)| &**v)
    }
}

impl Dom {
    /// Parses a whole document.
    pub fn parse(text: &str) -> Dom {
        let html = Html::parse_document(text);
        let mut nodes: Vec<Node> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        for edge in html.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    let parent = stack.last().copied().unwrap_or(0);
                    let (name, attrs, text) = match node.value() {
                        scraper::Node::Element(e) => (
                            e.name().to_ascii_lowercase().into_boxed_str(),
                            e.attrs()
                                .map(|(k, v)| (k.to_ascii_lowercase().into(), v.into()))
                                .collect(),
                            Box::from(""),
                        ),
                        scraper::Node::Text(t) => (Box::from(""), Vec::new(), Box::from(&**t)),
                        // The document, doctype and comments keep their place
                        // in the tree as nameless, textless elements.
                        _ => (Box::from("#"), Vec::new(), Box::from("")),
                    };
                    stack.push(nodes.len());
                    nodes.push(Node {
                        parent,
                        end: 0,
                        name,
                        attrs,
                        text,
                    });
                }
                Edge::Close(_) => {
                    if let Some(i) = stack.pop() {
                        nodes[i].end = nodes.len();
                    }
                }
            }
        }
        Dom { nodes }
    }

    /// The children of node `i`, in order.
    pub fn children(&self, i: usize) -> Children<'_> {
        Children {
            dom: self,
            next: i + 1,
            end: self.nodes[i].end,
        }
    }

    /// The first element named `name`, in document order.
    pub fn find(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|n| &*n.name == name)
    }

    /// Every element named `name`, in document order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.nodes
            .iter()
            .enumerate()
            .filter(move |(_, n)| &*n.name == name)
            .map(|(i, _)| i)
    }

    /// The text of a subtree, whitespace collapsed to single spaces.
    pub fn text_of(&self, i: usize) -> String {
        let mut out = String::new();
        for n in &self.nodes[i..self.nodes[i].end] {
            if n.is_text() {
                push_collapsed(&mut out, &n.text);
            }
        }
        out.trim().to_string()
    }

    /// Whether `i` lies inside the subtree of `ancestor` (or is it).
    pub fn within(&self, i: usize, ancestor: usize) -> bool {
        (ancestor..self.nodes[ancestor].end).contains(&i)
    }
}

/// Iterator over a node's children.
pub struct Children<'a> {
    dom: &'a Dom,
    next: usize,
    end: usize,
}

impl Iterator for Children<'_> {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        if self.next >= self.end {
            return None;
        }
        let i = self.next;
        self.next = self.dom.nodes[i].end;
        Some(i)
    }
}

/// Appends `text` with runs of whitespace made one space (none at the start
/// of `out`).
pub fn push_collapsed(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}
