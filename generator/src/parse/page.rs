//! The page model of pass 1: a page's shape (sections, tables, code blocks,
//! annotations) with byte spans, independent of whether it came from markdown
//! or from a rendered-text page. No Graph semantics beyond section naming.

use crate::source::FileId;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Format {
    Markdown,
    /// A learn.microsoft.com page rendered to plain text: table cells one per
    /// line ending in ` |`, no fences, SDK snippets inline.
    RenderedText,
}

/// What a section is about, from its heading text (case-insensitive, with
/// synonyms). Level does not matter: the corpus uses H2 to H6 for the same thing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum SectionKind {
    /// Text before the first heading, and the H1 title section.
    Preamble,
    Permissions,
    HttpRequest,
    PathParameters,
    QueryParameters,
    RequestHeaders,
    RequestBody,
    Response,
    Examples,
    ExampleRequest,
    ExampleResponse,
    Properties,
    Relationships,
    JsonRepresentation,
    Methods,
    Members,
    /// `### x values`: the members of enum `x` (in `enums.md` and resource pages).
    EnumValues,
    Other,
}

impl SectionKind {
    /// Classifies a heading's text.
    pub fn classify(heading: &str) -> SectionKind {
        let h = heading.trim().trim_end_matches(':').trim().to_ascii_lowercase();
        let h = h.as_str();
        match h {
            "permissions" | "prerequisites" | "permission" => SectionKind::Permissions,
            "http request" | "http requests" | "http request syntax" => SectionKind::HttpRequest,
            "path parameters" => SectionKind::PathParameters,
            "optional query parameters" | "query parameters" | "optional query parameter" => {
                SectionKind::QueryParameters
            }
            "request headers" | "request header" | "optional request headers" => SectionKind::RequestHeaders,
            "request body" | "function parameters" | "parameters" | "action parameters" => SectionKind::RequestBody,
            "response" | "responses" => SectionKind::Response,
            "example" | "examples" => SectionKind::Examples,
            "request" => SectionKind::ExampleRequest,
            "properties" => SectionKind::Properties,
            "relationships" => SectionKind::Relationships,
            "json representation" => SectionKind::JsonRepresentation,
            "methods" => SectionKind::Methods,
            "members" => SectionKind::Members,
            _ if h.starts_with("example ") => SectionKind::Examples,
            // "Permissions acting on self", "Permissions for specific scenarios".
            _ if h.starts_with("permissions ") => SectionKind::Permissions,
            _ if h.ends_with(" values") && h.split_whitespace().count() == 2 => SectionKind::EnumValues,
            _ if h.starts_with("request") && h.len() < 40 => SectionKind::ExampleRequest,
            _ if h.starts_with("response") && h.len() < 40 => SectionKind::ExampleResponse,
            _ => SectionKind::Other,
        }
    }
}

/// Text with the links it contained, flattened to plain text (link text kept,
/// inline-code backticks dropped, whitespace collapsed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inline {
    pub text: String,
    pub links: Vec<Link>,
    /// Contents of inline code spans, in order.
    pub code: Vec<String>,
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub target: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<Inline>,
    pub rows: Vec<Vec<Inline>>,
    pub span: Range<usize>,
    /// Cells each row has in the source (GFM pads short rows and drops extra
    /// cells; this keeps what the author wrote). Parallel to `rows`; empty
    /// when unknown (rendered-text pages).
    pub raw_cells: Vec<usize>,
    /// Cells of the header row in the source.
    pub raw_header_cells: usize,
}

/// Cells of a GFM table row as written: pipes split cells unless escaped.
pub fn raw_cell_count(line: &str) -> usize {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').filter(|r| !r.ends_with('\\')).unwrap_or(t);
    let mut n = 1;
    let mut escaped = false;
    for c in t.chars() {
        match c {
            '\\' => escaped = !escaped,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
    }
    n
}

impl Table {
    /// Index of the first header cell satisfying `pred` on its lowercased text.
    pub fn column(&self, pred: impl Fn(&str) -> bool) -> Option<usize> {
        self.header.iter().position(|c| pred(&c.text.to_ascii_lowercase()))
    }
}

/// The `<!-- { "blockType": … } -->` annotation, parsed leniently.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    pub block_type: String,
    pub name: Option<String>,
    pub odata_type: Option<String>,
    pub truncated: bool,
    pub is_collection: bool,
    /// `baseType` of a resource annotation (qualified), when given.
    pub base_type: Option<String>,
    /// `keyProperty` of a resource annotation: the type is an entity.
    pub key_property: Option<String>,
    /// `openType`: instances may carry properties the type does not declare.
    pub open_type: bool,
    /// `abstract`: the type is only instantiated through derived types.
    pub is_abstract: bool,
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CodeBlock {
    /// First word of the info string, ASCII-lowercased (`http`, `json`, …).
    pub lang: String,
    pub text: String,
    /// Span of `text` in the source (the content, not the fences).
    pub span: Range<usize>,
    pub annotation: Option<Annotation>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Paragraph(Inline),
    Table(Table),
    Code(CodeBlock),
    /// `[!INCLUDE [label](path)]`: another file's content goes here.
    Include(Include),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Include {
    pub label: String,
    /// The path as written, relative to the including page.
    pub target: String,
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub heading: Option<Inline>,
    pub level: u8,
    pub kind: SectionKind,
    pub blocks: Vec<Block>,
}

/// Front matter keys we use; everything else is ignored deliberately.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub doc_type: Option<String>,
    /// `ms.prod`, or today's `ms.subservice`.
    pub product: Option<String>,
    pub span: Range<usize>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub file: FileId,
    pub format: Format,
    pub front_matter: Option<FrontMatter>,
    /// The H1 heading.
    pub title: Option<Inline>,
    pub sections: Vec<Section>,
}

/// Collapses runs of whitespace (any Unicode whitespace, NBSP included) into
/// one ASCII space and trims.
pub fn squash_ws(s: &str) -> String {
    if s.is_ascii() {
        return squash_ascii_ws(s);
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split(|c: char| c.is_whitespace() || c == '\u{200b}') {
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// [`squash_ws`] of an owned text, kept as it is when there is nothing to
/// squash (most cells and paragraphs: one scan, no copy).
pub fn squashed(s: String) -> String {
    let b = s.as_bytes();
    let plain = b.is_ascii()
        && b.first().is_none_or(|&c| c != b' ')
        && b.last().is_none_or(|&c| c != b' ')
        && !b.iter().any(|&c| matches!(c, b'\t' | b'\n' | 0x0B | 0x0C | b'\r'))
        && memchr::memmem::find(b, b"  ").is_none();
    if plain {
        s
    } else {
        squash_ws(&s)
    }
}

/// [`squash_ws`] of ASCII text, byte by byte (most cells and paragraphs):
/// the ASCII whitespace of `char::is_whitespace` is `\t \n \x0B \x0C \r`
/// and the space.
fn squash_ascii_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let ws = |b: u8| matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if ws(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !ws(bytes[i]) {
            i += 1;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&s[start..i]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::raw_cell_count;

    proptest::proptest! {
        /// An owned text squashes as a borrowed one.
        #[test]
        fn squashed_is_squash(s in "[ a\t\n\r\x0B\x0Cé\u{a0}\u{200b}]{0,12}") {
            proptest::prop_assert_eq!(super::squashed(s.clone()), super::squash_ws(&s));
        }

        /// The ASCII path is the general one.
        #[test]
        fn squash_ascii_is_squash(s in "[ -~\t\n\x0B\x0C\r]{0,40}") {
            let general: Vec<&str> = s.split(char::is_whitespace).filter(|w| !w.is_empty()).collect();
            proptest::prop_assert_eq!(super::squash_ascii_ws(&s), general.join(" "));
        }
    }

    #[test]
    fn raw_cells() {
        assert_eq!(raw_cell_count("|a|b|c|"), 3);
        assert_eq!(raw_cell_count("a|b"), 2);
        assert_eq!(raw_cell_count("|id|`{id | upn}`|x|"), 4);
        assert_eq!(raw_cell_count("|a\\|b|c|"), 2);
    }
}
