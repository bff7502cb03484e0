//! Byte offset → 1-based line and character column.
//!
//! Input is normalised to LF before parsing ([`super::normalize`]), so a CRLF
//! description and an LF one get the same numbers: the `\r` that CRLF adds sits at
//! the end of a line, after every column a finding can point at.

/// Bytes between column checkpoints on a long line: a column costs at most this
/// much counting, however long the line.
const CHECKPOINT_STRIDE: usize = 4096;

/// Start offsets of every line, built once per source.
#[derive(Debug, Clone)]
pub struct LineIndex {
    /// Byte offset of the first byte of each line; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
    /// Inside lines longer than [`CHECKPOINT_STRIDE`]: `(byte offset, 0-based
    /// column)` about every stride bytes, sorted by offset. With them a column
    /// costs at most a stride of counting; without, it would cost the whole line
    /// up to it, and n findings on one long line n times that line.
    checkpoints: Vec<(usize, u32)>,
}

/// A 1-based position. `column` counts Unicode scalar values (characters), not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in characters from the start of the line.
    pub column: u32,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        // One memchr pass. Lines are short in real markdown, so checkpoints are only
        // computed for the rare line longer than a stride.
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 40 + 1);
        line_starts.push(0);
        let mut checkpoints = Vec::new();
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())) {
            if nl - start > CHECKPOINT_STRIDE {
                add_checkpoints(text, start, nl, &mut checkpoints);
            }
            start = nl + 1;
            if nl < bytes.len() {
                line_starts.push(start);
            }
        }
        LineIndex {
            line_starts,
            checkpoints,
        }
    }

    /// The position of byte `offset` in `text` (the same text this index was built
    /// from). Offsets past the end clamp to the end; offsets inside a UTF-8 sequence
    /// count as the character they are in.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        // Count from the last checkpoint of this line at or before `offset`.
        let cp = self.checkpoints.partition_point(|&(o, _)| o <= offset);
        let (from, column) = match cp.checked_sub(1).and_then(|i| self.checkpoints.get(i)) {
            Some(&(o, c)) if o >= start => (o, c as usize),
            _ => (start, 0),
        };
        let column = column + count_chars(text, from, offset);
        LineCol {
            line: to_u32(line + 1),
            column: to_u32(column + 1),
        }
    }

    /// Byte range of 1-based `line`, without its line break.
    pub fn line_range(&self, text: &str, line: u32) -> std::ops::Range<usize> {
        let i = (line as usize).saturating_sub(1);
        let start = self.line_starts.get(i).copied().unwrap_or(text.len());
        let end = self
            .line_starts
            .get(i + 1)
            .map_or(text.len(), |&next| next - 1);
        start..end.max(start)
    }

    /// The byte offset of 1-based `line` and character `column`, clamped to the text.
    pub fn offset(&self, text: &str, line: u32, column: u32) -> usize {
        let range = self.line_range(text, line);
        let skip = (column as usize).saturating_sub(1);
        let within = text
            .get(range.clone())
            .and_then(|l| l.char_indices().nth(skip).map(|(i, _)| i).or(Some(l.len())))
            .unwrap_or(0);
        range.start + within
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

/// The positions of `offsets`, which must be ascending, in one forward pass over
/// `text`: what a report needs for a handful of findings, without the allocation and
/// the full scan of building a [`LineIndex`]. Answers are those of
/// [`LineIndex::line_col`]; an offset out of order is treated as the previous one.
pub fn locate_sorted(text: &str, offsets: &[usize]) -> Vec<LineCol> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(offsets.len());
    // Lines before `at` are counted in `line`; characters of the current line
    // before `counted_to` are counted in `column`.
    let (mut at, mut line, mut counted_to, mut column) = (0usize, 0usize, 0usize, 0usize);
    for &offset in offsets {
        let offset = offset.min(bytes.len()).max(at);
        let seg = bytes.get(at..offset).unwrap_or(&[]);
        if let Some(last) = memchr::memrchr(b'\n', seg) {
            line += count_newlines(seg.get(..=last).unwrap_or(seg));
            counted_to = at + last + 1;
            column = 0;
        }
        column += count_chars(text, counted_to, offset);
        counted_to = offset;
        at = offset;
        out.push(LineCol {
            line: to_u32(line + 1),
            column: to_u32(column + 1),
        });
    }
    out
}

/// The line breaks in `bytes`, counted in chunks short enough for one byte per
/// lane: the compiler turns the inner loop into vector compares and adds, several
/// times faster than counting into a `usize` a byte at a time.
fn count_newlines(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|chunk| {
            let in_chunk = chunk
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from(b == b'\n')));
            usize::from(in_chunk)
        })
        .sum()
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Characters that start in `text[from..to]`; an offset inside a UTF-8 sequence
/// thus counts the character it is in.
fn count_chars(text: &str, from: usize, to: usize) -> usize {
    text.as_bytes()
        .get(from..to)
        .map_or(0, |b| b.iter().filter(|&&b| (b & 0xC0) != 0x80).count())
}

/// Checkpoints about every [`CHECKPOINT_STRIDE`] bytes of the line `start..end`.
fn add_checkpoints(text: &str, start: usize, end: usize, out: &mut Vec<(usize, u32)>) {
    let (mut at, mut column) = (start, 0usize);
    while end.saturating_sub(at) > CHECKPOINT_STRIDE {
        let mut next = at + CHECKPOINT_STRIDE;
        while !text.is_char_boundary(next) {
            next += 1;
        }
        column += count_chars(text, at, next);
        out.push((next, to_u32(column)));
        at = next;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "é🙂x\nab";
        let idx = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), LineCol { line: 1, column: 3 });
        assert_eq!(
            idx.line_col(text, text.len()),
            LineCol { line: 2, column: 3 }
        );
        assert_eq!(
            idx.line_col(text, text.find('b').unwrap()),
            LineCol { line: 2, column: 2 }
        );
    }

    #[test]
    fn long_lines_use_checkpoints_with_the_same_answers() {
        let unit = "aé🙂 `x` ";
        let text = format!(
            "{}\n{}\n\n{}",
            unit.repeat(3000),
            unit.repeat(2000),
            "b".repeat(9000)
        );
        let idx = LineIndex::new(&text);
        assert!(idx.checkpoints.len() >= 6);
        // The definition: characters of the line that start before `offset`, plus one.
        let slow = |offset: usize| {
            let start = text.as_bytes()[..offset]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            let column = text[start..]
                .char_indices()
                .take_while(|(i, _)| start + i < offset)
                .count();
            column as u32 + 1
        };
        let probes = (0..=text.len())
            .step_by(7)
            .chain(4090..4110)
            .chain([text.len()]);
        for offset in probes {
            assert_eq!(
                idx.line_col(&text, offset).column,
                slow(offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn locate_sorted_agrees_with_the_index() {
        let unit = "aé🙂 `x`\n\n";
        let text = format!(
            "{}{}\n{}",
            unit.repeat(50),
            "é".repeat(5000),
            unit.repeat(20)
        );
        let idx = LineIndex::new(&text);
        let offsets: Vec<usize> = (0..=text.len() + 3).collect();
        let fast = locate_sorted(&text, &offsets);
        for (&offset, got) in offsets.iter().zip(&fast) {
            assert_eq!(*got, idx.line_col(&text, offset), "offset {offset}");
        }
        // Sparse offsets skip whole lines at once.
        let sparse: Vec<usize> = (0..text.len()).step_by(997).collect();
        for (&offset, got) in sparse.iter().zip(locate_sorted(&text, &sparse)) {
            assert_eq!(got, idx.line_col(&text, offset), "offset {offset}");
        }
    }

    #[test]
    fn line_range_excludes_break() {
        let text = "one\ntwo\n";
        let idx = LineIndex::new(text);
        assert_eq!(&text[idx.line_range(text, 2)], "two");
        assert_eq!(&text[idx.line_range(text, 3)], "");
    }
}
