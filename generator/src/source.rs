//! The one owner of all source text. Every other layer holds `FileId`s and byte
//! spans into it; positions become `line:col` only when a diagnostic is rendered.

use rayon::prelude::*;
use std::ops::Range;

/// Index of a page in a [`SourceDb`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub range: Range<usize>,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span { file, range }
    }
}

/// One page: its path relative to the docs root (forward slashes) and its text.
#[derive(Debug)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    /// Set when the bytes were not valid UTF-8 and were decoded lossily.
    pub lossy_utf8: bool,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(path: String, bytes: Vec<u8>) -> Self {
        // Valid UTF-8 keeps its buffer; only invalid bytes are copied.
        let (mut text, lossy_utf8) = match String::from_utf8(bytes) {
            Ok(s) => (s, false),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
        };
        // A BOM is an encoding artefact, not content.
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        // memchr: `match_indices('\n')` searched anew for each of the
        // corpus' half a million lines.
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        SourceFile {
            path,
            text,
            lossy_utf8,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let col = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }
}

/// All pages of one run, in a deterministic order (sorted by path), whatever
/// order the caller added them in.
#[derive(Debug, Default)]
pub struct SourceDb {
    files: Vec<SourceFile>,
}

impl SourceDb {
    /// Builds the database from `(relative path, bytes)` pairs. Paths are
    /// normalised to forward slashes and sorted, so the result never depends on
    /// directory iteration order.
    pub fn from_pages<I, P>(pages: I) -> Self
    where
        I: IntoIterator<Item = (P, Vec<u8>)>,
        P: Into<String>,
    {
        let mut pages: Vec<(String, Vec<u8>)> = pages
            .into_iter()
            .map(|(p, b)| (p.into().replace('\\', "/"), b))
            .collect();
        pages.sort_by(|a, b| a.0.cmp(&b.0));
        pages.dedup_by(|a, b| a.0 == b.0);
        SourceDb {
            // Decoded and line-indexed in parallel (19 MB for v1.0), in order.
            files: pages.into_par_iter().map(|(p, b)| SourceFile::new(p, b)).collect(),
        }
    }

    /// The file at a normalised relative path.
    pub fn find(&self, path: &str) -> Option<FileId> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| FileId(i as u32))
    }

    /// Resolves `target` relative to the file `from` (`../x/y.md`), giving a
    /// normalised path; `None` when it climbs above the docs root or is absolute.
    pub fn resolve_relative(from: &str, target: &str) -> Option<String> {
        let target = target.split(['#', '?']).next().unwrap_or(target);
        if target.starts_with('/') || target.contains("://") {
            return None;
        }
        let mut parts: Vec<&str> = from.split('/').collect();
        parts.pop();
        for seg in target.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                s => parts.push(s),
            }
        }
        Some(parts.join("/"))
    }

    /// Include files (anything under an `includes/` folder) are read only
    /// where a page includes them, never as pages of their own.
    pub fn is_include(&self, id: FileId) -> bool {
        self.file(id)
            .path
            .split('/')
            .any(|c| c.eq_ignore_ascii_case("includes"))
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    /// The (empty) span at a resolved location; `FileId(0)` start when the
    /// location names no file of this database.
    pub fn span_at(&self, loc: &Location) -> Span {
        if let Some(id) = self.find(&loc.path) {
            let f = self.file(id);
            if let Some(&start) = f.line_starts.get(loc.line.saturating_sub(1)) {
                let line = &f.text[start..];
                let col: usize = line.chars().take(loc.col.saturating_sub(1)).map(char::len_utf8).sum();
                return Span::new(id, start + col..start + col);
            }
            return Span::new(id, 0..0);
        }
        Span::new(FileId(0), 0..0)
    }

    /// `path:line` of a span, for doc comments and the IR.
    pub fn location(&self, span: &Span) -> Location {
        let f = self.file(span.file);
        let (line, col) = f.line_col(span.range.start);
        Location {
            path: f.path.clone(),
            line,
            col,
        }
    }
}

/// A resolved, human-facing position; serialised as `path:line:col`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub col: usize,
}

impl serde::Serialize for Location {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Location {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Location::parse(&<String as serde::Deserialize>::deserialize(d)?))
    }
}

impl Location {
    /// Reads `path:line:col` (the path may itself hold colons); a string
    /// without numbers is a bare path at line 0.
    pub fn parse(s: &str) -> Location {
        let mut it = s.rsplitn(3, ':');
        let (c, l, p) = (it.next(), it.next(), it.next());
        match (p, l.and_then(|l| l.parse().ok()), c.and_then(|c| c.parse().ok())) {
            (Some(path), Some(line), Some(col)) => Location {
                path: path.to_owned(),
                line,
                col,
            },
            _ => Location {
                path: s.to_owned(),
                line: 0,
                col: 0,
            },
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.path, self.line, self.col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_independent_and_line_cols() {
        let a = SourceDb::from_pages([("b.md", b"x".to_vec()), ("a.md", b"l1\nl2".to_vec())]);
        assert_eq!(a.file(FileId(0)).path, "a.md");
        assert_eq!(a.file(FileId(0)).line_col(3), (2, 1));
        assert_eq!(a.file(FileId(0)).line_col(4), (2, 2));
    }

    #[test]
    fn relative_paths() {
        assert_eq!(
            SourceDb::resolve_relative("api/group-update.md", "../includes/permissions/x.md").as_deref(),
            Some("includes/permissions/x.md")
        );
        assert_eq!(SourceDb::resolve_relative("a.md", "../x.md"), None);
        assert_eq!(
            SourceDb::resolve_relative("a/b.md", "./c.md#frag").as_deref(),
            Some("a/c.md")
        );
        let db = SourceDb::from_pages([("b.md", vec![]), ("a/includes/x.md", vec![])]);
        assert_eq!(db.find("b.md"), Some(FileId(1)));
        assert!(db.is_include(FileId(0)));
    }

    #[test]
    fn bom_and_invalid_utf8() {
        let db = SourceDb::from_pages([("a.md", b"\xef\xbb\xbfhi\xff".to_vec())]);
        let f = db.file(FileId(0));
        assert!(f.lossy_utf8);
        assert!(f.text.starts_with("hi"));
    }
}
