//! rustc-style text: `path:line:col`, the source line with the span
//! underlined, related spans, and a help line (annotate-snippets).

use super::{Diagnostic, Severity};
use crate::source::{SourceDb, SourceFile};
use annotate_snippets::{Annotation, AnnotationKind, Group, Level, Renderer, Snippet};

/// Renders one diagnostic rustc-style: `path:line:col`, the source line with
/// the span underlined, related spans, and a help line.
pub fn render(db: &SourceDb, d: &Diagnostic, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    };
    let file = db.file(d.span.file);
    let mut ranges = vec![clamp(&file.text, d.span.range.clone())];
    ranges.extend(
        d.related
            .iter()
            .filter(|r| r.span.file == d.span.file)
            .map(|r| clamp(&file.text, r.span.range.clone())),
    );
    let (shown, shift) = lines_of(file, &ranges);
    let mut primary = AnnotationKind::Primary.span(shifted(&ranges[0], shift));
    if let Some(l) = &d.label {
        primary = primary.label(l.as_str());
    }
    let mut snippet = shown.path(file.path.as_str()).annotation(primary);
    let mut others = Vec::new();
    let mut same_file = ranges[1..].iter();
    for r in &d.related {
        if r.span.file == d.span.file {
            let range = same_file.next().map_or(0..0, |range| shifted(range, shift));
            snippet = snippet.annotation(AnnotationKind::Context.span(range).label(r.label.as_str()));
        } else {
            let other = db.file(r.span.file);
            let range = clamp(&other.text, r.span.range.clone());
            let (shown, shift) = lines_of(other, std::slice::from_ref(&range));
            others.push(
                shown.path(other.path.as_str()).annotation(
                    AnnotationKind::Context
                        .span(shifted(&range, shift))
                        .label(r.label.as_str()),
                ),
            );
        }
    }
    let mut group = level
        .primary_title(d.message.as_str())
        .id(d.code.as_str())
        .element(snippet);
    for o in others {
        group = group.element(o);
    }
    let mut report = vec![group];
    if let Some(h) = &d.help {
        report.push(Group::with_title(Level::HELP.secondary_title(h.as_str())));
    }
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    renderer.render(&report)
}

/// Every diagnostic rendered, each followed by a newline, in order;
/// rendered on the thread pool (a run has a thousand, each a snippet of
/// its page).
pub fn render_all(db: &SourceDb, diags: &[Diagnostic], color: bool) -> String {
    use rayon::prelude::*;
    let each: Vec<String> = diags.par_iter().map(|d| render(db, d, color)).collect();
    let mut text = String::with_capacity(each.iter().map(|t| t.len() + 1).sum());
    for t in each {
        text.push_str(&t);
        text.push('\n');
    }
    text
}

/// The snippet of the whole lines `ranges` touch, numbered as in the page,
/// and the byte offset it starts at: the renderer then reads those lines,
/// not the page from its start (pages run to megabytes).
fn lines_of<'a>(file: &'a SourceFile, ranges: &[std::ops::Range<usize>]) -> (Snippet<'a, Annotation<'a>>, usize) {
    let text = file.text.as_str();
    let lo = ranges.iter().map(|r| r.start).min().unwrap_or(0);
    let hi = ranges.iter().map(|r| r.end).max().unwrap_or(0);
    let start = text[..lo].rfind('\n').map_or(0, |i| i + 1);
    let end = text[hi..].find('\n').map_or(text.len(), |i| hi + i + 1);
    let snippet = Snippet::source(&text[start..end])
        .line_start(file.line_col(start).0)
        .fold(true);
    (snippet, start)
}

fn shifted(r: &std::ops::Range<usize>, by: usize) -> std::ops::Range<usize> {
    r.start - by..r.end - by
}

/// Keeps a span inside the text and on char boundaries, so a bad span from a
/// layer can never make rendering panic.
fn clamp(text: &str, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let mut start = r.start.min(text.len());
    let mut end = r.end.clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use crate::source::{FileId, Span};

    /// Only the lines the spans touch are handed to the renderer; line
    /// numbers and columns stay the page's, related spans keep their lines.
    #[test]
    fn spans_deep_in_a_page_keep_their_line_numbers() {
        let mut text: String = (1..=120).map(|i| format!("line {i}\n")).collect();
        text.push_str("| name | Strin |\n");
        let db = SourceDb::from_pages([("a.md", text.clone().into_bytes())]);
        let at = text.find("Strin").unwrap();
        let earlier = text.find("line 7\n").unwrap();
        let d = Diagnostic::warning(Code::UnknownTypeExpr, Span::new(FileId(0), at..at + 5), "unknown type")
            .with_related(Span::new(FileId(0), earlier..earlier + 6), "declared here");
        let out = render(&db, &d, false);
        assert!(out.contains("--> a.md:121:10"), "{out}");
        assert!(out.contains("121 | | name | Strin |"), "{out}");
        assert!(out.contains("7 | line 7"), "{out}");
        assert!(!out.contains("line 1\n") && !out.contains("line 120"), "{out}");
    }
}
