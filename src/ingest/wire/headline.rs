//! Which line of a header zone is the headline: among the lines that are none of the
//! other kinds (`zone`), the first title-like one, with the exceptions a site's name and
//! tagline, a deck, or a date block above the headline make.
//!
//! Reads the items `zone` classified; decides nothing about where the header ends.

use super::classify;
use super::item::{Item, Kind, is_byline, is_strong};

/// The headline among the lines of text `above` the header's last anchor and those right
/// `under` it. Above: the first that is not a short label (site or section name), a
/// person's name beside a byline or a sentence (a deck); under a site name, the last such
/// line above the first date or byline (a tagline may stand between them). Failing that,
/// the first line under the header that is no sentence (labels last), then the last label
/// above, then any sentence.
pub(super) fn choose(
    items: &[Item],
    above: &[usize],
    under: &[usize],
    lines: &[&str],
) -> Option<usize> {
    let text = |k: usize| lines[items[k].first];
    let near_byline = |j: Option<usize>| {
        j.and_then(|j| items.get(j))
            .is_some_and(|i| is_byline(&i.kind))
    };
    let beside_byline = |k: usize| {
        classify::is_person_name(text(k))
            && (near_byline(k.checked_sub(1)) || near_byline(Some(k + 1)))
    };
    let label = |k: &usize| classify::is_label(text(*k));
    let sentence = |k: &usize| classify::ends_with_full_stop(text(*k));
    let titles: Vec<usize> = above
        .iter()
        .copied()
        .filter(|k| !label(k) && !sentence(k) && !beside_byline(*k))
        .collect();
    let first_strong = items
        .iter()
        .position(|i| is_strong(&i.kind))
        .unwrap_or(items.len());
    let before_strong: Vec<usize> = titles
        .iter()
        .copied()
        .filter(|&k| k < first_strong)
        .collect();
    if let (Some(&site), [first, second, ..]) = (above.first(), before_strong.as_slice()) {
        if label(&site) && tagline_first(text(site), text(*first), text(*second)) {
            return before_strong.last().copied();
        }
    }
    let plain = under.iter().copied().filter(|k| !sentence(k));
    let under_titles: Vec<usize> = plain.clone().filter(|k| !label(k)).collect();
    let mut under_title = under_titles.first().copied();
    // `by Sam on March 3, 2011` / `Site` / `Tagline` / `Headline`: as above the date.
    if let (Some(site), [first, second, ..]) = (plain.clone().next(), under_titles.as_slice()) {
        if label(&site) && site < *first && tagline_first(text(site), text(*first), text(*second)) {
            under_title = Some(*second);
        }
    }
    // `Site` / `Tagline` / `by Jo on 12 March 2015` / `Headline`: a title between the date
    // block and the story is the headline when all above it is a site's name and line.
    if let (Some(h), Some(&site), [_tagline]) = (under_title, above.first(), titles.as_slice()) {
        if label(&site) && tagline_first(text(site), text(titles[0]), text(h)) {
            return Some(h);
        }
    }
    titles
        .first()
        .copied()
        .or(under_title)
        .or_else(|| plain.clone().next())
        .or_else(|| {
            above
                .iter()
                .copied()
                .rev()
                .find(|k| label(k) && !beside_byline(*k))
        })
        .or_else(|| above.first().copied())
}

/// Whether, of two title lines under the label `site`, the first is the site's tagline
/// and the second the headline, rather than a headline and its deck. A tagline may open in
/// lower case (`birds, bogs and the odd beetle`); a deck may run on from its headline
/// (`And what cities can do`); a one-word or capitalised label is a section (`Schools`,
/// `SPORTS`), whose page opens with the headline.
fn tagline_first(site: &str, first: &str, second: &str) -> bool {
    let lower_start = |t: &str| t.starts_with(|c: char| c.is_lowercase());
    let runs_on = |t: &str| {
        let word = t.split_whitespace().next().unwrap_or_default();
        lower_start(t) || ["And", "But", "Or", "Plus", "So", "Yet"].contains(&word)
    };
    let section = site.split_whitespace().count() == 1 || !site.chars().any(char::is_lowercase);
    lower_start(first) || !runs_on(second) && !section
}

/// No candidate in the header: a furniture line, else the first item (a paragraph-long
/// first line is still the headline; anything else is a guess).
pub(super) fn fallback(items: &[Item]) -> (Option<usize>, bool) {
    let furniture = items.iter().position(|i| matches!(i.kind, Kind::Furniture));
    let guess = furniture.or_else(|| (!items.is_empty()).then_some(0));
    let guessed = guess.is_none_or(|k| !matches!(items[k].kind, Kind::Text));
    (guess, guessed)
}
