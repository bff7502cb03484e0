//! GitHub's heading anchors: what `[x](#anchor)` must match.
//!
//! GitHub lowercases the heading's text, drops every character that is not a
//! letter, digit, combining mark, space, hyphen or connector (`_`), turns each
//! space into a hyphen, and suffixes duplicates with `-1`, `-2`, … in document
//! order. A keycap emoji is a digit and two marks: "1️⃣ Add the instances" is
//! `#1️⃣-add-the-instances`.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

/// Maps keyed by text from the document. foldhash is several times faster than
/// std's SipHash on short keys, and its per-process seed keeps crafted headings
/// from colliding on purpose.
pub(crate) type TextMap<V> = HashMap<String, V, foldhash::fast::RandomState>;

/// The slug of one heading text, before duplicate numbering.
pub fn slug(text: &str) -> String {
    let text = text.trim();
    if text.is_ascii() {
        // The common case, punctuation or not: a byte at a time, no Unicode tables.
        let mut out = Vec::with_capacity(text.len());
        for &b in text.as_bytes() {
            if let Some(k) = keep(char::from(b.to_ascii_lowercase())) {
                out.push(k as u8);
            }
        }
        // ASCII in, ASCII out.
        return String::from_utf8(out).unwrap_or_default();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.extend(keep(c.to_ascii_lowercase()));
        } else if is_mark_or_connector(c) {
            out.push(c);
        } else {
            out.extend(c.to_lowercase().filter_map(keep));
        }
    }
    out
}

/// Whether a character outside ASCII is a combining mark (the variation
/// selector and the keycap of "1️⃣", an accent written apart, a vowel sign of
/// Devanagari) or connector punctuation (`‿`): GitHub keeps them in anchors.
/// Letters and digits, the common case, are answered without the regex.
fn is_mark_or_connector(c: char) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    if c.is_alphanumeric() {
        return false;
    }
    let mut buf = [0; 4];
    RE.get_or_init(|| Regex::new(r"^[\p{M}\p{Pc}]$").ok())
        .as_ref()
        .is_some_and(|re| re.is_match(c.encode_utf8(&mut buf)))
}

/// What a lowercased character becomes in a slug: spaces hyphens, letters, digits,
/// `-` and `_` themselves, anything else nothing.
fn keep(c: char) -> Option<char> {
    match c {
        ' ' => Some('-'),
        '-' | '_' => Some(c),
        c if c.is_alphanumeric() => Some(c),
        _ => None,
    }
}

/// The anchor GitLab and static-site generators such as Middleman give a heading (GOV.UK's and
/// the Ministry of Justice's docs are read on such sites): lowercase letters and
/// digits and `_`, every run of anything else one hyphen, none at the ends. "GOV.UK teams"
/// is `gov-uk-teams` there, `govuk-teams` on GitHub.
pub(crate) fn site_slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The [`site_slug`] of a heading's text as HTML-escaped (`'` as `&#39;`, `&`
/// as `&amp;`, `"` as `&quot;`, `<`, `>`), which Redcarpet before 3.4 slugs:
/// "The director's database is gone" is `the-director-39-s-database-is-gone`
/// on such a site. `None` when the text holds none of those characters.
pub(crate) fn escaped_site_slug(text: &str) -> Option<String> {
    if !text.contains(['\'', '&', '"', '<', '>']) {
        return None;
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\'' => escaped.push_str("&#39;"),
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            c => escaped.push(c),
        }
    }
    Some(site_slug(&escaped))
}

/// A heading's text without its icon and emoji shortcodes (`:material-repeat:`,
/// `:rocket:`: a name of lowercase letters, digits, `-`, `_` or `+` between two
/// colons), which MkDocs Material and Hugo render as images before they give
/// the heading its anchor: "## :material-repeat: Per-version upgrade procedure"
/// is `#per-version-upgrade-procedure` there. `None` when the text holds no
/// such code. (Not Hugo's `{{< … >}}` shortcodes: `markdown::shortcode`.)
pub(crate) fn without_emoji_codes(text: &str) -> Option<String> {
    let is_name = |name: &str| {
        !name.is_empty()
            && name.bytes().any(|b| b.is_ascii_lowercase())
            && name.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'+')
            })
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut found = false;
    while let Some((before, after)) = rest.split_once(':') {
        out.push_str(before);
        match after.split_once(':') {
            Some((name, tail)) if is_name(name) => {
                rest = tail;
                found = true;
            }
            _ => {
                out.push(':');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    found.then_some(out)
}

/// Slugs of all `headings` in order, with GitHub's `-1`, `-2` suffixes for repeats.
pub fn unique_slugs<'a>(headings: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    in_order(&slug_table(headings))
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Where a key of a [`slug_table`] came from.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SlugEntry {
    /// The heading's index among those given; `u32::MAX` for a key added later
    /// (an HTML anchor).
    pub order: u32,
    /// For a slug that is a heading's base slug: how many repeats have been
    /// numbered from it.
    repeats: u32,
    /// Whether the key is only GitHub's anchor for its heading: a site such as
    /// Middleman gives that heading another one ([`site_slug`]).
    pub github_only: bool,
}

impl SlugEntry {
    /// A key that is no heading's slug (an HTML `id` or `name`).
    pub(crate) const OTHER: SlugEntry = SlugEntry::heading(u32::MAX);

    /// The entry of the `order`-th heading's slug.
    const fn heading(order: u32) -> SlugEntry {
        SlugEntry {
            order,
            repeats: 0,
            github_only: false,
        }
    }
}

/// Every slug of `headings` (with GitHub's suffixes for repeats) as the key of a
/// map, each slug stored once.
pub(crate) fn slug_table<'a>(headings: impl IntoIterator<Item = &'a str>) -> TextMap<SlugEntry> {
    // github-slugger: a repeat bumps the count of its *base* slug until the
    // candidate is unused, and every emitted slug is itself marked as used.
    let headings = headings.into_iter();
    // Sized for every heading up front: growing rehashes every slug so far.
    let mut table: TextMap<SlugEntry> = TextMap::with_capacity_and_hasher(
        headings.size_hint().1.unwrap_or(0),
        foldhash::fast::RandomState::default(),
    );
    for (i, text) in headings.enumerate() {
        let order = u32::try_from(i).unwrap_or(u32::MAX - 1);
        let base = slug(text);
        let mut n = match table.get_mut(&base) {
            Some(entry) => entry.repeats,
            None => {
                table.insert(base, SlugEntry::heading(order));
                continue;
            }
        };
        let candidate = loop {
            n += 1;
            let candidate = format!("{base}-{n}");
            if !table.contains_key(&candidate) {
                break candidate;
            }
        };
        if let Some(entry) = table.get_mut(&base) {
            entry.repeats = n;
        }
        table.insert(candidate, SlugEntry::heading(order));
    }
    table
}

/// The headings' slugs of `table`, in document order.
pub(crate) fn in_order(table: &TextMap<SlugEntry>) -> Vec<&str> {
    let mut slugs: Vec<(u32, &str)> = table
        .iter()
        .filter(|(_, e)| e.order != u32::MAX)
        .map(|(k, e)| (e.order, k.as_str()))
        .collect();
    slugs.sort_unstable();
    slugs.into_iter().map(|(_, k)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icon_and_emoji_codes_are_left_out_of_site_anchors() {
        assert_eq!(
            without_emoji_codes(":material-repeat: Per-version upgrade procedure").as_deref(),
            Some(" Per-version upgrade procedure")
        );
        assert_eq!(
            without_emoji_codes("Deploy :rocket: now :tada:").as_deref(),
            Some("Deploy  now ")
        );
        // A colon in prose, a time, a URL or a name in capitals is no shortcode.
        assert_eq!(without_emoji_codes("Step 1: restart the pods"), None);
        assert_eq!(without_emoji_codes("Backups at 10:30:00"), None);
        assert_eq!(without_emoji_codes("Error: x509: certificate signed"), None);
        assert_eq!(without_emoji_codes("Set NAME:VALUE:"), None);
        // The colon before a shortcode that is no name stays.
        assert_eq!(
            without_emoji_codes("Ratio 2:1 :warning: high").as_deref(),
            Some("Ratio 2:1  high")
        );
    }

    #[test]
    fn site_slugs_hyphenate_every_run_of_punctuation() {
        assert_eq!(
            site_slug("GOV.UK teams in Github"),
            "gov-uk-teams-in-github"
        );
        assert_eq!(site_slug(" What's wrong? "), "what-s-wrong");
    }

    #[test]
    fn redcarpet_slugs_the_escaped_text() {
        assert_eq!(
            escaped_site_slug("The director's database is gone").as_deref(),
            Some("the-director-39-s-database-is-gone")
        );
        assert_eq!(
            escaped_site_slug("Q&A \"fast\"").as_deref(),
            Some("q-amp-a-quot-fast-quot")
        );
        assert_eq!(escaped_site_slug("Plain heading"), None);
    }

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
        // ASCII punctuation is dropped a byte at a time; Unicode lowercasing can
        // yield ASCII (the Kelvin sign is a capital K).
        assert_eq!(
            slug("  What's wrong? (v2.0) -- now!  "),
            "whats-wrong-v20----now"
        );
        assert_eq!(slug("\u{212A}elvin: 5\u{b0}"), "kelvin-5");
        // A keycap emoji keeps its marks (U+FE0F, U+20E3); a non-breaking
        // hyphen (U+2011) is punctuation and goes; so do other emoji.
        assert_eq!(
            slug("1\u{fe0f}\u{20e3} Cut\u{2011}over is 100% manual"),
            "1\u{fe0f}\u{20e3}-cutover-is-100-manual"
        );
        assert_eq!(
            slug("Caf\u{e9} 🚨 a\u{301}\u{203f}b"),
            "caf\u{e9}--a\u{301}\u{203f}b"
        );
    }

    #[test]
    fn the_table_keeps_every_slug_once_and_knows_their_order() {
        let table = slug_table(["B", "A", "B"]);
        assert_eq!(table.len(), 3);
        assert_eq!(in_order(&table), ["b", "a", "b-1"]);
    }

    #[test]
    fn duplicates_are_numbered() {
        assert_eq!(
            unique_slugs(["Usage", "Usage", "Usage-1", "Usage"]),
            ["usage", "usage-1", "usage-1-1", "usage-2"]
        );
    }
}
