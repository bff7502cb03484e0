//! One pass over pulldown-cmark's offset iterator into a [`Document`].
//!
//! Everything here is linear in the input: one event walk, a stack for open
//! containers (never searched from the top: see `leaf`), and a monotonic stack for
//! section ends. Deep nesting and huge inputs
//! are exercised by the property tests and `benches/lint.rs`.

use std::borrow::Cow;
use std::sync::OnceLock;

use pulldown_cmark::{
    BrokenLink, CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd,
};
use regex::Regex;

use super::section::normalize_heading_into;
use super::{
    Buffers, CodeBlock, CodeSpan, Document, Heading, HeadingKind, Link, ListItem, Paragraph,
    Section, Span, UndefinedRef,
};

/// GitHub-flavoured options: tables, task lists, strikethrough, footnotes. The
/// front matter is found by [`front_matter`], not by the parser's metadata-block
/// options: those also take a `---` rule under a heading followed by text, in
/// the middle of a page, for the start of a block, and drop everything up to the
/// next `---` (headings included).
pub(super) fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
}

/// The front matter opening a page, as site generators read it: YAML (`---` …
/// `---` or `...`; without it, `title: X` + `---` would parse as a Setext
/// heading) or Hugo's TOML (`+++` … `+++`; without it, the page's title and
/// settings read as its first paragraph). `0..` the end of the closing
/// delimiter, without its line break. The line after the opening one must not be
/// blank (then the `---` is a rule), and the block must be closed.
fn front_matter(source: &str) -> Option<Span> {
    let mut lines = source.split_inclusive('\n');
    let open = lines.next()?;
    let closers: &[&str] = match open.trim_end() {
        "---" => &["---", "..."],
        "+++" => &["+++"],
        _ => return None,
    };
    let mut at = open.len();
    for (n, line) in lines.enumerate() {
        let content = line.trim_end();
        if n == 0 && (content.trim().is_empty() || closers.contains(&content)) {
            return None;
        }
        if closers.contains(&content) {
            return Some(0..at + content.len());
        }
        at += line.len();
    }
    None
}

/// A bold pseudo-heading longer than this is emphasis in a sentence, not a title.
const MAX_PSEUDO_HEADING_CHARS: usize = 80;

pub(super) enum Open {
    /// A heading; its title is collected in the parse's one title buffer.
    Heading {
        start: usize,
    },
    /// A paragraph; `bold` tracks whether it opens with a `**pseudo heading**`.
    Paragraph {
        start: usize,
        bold: BoldState,
        top_level: bool,
    },
    List {
        ordered: bool,
    },
    Item {
        index: usize,
    },
    Quote,
    Link,
    Other,
}

/// Where a paragraph is in recognising `**Heading**` on its first line.
#[derive(Clone, Copy)]
pub(super) enum BoldState {
    /// Nothing seen yet: the next event decides.
    Start,
    /// Inside the opening `**…**`; collecting its text in the title buffer.
    InStrong,
    /// The strong closed; only a `:` may follow before the line ends.
    AfterStrong { end: usize },
    /// A pseudo-heading was recorded, or this paragraph cannot be one.
    Done,
}

pub(super) fn parse<'a>(source: &'a str, buffers: &mut Buffers) -> Document<'a> {
    let mut walk = Walk::new(source, buffers);
    // The parser reads the page after its front matter; its offsets are moved
    // back to the page's by `offset`.
    let front = front_matter(source);
    let offset = front.as_ref().map_or(0, |f| f.end);
    let body = source.get(offset..).unwrap_or("");
    walk.doc.front_matter = front;
    // Called only for a reference the document does not define (rare): the link
    // stays text, and the rules are told where.
    let mut undefined = Vec::new();
    // `[label]` alone is usually text ("[WIP]"); it is a broken link only when a
    // definition nearly names it (below).
    let mut shortcuts = Vec::new();
    let seen = std::cell::Cell::new(false);
    let callback = |broken: BrokenLink<'_>| {
        let span = broken.span.start + offset..broken.span.end + offset;
        // `[redis_replication.md]` alone, or `(CI graphs)[ci_graphs.md]` written
        // the wrong way round: a file's name in brackets was meant as a link.
        let file = broken.link_type == LinkType::Shortcut && names_a_file(&broken.reference);
        if code_like(source, &span, &broken.reference, file) {
            return None;
        }
        // `[rsync.md]({{<ref "rsync.md" >}})`: a site generator's tag is the
        // target, and the site renders the link (CommonMark, seeing the spaces
        // in it, reads the brackets as text).
        if source
            .get(span.end..)
            .is_some_and(|t| t.starts_with("({{") || t.starts_with("({%"))
        {
            return None;
        }
        let found = UndefinedRef {
            span,
            label: broken.reference.to_string(),
            near: None,
        };
        match broken.link_type {
            LinkType::Reference | LinkType::Collapsed => undefined.push(found),
            LinkType::Shortcut if file => undefined.push(found),
            LinkType::Shortcut => shortcuts.push(found),
            _ => return None,
        }
        seen.set(true);
        None
    };
    let mut events =
        Parser::new_with_broken_link_callback(body, options(), Some(callback)).into_offset_iter();
    loop {
        // The event is read where the iterator's answer lies, by reference. Moving
        // it out first (`while let Some((event, range)) = events.next()`) copies
        // it with wide loads of bytes just written by narrower stores, which the
        // CPU cannot forward: a stall on every event.
        let next = events.next();
        let Some((event, range)) = &next else { break };
        if offset == 0 {
            walk.event(event, range);
        } else {
            walk.event(event, &(range.start + offset..range.end + offset));
        }
    }
    // The definitions, folded, only when some reference has none (rare).
    let definitions: Vec<(String, String)> = if seen.get() {
        events
            .reference_definitions()
            .iter()
            .map(|(label, _)| (fold_label(label), label.to_string()))
            .collect()
    } else {
        Vec::new()
    };
    let any_definition = events.reference_definitions().iter().next().is_some();
    drop(events);
    let near = |r: &UndefinedRef| {
        let folded = fold_label(&r.label);
        definitions
            .iter()
            .find(|(f, _)| *f == folded)
            .map(|(_, label)| label.clone())
    };
    undefined.iter_mut().for_each(|r| r.near = near(r));
    undefined.extend(shortcuts.into_iter().filter_map(|mut r| {
        r.near = Some(near(&r)?);
        Some(r)
    }));
    undefined.sort_by_key(|r| r.span.start);
    let (templated, templated_refs) = site_links(source, &mut undefined);
    let mut doc = walk.finish(buffers);
    super::shortcode::apply(&mut doc, &mut undefined);
    doc.undefined_refs = undefined;
    if any_definition || !templated.is_empty() {
        doc.definitions = definition_lines(&doc, &templated);
    }
    doc.templated_refs = templated_refs;
    doc
}

/// The labels of the page's definitions when one of them is templated
/// ([`templated_definitions`]), and the references of `undefined` they define,
/// taken out of it: links on the site.
fn site_links(source: &str, undefined: &mut Vec<UndefinedRef>) -> (Vec<String>, Vec<Span>) {
    if undefined.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let templated = templated_definitions(source);
    let mut refs = Vec::new();
    undefined.retain(|r| {
        let site_link = templated.contains(&commonmark_label(&r.label));
        if site_link {
            // `[Quickstart][]`: the parser's span ends at the label.
            let collapsed = source
                .get(r.span.end..)
                .is_some_and(|t| t.starts_with("[]"));
            refs.push(r.span.start..r.span.end + if collapsed { 2 } else { 0 });
        }
        !site_link
    });
    (templated, refs)
}

/// Where link reference definitions are written: the lines shaped as one
/// (`[label]: destination`, indented at most three spaces) that no paragraph,
/// code block or heading holds, or whose label is one of `templated` (the
/// paragraph CommonMark reads there is the site's definitions, see
/// [`templated_definitions`]). The parser keeps one definition per label, and
/// `[//]: # 'a comment'` is often written on several lines in a row.
fn definition_lines(doc: &Document<'_>, templated: &[String]) -> Vec<Span> {
    let source = doc.source;
    let start = doc.front_matter.as_ref().map_or(0, |f| f.end);
    // Paragraphs, code blocks and headings each come in order and do not nest:
    // only the last one starting at or before `at` can hold it.
    fn holds<T: super::HasSpan>(items: &[T], at: usize) -> bool {
        let before = items.partition_point(|i| i.span().start <= at);
        before
            .checked_sub(1)
            .and_then(|i| items.get(i))
            .is_some_and(|i| i.span().contains(&at))
    }
    let shown = |at: usize| {
        holds(&doc.paragraphs, at) || holds(&doc.code_blocks, at) || holds(&doc.headings, at)
    };
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    // Only lines holding `]:` can be one (memmem: most lines are never walked).
    let mut from = start;
    while let Some(found) = bytes
        .get(from..)
        .and_then(|rest| memchr::memmem::find(rest, b"]:"))
    {
        let colon = from + found;
        let line_start = memchr::memrchr(b'\n', bytes.get(..colon).unwrap_or_default())
            .map_or(0, |i| i + 1)
            .max(start);
        let line_end = memchr::memchr(b'\n', bytes.get(colon..).unwrap_or_default())
            .map_or(source.len(), |i| colon + i);
        from = line_end;
        let text = source.get(line_start..line_end).unwrap_or("").trim_end();
        let defines = written_as_definition(text).is_some_and(|(label, _)| {
            !shown(line_start)
                || (holds(&doc.paragraphs, line_start)
                    && templated.contains(&commonmark_label(label)))
        });
        if defines {
            out.push(line_start..line_start + text.len());
        }
    }
    out
}

/// Labels (as [`commonmark_label`]) of the lines written as definitions, when
/// one of them holds a site template:
/// `[Quickstart]: {{< relref "quickstart" >}}` (Hugo), `{% link … %}`
/// (Jekyll), `<%= … %>` (ERB). CommonMark reads no
/// definition there (the destination holds spaces), nor in the definition
/// lines after it (they continue the paragraph it starts), but the site fills
/// the template in before the Markdown is rendered: on the site they all
/// define their labels. A page with no template keeps CommonMark's reading.
fn templated_definitions(source: &str) -> Vec<String> {
    let mut templated = false;
    let labels = source
        .lines()
        .filter_map(|line| {
            let (label, dest) = written_as_definition(line)?;
            templated |= ["{{", "{%", "<%"].iter().any(|t| dest.contains(t));
            Some(commonmark_label(label))
        })
        .collect();
    if templated { labels } else { Vec::new() }
}

/// A line shaped as a link reference definition, `[label]: destination`
/// (indented at most three spaces, a label and a destination): its label and
/// destination. Whether CommonMark reads it as one is the parser's to say.
fn written_as_definition(line: &str) -> Option<(&str, &str)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let (label, dest) = line.get(indent..)?.strip_prefix('[')?.split_once("]:")?;
    (indent <= 3 && !label.trim().is_empty() && !dest.trim().is_empty()).then_some((label, dest))
}

/// Whether brackets that name no definition are code written as text, not a
/// link: `work["payload"]["class"]` (a bracket right after a word, or a quoted
/// label), `["root key with a ."][100]` (a quoted string in brackets indexes a
/// map, then an array), `f(x)[y]`; not a page's name in brackets after a
/// parenthesis, `(CI graphs)[ci_graphs.md]` (`file`). Nor is a logged line's
/// level and logger, `[INFO ][cluster.routing.allocation.decider]`, as
/// Elasticsearch and log4j write them ([`LOG_LEVELS`]).
fn code_like(source: &str, span: &Span, reference: &str, file: bool) -> bool {
    let before = source.get(..span.start).and_then(|t| t.chars().next_back());
    let text = source.get(span.start..).unwrap_or("");
    let quoted_text = text.starts_with("[\"") || text.starts_with("['");
    let logged = text
        .strip_prefix('[')
        .and_then(|t| t.split_once(']'))
        .is_some_and(|(level, _)| LOG_LEVELS.contains(&level.trim()));
    before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | ']') || (c == ')' && !file))
        || reference.starts_with(['"', '\'', ':', '$'])
        || quoted_text
        || logged
}

/// The levels loggers write in brackets, in capitals (`[Info][1]` is a link).
const LOG_LEVELS: &[&str] = &[
    "DEBUG", "ERROR", "FATAL", "INFO", "NOTICE", "TRACE", "WARN", "WARNING",
];

/// Whether a bracketed label is a path to a page (`redis_replication.md`,
/// `../../elastic/doc/README.md`, `runbook.html`): one word that ends in a
/// document's extension.
pub(crate) fn names_a_file(label: &str) -> bool {
    !label.contains(char::is_whitespace)
        && label.rsplit_once('.').is_some_and(|(stem, ext)| {
            !stem.is_empty()
                && ["md", "markdown", "mdx", "html", "htm"]
                    .iter()
                    .any(|e| ext.eq_ignore_ascii_case(e))
        })
}

/// A reference label as CommonMark matches it: case-folded, runs of white
/// space one space, trimmed.
fn commonmark_label(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A reference label as a reader would compare two: case, hyphens, underscores,
/// backticks and runs of white space folded (`cordons-and-drains-nodes` nearly
/// names `Cordons and drains nodes`, and ``section of `deployer` code`` names
/// `section of deployer code`, though CommonMark keeps them apart).
fn fold_label(label: &str) -> String {
    label
        .split(|c: char| c.is_whitespace() || matches!(c, '-' | '_' | '`'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// One parse in progress: the document so far and the containers open at the
/// current event. Its steps are called once per event, so they are inlined into
/// [`parse`]'s loop, where the state stays in registers.
struct Walk<'a> {
    doc: Document<'a>,
    stack: Vec<Open>,
    /// Index in `stack` of the open paragraph or heading, if any. They never nest
    /// in each other, and only inline containers sit above them; keeping the index
    /// spares a walk down the whole stack per event, which 10,000 nested lists or
    /// quotes would make quadratic.
    leaf: Option<usize>,
    /// Every piece of raw HTML, block or inline, for [`collect_html`].
    html_ranges: Vec<Span>,
    list_depth: u32,
    quote_depth: u32,
    /// The title of the open heading or bold pseudo-heading: leaves never nest, so
    /// one buffer, reused, serves them all (and keeps `Open` small to move).
    title: Title<'a>,
}

impl<'a> Walk<'a> {
    /// An empty document over `source`, in the vectors `buffers` holds.
    fn new(source: &'a str, buffers: &mut Buffers) -> Self {
        // Starting capacities from the corpus (a 4 KB runbook has about 6 headings,
        // 20 paragraphs, 30 list items, 20 code spans, 10 links): each saves the
        // first few reallocations. Capped, so a huge document without lists
        // reserves 50 KB at most. Reused buffers (linting many documents) usually
        // have the room already.
        let kb = (source.len() / 1024 + 1).min(128);
        let Buffers {
            headings,
            normalized,
            sections,
            paragraphs,
            list_items,
            code_blocks,
            code_spans,
            links,
            html_comments,
            html_anchors,
            stack,
            html_ranges,
            title,
        } = std::mem::take(buffers);
        Walk {
            doc: Document {
                source,
                front_matter: None,
                headings: with_room(emptied(headings), 2 * kb),
                normalized,
                sections,
                paragraphs: with_room(paragraphs, 5 * kb),
                list_items: with_room(list_items, 8 * kb),
                code_blocks: emptied(code_blocks),
                code_spans: with_room(code_spans, 5 * kb),
                links: with_room(emptied(links), 3 * kb),
                html_comments,
                html_anchors,
                undefined_refs: Vec::new(),
                definitions: Vec::new(),
                templated_refs: Vec::new(),
                anchors: OnceLock::new(),
                lowercase: OnceLock::new(),
            },
            stack: with_room(stack, 16),
            leaf: None,
            html_ranges,
            list_depth: 0,
            quote_depth: 0,
            title: Title {
                buf: title,
                only: None,
                pieces: 0,
            },
        }
    }

    /// Take one event into the model.
    #[inline(always)]
    fn event(&mut self, event: &Event<'a>, range: &Span) {
        // A pseudo-heading decision waits for the event after the closing `**`.
        // Inline containers (strong, links) sit above the paragraph on the stack.
        if let Some(Open::Paragraph { start, bold, .. }) =
            self.leaf.and_then(|i| self.stack.get_mut(i))
            && !matches!(bold, BoldState::Done)
        {
            advance_bold(&mut self.doc, *start, bold, &mut self.title, event, range);
        }
        match event {
            Event::Start(tag) => {
                let open = self.open(tag, range);
                if matches!(open, Open::Heading { .. } | Open::Paragraph { .. }) {
                    self.leaf = Some(self.stack.len());
                }
                self.stack.push(open);
            }
            Event::End(end) => self.close(*end, range),
            Event::Text(text) => {
                push_heading_text(
                    self.leaf.and_then(|i| self.stack.get(i)),
                    &mut self.title,
                    text,
                );
            }
            Event::Code(code) => {
                self.doc.code_spans.push(CodeSpan {
                    span: range.clone(),
                });
                push_heading_text(
                    self.leaf.and_then(|i| self.stack.get(i)),
                    &mut self.title,
                    code,
                );
            }
            Event::TaskListMarker(checked) => self.task_marker(*checked, range),
            Event::InlineHtml(_) | Event::Html(_) => self.html_ranges.push(range.clone()),
            _ => {}
        }
    }

    /// Record what `tag` starts (a paragraph, list item, code block, link, ...) and
    /// return its entry for the stack.
    #[inline(always)]
    fn open(&mut self, tag: &Tag<'a>, range: &Span) -> Open {
        let doc = &mut self.doc;
        match tag {
            Tag::Heading { .. } => {
                self.title.clear();
                Open::Heading { start: range.start }
            }
            Tag::Paragraph => {
                let top_level = self.list_depth == 0 && self.quote_depth == 0;
                doc.paragraphs.push(Paragraph {
                    span: range.clone(),
                    quoted: self.quote_depth > 0,
                });
                let bold = if top_level {
                    BoldState::Start
                } else {
                    BoldState::Done
                };
                Open::Paragraph {
                    start: range.start,
                    bold,
                    top_level,
                }
            }
            Tag::List(first) => {
                self.list_depth += 1;
                Open::List {
                    ordered: first.is_some(),
                }
            }
            Tag::Item => {
                let ordered = self.stack.iter().rev().find_map(|o| match o {
                    Open::List { ordered } => Some(*ordered),
                    _ => None,
                });
                doc.list_items.push(ListItem {
                    span: range.clone(),
                    depth: self.list_depth.saturating_sub(1),
                    ordered: ordered.unwrap_or(false),
                    task: None,
                    task_marker: None,
                    quote_depth: self.quote_depth,
                });
                Open::Item {
                    index: doc.list_items.len() - 1,
                }
            }
            Tag::BlockQuote(_) => {
                self.quote_depth += 1;
                Open::Quote
            }
            Tag::CodeBlock(kind) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => trimmed(info),
                    CodeBlockKind::Indented => Cow::Borrowed(""),
                };
                doc.code_blocks.push(CodeBlock {
                    span: range.clone(),
                    info,
                });
                Open::Other
            }
            Tag::Link { dest_url, .. } => {
                doc.links.push(Link {
                    span: range.clone(),
                    dest: cow(dest_url),
                });
                Open::Link
            }
            Tag::HtmlBlock => {
                self.html_ranges.push(range.clone());
                Open::Other
            }
            _ => Open::Other,
        }
    }

    /// Close the innermost container: a heading is recorded with its title, a
    /// paragraph that was only `**Title**` becomes a pseudo-heading, and list and
    /// quote depths go down.
    #[inline(always)]
    fn close(&mut self, end: TagEnd, range: &Span) {
        let Some(open) = self.stack.pop() else { return };
        if self.leaf.is_some_and(|i| i >= self.stack.len()) {
            self.leaf = None;
        }
        match (open, end) {
            (Open::Heading { start }, TagEnd::Heading(level)) => {
                let source = self.doc.source;
                let kind = if is_atx(source, start) {
                    HeadingKind::Atx
                } else {
                    HeadingKind::Setext
                };
                // The range of a heading can include the line break; keep the line(s).
                let end = trim_end_newline(source, start, range.end);
                let text = self.title.finish();
                let spaced = self.title.spaced(&text);
                push_heading(&mut self.doc, text, spaced, level as u8, kind, start..end);
            }
            (
                Open::Paragraph {
                    start,
                    bold,
                    top_level,
                },
                TagEnd::Paragraph,
            ) => {
                // `**Why**` as the whole paragraph: the strong ended the paragraph.
                if let (true, BoldState::AfterStrong { end }) = (top_level, bold) {
                    push_pseudo_heading(&mut self.doc, start, end, &self.title);
                }
            }
            (Open::List { .. }, _) => self.list_depth = self.list_depth.saturating_sub(1),
            (Open::Quote, _) => self.quote_depth = self.quote_depth.saturating_sub(1),
            _ => {}
        }
    }

    /// Mark the innermost open list item as a task, checked or not.
    #[inline(always)]
    fn task_marker(&mut self, checked: bool, range: &Span) {
        let item = self.stack.iter().rev().find_map(|o| match o {
            Open::Item { index } => Some(*index),
            _ => None,
        });
        if let Some(item) = item.and_then(|i| self.doc.list_items.get_mut(i)) {
            item.task = Some(checked);
            item.task_marker = Some(range.clone());
        }
    }

    /// The finished document: headings in document order, HTML comments and
    /// anchors, sections. The parser's own vectors go back to `buffers`; the
    /// document's go back when it is recycled.
    fn finish(self, buffers: &mut Buffers) -> Document<'a> {
        let Walk {
            mut doc,
            mut stack,
            mut html_ranges,
            title,
            ..
        } = self;
        // Pseudo-headings are recorded when their paragraph is seen, which can be
        // after a nested real heading was pushed; keep document order for binary
        // searches.
        doc.headings.sort_by_key(|h| h.span.start);
        collect_html(&mut doc, &html_ranges);
        collect_component_ids(&mut doc);
        build_sections(&doc.headings, doc.source.len(), &mut doc.sections);
        stack.clear();
        html_ranges.clear();
        buffers.stack = stack;
        buffers.html_ranges = html_ranges;
        buffers.title = title.into_buffer();
        doc
    }
}

/// `v` emptied, as a vector of another type of the same size and alignment (in
/// practice `T<'a>` as `T<'b>`). The standard library collects such a vector in
/// place, so the allocation is kept (a test checks it); were it not, this would
/// only cost an allocation.
pub(super) fn emptied<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// `v` with room for at least `n` elements.
fn with_room<T>(mut v: Vec<T>, n: usize) -> Vec<T> {
    v.reserve(n);
    v
}

/// pulldown-cmark's string as a `Cow`, borrowed when it points into the source.
fn cow<'a>(s: &CowStr<'a>) -> Cow<'a, str> {
    match s {
        CowStr::Borrowed(b) => Cow::Borrowed(b),
        other => Cow::Owned(other.to_string()),
    }
}

fn trimmed<'a>(s: &CowStr<'a>) -> Cow<'a, str> {
    match s {
        CowStr::Borrowed(b) => Cow::Borrowed(b.trim()),
        other => Cow::Owned(other.trim().to_string()),
    }
}

/// Add `text` to the open heading's title, or to a bold pseudo-heading being read.
/// Inlined: it runs for every text event, and nearly all of them are in neither.
#[inline]
fn push_heading_text<'a>(leaf: Option<&Open>, title: &mut Title<'a>, text: &CowStr<'a>) {
    if let Some(
        Open::Heading { .. }
        | Open::Paragraph {
            bold: BoldState::InStrong,
            ..
        },
    ) = leaf
    {
        title.push(text);
    }
}

/// The title of the open heading, collected from its text events. Most titles are
/// one piece of the source (`## Why`): those are borrowed, not copied, and the
/// normalised form goes into the document's one string of them, so such a heading
/// costs no allocation of its own.
#[derive(Default)]
struct Title<'a> {
    /// Every piece so far, once there are two (`## Step `code``) or the first is
    /// not in the source (an entity, an escape).
    buf: String,
    /// The only piece, while there is one and it lies in the source; `buf` is
    /// empty then.
    only: Option<&'a str>,
    pieces: u32,
}

impl<'a> Title<'a> {
    fn clear(&mut self) {
        self.buf.clear();
        self.only = None;
        self.pieces = 0;
    }

    fn push(&mut self, text: &CowStr<'a>) {
        match (self.pieces, text) {
            (0, CowStr::Borrowed(b)) => self.only = Some(b),
            _ => {
                if let Some(only) = self.only.take() {
                    self.buf.push_str(only);
                }
                self.buf.push_str(text);
            }
        }
        self.pieces += 1;
    }

    /// The buffer, emptied, for the next document.
    fn into_buffer(mut self) -> String {
        self.buf.clear();
        self.buf
    }

    /// The title trimmed, its whitespace inside as written, when that is not
    /// `collapsed` (what [`Title::finish`] gave): a run of spaces is a run of
    /// hyphens in GitHub's anchor. `None` for nearly every title.
    fn spaced(&self, collapsed: &str) -> Option<Box<str>> {
        let raw = self.only.unwrap_or(&self.buf).trim();
        (raw != collapsed).then(|| raw.into())
    }

    /// The title with every run of whitespace as one space, none at either end.
    fn finish(&self) -> Cow<'a, str> {
        match self.only {
            Some(only) if is_collapsed(only) => Cow::Borrowed(only),
            Some(only) => Cow::Owned(collapsed(only)),
            None => Cow::Owned(collapsed(&self.buf)),
        }
    }
}

/// Whether `title` has no run of whitespace to collapse and none at either end:
/// true of nearly every title, so this one byte pass usually spares the rebuild.
/// Any non-ASCII byte answers "no" (it may be Unicode whitespace), and
/// [`collapsed`] then does the full work.
fn is_collapsed(title: &str) -> bool {
    // Whether the byte before is a space, or there is none (a leading space fails).
    let mut after_space = true;
    for &b in title.as_bytes() {
        match b {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            b'\t' | b'\n' | b'\r' | 0x0B | 0x0C | 0x80.. => return false,
            _ => after_space = false,
        }
    }
    // A trailing space fails; an empty title is collapsed.
    !after_space || title.is_empty()
}

/// `title` with every run of whitespace as one space, none at either end.
fn collapsed(title: &str) -> String {
    if is_collapsed(title) {
        title.to_string()
    } else {
        title.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// Feed one event to the bold-pseudo-heading recogniser of the innermost paragraph.
fn advance_bold<'a>(
    doc: &mut Document<'a>,
    para_start: usize,
    bold: &mut BoldState,
    title: &mut Title<'a>,
    event: &Event<'_>,
    range: &Span,
) {
    let next = match *bold {
        BoldState::Start => match event {
            Event::Start(Tag::Strong) if range.start == para_start => {
                title.clear();
                BoldState::InStrong
            }
            _ => BoldState::Done,
        },
        BoldState::InStrong => match event {
            Event::End(TagEnd::Strong) => BoldState::AfterStrong { end: range.end },
            Event::Text(_) | Event::Code(_) => BoldState::InStrong,
            // Links, nested emphasis, breaks inside the strong: not a plain title.
            _ => BoldState::Done,
        },
        BoldState::AfterStrong { end } => match event {
            Event::SoftBreak | Event::HardBreak => {
                push_pseudo_heading(doc, para_start, end, title);
                BoldState::Done
            }
            Event::Text(t) if t.trim() == ":" => BoldState::AfterStrong { end: range.end },
            // End(Paragraph) is handled by the caller, which sees the paragraph close.
            Event::End(TagEnd::Paragraph) => BoldState::AfterStrong { end },
            _ => BoldState::Done,
        },
        BoldState::Done => BoldState::Done,
    };
    *bold = next;
}

fn push_pseudo_heading<'a>(doc: &mut Document<'a>, start: usize, end: usize, title: &Title<'a>) {
    let text = match title.finish() {
        Cow::Borrowed(t) => Cow::Borrowed(t.trim_end_matches(':').trim_end()),
        Cow::Owned(t) => Cow::Owned(t.trim_end_matches(':').trim_end().to_string()),
    };
    if text.is_empty() || text.chars().count() > MAX_PSEUDO_HEADING_CHARS {
        return;
    }
    let end = trim_end_newline(doc.source, start, end);
    push_heading(doc, text, None, 7, HeadingKind::Bold, start..end);
}

/// Add a heading, with its normalised form at the end of the document's string
/// of them.
fn push_heading<'a>(
    doc: &mut Document<'a>,
    text: Cow<'a, str>,
    spaced: Option<Box<str>>,
    level: u8,
    kind: HeadingKind,
    span: Span,
) {
    let from = doc.normalized.len();
    normalize_heading_into(&text, &mut doc.normalized);
    doc.headings.push(Heading {
        normalized: from..doc.normalized.len(),
        text,
        spaced,
        level,
        kind,
        span,
    });
}

fn is_atx(source: &str, start: usize) -> bool {
    source
        .get(start..)
        .is_some_and(|s| s.trim_start_matches(' ').starts_with('#'))
}

fn trim_end_newline(source: &str, start: usize, end: usize) -> usize {
    let slice = source.get(start..end).unwrap_or("");
    start + slice.trim_end_matches('\n').len()
}

/// Ids set by a component tag the parser read as text: MDX's `<FaqItem
/// id="pipeline-error-decode" question={"… \"PIPELINE_ERROR_DECODE\" …"}>` is no
/// valid HTML tag (a JSX expression in an attribute), so it is a paragraph here,
/// but the site gives the page that id. A paragraph whose first line opens such a
/// tag (`<` and a capital letter) is read for `id="…"` as raw HTML is
/// ([`anchor_attribute`]).
fn collect_component_ids(doc: &mut Document<'_>) {
    let Some(re) = anchor_attribute() else {
        return;
    };
    let source = doc.source;
    let ids: Vec<String> = doc
        .paragraphs
        .iter()
        .filter_map(|p| source.get(p.span.clone()))
        .filter(|t| {
            t.strip_prefix('<')
                .is_some_and(|tag| tag.starts_with(|c: char| c.is_ascii_uppercase()))
        })
        .filter_map(|t| t.lines().next())
        .filter_map(|line| re.captures(line)?.get(1).map(|m| m.as_str().to_string()))
        .collect();
    doc.html_anchors.extend(ids);
}

/// An HTML attribute that names an anchor: `id="…"` or `name="…"`, its value
/// captured.
fn anchor_attribute() -> Option<&'static Regex> {
    static ANCHOR: OnceLock<Option<Regex>> = OnceLock::new();
    ANCHOR
        .get_or_init(|| Regex::new(r#"(?i)\b(?:id|name)\s*=\s*["']([^"']+)["']"#).ok())
        .as_ref()
}

/// Comments and raw-HTML anchors from the HTML pieces pulldown-cmark reported.
///
/// A comment can be split over several HTML events (one per line of a block), so we
/// search the source from the first `<!--` to its `-->`, not each event alone.
fn collect_html(doc: &mut Document<'_>, ranges: &[Span]) {
    let anchor = anchor_attribute();
    let source = doc.source;
    let bytes = source.as_bytes();
    let mut covered = 0;
    for r in ranges {
        let text = source.get(r.clone()).unwrap_or("");
        // `id="…"` or `name="…"` needs an `=`; most HTML (comments, `<br>`) has none.
        if let Some(re) = anchor
            && memchr::memchr(b'=', text.as_bytes()).is_some()
        {
            doc.html_anchors.extend(
                re.captures_iter(text)
                    .filter_map(|c| c.get(1))
                    .map(|m| m.as_str().to_string()),
            );
        }
        let mut at = r.start.max(covered);
        while at < r.end {
            // memmem: `str::find` would build a two-way searcher for every piece.
            let Some(open) = bytes
                .get(at..r.end)
                .and_then(|s| memchr::memmem::find(s, b"<!--"))
            else {
                break;
            };
            let start = at + open;
            let end = bytes
                .get(start + 4..)
                .and_then(|s| memchr::memmem::find(s, b"-->"))
                .map_or(source.len(), |i| start + 4 + i + 3);
            doc.html_comments.push(start..end);
            covered = end;
            at = end;
        }
    }
}

/// Each heading's section ends at the next heading of the same or a higher level
/// (a smaller number); found for all headings at once with a monotonic stack.
pub(super) fn build_sections(headings: &[Heading], len: usize, out: &mut Vec<Section>) {
    let mut ends = vec![len; headings.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, h) in headings.iter().enumerate() {
        while let Some(&j) = open.last() {
            let Some(prev) = headings.get(j) else { break };
            if h.level > prev.level {
                break;
            }
            if let Some(e) = ends.get_mut(j) {
                *e = h.span.start;
            }
            open.pop();
        }
        open.push(i);
    }
    out.clear();
    out.extend(headings.iter().enumerate().map(|(i, h)| {
        let body_start = (h.span.end + 1).min(len).max(h.span.end);
        let next_any = headings.get(i + 1).map_or(len, |n| n.span.start);
        let end = ends.get(i).copied().unwrap_or(len);
        Section {
            heading: i,
            body: body_start.min(end)..end,
            own_body: body_start.min(next_any)..next_any.max(body_start.min(next_any)),
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::super::*;

    proptest::proptest! {
        /// The one-pass check says yes exactly when the title is ASCII and already
        /// what `split_whitespace` + `join` would make of it.
        #[test]
        fn is_collapsed_means_nothing_to_collapse(title in "[a-b \t\n\u{a0}é]{0,8}") {
            let expected = title.is_ascii()
                && title.split_ascii_whitespace().collect::<Vec<_>>().join(" ") == title;
            proptest::prop_assert_eq!(super::is_collapsed(&title), expected, "{:?}", title);
        }
    }

    #[test]
    fn line_of_counts_from_one() {
        let doc = Document::parse("# T\n\n[a](x)\n");
        assert_eq!(doc.line_of(0), 1);
        assert_eq!(doc.line_of(5), 3);
        // Past the end: the last line (after the final newline), not a panic.
        assert_eq!(doc.line_of(1000), 4);
    }

    /// The labels of `md`'s references that no definition names, in order.
    fn undefined_labels(md: &str) -> Vec<String> {
        Document::parse(md)
            .undefined_refs
            .into_iter()
            .map(|r| r.label)
            .collect()
    }

    fn heads(md: &str) -> Vec<(String, u8, HeadingKind)> {
        Document::parse(md)
            .headings
            .iter()
            .map(|h| (h.text.to_string(), h.level, h.kind))
            .collect()
    }

    /// Each undefined reference's label and the definition that nearly names it.
    fn undefined(md: &str) -> Vec<(String, Option<String>)> {
        Document::parse(md)
            .undefined_refs
            .into_iter()
            .map(|r| (r.label, r.near))
            .collect()
    }

    #[test]
    fn a_shortcut_reference_counts_only_when_a_definition_nearly_names_it() {
        assert_eq!(
            undefined(
                "See [drain-nodes], [WIP], [x] and [docs][gone].\n\n[Drain nodes]: https://x\n"
            ),
            vec![
                ("drain-nodes".into(), Some("Drain nodes".into())),
                ("gone".into(), None)
            ]
        );
    }

    #[test]
    fn a_target_line_or_a_directive_fence_makes_a_page_myst() {
        for myst in [
            "(howto:alerts)=\n# Alerts\n",
            "# X\n\n```{note}\nA note.\n```\n",
            "# X\n\n(troubleshooting/rollback)=  \n## Roll back\n",
        ] {
            assert!(Document::parse(myst).is_myst(), "{myst}");
        }
        for plain in [
            "# X\n\n```{.python}\nx\n```\n",
            "# X\n\n(see below)=\n",
            "# X\n\n()=\n",
            "# X\n\nSee (a)= b.\n",
        ] {
            assert!(!Document::parse(plain).is_myst(), "{plain}");
        }
    }

    #[test]
    fn a_label_differing_from_its_definition_by_backticks_nearly_names_it() {
        assert_eq!(
            undefined(
                "Update the [section of `deployer` code] first.\n\n[section of deployer code]: https://x\n"
            ),
            vec![(
                "section of `deployer` code".into(),
                Some("section of deployer code".into())
            )]
        );
    }

    #[test]
    fn a_definition_the_site_fills_in_defines_its_label() {
        let md = "See [Quickstart][], [Install][], [go][] and [gone][].\n\n[quickstart]:  {{< relref \"quickstart\" >}}\n   [Install]: {% link _docs/install.md %}\n[go]: https://go.dev/doc/install\n    [gone]: {{< relref \"x\" >}}\n";
        let doc = Document::parse(md);
        let labels: Vec<&str> = doc
            .undefined_refs
            .iter()
            .map(|r| r.label.as_str())
            .collect();
        // `[go]` continues the paragraph the template line starts: defined on
        // the site all the same. Indented four spaces, the last line is no
        // definition.
        assert_eq!(labels, ["gone"]);
        // The references the site links, and the definition lines it does not
        // show (the indented one is the paragraph's text).
        let texts = |spans: &[Span]| -> Vec<&str> {
            spans
                .iter()
                .map(|s| md.get(s.clone()).unwrap_or(""))
                .collect()
        };
        assert_eq!(
            texts(&doc.templated_refs),
            ["[Quickstart][]", "[Install][]", "[go][]"]
        );
        assert_eq!(
            texts(&doc.definitions),
            [
                "[quickstart]:  {{< relref \"quickstart\" >}}",
                "   [Install]: {% link _docs/install.md %}",
                "[go]: https://go.dev/doc/install"
            ]
        );
        // With no template on the page, a definition swallowed by a paragraph
        // defines nothing, on GitHub as anywhere.
        let md = "See [go][].\n\nSome text\n[go]: https://go.dev/doc/install\n";
        let labels: Vec<String> = Document::parse(md)
            .undefined_refs
            .into_iter()
            .map(|r| r.label)
            .collect();
        assert_eq!(labels, ["go"]);
        let doc = Document::parse(md);
        assert!(doc.templated_refs.is_empty() && doc.definitions.is_empty());
    }

    #[test]
    fn atx_setext_and_bold() {
        let md = "# Title\n\nWhy\n---\n\n**What this does:**\ntext\n\n**Not** a heading\n\n**Alone**\n\nbody\n";
        assert_eq!(
            heads(md),
            vec![
                ("Title".into(), 1, HeadingKind::Atx),
                ("Why".into(), 2, HeadingKind::Setext),
                ("What this does".into(), 7, HeadingKind::Bold),
                ("Alone".into(), 7, HeadingKind::Bold),
            ]
        );
    }

    #[test]
    fn bold_with_colon_outside_and_headings_in_code_are_ignored() {
        let md = "**Why**:\nbecause\n\n```\n# not a heading\n```\n\n- **In a list**\n  x\n";
        assert_eq!(heads(md), vec![("Why".into(), 7, HeadingKind::Bold)]);
    }

    #[test]
    fn front_matter_is_not_a_heading() {
        let md = "---\ntitle: Foo\n---\n# Real\n";
        let doc = Document::parse(md);
        assert_eq!(
            doc.front_matter,
            Some(0..18),
            "`---` … `---`, without the final newline"
        );
        assert_eq!(heads(md), vec![("Real".into(), 1, HeadingKind::Atx)]);
    }

    #[test]
    fn a_file_named_over_a_site_generators_link_is_no_undefined_reference() {
        // Hugo renders `[rsync.md]({{<ref "rsync.md" >}})` as a link; the same
        // name over words in parentheses is still a link written backwards.
        let labels = undefined_labels(
            "[rsync.md]({{<ref \"rsync.md\" >}})\n\n[a.md]({% link a.md %})\n\n[ruby-profiling.md](Ruby profiling)\n",
        );
        assert_eq!(labels, ["ruby-profiling.md"]);
    }

    #[test]
    fn a_quoted_index_is_no_reference() {
        let labels = undefined_labels("* [\"root key with a .\"][100]\n* [the docs][1]\n");
        assert_eq!(labels, ["1"]);
    }

    #[test]
    fn a_logged_lines_level_and_logger_are_no_reference() {
        let labels = undefined_labels(
            "\"[INFO ][cluster.routing.allocation.decider] [hqes0] low disk watermark\"\n\n[WARN][org.x.Y] z\n\nSee [the docs][docs] and [Info][1].\n",
        );
        // "[Info][1]" is a link whose text happens to be a level's name: it is
        // written as one, with no logger after it.
        assert_eq!(labels, ["docs", "1"]);
    }

    #[test]
    fn definitions_are_where_the_page_shows_nothing() {
        let md = "# T\n\n[//]: # 'Shared content'\n[//]: # 'more'\n\nSee [docs].\n\n[docs]: https://x\n\n```\n[a]: b\n```\n";
        let doc = Document::parse(md);
        let lines: Vec<_> = doc.definitions.iter().map(|d| &md[d.clone()]).collect();
        assert_eq!(
            lines,
            [
                "[//]: # 'Shared content'",
                "[//]: # 'more'",
                "[docs]: https://x"
            ]
        );
        assert!(Document::parse("# T\n\ntext\n").definitions.is_empty());
    }

    #[test]
    fn a_rule_under_a_heading_hides_nothing() {
        // `## Jenkins` then `---` then text: a rule (GitHub and the site draw one),
        // not the start of a metadata block that runs to the next `---`.
        let md = "---\ntitle: T\n---\n# T\n\n## B\n---\ntext\n\n## Gamma\n---\n\nmore\n";
        let doc = Document::parse(md);
        assert_eq!(doc.front_matter, Some(0..16));
        let titles: Vec<_> = doc.headings.iter().map(|h| h.text.as_ref()).collect();
        assert_eq!(titles, ["T", "B", "Gamma"]);
        assert!(doc.has_anchor("gamma"));
        // A page that opens with a rule, a blank line after it, has no front matter.
        let ruled = Document::parse("---\n\n# Title\n\ntext\n\n---\n");
        assert_eq!(ruled.front_matter, None);
        assert_eq!(ruled.headings.len(), 1);
        // Unclosed: no front matter either.
        assert_eq!(Document::parse("---\ntitle: x\n# Y\n").front_matter, None);
        // Line breaks written `\r\n`; closed by `...`.
        let crlf = Document::parse("---\r\ntitle: x\r\n...\r\n# Y\r\n");
        assert_eq!(crlf.front_matter, Some(0..18));
        assert_eq!(crlf.headings.first().map(|h| h.text.as_ref()), Some("Y"));
    }

    /// Hugo's TOML front matter is front matter too: its `title = "…"` is the
    /// page's title, not a paragraph of it. See: #11.
    #[test]
    fn toml_front_matter_is_front_matter() {
        let md = "+++\ntitle = \"Why is my `ScaledObject` paused?\"\nweight = 1\n+++\n\nWhen KEDA fails, check the logs.\n";
        let doc = Document::parse(md);
        assert_eq!(
            doc.front_matter,
            Some(0..61),
            "`+++` … `+++`, without the final newline"
        );
        assert_eq!(doc.paragraphs.len(), 1);
        assert_eq!(
            doc.front_matter_field("title"),
            Some("Why is my `ScaledObject` paused?")
        );
        assert_eq!(doc.front_matter_field("weight"), Some("1"));
        let yaml = Document::parse("---\ntitle: 'Cert Manager'\n---\nx\n");
        assert_eq!(yaml.front_matter_field("title"), Some("Cert Manager"));
        assert_eq!(yaml.front_matter_field("owner"), None);
        // A longer key that starts with the one asked for is another field.
        let other = Document::parse("---\ntitle_suffix: x\n  runbook_kind: stub\n---\n");
        assert_eq!(other.front_matter_field("title"), None);
        assert_eq!(other.front_matter_field("runbook_kind"), Some("stub"));
    }

    #[test]
    fn a_title_written_as_is_is_borrowed_and_any_other_is_built() {
        let md = "## Why\n\n## Caf&eacute; menu\n\n## a  b\n\n**Rollback:**\nx\n\n## Step `one`\n";
        let doc = Document::parse(md);
        let titles: Vec<(&str, bool)> = doc
            .headings
            .iter()
            .map(|h| (h.text.as_ref(), matches!(h.text, Cow::Borrowed(_))))
            .collect();
        assert_eq!(
            titles,
            [
                ("Why", true),
                ("Café menu", false),
                ("a b", false),
                ("Rollback", true),
                ("Step one", false),
            ]
        );
        let normalized: Vec<&str> = doc.headings.iter().map(|h| doc.normalized(h)).collect();
        assert_eq!(
            normalized,
            ["why", "café menu", "a b", "rollback", "step one"]
        );
    }

    #[test]
    fn each_heading_has_its_own_normalised_form_in_the_shared_string() {
        // A leading break must not become a space, whatever came before it in the
        // document's string of forms; the non-ASCII path appends the same way.
        let md = "## Why\n\n## ?? Leading\n\n## 🔥 Fire: now\n\n**Rollback:**\nx\n\n## ''\n";
        let doc = Document::parse(md);
        let forms: Vec<&str> = doc.headings.iter().map(|h| doc.normalized(h)).collect();
        assert_eq!(forms, ["why", "leading", "fire now", "rollback", ""]);
        for h in &doc.headings {
            assert_eq!(
                doc.normalized(h),
                normalize_heading(&h.text),
                "{:?}",
                h.text
            );
        }
    }

    #[test]
    fn a_document_parsed_in_recycled_buffers_equals_a_fresh_parse() {
        let texts = [
            "---\ntitle: x\n---\n# Runbook\n\n## Start here\n\n1. Check `kubectl get pods`\n   - [ ] task\n\n<!-- c -->\n<a id=\"x\"></a>\n[l](#start-here)\n\n```sh\nls\n```\n\n**Bold:**\ntext\n",
            "",
            "just text",
            "## A\n## A\n### B `c`\n\n- a\n  - b\n    1. c\n\n> quoted **x**\n",
        ];
        let mut buffers = Buffers::default();
        // Every text after every other, so each buffer is reused after a smaller and
        // after a larger document.
        for first in texts {
            for second in texts {
                Document::parse_in(first, &mut buffers).recycle(&mut buffers);
                let reused = Document::parse_in(second, &mut buffers);
                assert_eq!(
                    format!("{reused:?}"),
                    format!("{:?}", Document::parse(second)),
                    "{first:?} then {second:?}"
                );
                reused.recycle(&mut buffers);
            }
        }
    }

    #[test]
    fn recycling_keeps_the_allocations() {
        let big = "# T\n\n## A\n\n- x\n- y\n\n[l](#a)\n\n`c`\n\npara\n".repeat(50);
        let mut buffers = Buffers::default();
        let doc = Document::parse_in(&big, &mut buffers);
        let (headings, items, links) = (
            doc.headings.as_ptr() as usize,
            doc.list_items.as_ptr() as usize,
            doc.links.as_ptr() as usize,
        );
        doc.recycle(&mut buffers);
        let small = "# T\n\n- x\n\n[l](#t)\n".to_string();
        let doc = Document::parse_in(&small, &mut buffers);
        // `Vec<Heading<'a>>` to `Vec<Heading<'b>>` is collected in place; were it
        // not, every document would allocate its vectors again.
        assert_eq!(doc.headings.as_ptr() as usize, headings, "headings");
        assert_eq!(doc.list_items.as_ptr() as usize, items, "list items");
        assert_eq!(doc.links.as_ptr() as usize, links, "links");
    }

    #[test]
    fn titles_collapse_whitespace_across_events() {
        let md = "#  Step\u{a0}1:  `kubectl  get`\t **now**  \n\n**Bold \t title**:\nx\n";
        let doc = Document::parse(md);
        let texts: Vec<&str> = doc.headings.iter().map(|h| h.text.as_ref()).collect();
        assert_eq!(texts, ["Step 1: kubectl get now", "Bold title"]);
    }

    #[test]
    fn sections_nest() {
        let md = "# T\n## A\na\n### A1\nx\n## B\nb\n";
        let doc = Document::parse(md);
        let a = &doc.sections[1];
        assert_eq!(doc.text(&a.body), "a\n### A1\nx\n");
        assert_eq!(doc.text(&a.own_body), "a\n");
        assert_eq!(doc.text(&doc.sections[0].body), &md[4..]);
    }

    #[test]
    fn comments_tasks_and_anchors() {
        let md = "<!--\nmulti\n-->\ntext <!-- inline -->\n\n- [ ] todo\n- [x] done\n\n<a name=\"here\"></a>\n";
        let doc = Document::parse(md);
        let comments: Vec<_> = doc.html_comments.iter().map(|c| &md[c.clone()]).collect();
        assert_eq!(comments, ["<!--\nmulti\n-->", "<!-- inline -->"]);
        let tasks: Vec<_> = doc.list_items.iter().map(|i| i.task).collect();
        assert_eq!(tasks, [Some(false), Some(true)]);
        assert!(doc.has_anchor("here"));
    }

    #[test]
    fn a_component_tag_read_as_text_still_sets_its_id() {
        let md = "<FaqItem id=\"pipeline-error-decode\" question={\"Won't play: \\\"PIPELINE\\\"\"}>\n\nText.\n\n</FaqItem>\n\nSee [it](#pipeline-error-decode). <b id=\"x\">no</b>\n";
        let doc = Document::parse(md);
        assert!(
            doc.has_anchor("pipeline-error-decode"),
            "{:?}",
            doc.html_anchors
        );
        let prose = Document::parse("Set id=\"nothing\" in the config.\n");
        assert!(!prose.has_anchor("nothing"));
    }

    #[test]
    fn a_run_of_spaces_in_a_heading_is_a_run_of_hyphens_in_its_anchor() {
        // GitHub turns each space into a hyphen; the heading's text (what
        // sections are matched on) still has its whitespace collapsed.
        let doc = Document::parse("## Docker  - \"too many files\"\n\n## Plain heading\n");
        assert_eq!(doc.headings[0].text, "Docker - \"too many files\"");
        assert!(doc.has_anchor("docker----too-many-files"));
        // MkDocs and most site generators collapse the run: that anchor works
        // on such a site.
        assert!(doc.has_anchor("docker---too-many-files"));
        assert!(!doc.has_anchor("docker--too-many-files"));
        assert!(doc.headings[1].spaced.is_none());
        assert!(doc.has_anchor("plain-heading"));
    }

    #[test]
    fn an_icon_in_a_heading_is_left_out_of_the_sites_anchor() {
        let doc = Document::parse(
            "## :material-repeat: Per-version upgrade procedure\n\n## Step 1: restart\n",
        );
        // GitHub keeps the shortcode as text; MkDocs Material renders the icon
        // first and anchors the rest.
        assert!(doc.has_anchor("material-repeat-per-version-upgrade-procedure"));
        assert!(doc.has_anchor("per-version-upgrade-procedure"));
        assert!(!doc.has_anchor("per-version-upgrade"));
        // A colon in prose leaves the heading's words whole.
        assert!(doc.has_anchor("step-1-restart"));
        assert!(!doc.has_anchor("restart"));
    }

    #[test]
    fn an_id_written_out_works_on_the_site_too() {
        // GitHub's anchor of the heading differs from the site's (`--`, the dropped
        // backticks); the span gives the site the same id.
        let doc = Document::parse(
            "<span id=\"variables-to-add--remove-from-variablestf\"></span>\n\n## Variables to add / remove from `variables.tf`\n",
        );
        let anchors = doc.anchors();
        assert!(anchors.contains_on_site("variables-to-add--remove-from-variablestf"));
        let bare = Document::parse("## Variables to add / remove from `variables.tf`\n");
        assert!(
            !bare
                .anchors()
                .contains_on_site("variables-to-add--remove-from-variablestf")
        );
        assert!(
            bare.anchors()
                .contains("variables-to-add--remove-from-variablestf")
        );
    }

    #[test]
    fn a_heading_attribute_id_is_an_anchor() {
        let doc = Document::parse(
            "## Ingress mode {#ingress-mode}\n\n### Traefik 1.x {#Traefik-1x .wide}\n\n## Use {{< tag >}}\n",
        );
        let anchors = doc.anchors();
        assert!(anchors.contains_on_site("ingress-mode"));
        assert!(anchors.contains_on_site("traefik-1x"));
        assert!(!anchors.contains("wide"));
        assert!(!anchors.contains("tag"));
    }

    #[test]
    fn site_anchors_differ_from_githubs_only_where_punctuation_is() {
        let doc = Document::parse("## GOV.UK teams\n\n## Use `get_document`\n\n## Plain words\n");
        let anchors = doc.anchors();
        // GitHub drops the dot; a site such as Middleman makes it a hyphen.
        assert!(anchors.contains("govuk-teams"));
        assert!(!anchors.contains_on_site("govuk-teams"));
        assert!(anchors.contains_on_site("gov-uk-teams"));
        // Underscores and plain words are the same on both.
        assert!(anchors.contains_on_site("use-get_document"));
        assert!(anchors.contains_on_site("plain-words"));
        assert!(!anchors.contains_on_site("plain-word"));
    }
}
