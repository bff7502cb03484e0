//! Code blocks written as a site generator's shortcode instead of a fence.
//!
//! Hugo's `{{< highlight go >}}` … `{{< /highlight >}}` (istio.io writes every
//! command so: `{{< text bash >}}` … `{{< /text >}}`) and Jekyll's `{% highlight
//! ruby %}` … `{% endhighlight %}` render as code blocks. Markdown sees
//! paragraphs there: a `$ kubectl …` line, a `- job_name:` list item, a
//! `# comment` heading. Each such pair becomes a code block, and what markdown
//! found inside it is dropped.

use std::borrow::Cow;

use super::{CodeBlock, Document, HasSpan, Span, UndefinedRef};

/// Languages that make a shortcode's first argument a code block's
/// (`{{< text bash >}}`): Chroma's and Rouge's common names. Sorted.
#[rustfmt::skip]
const LANGUAGES: &[&str] = &[
    "bash", "cmd", "conf", "console", "css", "diff", "docker", "dockerfile", "go", "hcl", "html",
    "ini", "java", "javascript", "js", "json", "logql", "makefile", "nginx", "none", "plain",
    "plaintext", "powershell", "promql", "properties", "ps1", "py", "python", "rb", "ruby", "rust",
    "sh", "shell", "sql", "text", "toml", "ts", "txt", "typescript", "xml", "yaml", "yml", "zsh",
];

/// Whether `source` may hold a shortcode (`{{<`, `{{%`, `{%`): one byte scan,
/// true for few pages.
fn may_hold(source: &str) -> bool {
    let bytes = source.as_bytes();
    memchr::memchr_iter(b'{', bytes).any(|at| match bytes.get(at + 1) {
        Some(b'%') => true,
        Some(b'{') => matches!(bytes.get(at + 2), Some(b'<' | b'%')),
        _ => false,
    })
}

/// Make `doc`'s shortcode code blocks code blocks ([`collect`]), its sections
/// again without the headings dropped, and drop the undefined references
/// written inside them (`[14236]` of a logged line).
pub(super) fn apply(doc: &mut Document<'_>, undefined: &mut Vec<UndefinedRef>) {
    if !may_hold(doc.source) {
        return;
    }
    let code = collect(doc);
    if code.is_empty() {
        return;
    }
    super::parse::build_sections(&doc.headings, doc.source.len(), &mut doc.sections);
    undefined.retain(|r| !code.iter().any(|c| c.contains(&r.span.start)));
}

/// Turn every shortcode code block of `doc` into a [`CodeBlock`], dropping the
/// paragraphs, list items, headings, inline code, links and comments markdown
/// found inside it. Returns the blocks' spans (sorted), for what the caller
/// collects afterwards.
fn collect(doc: &mut Document<'_>) -> Vec<Span> {
    let blocks = find(doc.source);
    if blocks.is_empty() {
        return Vec::new();
    }
    // What starts inside a block is part of it: an item written there runs on
    // to the closing tag's line, and past its end with the line break.
    let inside = |span: &Span| {
        blocks
            .iter()
            .any(|(b, _)| span.start >= b.start && span.start < b.end)
    };
    fn drop_inside<T: HasSpan>(items: &mut Vec<T>, inside: impl Fn(&Span) -> bool) {
        items.retain(|i| !inside(i.span()));
    }
    drop_inside(&mut doc.paragraphs, inside);
    drop_inside(&mut doc.list_items, inside);
    drop_inside(&mut doc.code_spans, inside);
    drop_inside(&mut doc.links, inside);
    drop_inside(&mut doc.headings, inside);
    drop_inside(&mut doc.code_blocks, inside);
    doc.html_comments.retain(|c| !inside(c));
    for (span, info) in &blocks {
        let at = doc
            .code_blocks
            .partition_point(|c| c.span.start < span.start);
        doc.code_blocks.insert(
            at,
            CodeBlock {
                span: span.clone(),
                info: Cow::Owned((*info).to_string()),
            },
        );
    }
    blocks.into_iter().map(|(span, _)| span).collect()
}

/// The shortcode code blocks of `source`: each span from its opening tag to the
/// end of its closing one, with its language. An opening tag never closed is
/// no block, and the lines after it are still read.
fn find(source: &str) -> Vec<(Span, &str)> {
    let mut offset = 0;
    let lines: Vec<(usize, &str)> = source
        .split_inclusive('\n')
        .map(|line| {
            let start = offset;
            offset += line.len();
            (start, line)
        })
        .collect();
    let mut out = Vec::new();
    let mut n = 0;
    while let Some(&(start, line)) = lines.get(n) {
        n += 1;
        let Some((indent, open)) = opening(line) else {
            continue;
        };
        // The closing tag, on a line of its own further down.
        let close = lines
            .get(n..)
            .unwrap_or_default()
            .iter()
            .position(|(_, l)| closes(l, open.name));
        if let Some(i) = close
            && let Some(&(close_start, close_line)) = lines.get(n + i)
        {
            out.push((
                start + indent..close_start + close_line.trim_end().len(),
                open.language,
            ));
            n += i + 1;
        }
    }
    out
}

/// A shortcode that opens a code block: its name and language.
struct Open<'s> {
    name: &'s str,
    language: &'s str,
}

/// The opening tag of a code block on `line` alone (`{{< text bash >}}`,
/// `{{< highlight go "linenos=table" >}}`, `{% highlight ruby %}`), and the
/// indentation before it.
fn opening(line: &str) -> Option<(usize, Open<'_>)> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let inner = tag_inner(trimmed.trim_end())?;
    let mut words = inner.split_whitespace();
    let name = words.next()?;
    let language = words.next().unwrap_or("").trim_matches(['"', '\'']);
    let language = language.strip_prefix("lang=").unwrap_or(language);
    let code = name.eq_ignore_ascii_case("highlight")
        || LANGUAGES
            .binary_search(&language.to_ascii_lowercase().as_str())
            .is_ok();
    (code && !name.starts_with('/')).then_some((indent, Open { name, language }))
}

/// What a tag on its own holds: `text bash` of `{{< text bash >}}`, of
/// `{{% text bash %}}` or of `{% text bash %}`.
fn tag_inner(tag: &str) -> Option<&str> {
    [("{{<", ">}}"), ("{{%", "%}}"), ("{%", "%}")]
        .iter()
        .find_map(|(open, close)| tag.strip_prefix(open)?.strip_suffix(close))
        .map(str::trim)
}

/// Whether `line` is the closing tag of shortcode `name`: `{{< /text >}}`, or
/// Jekyll's `{% endhighlight %}`.
fn closes(line: &str, name: &str) -> bool {
    tag_inner(line.trim()).is_some_and(|inner| {
        inner
            .strip_prefix('/')
            .map(str::trim)
            .or_else(|| inner.strip_prefix("end"))
            .is_some_and(|closed| closed.eq_ignore_ascii_case(name))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_sorted_for_their_binary_search() {
        assert!(LANGUAGES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn shortcodes_with_a_language_are_code_blocks() {
        let md = "1. Check the policy\n\n    {{< text bash yaml >}}\n    $ kubectl get configmap x\n    # not a heading\n    - not: a list item\n    {{< /text >}}\n\n{% highlight ruby %}\nputs 1\n{% endhighlight %}\n\n{{< highlight go >}}\nfmt.Println()\n{{< /highlight >}}\n\n{{< admonition type=\"note\" >}}\nNot code.\n{{< /admonition >}}\n";
        let doc = Document::parse(md);
        let infos: Vec<&str> = doc.code_blocks.iter().map(|c| c.info.as_ref()).collect();
        assert_eq!(infos, ["bash", "ruby", "go"]);
        assert!(doc.headings.is_empty());
        // The numbered item is still there; the YAML line is no item.
        assert_eq!(doc.list_items.len(), 1);
        let first = &doc.code_blocks[0].span;
        assert!(md[first.clone()].starts_with("{{< text bash yaml >}}"));
        assert!(md[first.clone()].ends_with("{{< /text >}}"));
        // The admonition's text stays a paragraph.
        assert!(
            doc.paragraphs
                .iter()
                .any(|p| md[p.span.clone()].contains("Not code."))
        );
    }

    #[test]
    fn an_unclosed_shortcode_is_no_code_block() {
        let doc = Document::parse("{{< text bash >}}\n$ kubectl get pods\n");
        assert!(doc.code_blocks.is_empty());
        // The blocks after it are still read.
        let doc = Document::parse(
            "{{< text bash >}}\n$ kubectl get pods\n\n{{< highlight go >}}\nfmt.Println()\n{{< /highlight >}}\n",
        );
        let infos: Vec<&str> = doc.code_blocks.iter().map(|c| c.info.as_ref()).collect();
        assert_eq!(infos, ["go"]);
    }
}
