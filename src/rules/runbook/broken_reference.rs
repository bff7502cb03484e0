use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use regex::Regex;

use crate::markdown::{Anchors, Document, Lookup, TextMap, normalize, normalize_heading};
use crate::rules::text::{ends_with_folded, has_scheme, prose};
use crate::rules::{Finding, LintContext, Rule, RuleMeta, declare_rule};

declare_rule! {
    /// ## What it checks
    /// That every reference points somewhere that exists:
    /// - `see "Section"` (straight or curly quotes) names a heading of this file,
    ///   or its first words after its number (`see "Spot-check rules"` finds "9.
    ///   Spot-check rules to add to instruction.md");
    /// - `[text](#anchor)` matches a heading's GitHub anchor (lowercase, punctuation
    ///   dropped, spaces to hyphens, `-1`, `-2` for repeats), the anchor GitLab and
    ///   static-site generators such as Middleman give it (every run of punctuation and
    ///   spaces one hyphen: `#gov-uk-teams` for "GOV.UK teams"; older Redcarpet
    ///   slugs the HTML-escaped text: `#the-director-39-s-database-is-gone` for
    ///   "The director's database is gone"), the anchor MkDocs Material and Hugo
    ///   give a heading with an icon or emoji shortcode, which they render as an
    ///   image first (`#per-version-upgrade-procedure` for "## :material-repeat:
    ///   Per-version upgrade procedure"), or an HTML `id`/`name` (a component's
    ///   too, `<FaqItem id="…" question={…}>`, though a JSX attribute makes it no
    ///   valid HTML); GitHub keeps
    ///   combining marks, so "1️⃣ Add the instances" is `#1️⃣-add-the-instances`;
    /// - a page's name in brackets is a link: `[redis_replication.md]` alone, with
    ///   no definition, renders as text, and so do `(CI graphs)[ci_graphs.md]` and
    ///   `[ruby-profiling.md](Ruby profiling)`, written the wrong way round (the
    ///   finding shows the link as it should be written); over a site
    ///   generator's tag, `[rsync.md]({{<ref "rsync.md" >}})`, it is the link
    ///   the site renders;
    /// - `[text][label]` has a `[label]: url` definition (without one it renders
    ///   as plain text; on a page whose definitions hold a site template,
    ///   `[Quickstart]: {{< relref "quickstart" >}}`, every line written as a
    ///   definition defines its label: the site fills the template in first).
    ///   Brackets that are code written as text are no reference
    ///   (`work["payload"]["class"]`, `f(x)[y]`), nor is a logged line's level
    ///   and logger quoted in prose, `[INFO ][cluster.routing.allocation.decider]`
    ///   (a level in capitals in the first brackets);
    /// - `[text](other.md)` and `[text](other.md#anchor)` name a markdown file that
    ///   exists, relative to this file's directory, with that anchor;
    /// - no link target is a placeholder left to fill in: `(TBD)`, `(TODO)`,
    ///   `(<link>)`, or `()` after text (`[]()` shows nothing, and `[https://…]()`
    ///   shows its address);
    /// - no link target starts with a stray quote, backtick or bracket
    ///   (``(`https://github.com/…)``, `((https://…))`: the address becomes a path
    ///   beside the page).
    ///
    /// Links with a scheme (`https:`), site-absolute paths (`/manual/x.html`) and
    /// links to non-markdown files are not checked, nor a link to a file that is
    /// not in the repository but that its `.gitignore` files ignore: the site's
    /// build makes it (Flux's website imports its components' pages). The App
    /// reads those `.gitignore` files at the head commit only when a linked file
    /// is missing. A quoted name followed by "in",
    /// "of", "on" or "from" refers to another document and is not checked either;
    /// nor is "see" as a verb of seeing ("you should see "200 OK"", "to see the
    /// "Events" tab"), nor a quote that is or sits in a link (the link is checked),
    /// nor quoted names followed by what they are when that is no section ("see
    /// the "nodeSelector" and "tolerations" fields", "… option", "… tab"), nor a
    /// section of another document ("see the "Caveats" section of the [mTLS
    /// guide](…)"). A heading's own id (`## Ingress mode {#ingress-mode}`, Hugo's
    /// and kramdown's attribute syntax) is an anchor of this file. An anchor
    /// holding a `:` or `/` (`#howto:alerts`) is no heading's on any site: it
    /// names a documentation system's label (Sphinx, MyST), which may be on any
    /// page, and is not checked; nor is any `#anchor` on a MyST page (one with
    /// a `(label)=` target line or a ```` ```{note} ```` directive), whose
    /// labels are the whole project's. A page in a
    /// folder of fragments that the site includes into other pages (`snippets`,
    /// `includes`, `partials`, with or without a leading `_`) has its relative
    /// links, anchors and quoted section names resolved where it is included,
    /// so they are not checked from the fragment's own folder (its placeholders,
    /// stray quotes and undefined reference labels still are).
    ///
    /// ## Why it matters at 3am
    /// "see \"Failover\"" when the section was renamed to "Promote the replica"
    /// sends the engineer scrolling and doubting the whole page at the worst time.
    ///
    /// ## Example
    /// ```markdown
    /// - If every backend fails: see "Complete outage".
    /// - Details in [the failover guide](failover.md#manual-promotion).
    /// ```
    /// where no heading is "Complete outage" and `failover.md` has no heading
    /// "Manual promotion".
    ///
    /// ## Use instead
    /// Point at headings that exist, and update references when renaming one.
    ///
    /// ## Options
    /// None beyond severity and conditions.
    pub struct BrokenReference {
        id: "runbook/broken-reference",
        summary: "a reference (see \"Section\", #anchor, other.md#anchor) points at nothing",
        default_severity: Error,
        applies_to: Runbook,
    }
}

fn see_quoted() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r#"(?i)\bsee\s+(?:the\s+)?(?:section\s+)?(?:"([^"\n]{1,120})"|“([^”\n]{1,120})”)"#,
        )
        .ok()
    })
    .as_ref()
}

impl Rule for BrokenReference {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &LintContext<'_>, out: &mut Vec<Finding>) {
        // A fragment the site includes into other pages (`docs/snippets/x.md`):
        // its relative links and anchors lead where the including page is, and
        // "see "Rollback"" names a section of that page.
        let fragment = is_include_fragment(cx.target.path().unwrap_or(""));
        if !fragment {
            check_quoted(cx, out);
        }
        check_links(cx, fragment, out);
        check_undefined_refs(cx, out);
    }
}

/// An inline link whose text is `label` (`- [fsync](https://…)` in a list of
/// sources): what the author meant as the definition of `[fsync]`. Its line
/// (1-based), its text and its destination.
fn inline_link_named<'d>(
    doc: &'d crate::markdown::Document<'_>,
    label: &str,
) -> Option<(usize, &'d str, &'d str)> {
    let same = |text: &str| {
        let words = |t: &str| {
            t.split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        };
        words(text) == words(label)
    };
    let (link, text) = doc.links.iter().find_map(|l| {
        let (text, _) = doc.text(&l.span).strip_prefix('[')?.split_once("](")?;
        same(text).then_some((l, text))
    })?;
    Some((doc.line_of(link.span.start), text, link.dest.as_ref()))
}

/// `[docs][1]` with no `[1]: url` anywhere: rendered as plain text, no link.
/// A page's name in brackets with no definition, which renders as text:
/// `[redis_replication.md]` alone, or `(CI graphs)[ci_graphs.md]`, a link
/// written the wrong way round.
fn file_in_brackets(cx: &LintContext<'_>, r: &crate::markdown::UndefinedRef) -> Finding {
    let source = cx.doc.source();
    let line_before = source
        .get(..r.span.start)
        .map_or("", |t| t.rsplit('\n').next().unwrap_or(t));
    // "(CI graphs)" right before the brackets, on the same line.
    let line_start = r.span.start.saturating_sub(line_before.len());
    let swapped = line_before.strip_suffix(')').and_then(|t| {
        let open = t.rfind('(')?;
        let text = t.get(open + 1..)?;
        (!text.trim().is_empty() && !text.contains(')')).then_some((line_start + open, text))
    });
    let label = &r.label;
    // "[ruby-profiling.md](Ruby profiling)": the words after it, in
    // parentheses, hold a space, so CommonMark reads no link target there.
    let words_after = source
        .get(r.span.end..)
        .and_then(|t| t.strip_prefix('('))
        .and_then(|t| t.split_once(')'))
        .map(|(words, _)| words)
        .filter(|w| w.contains(' ') && !w.contains(['\n', '(']));
    if let Some(words) = words_after {
        let end = r.span.end + words.len() + 2;
        let mut f = cx.finding(
            &BrokenReference::META,
            r.span.start..end,
            [
                "link written \"[",
                label,
                "](",
                words,
                ")\": its text and its target are the wrong way round, so it renders as text",
            ]
            .concat(),
        );
        f.help = Some(["write it `[", words, "](", label, ")`"].concat().into());
        return f;
    }
    match swapped {
        Some((start, text)) => {
            let mut f = cx.finding(
                &BrokenReference::META,
                start..r.span.end,
                [
                    "link written \"(",
                    text,
                    ")[",
                    label,
                    "]\": its text and its target are the wrong way round, so it renders as text",
                ]
                .concat(),
            );
            f.help = Some(["write it `[", text, "](", label, ")`"].concat().into());
            f
        }
        None => {
            let mut f = cx.finding(
                &BrokenReference::META,
                r.span.clone(),
                [
                    "\"[",
                    label,
                    "]\" names a page but is no link: it renders as text",
                ]
                .concat(),
            );
            f.help = Some(
                ["write it as a link, `[", label, "](", label, ")`"]
                    .concat()
                    .into(),
            );
            f
        }
    }
}

fn check_undefined_refs(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    for r in &cx.doc.undefined_refs {
        if r.near.is_none() && crate::markdown::names_a_file(&r.label) {
            out.push(file_in_brackets(cx, r));
            continue;
        }
        // The definition written as a link, `- [1](https://…)`: name that line.
        if r.near.is_none()
            && let Some((line, text, dest)) = inline_link_named(cx.doc, &r.label)
        {
            let line = line.to_string();
            let mut f = cx.finding(
                &BrokenReference::META,
                r.span.clone(),
                [
                    "reference link to \"[",
                    &r.label,
                    "]\", which no definition names: line ",
                    &line,
                    " links \"[",
                    text,
                    "](…)\" inline, which defines nothing",
                ]
                .concat(),
            );
            f.help = Some(
                [
                    "add `[",
                    &r.label,
                    "]: ",
                    dest,
                    "` on a line of its own (it can replace line ",
                    &line,
                    ")",
                ]
                .concat()
                .into(),
            );
            out.push(f);
            continue;
        }
        let message = match &r.near {
            // `[a-b]` where only `[a b]: url` is defined renders as text.
            Some(near) => [
                "reference link to \"[",
                &r.label,
                "]\", which no definition names (one names \"[",
                near,
                "]\": labels differ by their hyphens, underscores, backticks or spaces)",
            ]
            .concat(),
            None => [
                "reference link to \"[",
                &r.label,
                "]\", which no definition names",
            ]
            .concat(),
        };
        let mut f = cx.finding(&BrokenReference::META, r.span.clone(), message);
        f.help = Some(match &r.near {
            Some(near) => ["write it `[", near, "]`, as its definition does"]
                .concat()
                .into(),
            None => ["add `[", &r.label, "]: URL` on a line of its own (anywhere in the file), or write the link inline: `[text](URL)`"]
                .concat()
                .into(),
        });
        out.push(f);
    }
}

fn check_quoted(cx: &LintContext<'_>, out: &mut Vec<Finding>) {
    let doc = cx.doc;
    let start = doc.front_matter.as_ref().map_or(0, |f| f.end);
    let whole = start..doc.source().len();
    // Blanking code only removes matches: when the raw text cannot hold one, skip
    // the copy and the regex (and, in a run where no text can, compiling it: an
    // eighth of a one-runbook `lint-pr check`).
    if !may_refer(doc.text(&whole)) {
        return;
    }
    let Some(re) = see_quoted() else { return };
    let text = prose(doc, &whole);
    let headings: HashSet<&str> = doc.headings.iter().map(|h| doc.normalized(h)).collect();
    let mut suggest = Suggester::new(doc.headings.iter().map(|h| h.text.as_ref()));
    for caps in re.captures_iter(&text) {
        let Some(name) = caps.get(1).or_else(|| caps.get(2)) else {
            continue;
        };
        let Some(whole_match) = caps.get(0) else {
            continue;
        };
        // `see "[Rollback](#rollback)"` quotes a link, and `[see the "Education"
        // taxon](…)` sits in one: the link is the reference, checked on its own.
        let at = start + whole_match.start();
        if name.as_str().starts_with('[') || in_link(&doc.links, at) {
            continue;
        }
        // "you should see "200 OK"", "to see the "Event log"": seeing, not a reference.
        if is_observation(tail(&text, whole_match.start(), 200)) {
            continue;
        }
        // "see the "nodeSelector" and "tolerations" fields of …": the quotes name
        // something other than a section.
        // "see "X" in the deploy runbook", "see the "Caveats" section of the
        // [mTLS guide](…)": another document.
        let after = text.get(whole_match.end()..).unwrap_or("");
        if names_no_section(after) || in_another_document(after) {
            continue;
        }
        let wanted = normalize_heading(name.as_str());
        if wanted.is_empty()
            || headings.contains(wanted.as_str())
            || doc
                .headings
                .iter()
                .any(|h| heading_starts_with(doc.normalized(h), &wanted))
        {
            continue;
        }
        let span = start + name.start()..start + name.end();
        let mut f = cx.finding(
            &BrokenReference::META,
            span,
            format!(
                "reference to section \"{}\", which does not exist",
                name.as_str()
            ),
        );
        f.help = Some(match suggest.closest(&wanted) {
            Some(h) => format!("did you mean \"{h}\"? Use the heading's exact words").into(),
            None => "add that section, or point at a heading that exists".into(),
        });
        out.push(f);
    }
}

/// Whether a normalised heading, after its numbering ("9. "), begins with
/// `wanted` as section matching reads headings (whole words, singular and
/// plural alike): `see "Spot-check rules" below` finds "### 9. Spot-check rules
/// to add to instruction.md", as its reader does.
fn heading_starts_with(normalized: &str, wanted: &str) -> bool {
    use crate::markdown::section::{begins_with_words, without_number};
    begins_with_words(wanted, without_number(normalized))
}

/// Whether `text` may hold a match of [`see_quoted`]: an opening quote right after
/// "see", "see the", "see section" or "see the section" and whitespace. Every
/// text the regex matches passes (a property test checks it); the regex decides.
///
/// Every runbook goes through this, so it is cheaper than the regex's own
/// search, which stops at each "see" of "seems", "seen" or "foreseen": one
/// `memchr2` pass for the quotes, and most quotes (in code, after `=`, `:` or a
/// letter) are dismissed on the byte before them.
fn may_refer(text: &str) -> bool {
    let bytes = text.as_bytes();
    // `"`, or 0x9C: the last byte of `“` (E2 80 9C) and of a few other characters.
    memchr::memchr2_iter(b'"', 0x9C, bytes).any(|i| {
        let quote = match bytes.get(i) {
            Some(b'"') => i,
            _ if i >= 2 && bytes.get(i - 2..i) == Some(&[0xE2, 0x80][..]) => i - 2,
            _ => return false,
        };
        let before = quote.checked_sub(1).and_then(|j| bytes.get(j));
        // `\s` before the quote: ASCII whitespace, or a byte of a wider space.
        matches!(
            before,
            Some(b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | 0x80..)
        ) && text.get(..quote).is_some_and(ends_with_see)
    })
}

/// Whether `before` ends with the regex's `see\s+(?:the\s+)?(?:section\s+)?`,
/// leaving out its `\b` (a pre-check may let more through, never less).
fn ends_with_see(before: &str) -> bool {
    let mut rest = before;
    for optional in ["section", "the"] {
        let Some(word_end) = strip_space(rest) else {
            return false;
        };
        if let Some(r) = strip_suffix_folded(word_end, optional) {
            rest = r;
        }
    }
    strip_space(rest)
        .and_then(|r| strip_suffix_folded(r, "see"))
        .is_some()
}

/// `text` without its trailing whitespace, if it has some (`\s+`).
fn strip_space(text: &str) -> Option<&str> {
    let trimmed = text.trim_end();
    (trimmed.len() < text.len()).then_some(trimmed)
}

/// `text` without a trailing `word` (lowercase ASCII), compared as the regex's
/// `(?i)` compares: simple case folding, where `s` also matches `ſ` (U+017F).
fn strip_suffix_folded<'t>(text: &'t str, word: &str) -> Option<&'t str> {
    let mut chars = text.char_indices().rev();
    let mut start = text.len();
    for want in word.chars().rev() {
        let (at, c) = chars.next()?;
        if c.to_ascii_lowercase() != want && !(want == 's' && c == 'ſ') {
            return None;
        }
        start = at;
    }
    text.get(..start)
}

/// Whether byte `at` lies inside one of `links` (sorted by start, not nested).
fn in_link(links: &[crate::markdown::Link<'_>], at: usize) -> bool {
    let i = links.partition_point(|l| l.span.start <= at);
    i.checked_sub(1)
        .and_then(|i| links.get(i))
        .is_some_and(|l| l.span.contains(&at))
}

/// At most the last `max` bytes of `text[..end]`, cut at a character boundary.
/// Enough to see the clause before a match without rescanning the whole prefix.
fn tail(text: &str, end: usize, max: usize) -> &str {
    let mut start = end.saturating_sub(max);
    while start < end && !text.is_char_boundary(start) {
        start += 1;
    }
    text.get(start..end).unwrap_or("")
}

/// Whether the words right before "see" make it a verb of seeing: a subject
/// ("you see", "we also see"), a modal ("should see") or "to see".
fn is_observation(before: &str) -> bool {
    const SEERS: &[&str] = &[
        "i", "you", "we", "they", "he", "she", "one", "to", "should", "can", "could", "will",
        "would", "might", "may", "must", "cannot", "cant", "dont", "not", "youll", "well",
        "theyll",
    ];
    // Only the clause the "see" is in: "If it fails, see "X"" is a reference.
    let clause = before
        .rsplit(['.', ',', ';', ':', '(', '\n', '!', '?', '—', '→', '>'])
        .next()
        .unwrap_or("");
    clause
        .split_whitespace()
        .rev()
        .take(2)
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .any(|w| SEERS.contains(&w.as_str()))
}

/// Nouns that, right after a quoted name ("see the "nodeSelector" field"), say it
/// names something other than a section. Sorted.
#[rustfmt::skip]
const NOT_SECTIONS: &[&str] = &[
    "annotation", "annotations", "argument", "arguments", "button", "buttons", "column",
    "columns", "command", "commands", "dashboard", "dashboards", "field", "fields", "file",
    "files", "flag", "flags", "key", "keys", "label", "labels", "menu", "option", "options",
    "parameter", "parameters", "properties", "property", "setting", "settings", "tab", "tabs",
    "value", "values", "variable", "variables",
];

/// Whether the text after a quoted name (`after`: from just past its closing
/// quote) goes on to say what the name is, and it is no section: the next word,
/// after any further quoted names joined by "and", "or" or commas ("see the
/// "nodeSelector" and "tolerations" fields"), is one of [`NOT_SECTIONS`].
fn names_no_section(after: &str) -> bool {
    let mut rest = after;
    loop {
        let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        let joined = ["and", "or"]
            .iter()
            .find_map(|j| {
                let head = trimmed.get(..j.len())?;
                let tail = trimmed.get(j.len()..)?;
                (head.eq_ignore_ascii_case(j) && tail.starts_with(char::is_whitespace))
                    .then(|| tail.trim_start())
            })
            .unwrap_or(trimmed);
        let quoted = [('"', '"'), ('“', '”')].iter().find_map(|(open, close)| {
            let inner = joined.strip_prefix(*open)?;
            let end = inner.find(*close)?;
            inner.get(end + close.len_utf8()..)
        });
        match quoted {
            Some(next) if next.len() < rest.len() => rest = next,
            _ => {
                let word: String = trimmed
                    .chars()
                    .take_while(char::is_ascii_alphabetic)
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                return NOT_SECTIONS.binary_search(&word.as_str()).is_ok();
            }
        }
    }
}

/// Whether the text after a quoted name puts it in another document: "in the
/// deploy runbook", "of the [guide](…)", or the same after "section", "heading",
/// "chapter" or "part" ("section of the [mTLS guide](…)").
fn in_another_document(after: &str) -> bool {
    let mut words = after.split_whitespace().map(|w| {
        w.trim_matches(|c: char| !c.is_ascii_alphabetic())
            .to_ascii_lowercase()
    });
    let mut word = words.next();
    if matches!(
        word.as_deref(),
        Some("section" | "sections" | "heading" | "chapter" | "part")
    ) {
        word = words.next();
    }
    matches!(word.as_deref(), Some("in" | "of" | "on" | "from"))
}

/// Link targets written to be filled in later: `[dashboard](TBD)`, `[runbook](TODO)`,
/// `[logs](<link>)`, `[x]()`. Each leads nowhere (an empty one back to the page).
fn is_placeholder(dest: &str) -> bool {
    #[rustfmt::skip]
    const PLACEHOLDERS: &[&str] = &[
        "", "...", "…", "insert link", "link", "link here", "tba", "tbc", "tbd", "todo", "url",
        "xxx",
    ];
    let dest = dest.trim_matches(|c: char| c == '<' || c == '>' || c.is_whitespace());
    PLACEHOLDERS.iter().any(|p| p.eq_ignore_ascii_case(dest))
}

/// Whether a link written with no target (`[text]()`) shows text that promises a
/// page: not `[]()`, which renders as nothing, and not `[https://x/y]()`, whose
/// text is the address the reader can still use.
fn shows_text_only(link: &str) -> bool {
    let text = link
        .strip_prefix('[')
        .and_then(|t| t.rsplit_once(']'))
        .map_or("", |(t, _)| t);
    text.chars().any(char::is_alphanumeric) && !text.contains("://")
}

/// "[`cg-secret-rotation`](`https://github.com/…)", "[this epic]((https://…))":
/// a quote, backtick or bracket left at the start of a link's target makes the
/// address a path relative to this page, which a reader's click turns into a
/// page that is not there.
fn stray_quote(
    cx: &LintContext<'_>,
    link: &crate::markdown::Link<'_>,
    dest: &str,
) -> Option<Finding> {
    let quote = dest
        .chars()
        .next()
        .filter(|c| matches!(c, '`' | '\'' | '"' | '('))?
        .to_string();
    let mut f = cx.finding(
        &BrokenReference::META,
        link.span.clone(),
        [
            "link to \"",
            dest,
            "\": the target starts with \"",
            &quote,
            "\", so a click leads to a path beside this page",
        ]
        .concat(),
    );
    f.help = Some(
        [
            "remove the \"",
            &quote,
            "\" from the link's target: (",
            dest.trim_start_matches(['`', '\'', '"', '('])
                .trim_end_matches(['`', '\'', '"', ')']),
            ")",
        ]
        .concat()
        .into(),
    );
    Some(f)
}

fn check_links(cx: &LintContext<'_>, fragment: bool, out: &mut Vec<Finding>) {
    let doc = cx.doc;
    let mut suggestions_left = MAX_SUGGESTIONS;
    let mut budget = || {
        let ok = suggestions_left > 0;
        suggestions_left = suggestions_left.saturating_sub(1);
        ok
    };
    let base = cx.target.path().unwrap_or("");
    let on_site = read_on_site(base);
    // Other files by the path as written: each resolved, looked up and parsed once
    // however many links point into it.
    let mut others: TextMap<Other> = TextMap::default();
    // Whether the page is MyST, read once, at the first anchor that matches nothing.
    let myst = std::cell::OnceCell::new();
    for link in &doc.links {
        let dest = link.dest.trim();
        // Most links are addresses elsewhere (`https://…`), which no placeholder is
        // (none holds a `:`): the cheap test first.
        if has_scheme(dest) {
            continue;
        }
        if is_placeholder(dest) && (!dest.is_empty() || shows_text_only(doc.text(&link.span))) {
            let mut f = cx.finding(
                &BrokenReference::META,
                link.span.clone(),
                if dest.is_empty() {
                    "link with no target: it leads nowhere".to_string()
                } else {
                    ["link to \"", dest, "\", a placeholder: it leads nowhere"].concat()
                },
            );
            f.help = Some(
                "put the real address in the link, or write the text without a link until there is one".into(),
            );
            out.push(f);
            continue;
        }
        if let Some(f) = stray_quote(cx, link, dest) {
            out.push(f);
            continue;
        }
        if dest.is_empty()
            || fragment
            || has_scheme(dest)
            || dest.starts_with('/')
            || dest.contains("<%")
            || dest.contains('{')
        {
            continue;
        }
        let (path, anchor) = match dest.split_once('#') {
            Some((p, a)) => (p, Some(percent_decode(a))),
            None => (dest, None),
        };
        let path = path.split('?').next().unwrap_or("");
        if path.is_empty() {
            if let Some(anchor) = anchor {
                let own = OwnAnchor {
                    anchor: &anchor,
                    on_site,
                    myst: &myst,
                };
                check_own_anchor(cx, link, &own, &mut budget, out);
            }
            continue;
        }
        let path = percent_decode(path);
        if !is_markdown(&path) {
            continue;
        }
        if !others.contains_key(path.as_ref()) {
            // `join_path` keeps an absolute base absolute, so `lint-pr runbook
            // /abs/dir` looks up `/abs/dir/other.md`, not `abs/dir/other.md`.
            let resolved = crate::markdown::join_path(base, &path);
            let lookup = cx.files.lookup(&resolved);
            let other = Other {
                resolved,
                lookup,
                anchors: None,
            };
            others.insert(path.clone().into_owned(), other);
        }
        let Some(other) = others.get_mut(path.as_ref()) else {
            continue;
        };
        check_other_file(cx, link, &path, anchor.as_deref(), other, &mut budget, out);
    }
}

/// Whether `#anchor` holds what no heading's anchor does on any site (every
/// slug drops `:` and `/`): `#howto:alerts` names a documentation system's
/// label, which may be on any page.
fn names_a_site_label(anchor: &str) -> bool {
    anchor.contains([':', '/'])
}

/// A `#anchor` link in the same file, and what is known of the page.
struct OwnAnchor<'x> {
    anchor: &'x str,
    /// The page is read on a Middleman site ([`read_on_site`]).
    on_site: bool,
    /// [`Document::is_myst`], worked out once per page.
    myst: &'x std::cell::OnceCell<bool>,
}

/// A link to `#anchor` in the same file.
fn check_own_anchor(
    cx: &LintContext<'_>,
    link: &crate::markdown::Link<'_>,
    own: &OwnAnchor<'_>,
    budget: &mut impl FnMut() -> bool,
    out: &mut Vec<Finding>,
) {
    let OwnAnchor {
        anchor, on_site, ..
    } = *own;
    let doc = cx.doc;
    let anchors = doc.anchors();
    if anchor.is_empty() || anchors.contains_on_site(anchor) {
        return;
    }
    if !on_site && anchors.contains(anchor) {
        return;
    }
    // `#howto:alerts` names a label of the site's own (Sphinx, MyST), which
    // may be on any page; on a MyST page every `#label` may be. Unknown, not
    // broken.
    if names_a_site_label(anchor) || *own.myst.get_or_init(|| doc.is_myst()) {
        return;
    }
    let mut f = cx.finding(
        &BrokenReference::META,
        link.span.clone(),
        if on_site && anchors.contains(anchor) {
            format!(
                "link to \"#{anchor}\": that is GitHub's anchor for the heading, not the one the site this page is read on gives it"
            )
        } else {
            format!("link to \"#{anchor}\", which matches no heading in this file")
        },
    );
    // The headings' anchors are listed only while suggestions are left: a page
    // with thousands of broken anchors must not sort its headings for each.
    let suggestion = budget()
        .then(|| {
            if on_site {
                let site_slugs: Vec<String> = doc
                    .headings
                    .iter()
                    .filter(|h| h.kind != crate::markdown::HeadingKind::Bold)
                    .map(|h| crate::markdown::site_slug(&h.text))
                    .collect();
                let slugs: Vec<&str> = site_slugs.iter().map(String::as_str).collect();
                closest_anchor(anchor, &slugs).map(str::to_string)
            } else {
                closest_anchor(anchor, &doc.slugs()).map(str::to_string)
            }
        })
        .flatten();
    f.help = Some(
        match suggestion {
            Some(s) => format!("did you mean \"#{s}\"?").into(),
            None if on_site => "on a Middleman site, an anchor is the heading in lowercase, each run of other characters one hyphen".into(),
            None => "anchors are the heading in lowercase, punctuation dropped, spaces as hyphens"
                .into(),
        },
    );
    out.push(f);
}

/// A link to `path` (and `#anchor` in it), which the lookup found, did not find, or
/// cannot tell about.
fn check_other_file(
    cx: &LintContext<'_>,
    link: &crate::markdown::Link<'_>,
    path: &str,
    anchor: Option<&str>,
    other: &mut Other,
    budget: &mut impl FnMut() -> bool,
    out: &mut Vec<Finding>,
) {
    let resolved = other.resolved.as_str();
    match (&other.lookup, anchor) {
        (Lookup::Unknown, _) => {}
        (Lookup::Missing, _) => {
            let mut f = cx.finding(
                &BrokenReference::META,
                link.span.clone(),
                format!("link to \"{path}\", which does not exist"),
            );
            f.help = Some(format!("no file at {resolved}; fix the path or add the file").into());
            out.push(f);
        }
        (Lookup::Found(text), Some(anchor)) if !anchor.is_empty() => {
            let anchors = other
                .anchors
                .get_or_insert_with(|| Document::parse(&normalize(text)).into_anchors());
            let on_site = read_on_site(cx.target.path().unwrap_or(""));
            if anchors.contains_on_site(anchor) || (!on_site && anchors.contains(anchor)) {
                return;
            }
            let mut f = cx.finding(
                &BrokenReference::META,
                link.span.clone(),
                format!("link to \"{path}#{anchor}\": {path} has no heading with that anchor"),
            );
            f.help = Some(
                match budget()
                    .then(|| closest_anchor(anchor, &anchors.slugs()))
                    .flatten()
                {
                    Some(s) => format!("did you mean \"{path}#{s}\"?").into(),
                    None => format!("check the headings of {resolved}").into(),
                },
            );
            out.push(f);
        }
        (Lookup::Found(_), _) => {}
    }
}

/// Another file a link points into.
struct Other {
    resolved: String,
    lookup: Lookup,
    /// Parsed on the first link with an anchor.
    anchors: Option<Anchors>,
}

/// Whether the page is a Middleman source (`page.html.md`, `page.html.md.erb`), read
/// on the site it builds, whose heading anchors are not GitHub's
/// ([`crate::markdown::site_slug`]): a link written with GitHub's anchor is broken
/// there.
///
/// Asked of every runbook: only the name's dots are tried as the start of the
/// suffix, not every byte of the path.
fn read_on_site(path: &str) -> bool {
    let name = path.as_bytes();
    let name = memchr::memrchr(b'/', name)
        .and_then(|slash| name.get(slash + 1..))
        .unwrap_or(name);
    memchr::memchr_iter(b'.', name).any(|dot| {
        name.get(dot..dot + 8)
            .is_some_and(|w| w.eq_ignore_ascii_case(b".html.md"))
    })
}

/// Folders of fragments that a documentation site includes into its pages
/// (MkDocs' `snippets`, Jekyll's `_includes`, Docusaurus' and Antora's
/// `partials`). Sorted.
const INCLUDE_FOLDERS: &[&str] = &[
    "_includes",
    "_partials",
    "_snippets",
    "includes",
    "partials",
    "snippets",
];

/// Whether the page at `path` sits in a folder of [`INCLUDE_FOLDERS`]: a fragment
/// shown inside other pages, so a relative link in it is resolved from the
/// including page's folder and an anchor names that page's heading. Neither
/// can be checked from the fragment alone.
fn is_include_fragment(path: &str) -> bool {
    let mut folders = path.split(['/', '\\']);
    folders.next_back();
    // Asked of every runbook: only a folder of 8 or 9 bytes can be one.
    folders.any(|f| matches!(f.len(), 8 | 9) && crate::rules::text::is_word_in(INCLUDE_FOLDERS, f))
}

fn is_markdown(path: &str) -> bool {
    [".md", ".markdown", ".md.erb"]
        .iter()
        .any(|suffix| ends_with_folded(path, suffix))
}

/// `%20` → space and the like: each `%` and two hex digits becomes that byte.
/// Anything else, such as an invalid escape, is kept as written, and bytes that do
/// not form UTF-8 become U+FFFD.
fn percent_decode(s: &str) -> Cow<'_, str> {
    // Nearly every link has no escape: one byte scan, no decoder.
    if memchr::memchr(b'%', s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    percent_encoding::percent_decode_str(s).decode_utf8_lossy()
}

/// The anchor most like `anchor` among `slugs`. For a numbered repeat that does not
/// exist (`#usage-10` with ten "Usage" headings), the last repeat that does.
fn closest_anchor<'a>(anchor: &str, slugs: &[&'a str]) -> Option<&'a str> {
    if let Some((base, n)) = anchor.rsplit_once('-')
        && !base.is_empty()
        && n.parse::<usize>().is_ok()
    {
        let repeat = |s: &&&str| {
            **s == base
                || s.strip_prefix(base)
                    .and_then(|r| r.strip_prefix('-'))
                    .is_some_and(|k| k.parse::<usize>().is_ok())
        };
        if let Some(last) = slugs.iter().rfind(repeat) {
            return Some(last);
        }
    }
    closest(anchor, slugs.iter().copied())
}

/// A suggestion scans every candidate. A document with thousands of broken
/// references gets suggestions for the first few only, so the rule stays linear
/// in the document's size (measured in `benches/lint.rs`).
const MAX_SUGGESTIONS: usize = 32;

/// "Did you mean" for section names: candidates normalised once, answers cached.
struct Suggester<'a> {
    raw: Vec<&'a str>,
    normalized: Option<Vec<String>>,
    cache: HashMap<String, Option<usize>>,
    left: usize,
}

impl<'a> Suggester<'a> {
    fn new(candidates: impl Iterator<Item = &'a str>) -> Self {
        Suggester {
            raw: candidates.collect(),
            normalized: None,
            cache: HashMap::new(),
            left: MAX_SUGGESTIONS,
        }
    }

    /// The candidate most like `wanted` (already normalised), if close enough.
    fn closest(&mut self, wanted: &str) -> Option<&'a str> {
        if let Some(hit) = self.cache.get(wanted) {
            return hit.and_then(|i| self.raw.get(i).copied());
        }
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let raw = &self.raw;
        let normalized = self
            .normalized
            .get_or_insert_with(|| raw.iter().map(|c| normalize_heading(c)).collect());
        let best = crate::suggest::nearest(normalized.iter().enumerate(), |(i, n)| {
            is_close(n, wanted).then(|| {
                raw.get(*i)
                    .map_or(usize::MAX, |c| c.len().abs_diff(wanted.len()))
            })
        })
        .map(|(i, _)| i);
        self.cache.insert(wanted.to_string(), best);
        best.and_then(|i| self.raw.get(i).copied())
    }
}

/// Whether two normalised names are alike: one contains the other, or they share
/// more than half of `wanted`'s words.
fn is_close(candidate: &str, wanted: &str) -> bool {
    !candidate.is_empty()
        && (candidate.contains(wanted)
            || wanted.contains(candidate)
            || shared_words(candidate, wanted) * 2 > wanted.split(' ').count())
}

/// The candidate most like `wanted`, if reasonably close.
fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = normalize_heading(wanted);
    crate::suggest::nearest(candidates, |c| {
        is_close(&normalize_heading(c), &wanted).then(|| c.len().abs_diff(wanted.len()))
    })
}

fn shared_words(a: &str, b: &str) -> usize {
    a.split(' ')
        .filter(|w| w.len() > 2 && b.split(' ').any(|x| x == *w))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_from_the_linted_file() {
        assert_eq!(
            crate::markdown::join_path("docs/a/x.md", "../b/y.md"),
            "docs/b/y.md"
        );
        assert_eq!(
            crate::markdown::join_path("docs/a/x.md", "./y.md"),
            "docs/a/y.md"
        );
        assert_eq!(crate::markdown::join_path("x.md", "../y.md"), "../y.md");
        // `lint-pr runbook /abs/dir` must look beside the file, not under the cwd.
        assert_eq!(
            crate::markdown::join_path("/srv/runbooks/docs/x.md", "../y.md"),
            "/srv/runbooks/y.md"
        );
        assert_eq!(crate::markdown::join_path("/x.md", "../../y.md"), "/y.md");
    }

    #[test]
    fn an_anchor_with_a_colon_or_slash_names_a_site_label() {
        for label in ["howto:alerts", "troubleshooting/rollback", "a:b:c"] {
            assert!(names_a_site_label(label), "{label}");
        }
        for anchor in ["uptime-checks", "step-2", "1️⃣-add", "check_logs"] {
            assert!(!names_a_site_label(anchor), "{anchor}");
        }
    }

    #[test]
    fn a_page_name_in_brackets_is_a_link_that_renders_as_text() {
        let doc = crate::markdown::Document::parse(
            "# X\n\nSee [replication.md] and (CI graphs)[ci_graphs.md], then [profiling.md](Ruby profiling).\n\nNot these: [WIP], `a[b.md]`, f(x)[y], [notes.md].\n\n[notes.md]: https://example.com\n",
        );
        let labels: Vec<_> = doc
            .undefined_refs
            .iter()
            .map(|r| r.label.as_str())
            .collect();
        assert_eq!(labels, ["replication.md", "ci_graphs.md", "profiling.md"]);
        assert!(crate::markdown::names_a_file("../../a/README.md"));
        assert!(crate::markdown::names_a_file("index.HTML"));
        assert!(!crate::markdown::names_a_file(".md"));
        assert!(!crate::markdown::names_a_file("see notes.md"));
        assert!(!crate::markdown::names_a_file("config.yaml"));
    }

    #[test]
    fn the_pre_check_finds_what_the_regex_finds() {
        for text in [
            "see \"Rollback\"",
            "If it fails, See the section \u{201c}Rollback\u{201d}.",
            "see\n  section\t\"X\"",
            "SEE THE \"X\"",
            "\u{17f}ee \"X\"",
            "see\u{a0}\"X\"",
            "\u{2705} done; \"a\" = 1, then see \u{201c}X\u{201d}",
        ] {
            assert!(may_refer(text), "{text:?}");
        }
        for text in [
            "see\"X\"",
            "seethe \"X\"",
            "see thesection \"X\"",
            "see section the \"X\"",
            "sea \"X\"",
            "see `x` \"X\"",
            "no quote: see section",
            "\u{2705} see \u{2705}",
        ] {
            assert!(!may_refer(text), "{text:?}");
        }
    }

    proptest::proptest! {
        /// The pre-check never skips a text the regex matches: texts built on the
        /// regex's own shape, with its case and whitespace variants, and noise.
        #[test]
        fn the_pre_check_never_misses_a_match(
            before in "[a-z .\n\"\u{2705}]{0,4}",
            see in proptest::sample::select(vec!["see", "See", "SEE", "\u{17f}ee", "sea", "seethe"]),
            gaps in proptest::collection::vec(
                proptest::sample::select(vec!["", " ", "  ", "\n", "\t", "\u{a0}", "\u{3000}", "\u{b}"]),
                3,
            ),
            the in proptest::sample::select(vec!["", "the", "THE", "tHe"]),
            section in proptest::sample::select(vec!["", "section", "SECTION", "\u{17f}ection"]),
            quotes in proptest::sample::select(vec![("\"", "\""), ("\u{201c}", "\u{201d}"), ("\"", "")]),
            name in "[A-Za-z \u{e9}]{0,8}",
        ) {
            let text = format!(
                "{before}{see}{}{the}{}{section}{}{}{name}{}",
                gaps[0], gaps[1], gaps[2], quotes.0, quotes.1
            );
            let re = see_quoted().expect("the regex compiles");
            proptest::prop_assert!(!re.is_match(&text) || may_refer(&text), "{:?}", text);
        }
    }

    #[test]
    fn a_fragment_included_into_other_pages_is_not_resolved_from_its_folder() {
        assert!(
            INCLUDE_FOLDERS.is_sorted(),
            "binary search needs them sorted"
        );
        assert!(is_include_fragment("docs/snippets/quickstart-prereqs.md"));
        assert!(is_include_fragment("site/_includes/alerts/disk.md"));
        assert!(is_include_fragment("docs\\partials\\x.md"));
        // The name of the page itself, or a word inside a folder's name, is no
        // include folder.
        assert!(!is_include_fragment("docs/runbooks/snippets.md"));
        assert!(!is_include_fragment("docs/code-snippets/x.md"));
        assert!(!is_include_fragment("snippets.md"));
    }

    #[test]
    fn a_quoted_name_finds_a_numbered_heading_that_starts_with_it() {
        let wanted = crate::markdown::normalize_heading("Spot-check rules");
        let heading =
            crate::markdown::normalize_heading("9. Spot-check rules to add to instruction.md");
        assert!(super::heading_starts_with(&heading, &wanted));
        let exact = crate::markdown::normalize_heading("9. Spot-check rules");
        assert!(super::heading_starts_with(&exact, &wanted));
        let other = crate::markdown::normalize_heading("Spot-checks");
        assert!(!super::heading_starts_with(&other, &wanted));
        let inside = crate::markdown::normalize_heading("Old spot-check rules");
        assert!(!super::heading_starts_with(&inside, &wanted));
    }

    #[test]
    fn a_quoted_field_is_no_section() {
        assert!(NOT_SECTIONS.is_sorted(), "binary search needs them sorted");
        assert!(names_no_section(
            r#" and "tolerations" fields of the resource"#
        ));
        assert!(names_no_section(" field"));
        assert!(names_no_section(r#", "b" or “c” options"#));
        assert!(!names_no_section(" section below"));
        assert!(!names_no_section(" for the steps"));
        assert!(!names_no_section(r#" and "Rollback""#));
        assert!(!names_no_section(""));
        assert!(names_no_section(" and\n   \"tolerations\" fields"));
    }

    #[test]
    fn a_section_of_another_document_is_not_checked() {
        assert!(in_another_document(
            " section of the\n[mTLS guide](../mtls/)"
        ));
        assert!(in_another_document(" heading in the deploy runbook"));
        assert!(in_another_document(" in the deploy runbook"));
        assert!(!in_another_document(" section below"));
        assert!(!in_another_document(" section"));
        assert!(!in_another_document(" for details"));
    }

    #[test]
    fn seeing_is_not_referring() {
        assert!(is_observation("If everything is normal, you should "));
        assert!(is_observation("Scroll down to "));
        assert!(is_observation("We also "));
        assert!(!is_observation("If it fails, "));
        assert!(!is_observation("For the details "));
        assert!(!is_observation("- If above 0: "));
    }
}
