//! Diagnostics are plain data (code, severity, span, message) collected by every
//! layer; they are rendered once, at the edge, in one of three [`Format`]s:
//! rustc-style text ([`render`], in `human.rs`), JSON lines ([`json`]) or
//! SARIF 2.1.0 ([`sarif`]); [`summary`] is the table and line that end a run.

mod human;
pub mod json;
pub mod sarif;
pub mod summary;

pub use human::{render, render_all};

use crate::source::{Location, SourceDb, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

/// Stable diagnostic codes. The string form is what users grep for and what CI
/// ratchets on; never renumber.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// Page bytes are not valid UTF-8.
    InvalidUtf8,
    /// Front matter is not valid YAML.
    FrontMatter,
    /// A `<!-- { ... } -->` annotation is not valid JSON.
    Annotation,
    /// A code block expected to hold JSON does not parse.
    InvalidJson,
    /// An example value is a doc placeholder (`"String"`, `"Integer"` …).
    ExamplePlaceholder,
    /// A table row has a different number of cells than its header.
    TableShape,
    /// A type cell could not be understood.
    UnknownTypeExpr,
    /// A type name that no page defines.
    UnresolvedType,
    /// Two pages (or rows) disagree about a fact.
    Conflict,
    /// A request line in an http block does not parse.
    BadRequestLine,
    /// An example request path does not match the documented template.
    PathMismatch,
    /// A permission cell is a TODO placeholder.
    PermissionTodo,
    /// A page yields no type and no endpoint.
    NoFacts,
    /// Two IR items would get the same Rust name.
    NameCollision,
    /// The generated code failed to parse (a generator bug, never the page's).
    EmitFailure,
    /// An `[!INCLUDE]` the page needs is not in the docs tree.
    MissingInclude,
    /// An example sets a property its type does not document.
    ExampleUnknownProperty,
    /// An example value does not fit the documented type.
    ExampleWrongType,
    /// An example uses an enum value the enum does not list.
    ExampleEnumValue,
    /// A response body's `@odata.type` disagrees with the documented type.
    ExampleTypeMismatch,
    /// An example's status line disagrees with the documented success status.
    StatusMismatch,
    /// A request example has a body where the page documents none.
    UnexpectedRequestBody,
    /// A markdown page has no `# title` heading.
    MissingTitle,
    /// A path parameter the Path parameters table does not describe.
    UndescribedPathParameter,
    /// Pages list different members for one enum.
    EnumDisagreement,
    /// The docs and a metadata (CSDL) file disagree (`--metadata`).
    MetadataDisagreement,
}

impl Code {
    pub const ALL: &'static [Code] = &[
        Code::InvalidUtf8,
        Code::FrontMatter,
        Code::Annotation,
        Code::InvalidJson,
        Code::ExamplePlaceholder,
        Code::TableShape,
        Code::UnknownTypeExpr,
        Code::UnresolvedType,
        Code::Conflict,
        Code::BadRequestLine,
        Code::PathMismatch,
        Code::PermissionTodo,
        Code::NoFacts,
        Code::NameCollision,
        Code::EmitFailure,
        Code::MissingInclude,
        Code::ExampleUnknownProperty,
        Code::ExampleWrongType,
        Code::ExampleEnumValue,
        Code::ExampleTypeMismatch,
        Code::StatusMismatch,
        Code::UnexpectedRequestBody,
        Code::MissingTitle,
        Code::UndescribedPathParameter,
        Code::EnumDisagreement,
        Code::MetadataDisagreement,
    ];

    /// One line on what the code means (SARIF rule text, README table).
    pub fn description(self) -> &'static str {
        match self {
            Code::InvalidUtf8 => "page bytes are not UTF-8",
            Code::FrontMatter => "front matter is not valid YAML, not a mapping, or not closed",
            Code::Annotation => "a blockType annotation is not JSON",
            Code::InvalidJson => "an example is not strict JSON, or not JSON at all",
            Code::ExamplePlaceholder => "an example holds type placeholders instead of values",
            Code::TableShape => "a table row has more or fewer cells than its header",
            Code::UnknownTypeExpr => "a type cell cannot be read as a type",
            Code::UnresolvedType => "a type name that no page defines",
            Code::Conflict => "pages or rows disagree about a fact",
            Code::BadRequestLine => "an HTTP request block has no request line",
            Code::PathMismatch => "an example request path does not fit the documented template",
            Code::PermissionTodo => "a permission cell is a TODO placeholder",
            Code::NoFacts => "a page yields no type and no endpoint",
            Code::NameCollision => "two names map to one Rust identifier",
            Code::EmitFailure => "generator bug: emitted code does not parse",
            Code::MissingInclude => "a permissions include is not in the docs tree",
            Code::ExampleUnknownProperty => "an example sets a property its type does not document",
            Code::ExampleWrongType => "an example value does not fit the documented type",
            Code::ExampleEnumValue => "an example uses an enum value the enum does not list",
            Code::ExampleTypeMismatch => "a response body's @odata.type disagrees with the documented type",
            Code::StatusMismatch => "an example's status line disagrees with the documented success status",
            Code::UnexpectedRequestBody => "a request example has a body where the page documents none",
            Code::MissingTitle => "a markdown page has no title heading",
            Code::UndescribedPathParameter => "a path parameter the Path parameters table does not describe",
            Code::EnumDisagreement => "pages list different members for one enum",
            Code::MetadataDisagreement => "the docs and the metadata disagree",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidUtf8 => "GD0001-invalid-utf8",
            Code::FrontMatter => "GD0002-front-matter",
            Code::Annotation => "GD0003-annotation",
            Code::InvalidJson => "GD0004-invalid-json",
            Code::ExamplePlaceholder => "GD0005-example-placeholder",
            Code::TableShape => "GD0006-table-shape",
            Code::UnknownTypeExpr => "GD0007-unknown-type-expr",
            Code::UnresolvedType => "GD0008-unresolved-type",
            Code::Conflict => "GD0009-conflict",
            Code::BadRequestLine => "GD0010-bad-request-line",
            Code::PathMismatch => "GD0011-path-mismatch",
            Code::PermissionTodo => "GD0012-permission-todo",
            Code::NoFacts => "GD0013-no-facts",
            Code::NameCollision => "GD0014-name-collision",
            Code::EmitFailure => "GD0015-emit-failure",
            Code::MissingInclude => "GD0016-missing-include",
            Code::ExampleUnknownProperty => "GD0017-example-unknown-property",
            Code::ExampleWrongType => "GD0018-example-wrong-type",
            Code::ExampleEnumValue => "GD0019-example-enum-value",
            Code::ExampleTypeMismatch => "GD0020-example-type-mismatch",
            Code::StatusMismatch => "GD0021-status-mismatch",
            Code::UnexpectedRequestBody => "GD0022-unexpected-request-body",
            Code::MissingTitle => "GD0023-missing-title",
            Code::UndescribedPathParameter => "GD0024-undescribed-path-parameter",
            Code::EnumDisagreement => "GD0025-enum-disagreement",
            Code::MetadataDisagreement => "GD0026-metadata-disagreement",
        }
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A secondary span with its own label ("first documented here").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    /// Label under the underlined span.
    pub label: Option<String>,
    pub related: Vec<Related>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, severity: Severity, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity,
            span,
            message: message.into(),
            label: None,
            related: Vec::new(),
            help: None,
        }
    }
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, span, message)
    }
    pub fn warning(code: Code, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, span, message)
    }
    pub fn note(code: Code, span: Span, message: impl Into<String>) -> Self {
        Self::new(code, Severity::Note, span, message)
    }
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            label: label.into(),
        });
        self
    }

    /// Sort key giving a stable, reader-friendly order.
    pub fn sort_key(&self) -> (u32, usize, Code, &str) {
        (self.span.file.0, self.span.range.start, self.code, &self.message)
    }
}

/// How diagnostics are printed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// rustc-style text, for people.
    #[default]
    Human,
    /// One JSON object per line.
    Json,
    /// A SARIF 2.1.0 log, which code-review tools turn into annotations.
    Sarif,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "human" => Ok(Format::Human),
            "json" => Ok(Format::Json),
            "sarif" => Ok(Format::Sarif),
            other => Err(format!("unknown diagnostics format `{other}` (human, json, sarif)")),
        }
    }
}

/// The path of a page as CI sees it: `base` (the docs folder as the user
/// gave it, `/`-separated; empty or `.` for none), then the page.
pub fn page_uri(base: &str, page: &str) -> String {
    let base = base.trim_end_matches('/');
    if base.is_empty() || base == "." {
        page.to_owned()
    } else {
        format!("{base}/{page}")
    }
}

/// A diagnostic with its position resolved, for machine-readable output.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Resolved {
    pub code: Code,
    pub severity: Severity,
    pub location: Location,
    /// Where the underlined span ends (1-based line and column).
    pub end_line: usize,
    pub end_col: usize,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

pub fn resolve(db: &SourceDb, d: &Diagnostic) -> Resolved {
    let file = db.file(d.span.file);
    let (end_line, end_col) = file.line_col(d.span.range.end);
    Resolved {
        code: d.code,
        severity: d.severity,
        location: db.location(&d.span),
        end_line,
        end_col,
        message: d.message.clone(),
        help: d.help.clone(),
    }
}

/// Counts per severity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

pub fn count(diags: &[Diagnostic]) -> Counts {
    let mut c = Counts::default();
    for d in diags {
        match d.severity {
            Severity::Error => c.errors += 1,
            Severity::Warning => c.warnings += 1,
            Severity::Note => c.notes += 1,
        }
    }
    c
}
