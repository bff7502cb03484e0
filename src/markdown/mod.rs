//! The markdown model every rule reads: one parse into a [`Document`].
//!
//! Owns: turning markdown text into headings, sections and the blocks inside them
//! (paragraphs, list items, code, links, HTML comments), with byte ranges into the
//! source. Never does: IO, reporting, or knowing what a "required section" is.
//! Start reading at [`Document::parse`]; sections and heading matching are in
//! `section.rs`, positions in `line_index.rs`, GitHub anchors in `slug.rs`.

mod line_index;
mod parse;
pub(crate) use parse::names_a_file;
mod path;
pub(crate) mod section;
mod shortcode;
mod slug;

use std::borrow::Cow;
use std::sync::OnceLock;

pub use line_index::{LineCol, LineIndex, locate_sorted};
pub use path::join_path;
pub(crate) use section::verb_used_otherwise;
pub use section::{HeadingMatcher, normalize_heading};
pub(crate) use slug::{TextMap, site_slug};
pub use slug::{slug, unique_slugs};

/// Byte range into the source text.
pub use crate::types::Span;

/// Turn CRLF (and lone CR) line endings into LF, so that every later offset and line
/// number is the same whichever endings the text came with.
pub fn normalize(text: &str) -> Cow<'_, str> {
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// How a heading was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadingKind {
    /// `## Why`
    Atx,
    /// `Why` underlined with `===` or `---`.
    Setext,
    /// `**Why**` alone on the first line of a paragraph (many PR bodies do this).
    Bold,
}

/// One heading, real or bold-paragraph pseudo-heading.
#[derive(Debug, Clone)]
pub struct Heading<'a> {
    /// The heading's rendered text (inline code kept, markup dropped), trimmed;
    /// borrowed from the source when it is written there as is.
    pub text: Cow<'a, str>,
    /// The rendered text, trimmed, with its whitespace inside as written, when
    /// that is not `text` (`## Docker  - "too many open files"`): GitHub's
    /// anchor turns each space into a hyphen, `#docker----too-many-open-files`.
    pub spaced: Option<Box<str>>,
    /// Where `text` normalised for matching ([`normalize_heading`]) lies in the
    /// document's [`Document::normalized`] forms: computed once, at parse time,
    /// because every section rule compares every heading, and kept in one string
    /// for the whole document rather than one allocation per heading.
    pub normalized: Span,
    /// 1–6 for real headings; 7 for a bold pseudo-heading, which thus ends at the
    /// next heading of any kind.
    pub level: u8,
    pub kind: HeadingKind,
    /// Byte range of the heading's own line(s).
    pub span: Span,
}

impl Heading<'_> {
    /// The text GitHub makes the heading's anchor of: [`Heading::spaced`] when
    /// there is one, else [`Heading::text`].
    pub fn anchor_text(&self) -> &str {
        self.spaced.as_deref().unwrap_or(&self.text)
    }

    /// Whether the heading is a site generator's template ("<%= current_page.data.
    /// title %>", "{{ .Title }}"), not text a reader sees.
    pub fn is_template(&self) -> bool {
        let t = self.text.trim_start();
        t.starts_with("<%") || t.starts_with("{{")
    }
}

/// A heading and everything under it up to the next heading of the same or a
/// higher level (so a section contains its subsections).
#[derive(Debug, Clone)]
pub struct Section {
    /// Index into [`Document::headings`].
    pub heading: usize,
    /// Bytes after the heading up to the section's end.
    pub body: Span,
    /// Bytes after the heading up to the next heading of *any* level: the text that
    /// belongs to this heading alone.
    pub own_body: Span,
}

/// A paragraph (or table cell run, or heading-less text block).
#[derive(Debug, Clone)]
pub struct Paragraph {
    pub span: Span,
    /// In a block quote (`> …`): an aside, as sites render it.
    pub quoted: bool,
}

#[derive(Debug, Clone)]
pub struct ListItem {
    pub span: Span,
    /// 0 for an item of a top-level list, 1 for an item nested in it, …
    pub depth: u32,
    /// The list's start number when ordered (`1.`), `None` for bullets.
    pub ordered: bool,
    /// `Some(checked)` for a task item `- [ ]` / `- [x]`.
    pub task: Option<bool>,
    /// Byte range of the `[ ]` marker, for task items.
    pub task_marker: Option<Span>,
    /// Nesting depth inside block quotes (0 = not quoted).
    pub quote_depth: u32,
}

#[derive(Debug, Clone)]
pub struct CodeBlock<'a> {
    pub span: Span,
    /// The info string after the opening fence (`sh`, `yaml`, …); empty when indented.
    /// Borrowed from the source unless it had escapes.
    pub info: Cow<'a, str>,
}

#[derive(Debug, Clone)]
pub struct CodeSpan {
    pub span: Span,
}

/// A reference link with no definition: `[text][label]` or `[label][]`, or
/// `[label]` alone when a definition nearly names it.
#[derive(Debug, Clone)]
pub struct UndefinedRef {
    pub span: Span,
    pub label: String,
    /// The defined label that names the same words, but for case, hyphens or
    /// underscores (`[cordons and drains nodes]: …` for `[cordons-and-drains-nodes]`).
    pub near: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Link<'a> {
    /// The whole link, `[text](dest)`.
    pub span: Span,
    /// Borrowed from the source unless it had escapes or is a reference link's.
    pub dest: Cow<'a, str>,
}

/// A markdown document parsed once; rules only read it.
#[derive(Debug)]
pub struct Document<'a> {
    source: &'a str,
    /// Front matter at the very start, if any: YAML (`---` … `---`, Jekyll,
    /// Middleman, MkDocs) or TOML (`+++` … `+++`, Hugo).
    pub front_matter: Option<Span>,
    pub headings: Vec<Heading<'a>>,
    /// The normalised forms of all headings, one after the other (see
    /// [`Heading::normalized`]).
    normalized: String,
    pub sections: Vec<Section>,
    pub paragraphs: Vec<Paragraph>,
    pub list_items: Vec<ListItem>,
    pub code_blocks: Vec<CodeBlock<'a>>,
    pub code_spans: Vec<CodeSpan>,
    pub links: Vec<Link<'a>>,
    /// `<!-- … -->` comments, block or inline.
    pub html_comments: Vec<Span>,
    /// `id="…"` / `name="…"` anchors written in raw HTML.
    pub html_anchors: Vec<String>,
    /// Reference links whose label no definition names (`[docs][1]` with no
    /// `[1]: url`): markdown renders them as plain text, so the reader gets no link.
    /// Shortcut references (`[label]` alone) are not listed: brackets in prose are
    /// common and mostly no link at all.
    pub undefined_refs: Vec<UndefinedRef>,
    /// Where link reference definitions are written (`[docs]: https://…`,
    /// `[//]: # 'a comment'`, and those whose destination is a site template,
    /// which CommonMark reads as text), in order: text the page does not show.
    pub definitions: Vec<Span>,
    /// References to a definition whose destination is a site template
    /// (`[Envoy Debug Logging][5]` with
    /// `[5]: /docs/{{< param version >}}/troubleshooting/envoy-debug-log/`): text
    /// to CommonMark, a link on the site, which fills the template in first. Not
    /// in [`Document::links`]: the destination is known only to the site.
    pub templated_refs: Vec<Span>,
    /// Heading slugs in order, and a map whose keys are those slugs and the
    /// lowercased HTML anchors (for [`Document::has_anchor`]: a map, so that a file
    /// with many links and many headings stays linear). Built on first use.
    anchors: OnceLock<Anchors>,
    /// The source with ASCII letters lowercased, built on first use (see
    /// [`Document::lowercase`]).
    lowercase: OnceLock<String>,
}

/// The allocations of a [`Document`] that is done with, kept for the next one:
/// linting many texts (a corpus, a PR's runbooks) with one `Buffers` makes each
/// model's vectors once, at the size of the largest, instead of once per text.
#[derive(Default)]
pub struct Buffers {
    headings: Vec<Heading<'static>>,
    normalized: String,
    sections: Vec<Section>,
    paragraphs: Vec<Paragraph>,
    list_items: Vec<ListItem>,
    code_blocks: Vec<CodeBlock<'static>>,
    code_spans: Vec<CodeSpan>,
    links: Vec<Link<'static>>,
    html_comments: Vec<Span>,
    html_anchors: Vec<String>,
    // The parser's own working space.
    stack: Vec<parse::Open>,
    html_ranges: Vec<Span>,
    title: String,
}

impl<'a> Document<'a> {
    /// Parse `source`, which must already be [`normalize`]d (LF line endings).
    pub fn parse(source: &'a str) -> Self {
        parse::parse(source, &mut Buffers::default())
    }

    /// Like [`Document::parse`], in the allocations `buffers` holds (see
    /// [`Document::recycle`]).
    pub fn parse_in(source: &'a str, buffers: &mut Buffers) -> Self {
        parse::parse(source, buffers)
    }

    /// Give this document's allocations back to `buffers` for the next parse.
    pub fn recycle(self, buffers: &mut Buffers) {
        use parse::emptied;
        // Destructured, so that a field added to `Document` cannot be forgotten here.
        let Document {
            source: _,
            front_matter: _,
            headings,
            mut normalized,
            mut sections,
            mut paragraphs,
            mut list_items,
            code_blocks,
            mut code_spans,
            links,
            mut html_comments,
            mut html_anchors,
            undefined_refs: _,
            definitions: _,
            templated_refs: _,
            anchors: _,
            lowercase: _,
        } = self;
        // Types that borrow the source change lifetime through `emptied`; the
        // others only need clearing.
        buffers.headings = emptied(headings);
        buffers.code_blocks = emptied(code_blocks);
        buffers.links = emptied(links);
        normalized.clear();
        sections.clear();
        paragraphs.clear();
        list_items.clear();
        code_spans.clear();
        html_comments.clear();
        html_anchors.clear();
        buffers.normalized = normalized;
        buffers.sections = sections;
        buffers.paragraphs = paragraphs;
        buffers.list_items = list_items;
        buffers.code_spans = code_spans;
        buffers.html_comments = html_comments;
        buffers.html_anchors = html_anchors;
    }

    pub fn source(&self) -> &'a str {
        self.source
    }

    /// The source with ASCII letters lowercased: every byte offset is the
    /// source's. Rules match lower-case patterns against it: a case-insensitive
    /// pattern gives the regex engine no literal to skip ahead to, so it walks
    /// every byte. Built once per document, for the rules that need it.
    pub fn lowercase(&self) -> &str {
        self.lowercase
            .get_or_init(|| self.source.to_ascii_lowercase())
    }

    /// The value of a field of the front matter, whether written as YAML
    /// (`title: Common Issues`) or TOML (`title = "Common Issues"`), without its
    /// quotes: `None` when there is no front matter or no such field. The first
    /// line that names the field counts, indented or not (`runbook_kind:` was
    /// always read so).
    pub fn front_matter_field(&self, key: &str) -> Option<&'a str> {
        let source: &'a str = self.source;
        let fm = source.get(self.front_matter.clone()?)?;
        fm.lines().find_map(|line| {
            let rest = line.trim_start().strip_prefix(key)?.trim_start();
            let value = rest.strip_prefix(':').or_else(|| rest.strip_prefix('='))?;
            Some(value.trim().trim_matches(['"', '\'']))
        })
    }

    /// Where the page's own text starts: after its front matter and after a
    /// level-1 title heading that opens it (a page titled in its front matter,
    /// "title: Common Issues", starts right after it).
    pub fn body_start(&self) -> usize {
        let after_front_matter = self.front_matter.as_ref().map_or(0, |f| f.end);
        self.headings
            .first()
            .filter(|h| h.level == 1)
            .map_or(after_front_matter, |h| h.span.end.max(after_front_matter))
    }

    /// The 1-based line of byte `offset`, for a message that names another line
    /// ("closest heading: …, line 12"). Counts from the start: for one number per
    /// finding, not for every finding's position (the report has `LineIndex`).
    pub fn line_of(&self, offset: usize) -> usize {
        let bytes = self.source.as_bytes();
        // Bytes, not `str`: no char boundary to miss; past the end is the last line.
        let before = bytes.get(..offset.min(bytes.len())).unwrap_or_default();
        memchr::memchr_iter(b'\n', before).count() + 1
    }

    pub fn text(&self, span: &Span) -> &'a str {
        self.source.get(span.clone()).unwrap_or("")
    }

    /// `heading`'s text normalised for matching ([`normalize_heading`]).
    pub fn normalized(&self, heading: &Heading<'_>) -> &str {
        self.normalized
            .get(heading.normalized.clone())
            .unwrap_or("")
    }

    pub fn heading(&self, section: &Section) -> &Heading<'a> {
        // `Section::heading` always indexes `headings` (built together in parse.rs);
        // the fallback keeps a broken invariant from panicking on user input.
        self.headings
            .get(section.heading)
            .unwrap_or(&FALLBACK_HEADING)
    }

    /// Whether the page is MyST, Sphinx's markdown: it has a target line
    /// (`(troubleshooting/rollback)=` on its own, over the heading it names)
    /// or a directive fence (```` ```{note} ````). There `[](#label)` names a
    /// label anywhere in the project, not only a heading of this page. Read
    /// only when an anchor matched nothing (rare), so a scan of the text.
    pub fn is_myst(&self) -> bool {
        let directive = self.code_blocks.iter().any(|b| {
            b.info
                .strip_prefix('{')
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()))
        });
        directive
            || self.source.lines().any(|line| {
                line.trim_end()
                    .strip_prefix('(')
                    .and_then(|rest| rest.strip_suffix(")="))
                    .is_some_and(|label| {
                        !label.is_empty()
                            && !label.contains(|c: char| c.is_whitespace() || c == ')')
                    })
            })
    }

    /// GitHub anchors of all real headings (pseudo-headings get none), in order.
    pub fn slugs(&self) -> Vec<&str> {
        self.anchors().slugs()
    }

    /// Whether `#anchor` points somewhere in this document.
    pub fn has_anchor(&self, anchor: &str) -> bool {
        self.anchors().contains(anchor)
    }

    /// Where `#anchor` links can point in this document, built on first use.
    pub fn anchors(&self) -> &Anchors {
        self.anchors.get_or_init(|| {
            let mut known = slug::slug_table(
                self.headings
                    .iter()
                    .filter(|h| h.kind != HeadingKind::Bold)
                    .map(Heading::anchor_text),
            );
            // A link written for the site the page is read on works there: the
            // anchors such sites give headings are accepted too (not suggested).
            // Where they differ, GitHub's is marked, for pages read only on the
            // site ([`Anchors::contains_on_site`]).
            for heading in self.headings.iter().filter(|h| h.kind != HeadingKind::Bold) {
                // "Private Argo CD UI with  Multiple …" (two spaces): GitHub's
                // anchor keeps a hyphen per space, MkDocs and most site
                // generators collapse the run to one: a link may be written for
                // either.
                if heading.spaced.is_some() {
                    known
                        .entry(slug::slug(&heading.text))
                        .or_insert(slug::SlugEntry::OTHER);
                }
                if heading
                    .text
                    .contains(|c: char| !c.is_alphanumeric() && c != ' ')
                {
                    let site = slug::site_slug(&heading.text);
                    let github = slug::slug(heading.anchor_text());
                    if github != site
                        && let Some(entry) = known.get_mut(&github)
                    {
                        entry.github_only = true;
                    }
                    known
                        .entry(site)
                        .and_modify(|e| e.github_only = false)
                        .or_insert(slug::SlugEntry::OTHER);
                    // Redcarpet before 3.4 (Middleman's GOV.UK tech docs) slugs the
                    // HTML-escaped text: "The director's database" is
                    // `the-director-39-s-database` there.
                    if let Some(escaped) = slug::escaped_site_slug(&heading.text) {
                        known.entry(escaped).or_insert(slug::SlugEntry::OTHER);
                    }
                    // MkDocs Material and Hugo render `:material-repeat:` as an
                    // icon first: the anchor is the rest's.
                    if let Some(plain) = slug::without_emoji_codes(&heading.text) {
                        for anchor in [slug::slug(&plain), slug::site_slug(&plain)] {
                            known
                                .entry(anchor)
                                .and_modify(|e| e.github_only = false)
                                .or_insert(slug::SlugEntry::OTHER);
                        }
                    }
                }
            }
            // Ids written out work everywhere, on GitHub and on the site, even
            // where one is GitHub's form of a heading (`<span id="variables-to-add
            // --remove-from-variablestf">` over that heading): raw HTML's
            // `id`/`name`, and `## Ingress mode {#ingress-mode}`, the id site
            // generators give the heading (Hugo, kramdown, Pandoc, MkDocs'
            // attr_list).
            let ids = self.html_anchors.iter().map(String::as_str).chain(
                self.headings
                    .iter()
                    .filter(|h| h.kind != HeadingKind::Bold)
                    .filter_map(|h| attribute_id(&h.text)),
            );
            for id in ids {
                known
                    .entry(id.to_lowercase())
                    .and_modify(|e| e.github_only = false)
                    .or_insert(slug::SlugEntry::OTHER);
            }
            Anchors { known }
        })
    }

    /// The anchors, kept after the document (and the text it borrows) is gone.
    pub fn into_anchors(self) -> Anchors {
        self.anchors();
        self.anchors.into_inner().unwrap_or_default()
    }

    /// The first section whose heading matches, in document order.
    pub fn find_section(&self, matcher: &HeadingMatcher) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| matcher.matches_heading(self, self.heading(s)))
    }

    /// The first section whose heading matches `matcher`, else the first whose
    /// heading holds one of its names as whole words ("Internal escalation").
    pub fn find_section_containing(&self, matcher: &HeadingMatcher) -> Option<&Section> {
        let mut containing = None;
        for s in &self.sections {
            let heading = self.heading(s);
            if matcher.matches_heading(self, heading) {
                return Some(s);
            }
            if containing.is_none() && matcher.is_contained_after_start(self, heading) {
                containing = Some(s);
            }
        }
        containing
    }

    /// Items of `items` that lie inside `range`.
    pub fn within<'s, T: HasSpan>(items: &'s [T], range: &Span) -> &'s [T] {
        let start = items.partition_point(|x| x.span().start < range.start);
        let end = items.partition_point(|x| x.span().start < range.end);
        items.get(start..end.max(start)).unwrap_or(&[])
    }

    /// The text of `range` with HTML comments cut out.
    pub fn text_without_comments(&self, range: &Span) -> String {
        let mut out = String::new();
        let mut at = range.start;
        for c in Self::within(&self.html_comments, range) {
            out.push_str(self.source.get(at..c.start.max(at)).unwrap_or(""));
            at = at.max(c.end);
        }
        out.push_str(self.source.get(at..range.end.max(at)).unwrap_or(""));
        out
    }
}

/// The id of a heading's trailing attribute block (`Ingress mode {#ingress-mode}`,
/// `Setup {#setup .wide}`), if it has one.
fn attribute_id(text: &str) -> Option<&str> {
    let inner = text.trim_end().strip_suffix('}')?;
    let block = inner.get(inner.rfind('{')? + 1..)?;
    block
        .split_whitespace()
        .find_map(|token| token.strip_prefix('#'))
        .filter(|id| !id.is_empty())
}

/// The anchors of a document: heading slugs, and raw-HTML `id`/`name`s.
#[derive(Debug, Default)]
pub struct Anchors {
    /// Every slug and lowercased HTML anchor, as keys: a map, so that a file with
    /// many links and many headings stays linear. Each is stored once; the order of
    /// the headings is rebuilt only for "did you mean" suggestions.
    known: slug::TextMap<slug::SlugEntry>,
}

impl Anchors {
    /// GitHub anchors of all real headings, in order.
    pub fn slugs(&self) -> Vec<&str> {
        slug::in_order(&self.known)
    }

    /// Whether `#anchor` (matched case-insensitively, as browsers do for GitHub's
    /// lowercase anchors) is one of them.
    pub fn contains(&self, anchor: &str) -> bool {
        self.entry(anchor).is_some()
    }

    /// Whether `#anchor` works on a site that renders the page (Middleman's
    /// `page.html.md`): GitHub's form of a heading whose site anchor differs
    /// ("GOV.UK teams": `govuk-teams` on GitHub, `gov-uk-teams` there) does not.
    pub fn contains_on_site(&self, anchor: &str) -> bool {
        self.entry(anchor).is_some_and(|e| !e.github_only)
    }

    fn entry(&self, anchor: &str) -> Option<&slug::SlugEntry> {
        if anchor.is_ascii() && !anchor.bytes().any(|b| b.is_ascii_uppercase()) {
            self.known.get(anchor)
        } else {
            self.known.get(&anchor.to_lowercase())
        }
    }
}

static FALLBACK_HEADING: Heading<'static> = Heading {
    text: Cow::Borrowed(""),
    spaced: None,
    normalized: 0..0,
    level: 1,
    kind: HeadingKind::Atx,
    span: 0..0,
};

/// Anything with a byte range, for [`Document::within`].
pub trait HasSpan {
    fn span(&self) -> &Span;
}

macro_rules! has_span {
    ($($t:ty),*) => { $(impl HasSpan for $t { fn span(&self) -> &Span { &self.span } })* };
}
has_span!(
    Paragraph,
    ListItem,
    CodeBlock<'_>,
    CodeSpan,
    Link<'_>,
    Heading<'_>
);

impl HasSpan for Span {
    fn span(&self) -> &Span {
        self
    }
}

/// How a lint reaches files other than the one it reads, for links such as
/// `[x](other.md#anchor)`. The CLI answers from the file system; the server from
/// what it fetched at the PR's head.
pub trait FileLookup {
    /// `path` is normalised (`/`-separated, no `.` or `..` segments) and relative to
    /// the same root as the path of the file being linted.
    fn lookup(&self, path: &str) -> Lookup;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup {
    /// The file exists; here is its text (for anchor checks).
    Found(String),
    /// The file certainly does not exist.
    Missing,
    /// Cannot tell (not fetched, outside the repository): report nothing.
    Unknown,
}

/// A lookup that knows nothing: every reference to another file is left unchecked.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoFiles;

impl FileLookup for NoFiles {
    fn lookup(&self, _path: &str) -> Lookup {
        Lookup::Unknown
    }
}
