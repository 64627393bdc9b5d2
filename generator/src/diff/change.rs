//! The change report: what changed, where on each side, and what it means for
//! the generated crate.

use serde::{Deserialize, Serialize};

/// What a change means for a user of the generated Rust crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Code using the crate stops compiling, or a payload stops deserializing.
    Breaking,
    /// The API surface changes, and existing code keeps compiling and
    /// deserializing (new items, changed constant values).
    Additive,
    /// Only documentation changes (descriptions, doc comments, facts the
    /// emitter does not turn into code).
    DocsOnly,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::Breaking, Class::Additive, Class::DocsOnly];

    pub fn as_str(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Additive => "additive",
            Class::DocsOnly => "docs-only",
        }
    }
}

/// Every kind of change the report knows. Kinds come in inverse pairs
/// (`TypeAdded`/`TypeRemoved`); the rest are their own inverse with the
/// sides swapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    TypeAdded,
    TypeRemoved,
    TypeRenamed,
    TypeKindChanged,
    BaseTypeChanged,
    PropertyAdded,
    PropertyRemoved,
    PropertyRenamed,
    /// The property now lives on a base type (or came down from one).
    PropertyMoved,
    PropertyTypeChanged,
    PropertyReadOnlyChanged,
    PropertyNullableChanged,
    PropertyNavigationChanged,
    PropertyDescriptionChanged,
    MemberAdded,
    MemberRemoved,
    MemberRenamed,
    MembersReordered,
    MemberDescriptionChanged,
    EndpointAdded,
    EndpointRemoved,
    EndpointRenamed,
    EndpointMethodChanged,
    EndpointPathChanged,
    EndpointAlternatePathAdded,
    EndpointAlternatePathRemoved,
    EndpointParametersChanged,
    EndpointRequestTypeChanged,
    EndpointResponseTypeChanged,
    EndpointStatusChanged,
    EndpointPermissionsChanged,
}

impl Kind {
    /// The kind the same change has when old and new are swapped.
    pub fn inverse(self) -> Kind {
        match self {
            Kind::TypeAdded => Kind::TypeRemoved,
            Kind::TypeRemoved => Kind::TypeAdded,
            Kind::PropertyAdded => Kind::PropertyRemoved,
            Kind::PropertyRemoved => Kind::PropertyAdded,
            Kind::MemberAdded => Kind::MemberRemoved,
            Kind::MemberRemoved => Kind::MemberAdded,
            Kind::EndpointAdded => Kind::EndpointRemoved,
            Kind::EndpointRemoved => Kind::EndpointAdded,
            Kind::EndpointAlternatePathAdded => Kind::EndpointAlternatePathRemoved,
            Kind::EndpointAlternatePathRemoved => Kind::EndpointAlternatePathAdded,
            k => k,
        }
    }

    /// Words for the report (`property removed`).
    pub fn words(self) -> &'static str {
        match self {
            Kind::TypeAdded => "type added",
            Kind::TypeRemoved => "type removed",
            Kind::TypeRenamed => "type renamed",
            Kind::TypeKindChanged => "type kind changed",
            Kind::BaseTypeChanged => "base type changed",
            Kind::PropertyAdded => "property added",
            Kind::PropertyRemoved => "property removed",
            Kind::PropertyRenamed => "property renamed",
            Kind::PropertyMoved => "property moved",
            Kind::PropertyTypeChanged => "property type changed",
            Kind::PropertyReadOnlyChanged => "read-only changed",
            Kind::PropertyNullableChanged => "nullable changed",
            Kind::PropertyNavigationChanged => "navigation changed",
            Kind::PropertyDescriptionChanged => "description changed",
            Kind::MemberAdded => "member added",
            Kind::MemberRemoved => "member removed",
            Kind::MemberRenamed => "member renamed",
            Kind::MembersReordered => "members reordered",
            Kind::MemberDescriptionChanged => "member description changed",
            Kind::EndpointAdded => "endpoint added",
            Kind::EndpointRemoved => "endpoint removed",
            Kind::EndpointRenamed => "endpoint renamed",
            Kind::EndpointMethodChanged => "method changed",
            Kind::EndpointPathChanged => "path changed",
            Kind::EndpointAlternatePathAdded => "alternate path added",
            Kind::EndpointAlternatePathRemoved => "alternate path removed",
            Kind::EndpointParametersChanged => "path parameters changed",
            Kind::EndpointRequestTypeChanged => "request type changed",
            Kind::EndpointResponseTypeChanged => "response type changed",
            Kind::EndpointStatusChanged => "success status changed",
            Kind::EndpointPermissionsChanged => "permissions changed",
        }
    }
}

/// One change. `old`/`new` are the values on each side (a type, a name, a
/// path, scopes), `old_at`/`new_at` the doc page and line (`path:line`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// `ms.prod` / `ms.subservice` of the page (new side when both have one).
    pub workload: String,
    /// The type's namespace; `endpoints` for operations.
    pub namespace: String,
    /// `user`, `user.displayName`, `GET /users/{id}` … named as on the new
    /// side where it exists.
    pub subject: String,
    pub kind: Kind,
    pub class: Class,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_at: Option<String>,
    /// Why the change has its class, in terms of the generated code.
    pub reason: String,
    /// A warning a reviewer must not miss (`least-privileged scope widened`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
}

/// Counts by class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub breaking: usize,
    pub additive: usize,
    pub docs_only: usize,
    /// Changes carrying a flag.
    pub flagged: usize,
}

impl Counts {
    pub fn of<'a>(changes: impl IntoIterator<Item = &'a Change>) -> Counts {
        let mut c = Counts::default();
        for x in changes {
            match x.class {
                Class::Breaking => c.breaking += 1,
                Class::Additive => c.additive += 1,
                Class::DocsOnly => c.docs_only += 1,
            }
            c.flagged += x.flag.is_some() as usize;
        }
        c
    }

    pub fn total(&self) -> usize {
        self.breaking + self.additive + self.docs_only
    }
}

/// The whole report: counts, then every change sorted by workload,
/// namespace, subject, kind and values.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub summary: Counts,
    /// How the emitter maps the IR, as observed on this run (the basis of
    /// every classification).
    pub rules: super::rules::Rules,
    pub changes: Vec<Change>,
}

impl Report {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn has_breaking(&self) -> bool {
        self.summary.breaking > 0
    }
}
