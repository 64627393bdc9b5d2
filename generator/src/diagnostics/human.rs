//! rustc-style text: `path:line:col`, the source line with the span
//! underlined, related spans, and a help line (annotate-snippets).

use super::{Diagnostic, Severity};
use crate::source::SourceDb;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// Renders one diagnostic rustc-style: `path:line:col`, the source line with
/// the span underlined, related spans, and a help line.
pub fn render(db: &SourceDb, d: &Diagnostic, color: bool) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Note => Level::NOTE,
    };
    let file = db.file(d.span.file);
    let range = clamp(&file.text, d.span.range.clone());
    let mut primary = AnnotationKind::Primary.span(range);
    if let Some(l) = &d.label {
        primary = primary.label(l.as_str());
    }
    let mut snippet = Snippet::source(file.text.as_str())
        .path(file.path.as_str())
        .fold(true)
        .annotation(primary);
    let mut others = Vec::new();
    for r in &d.related {
        if r.span.file == d.span.file {
            let range = clamp(&file.text, r.span.range.clone());
            snippet = snippet.annotation(AnnotationKind::Context.span(range).label(r.label.as_str()));
        } else {
            let other = db.file(r.span.file);
            let range = clamp(&other.text, r.span.range.clone());
            others.push(
                Snippet::source(other.text.as_str())
                    .path(other.path.as_str())
                    .fold(true)
                    .annotation(AnnotationKind::Context.span(range).label(r.label.as_str())),
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
