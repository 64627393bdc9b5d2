//! Pass 1 for pages rendered to plain text (learn.microsoft.com): no markup at
//! all. Headings are lines naming a known section; tables are runs of lines
//! ending in ` |`, one cell per line, split into rows by a recognised header;
//! http examples are a request or status line, header lines, then balanced
//! JSON. SDK snippets in other languages are left as prose.

use super::page::{squash_ws, Block, CodeBlock, Inline, Section, SectionKind, Table};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::{FileId, Span};
use std::ops::Range;

/// Whether a page is a rendered-text page rather than markdown: no fences, no
/// markdown tables or headings, and cells written one per line.
pub fn looks_rendered(text: &str) -> bool {
    let mut cell_lines = 0;
    for line in text.lines() {
        let t = line.trim_end();
        // Fences and annotations only exist in markdown; `# ` lines do not
        // decide it (rendered pages inline Python and PowerShell comments).
        if t.starts_with("```") || t.starts_with("~~~") || t.starts_with("<!--") || t.starts_with("## ") {
            return false;
        }
        if t.starts_with('|') && t.contains("---") {
            return false;
        }
        if t.ends_with(" |") && !t.starts_with('|') {
            cell_lines += 1;
        }
    }
    cell_lines >= 2
}

/// Known table headers: each is a list of predicates on the lowercased cell.
type HeaderPred = fn(&str) -> bool;
const HEADERS: &[&[HeaderPred]] = &[
    &[
        |c| c == "permission type",
        |c| c.starts_with("least privileged"),
        |c| c.starts_with("higher privileged"),
    ],
    &[|c| c == "permission type", |c| c.starts_with("permission")],
    &[
        |c| matches!(c, "property" | "name" | "parameter"),
        |c| c == "type",
        |c| c == "required",
        |c| c == "description",
    ],
    &[
        |c| matches!(c, "property" | "name" | "parameter"),
        |c| c == "type",
        |c| c == "description",
    ],
    &[|c| c == "member", |c| c == "value", |c| c == "description"],
    &[|c| c == "member", |c| c == "description"],
    &[|c| c == "method", |c| c == "return type", |c| c == "description"],
    &[
        |c| matches!(c, "name" | "header"),
        |c| matches!(c, "description" | "value"),
    ],
];

struct Line<'a> {
    text: &'a str,
    range: Range<usize>,
}

pub fn parse(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Section> {
    let mut lines = Vec::new();
    let mut pos = 0;
    for l in text.split_inclusive('\n') {
        let content = l.trim_end_matches(['\n', '\r']);
        lines.push(Line {
            text: content,
            range: pos..pos + content.len(),
        });
        pos += l.len();
    }

    let mut sections = vec![Section {
        heading: None,
        level: 1,
        kind: SectionKind::Preamble,
        blocks: Vec::new(),
    }];
    let mut prose: Vec<&Line> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        let t = line.text.trim();
        if t.is_empty() {
            flush_prose(&mut sections, &mut prose);
            i += 1;
            continue;
        }
        let kind = SectionKind::classify(t);
        if kind != SectionKind::Other && t.len() < 60 {
            flush_prose(&mut sections, &mut prose);
            sections.push(Section {
                heading: Some(inline(t, line.range.clone())),
                level: 2,
                kind,
                blocks: Vec::new(),
            });
            i += 1;
            continue;
        }
        if is_cell(line.text) {
            flush_prose(&mut sections, &mut prose);
            let start = i;
            while i < lines.len() && is_cell(lines[i].text) {
                i += 1;
            }
            if let Some(table) = table(file, &lines[start..i], diags) {
                push(&mut sections, Block::Table(table));
            }
            continue;
        }
        if is_request_line(t) || is_status_line(t) {
            flush_prose(&mut sections, &mut prose);
            let (block, next) = http_block(&lines, i, text);
            push(&mut sections, Block::Code(block));
            i = next;
            continue;
        }
        prose.push(line);
        i += 1;
    }
    flush_prose(&mut sections, &mut prose);
    sections
}

fn inline(t: &str, span: Range<usize>) -> Inline {
    Inline {
        text: squash_ws(t),
        span,
        ..Inline::default()
    }
}

fn push(sections: &mut [Section], block: Block) {
    if let Some(s) = sections.last_mut() {
        s.blocks.push(block);
    }
}

/// Consecutive prose lines form one paragraph (the renderer wraps sentences).
fn flush_prose(sections: &mut [Section], prose: &mut Vec<&Line>) {
    if let (Some(first), Some(last)) = (prose.first(), prose.last()) {
        let joined: Vec<&str> = prose.iter().map(|l| l.text).collect();
        let p = inline(&joined.join(" "), first.range.start..last.range.end);
        push(sections, Block::Paragraph(p));
    }
    prose.clear();
}

fn is_cell(line: &str) -> bool {
    let t = line.trim_end();
    t.ends_with(" |") || t == "|"
}

fn cell_text(line: &str) -> &str {
    line.trim_end().trim_end_matches('|').trim()
}

fn table(file: FileId, lines: &[Line], diags: &mut Vec<Diagnostic>) -> Option<Table> {
    let cells: Vec<Inline> = lines
        .iter()
        .map(|l| {
            let c = cell_text(l.text);
            let start = l.range.start + (l.text.len() - l.text.trim_start().len());
            inline(c, start..start + c.len())
        })
        .collect();
    let span = lines.first()?.range.start..lines.last()?.range.end;
    let lower: Vec<String> = cells.iter().map(|c| c.text.to_ascii_lowercase()).collect();
    let width = HEADERS
        .iter()
        .filter(|h| h.len() <= lower.len() && h.iter().zip(&lower).all(|(p, c)| p(c)))
        .map(|h| h.len())
        .max();
    let Some(width) = width else {
        // A table we have no use for (national-cloud availability, …): keep
        // it as one column so nothing downstream mistakes it for facts.
        return Some(Table {
            header: Vec::new(),
            rows: cells.into_iter().map(|c| vec![c]).collect(),
            span,
            raw_cells: Vec::new(),
            raw_header_cells: 0,
        });
    };
    let mut it = cells.into_iter();
    let header: Vec<Inline> = it.by_ref().take(width).collect();
    let rest: Vec<Inline> = it.collect();
    if !rest.len().is_multiple_of(width) {
        diags.push(Diagnostic::warning(
            Code::TableShape,
            Span::new(file, span.clone()),
            format!(
                "rendered table has {} cells after its {}-column header, not a whole number of rows",
                rest.len(),
                width
            ),
        ));
    }
    let rows = rest
        .chunks(width)
        .filter(|r| r.len() == width)
        .map(<[Inline]>::to_vec)
        .collect();
    Some(Table {
        header,
        rows,
        span,
        raw_cells: Vec::new(),
        raw_header_cells: 0,
    })
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

pub fn is_request_line(t: &str) -> bool {
    let mut parts = t.splitn(2, ' ');
    let (Some(m), Some(rest)) = (parts.next(), parts.next()) else {
        return false;
    };
    // Paths may lack the leading slash (`DELETE sites/{site-id}/…`); then they
    // must still look like a path, not prose.
    let target = rest.trim_start();
    METHODS.contains(&m)
        && (target.starts_with('/')
            || target.starts_with("https://")
            || target.starts_with("http://")
            || (target.starts_with(|c: char| c.is_ascii_alphabetic())
                && target
                    .split(' ')
                    .next()
                    .is_some_and(|w| w.contains('/') || w.contains('{'))))
}

pub fn is_status_line(t: &str) -> bool {
    t.starts_with("HTTP/")
        && t.split_whitespace()
            .nth(1)
            .is_some_and(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_digit()))
}

fn is_header_line(t: &str) -> bool {
    match t.split_once(": ") {
        Some((name, _)) => !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        None => false,
    }
}

/// A request or status line, its header lines, and a JSON body when one
/// follows. Returns the block (text shaped like a markdown http block) and
/// the index of the next unconsumed line.
fn http_block(lines: &[Line], start: usize, source: &str) -> (CodeBlock, usize) {
    let mut out = String::from(lines[start].text.trim());
    out.push('\n');
    let mut end = lines[start].range.end;
    let mut i = start + 1;
    while i < lines.len() && is_header_line(lines[i].text.trim()) {
        out.push_str(lines[i].text.trim());
        out.push('\n');
        end = lines[i].range.end;
        i += 1;
    }
    if i < lines.len() && matches!(lines[i].text.trim_start().as_bytes().first(), Some(b'{') | Some(b'[')) {
        let body_start = lines[i].range.start;
        if let Some(len) = balanced_json_len(&source[body_start..]) {
            out.push('\n');
            out.push_str(&source[body_start..body_start + len]);
            end = body_start + len;
            while i < lines.len() && lines[i].range.start < end {
                i += 1;
            }
        }
    }
    (
        CodeBlock {
            lang: "http".into(),
            text: out,
            span: lines[start].range.start..end,
            annotation: None,
        },
        i,
    )
}

/// Length of the balanced `{…}`/`[…]` value at the start of `s`, honouring strings.
fn balanced_json_len(s: &str) -> Option<usize> {
    let (mut strings, mut depth) = (super::json::Strings::default(), 0usize);
    for (i, c) in s.char_indices() {
        if !strings.outside(c) {
            continue;
        }
        match c {
            '{' | '[' => depth += 1,
            '}' | ']' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_format() {
        assert!(looks_rendered("Property |\nType |\n"));
        assert!(!looks_rendered("# T\n|a|b|\n|---|---|\n"));
    }

    #[test]
    fn request_lines() {
        assert!(is_request_line("GET /me"));
        assert!(is_request_line("DELETE sites/{site-id}/termStore/sets/{set-id}"));
        assert!(!is_request_line("DELETE the item"));
        assert!(!is_request_line("GET requests are cached"));
    }

    #[test]
    fn splits_table_by_header() {
        let mut d = vec![];
        let s = parse(
            FileId(0),
            "Request body\nProperty |\nType |\nDescription |\nname |\nString |\nThe name. |\n",
            &mut d,
        );
        let Block::Table(t) = &s[1].blocks[0] else { panic!() };
        assert_eq!(t.header.len(), 3);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0][0].text, "name");
        assert!(d.is_empty());
    }

    #[test]
    fn http_block_with_json() {
        let mut d = vec![];
        let s = parse(
            FileId(0),
            "Response\nHTTP/1.1 200 OK\nContent-Type: application/json\n{\n\"a\": \"}\"\n}\nvar x = 1;\n",
            &mut d,
        );
        let Block::Code(c) = &s[1].blocks[0] else { panic!() };
        assert!(c.text.ends_with("\"a\": \"}\"\n}"));
        assert!(matches!(&s[1].blocks[1], Block::Paragraph(p) if p.text == "var x = 1;"));
    }
}
