//! Pass 1 for markdown pages: pulldown-cmark events (with offsets) folded into
//! sections of paragraphs, tables and code blocks, annotations bound to the
//! next code block of the same section.

use super::annotation;
use super::page::{
    raw_cell_count, squash_ws, squashed, Annotation, Block, CodeBlock, Include, Inline, Link, Section, SectionKind,
    Table,
};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use std::borrow::Cow;
use std::ops::Range;

/// Inline text being collected (heading, paragraph or table cell).
#[derive(Default)]
struct InlineBuf {
    text: String,
    links: Vec<Link>,
    code: Vec<String>,
    link_stack: Vec<(String, usize)>,
    start: usize,
    end: usize,
}

impl InlineBuf {
    fn new(range: &Range<usize>) -> Self {
        InlineBuf {
            start: range.start,
            end: range.end,
            ..Default::default()
        }
    }
    fn finish(self) -> Inline {
        Inline {
            text: squashed(self.text),
            links: self.links,
            code: self.code,
            span: self.start..self.end,
        }
    }
}

/// Parses the markdown body `text[body_start..]`, returning the H1 title and
/// the sections.
pub fn parse(
    file: FileId,
    text: &str,
    body_start: usize,
    diags: &mut Vec<Diagnostic>,
) -> (Option<Inline>, Vec<Section>) {
    let body = repair_delimiter_rows(file, &text[body_start..], body_start, diags);
    let mut fold = Fold::new(file, text, diags);
    for (event, range) in Parser::new_ext(body.as_ref(), Options::ENABLE_TABLES).into_offset_iter() {
        fold.event(event, range.start + body_start..range.end + body_start);
    }
    (fold.title, fold.sections)
}

/// The page being folded from pulldown-cmark's events: what is done, and
/// the heading, paragraph, cell, table, code or HTML block still open.
struct Fold<'t, 'd> {
    file: FileId,
    text: &'t str,
    diags: &'d mut Vec<Diagnostic>,
    title: Option<Inline>,
    sections: Vec<Section>,
    /// The last annotation read, until a code block of its section takes it.
    pending_annotation: Option<Annotation>,
    inline: Option<InlineBuf>,
    heading_level: Option<u8>,
    table: Option<Table>,
    row: Vec<Inline>,
    in_head: bool,
    /// Language, text, start and end of the open code block.
    code: Option<(String, String, usize, usize)>,
    html: Option<(String, Range<usize>)>,
}

impl<'t, 'd> Fold<'t, 'd> {
    fn new(file: FileId, text: &'t str, diags: &'d mut Vec<Diagnostic>) -> Self {
        Fold {
            file,
            text,
            diags,
            title: None,
            sections: vec![Section {
                heading: None,
                level: 1,
                kind: SectionKind::Preamble,
                blocks: Vec::new(),
            }],
            pending_annotation: None,
            inline: None,
            heading_level: None,
            table: None,
            row: Vec::new(),
            in_head: false,
            code: None,
            html: None,
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                // An annotation binds to a code block of its own section only.
                self.pending_annotation = None;
                self.heading_level = Some(level as u8);
                self.inline = Some(InlineBuf::new(&range));
            }
            Event::End(TagEnd::Heading(_)) => self.heading_end(),
            Event::Start(Tag::Paragraph) | Event::Start(Tag::TableCell) => self.inline = Some(InlineBuf::new(&range)),
            Event::End(TagEnd::Paragraph) => self.paragraph_end(),
            Event::End(TagEnd::TableCell) => {
                if let Some(buf) = self.inline.take() {
                    self.row.push(buf.finish());
                }
            }
            Event::Start(Tag::Table(_)) => self.table = Some(empty_table(range)),
            Event::End(TagEnd::Table) => {
                if let Some(t) = self.table.take() {
                    push(&mut self.sections, Block::Table(t));
                }
            }
            Event::Start(Tag::TableHead | Tag::TableRow) | Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                self.table_row(&event, range)
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(buf) = self.inline.as_mut() {
                    buf.link_stack.push((dest_url.into_string(), buf.text.len()));
                }
            }
            Event::End(TagEnd::Link) => self.link_end(),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                if let Some(buf) = self.inline.as_mut() {
                    buf.text.push_str(&t);
                    buf.code.push(t.into_string());
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(buf) = self.inline.as_mut() {
                    buf.text.push(' ');
                }
            }
            Event::InlineHtml(h) => self.inline_html(&h, range),
            Event::Start(Tag::HtmlBlock) => self.html = Some((String::new(), range)),
            Event::Html(h) => {
                if let Some((s, r)) = self.html.as_mut() {
                    s.push_str(&h);
                    r.end = range.end;
                }
            }
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((s, r)) = self.html.take() {
                    self.annotation(&s, r);
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                self.code = Some((code_lang(&kind), String::new(), range.start, range.end))
            }
            Event::End(TagEnd::CodeBlock) => self.code_end(),
            _ => {}
        }
    }

    fn heading_end(&mut self) {
        let level = self.heading_level.take().unwrap_or(2);
        let Some(buf) = self.inline.take() else { return };
        let h = buf.finish();
        // Tab headers of code-snippet groups (`# [HTTP](#tab/http)`) are not sections.
        if h.links.iter().any(|l| l.target.starts_with("#tab/")) {
            return;
        }
        if level == 1 && self.title.is_none() {
            self.title = Some(h);
            return;
        }
        self.sections.push(Section {
            kind: SectionKind::classify(&h.text),
            heading: Some(h),
            level,
            blocks: Vec::new(),
        });
    }

    fn paragraph_end(&mut self) {
        let Some(buf) = self.inline.take() else { return };
        let p = buf.finish();
        if let Some(inc) = include(&p) {
            push(&mut self.sections, Block::Include(inc));
        } else if !p.text.is_empty() {
            push(&mut self.sections, Block::Paragraph(p));
        }
    }

    /// The start and end of the header row and of body rows: each row's
    /// cells as the markdown wrote them are counted, for the shape checks.
    fn table_row(&mut self, event: &Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(Tag::TableHead) => self.in_head = true,
            Event::End(TagEnd::TableHead) => self.in_head = false,
            Event::Start(Tag::TableRow) => self.row.clear(),
            _ => {}
        }
        let Some(t) = self.table.as_mut() else { return };
        match event {
            Event::Start(Tag::TableHead) => t.raw_header_cells = raw_cell_count(first_line(self.text, range)),
            Event::End(TagEnd::TableHead) => t.header = std::mem::take(&mut self.row),
            Event::Start(Tag::TableRow) if !self.in_head => {
                t.raw_cells.push(raw_cell_count(first_line(self.text, range)))
            }
            Event::End(TagEnd::TableRow) if !self.in_head => t.rows.push(std::mem::take(&mut self.row)),
            _ => {}
        }
    }

    fn link_end(&mut self) {
        let Some(buf) = self.inline.as_mut() else { return };
        if let Some((target, at)) = buf.link_stack.pop() {
            let text = squash_ws(buf.text.get(at..).unwrap_or(""));
            buf.links.push(Link { text, target });
        }
    }

    fn text(&mut self, t: &str) {
        if let Some((_, s, _, _)) = self.code.as_mut() {
            s.push_str(t);
        } else if let Some(buf) = self.inline.as_mut() {
            buf.text.push_str(t);
        }
    }

    fn inline_html(&mut self, h: &str, range: Range<usize>) {
        if self.inline.is_none() {
            return;
        }
        let lower = h.to_ascii_lowercase();
        if lower.starts_with("<!--") {
            // Inline annotations (rare) are handled like blocks.
            return self.annotation(h, range);
        }
        let Some(buf) = self.inline.as_mut() else { return };
        if lower.starts_with("<br") || lower.starts_with("</li") || lower.starts_with("</p") {
            buf.text.push(' ');
        } else if !is_tag(h) {
            // `<token>`-style placeholders are text, not markup.
            buf.text.push_str(h);
        }
    }

    fn annotation(&mut self, html: &str, range: Range<usize>) {
        if let Some(a) = annotation::parse(self.file, html, range, self.diags) {
            self.pending_annotation = Some(a);
        }
    }

    fn code_end(&mut self) {
        let Some((lang, s, start, end)) = self.code.take() else {
            return;
        };
        let (content, span) = fenced_content(self.text, start, end, s);
        push(
            &mut self.sections,
            Block::Code(CodeBlock {
                lang,
                text: content,
                span,
                annotation: self.pending_annotation.take(),
            }),
        );
    }
}

fn empty_table(span: Range<usize>) -> Table {
    Table {
        header: Vec::new(),
        rows: Vec::new(),
        span,
        raw_cells: Vec::new(),
        raw_header_cells: 0,
    }
}

/// A code block's language: the fence's first word, lowercased (`http`,
/// `json`); none for an indented block.
fn code_lang(kind: &CodeBlockKind<'_>) -> String {
    match kind {
        CodeBlockKind::Fenced(info) => info
            .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
            .find(|w| !w.is_empty())
            .unwrap_or("")
            .to_ascii_lowercase(),
        CodeBlockKind::Indented => String::new(),
    }
}

/// `[!INCLUDE [label](path)]` (docfx syntax), as pulldown-cmark reads it: text
/// starting `[!INCLUDE` around one link.
fn include(p: &Inline) -> Option<Include> {
    let rest = p
        .text
        .strip_prefix("[!INCLUDE")
        .or_else(|| p.text.strip_prefix("[!include"))?;
    let link = p.links.first()?;
    let _ = rest;
    Some(Include {
        label: link.text.clone(),
        target: link.target.clone(),
        span: p.span.clone(),
    })
}

/// A table's delimiter row (`|:---|---|`): pipes, dashes, colons, blanks.
fn is_delimiter_row(line: &str) -> bool {
    // Most lines are not: their first character says so, before any scan.
    if line
        .chars()
        .next()
        .is_some_and(|c| !c.is_whitespace() && !matches!(c, '|' | '-' | ':'))
    {
        return false;
    }
    let t = line.trim();
    t.contains('-') && t.contains('|') && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t' | '\r'))
}

/// Delimiter rows that pulldown-cmark refuses but the docs' renderer draws as
/// tables, repaired byte for byte so every offset still maps onto the page:
/// tabs become spaces, and a row with more or fewer cells than its header
/// gets that many (surplus pipes become dashes; a long dash run is split).
/// Each repaired cell count is a GD0006 note.
fn repair_delimiter_rows<'a>(
    file: FileId,
    body: &'a str,
    body_start: usize,
    diags: &mut Vec<Diagnostic>,
) -> Cow<'a, str> {
    // Each line with the one before it (`""` before the first), not
    // collected: most pages need no repair and are only scanned.
    let pairs = || super::lines(body).scan("", |prev, line| Some((std::mem::replace(prev, line), line)));
    let needs = |prev: &str, line: &str| {
        is_delimiter_row(line)
            && prev.contains('|')
            && (line.contains('\t') || raw_cell_count(line) != raw_cell_count(prev))
    };
    if !pairs().any(|(prev, line)| needs(prev, line)) {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut at = body_start;
    for (prev, line) in pairs() {
        if !needs(prev, line) {
            out.push_str(line);
            at += line.len();
            continue;
        }
        let mut row: Vec<u8> = line.bytes().map(|b| if b == b'\t' { b' ' } else { b }).collect();
        let (want, have) = (raw_cell_count(prev), raw_cell_count(line));
        if want != have && fit_cells(&mut row, want) {
            let end = at + line.trim_end().len();
            diags.push(
                Diagnostic::note(
                    Code::TableShape,
                    Span::new(file, at..end),
                    format!(
                        "the delimiter row has {have} cells and the header {want}; read as a table of {want} columns"
                    ),
                )
                .with_help("give the delimiter row one `---` per header cell"),
            );
        }
        // Only ASCII bytes were swapped for ASCII bytes.
        out.push_str(std::str::from_utf8(&row).unwrap_or(line));
        at += line.len();
    }
    Cow::Owned(out)
}

/// Gives a delimiter row `want` cells in place. Fails (and leaves the row
/// as is) when there are not enough dashes to split.
fn fit_cells(row: &mut [u8], want: usize) -> bool {
    // One column would leave no pipe: `-|-` would become a setext underline.
    if want < 2 {
        return false;
    }
    let text = String::from_utf8_lossy(row).into_owned();
    let lead = text.len() - text.trim_start().len();
    let trail = text.trim_end().len();
    // Interior pipes: those between the first and last non-blank bytes,
    // not counting a leading or trailing one.
    let inner_start = if row.get(lead) == Some(&b'|') { lead + 1 } else { lead };
    let inner_end = if trail > inner_start && row[trail - 1] == b'|' {
        trail - 1
    } else {
        trail
    };
    let pipes: Vec<usize> = (inner_start..inner_end).filter(|&i| row[i] == b'|').collect();
    let have = pipes.len() + 1;
    if have > want {
        // Merge the last cells: their pipes and inner colons become dashes.
        let from = pipes[want - 1];
        for b in &mut row[from..inner_end] {
            if matches!(*b, b'|' | b':') {
                *b = b'-';
            }
        }
        return true;
    }
    let mut scratch = row.to_vec();
    for _ in have..want {
        // Split the longest dash run in the middle; both halves keep a dash.
        let mut best: Option<(usize, usize)> = None;
        let mut i = inner_start;
        while i < inner_end {
            if scratch[i] == b'-' {
                let s = i;
                while i < inner_end && scratch[i] == b'-' {
                    i += 1;
                }
                if i - s >= 3 && best.is_none_or(|(bs, be)| i - s > be - bs) {
                    best = Some((s, i));
                }
            } else {
                i += 1;
            }
        }
        let Some((s, e)) = best else { return false };
        scratch[s + (e - s) / 2] = b'|';
    }
    row.copy_from_slice(&scratch);
    true
}

/// The first line of a range of the page.
fn first_line(text: &str, range: Range<usize>) -> &str {
    let s = text.get(range).unwrap_or("");
    s.split('\n').next().unwrap_or(s)
}

fn push(sections: &mut [Section], block: Block) {
    if let Some(s) = sections.last_mut() {
        s.blocks.push(block);
    }
}

/// Known HTML tags are markup; anything else in angle brackets is text.
fn is_tag(h: &str) -> bool {
    let name: String = h
        .trim_start_matches('<')
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    matches!(
        name.as_str(),
        "br" | "p"
            | "ul"
            | "ol"
            | "li"
            | "b"
            | "i"
            | "em"
            | "strong"
            | "a"
            | "code"
            | "sup"
            | "sub"
            | "span"
            | "div"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "img"
            | "pre"
            | "u"
            | "tbody"
            | "thead"
    )
}

/// The span of a fenced block's content: from the line after the opening fence.
/// A fenced block's content, taken from the source itself (not from the
/// events, which drop `\r` and list indentation) so that offsets inside the
/// content map straight onto the page: from the line after the opening fence
/// to the start of the closing fence line.
fn fenced_content(text: &str, start: usize, end: usize, events_text: String) -> (String, Range<usize>) {
    let end = end.min(text.len());
    let block = &text[start..end];
    let fenced = matches!(block.trim_start().as_bytes().first(), Some(b'`') | Some(b'~'));
    if !fenced {
        let len = events_text.len().min(end - start);
        return (events_text, start..start + len);
    }
    let content_start = start + block.find('\n').map_or(block.len(), |i| i + 1);
    let body = &text[content_start..end];
    // The closing fence is the last line, if it is a fence.
    let trimmed = body.trim_end_matches(['\n', '\r']);
    let last_line_start = trimmed.rfind('\n').map_or(0, |i| i + 1);
    let last = trimmed[last_line_start..].trim();
    let content_end = if last.starts_with("```") || last.starts_with("~~~") {
        content_start + last_line_start
    } else {
        end
    };
    (text[content_start..content_end].to_owned(), content_start..content_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_in_a_delimiter_row_still_make_a_table() {
        let text = "# T\n\n## Properties\n\n| Property | Type\t|\n| --- |---\t \t|\n| id\t| String |\n";
        let (table, diags) = only_table(text);
        assert!(diags.is_empty());
        assert_eq!(table.rows[0][1].text.trim(), "String");
        assert_eq!(text[table.rows[0][1].span.clone()].trim(), "String");
    }

    fn only_table(text: &str) -> (Table, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let (_, sections) = parse(FileId(0), text, 0, &mut diags);
        let table = sections.into_iter().flat_map(|s| s.blocks).find_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        });
        (table.expect("a table, not a paragraph"), diags)
    }

    #[test]
    fn delimiter_rows_with_more_or_fewer_cells_than_the_header() {
        let text = "## P\n\n|Permission type | Permissions |\n|:---|:---------|:----|\n| Application | A.Read |\n";
        let (table, diags) = only_table(text);
        assert_eq!(table.header.len(), 2);
        assert_eq!(table.rows[0][1].text.trim(), "A.Read");
        assert_eq!(diags.len(), 1);
        assert_eq!(&text[diags[0].span.range.clone()], "|:---|:---------|:----|");
        let text = "## P\n\n| a | b | c |\n|:---|------|\n| 1 | 2 | 3 |\n";
        let (table, _) = only_table(text);
        assert_eq!(table.header.len(), 3);
        assert_eq!(table.rows[0][2].text.trim(), "3");
    }

    #[test]
    fn a_delimiter_row_too_short_to_split_stays_a_paragraph() {
        let text = "## P\n\n| a | b | c |\n|-|-|\n| 1 | 2 | 3 |\n";
        let mut diags = Vec::new();
        let (_, sections) = parse(FileId(0), text, 0, &mut diags);
        assert!(sections
            .iter()
            .flat_map(|s| &s.blocks)
            .all(|b| !matches!(b, Block::Table(_))));
        assert!(diags.is_empty());
    }

    proptest::proptest! {
        /// Any table-like text: the repair keeps every byte offset, touches
        /// only delimiter rows, and leaves them delimiter rows.
        #[test]
        fn repair_keeps_offsets(lines in proptest::collection::vec("[|:\\- \t]{0,12}|[a-z| ]{0,12}", 0..8)) {
            let body = lines.join("\n");
            let repaired = repair_delimiter_rows(FileId(0), &body, 0, &mut Vec::new());
            proptest::prop_assert_eq!(repaired.len(), body.len());
            for (a, b) in body.split('\n').zip(repaired.split('\n')) {
                if a != b {
                    proptest::prop_assert!(is_delimiter_row(a) && is_delimiter_row(b), "{a:?} -> {b:?}");
                }
            }
        }
    }

    #[test]
    fn code_spans_map_onto_crlf_source() {
        let text = "# T\r\n\r\n## Response\r\n```http\r\nHTTP/1.1 200 OK\r\n\r\n{\"a\": 1}\r\n```\r\n";
        let (_, sections) = parse(FileId(0), text, 0, &mut Vec::new());
        let Block::Code(c) = &sections[1].blocks[0] else {
            panic!()
        };
        assert_eq!(&text[c.span.clone()], c.text);
        assert!(c.text.starts_with("HTTP/1.1") && c.text.ends_with("\r\n"));
    }
}
