//! GitHub's heading anchors: what `[x](#anchor)` must match.
//!
//! GitHub lowercases the heading's text, drops every character that is not a
//! letter, digit, space, hyphen or underscore, turns each space into a hyphen, and
//! suffixes duplicates with `-1`, `-2`, … in document order.

use std::collections::HashMap;

/// Maps keyed by text from the document. foldhash is several times faster than
/// std's SipHash on short keys, and its per-process seed keeps crafted headings
/// from colliding on purpose.
pub(crate) type TextMap<V> = HashMap<String, V, foldhash::fast::RandomState>;

/// The slug of one heading text, before duplicate numbering.
pub fn slug(text: &str) -> String {
    let text = text.trim();
    if text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'-' | b'_'))
    {
        // The common case: no Unicode lowercasing, nothing to drop; one copy,
        // rewritten in place.
        let mut bytes = text.as_bytes().to_vec();
        for b in &mut bytes {
            *b = if *b == b' ' {
                b'-'
            } else {
                b.to_ascii_lowercase()
            };
        }
        // ASCII in, ASCII out.
        return String::from_utf8(bytes).unwrap_or_default();
    }
    text.chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            '-' | '_' => Some(c),
            c if c.is_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

/// Slugs of all `headings` in order, with GitHub's `-1`, `-2` suffixes for repeats.
pub fn unique_slugs<'a>(headings: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    slug_table(headings).0
}

/// [`unique_slugs`], and every slug emitted as the key of a map (for lookups).
pub(crate) fn slug_table<'a>(
    headings: impl IntoIterator<Item = &'a str>,
) -> (Vec<String>, TextMap<usize>) {
    // github-slugger: a repeat bumps the count of its *base* slug until the
    // candidate is unused, and every emitted slug is itself marked as used.
    let mut occurrences: TextMap<usize> = TextMap::default();
    let mut out = Vec::new();
    for text in headings {
        let base = slug(text);
        if !occurrences.contains_key(&base) {
            occurrences.insert(base.clone(), 0);
            out.push(base);
            continue;
        }
        let candidate = loop {
            // `base` is a key: it was emitted before, as a heading's slug.
            let n = occurrences.entry(base.clone()).or_insert(0);
            *n += 1;
            let candidate = format!("{base}-{n}");
            if !occurrences.contains_key(&candidate) {
                break candidate;
            }
        };
        occurrences.insert(candidate.clone(), 0);
        out.push(candidate);
    }
    (out, occurrences)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_rules() {
        assert_eq!(
            slug("If you don't know what's wrong yet, start here"),
            "if-you-dont-know-whats-wrong-yet-start-here"
        );
        assert_eq!(
            slug("🔥 Signs this is getting worse"),
            "-signs-this-is-getting-worse"
        );
        assert_eq!(
            slug("Step 1: `kubectl get pods`"),
            "step-1-kubectl-get-pods"
        );
        assert_eq!(slug("Über_Status"), "über_status");
    }

    #[test]
    fn duplicates_are_numbered() {
        assert_eq!(
            unique_slugs(["Usage", "Usage", "Usage-1", "Usage"]),
            ["usage", "usage-1", "usage-1-1", "usage-2"]
        );
    }
}
