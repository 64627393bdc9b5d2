//! `cargo xtask check-payload`: real Graph payloads against the generated
//! model and the docs.
//!
//! Each payload (one entity, or a collection page `{"value": [...]}`) goes
//! through the generated type its name resolves to (`generated::dispatch`,
//! so derived types resolve by `@odata.type`), is serialized back and
//! compared with the input: a difference is a loss. The same payload is
//! walked against the IR (`generator::lower::walk`, the walk the docs'
//! example checks use) for what the docs do not say: undeclared properties
//! and enum values (drift, kept by the model), derived types, values of the
//! wrong type. Every finding carries a JSON path.

pub mod compare;
pub mod context;
pub mod report;

use generator::ir::{Model, TypeId, TypeKind, TypeRef};
use generator::lower::walk::{self, Check, Hit, HitKind, TypeIndex};
use serde_json::Value;
use std::path::Path;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// A property the docs do not declare (kept in `additional_data`).
    Drift,
    /// An enum value the docs do not list (kept as `Undocumented`).
    EnumValue,
    /// An `@odata.type` the docs do not document (read as the declared type).
    UnknownType,
    /// Which type the payload was checked as, and where that came from.
    Type,
    /// A derived type picked by `@odata.type`.
    Derived,
    /// An `@odata.type` unrelated to the declared type.
    OtherType,
    /// A value that does not fit its documented type.
    WrongType,
    /// The round trip changed the payload.
    Loss,
    /// No type given or found.
    NoType,
    /// The type is documented but not compiled into this build.
    NotInBuild,
    /// The file is not JSON.
    InvalidJson,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Drift => "drift",
            Kind::EnumValue => "enum-value",
            Kind::UnknownType => "unknown-type",
            Kind::Type => "type",
            Kind::Derived => "derived",
            Kind::OtherType => "other-type",
            Kind::WrongType => "wrong-type",
            Kind::Loss => "loss",
            Kind::NoType => "no-type",
            Kind::NotInBuild => "not-in-build",
            Kind::InvalidJson => "invalid-json",
        }
    }

    /// Drift from the docs: the model keeps it, `--deny drift` fails on it.
    pub fn is_drift(self) -> bool {
        matches!(self, Kind::Drift | Kind::EnumValue | Kind::UnknownType)
    }
}

/// One finding at a JSON path of a payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub kind: Kind,
    /// `$.value[3].displayName`
    pub path: String,
    pub message: String,
}

/// The findings of one payload and how many objects it held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checked {
    pub findings: Vec<Finding>,
    /// Entities checked: 1, or the items of a collection page.
    pub objects: usize,
}

/// The IR of the docs, indexed for lookups.
pub struct Checker {
    model: Model,
    ids: TypeIndex,
}

impl Checker {
    /// Reads and lowers a docs tree (no emission): about a second for v1.0.
    pub fn from_docs(dir: &Path) -> Result<Checker, String> {
        Ok(Checker::new(xtask::docs_model(dir)?.1.model))
    }

    pub fn new(model: Model) -> Checker {
        let ids = walk::type_index(&model);
        Checker { model, ids }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The entity or complex type a qualified name names (`microsoft.graph.user`).
    pub fn type_id(&self, name: &str) -> Option<TypeId> {
        walk::resolve(&self.ids, name).filter(|id| self.model.ty(*id).kind != TypeKind::Enum)
    }

    fn qualified(&self, id: TypeId) -> String {
        let t = self.model.ty(id);
        format!("{}.{}", t.namespace, t.name)
    }

    /// Checks a payload's text; a file that is not JSON is one finding.
    pub fn check_text(&self, text: &str, declared: Option<TypeId>) -> Checked {
        match serde_json::from_str::<Value>(text) {
            Ok(v) => self.check(&v, declared),
            Err(e) => Checked {
                findings: vec![Finding {
                    severity: Severity::Error,
                    kind: Kind::InvalidJson,
                    path: "$".into(),
                    message: format!("not JSON: {e}"),
                }],
                objects: 0,
            },
        }
    }

    /// Checks a payload. The type of each entity: `declared` (`--type`),
    /// else its own `@odata.type`, else the `@odata.context` of the payload.
    pub fn check(&self, payload: &Value, declared: Option<TypeId>) -> Checked {
        let mut out = Checked::default();
        let ctx = payload
            .get("@odata.context")
            .and_then(Value::as_str)
            .and_then(|c| context::type_of(&self.model, &self.ids, c));
        let own = |v: &Value| walk::odata_type_of(&self.ids, v, "microsoft.graph").filter(|id| self.is_struct(*id));
        let pick = |v: &Value| -> Option<(TypeId, String)> {
            if let Some(id) = declared {
                return Some((id, "--type".into()));
            }
            if let Some(id) = own(v) {
                // Under a base type the context names, the base's `…Any` enum
                // resolves the derived type, as user code reading the page would.
                if let Some((base, how)) = &ctx {
                    if self.model.ancestors(id).contains(base) {
                        return Some((*base, format!("`@odata.context`, by {how}")));
                    }
                }
                return Some((id, "its `@odata.type`".into()));
            }
            ctx.as_ref()
                .map(|(id, how)| (*id, format!("`@odata.context`, by {how}")))
        };
        let top = pick(payload);
        if self.is_page(payload, top.as_ref().map(|t| t.0)) {
            // The page's type (from --type or the context) is said once; an
            // item's own type only where it differs.
            let page_type = declared.or(ctx.as_ref().map(|c| c.0));
            if let (Some(id), Some((_, how))) = (page_type, &top) {
                out.findings.push(Finding {
                    severity: Severity::Info,
                    kind: Kind::Type,
                    path: "$".into(),
                    message: format!("a collection page of `{}` (from {how})", self.qualified(id)),
                });
            }
            let items = payload["value"].as_array().map(Vec::as_slice).unwrap_or_default();
            for (i, item) in items.iter().enumerate() {
                let path = format!("$.value[{i}]");
                match pick(item) {
                    Some((id, how)) => {
                        let how = (Some(id) != page_type).then_some(how.as_str());
                        self.entity(&mut out.findings, item, id, how, &path)
                    }
                    None => out.findings.push(no_type(&path)),
                }
            }
            out.objects = items.len();
            // The page itself: paging links and other annotations survive.
            let back = serde_json::from_value::<generated::Collection<Value>>(payload.clone())
                .and_then(|c| serde_json::to_value(&c));
            match back {
                Ok(back) => out.findings.extend(losses(payload, &back, "$")),
                Err(e) => out.findings.push(Finding {
                    severity: Severity::Error,
                    kind: Kind::WrongType,
                    path: "$".into(),
                    message: format!("not a collection page: {e}"),
                }),
            }
        } else {
            match top {
                Some((id, how)) => self.entity(&mut out.findings, payload, id, Some(&how), "$"),
                None => out.findings.push(no_type("$")),
            }
            out.objects = 1;
        }
        out
    }

    /// Checks a payload as a given type and shape (the docs' examples say both).
    pub fn check_as(&self, payload: &Value, ty: TypeId, collection: bool) -> Checked {
        let mut out = Checked::default();
        if collection {
            let items = payload.get("value").and_then(Value::as_array);
            for (i, item) in items.into_iter().flatten().enumerate() {
                self.entity(&mut out.findings, item, ty, None, &format!("$.value[{i}]"));
                out.objects += 1;
            }
            let back = serde_json::from_value::<generated::Collection<Value>>(payload.clone())
                .and_then(|c| serde_json::to_value(&c));
            match back {
                Ok(back) => out.findings.extend(losses(payload, &back, "$")),
                Err(e) => out.findings.push(Finding {
                    severity: Severity::Error,
                    kind: Kind::WrongType,
                    path: "$".into(),
                    message: format!("not a collection page: {e}"),
                }),
            }
        } else {
            self.entity(&mut out.findings, payload, ty, None, "$");
            out.objects = 1;
        }
        out
    }

    fn is_struct(&self, id: TypeId) -> bool {
        self.model.ty(id).kind != TypeKind::Enum
    }

    /// `{"value": [...]}` is a collection page, unless the type itself has a
    /// `value` property.
    fn is_page(&self, payload: &Value, ty: Option<TypeId>) -> bool {
        let own_value = ty.is_some_and(|id| self.model.all_properties(id).iter().any(|p| p.name == "value"));
        !own_value && payload.get("value").is_some_and(Value::is_array)
    }

    /// One entity: walked against the IR, then round-tripped through the
    /// generated type. `how`: where its type came from, to report.
    fn entity(&self, out: &mut Vec<Finding>, v: &Value, id: TypeId, how: Option<&str>, path: &str) {
        let q = self.qualified(id);
        if let Some(how) = how {
            out.push(Finding {
                severity: Severity::Info,
                kind: Kind::Type,
                path: path.to_owned(),
                message: format!("checked as `{q}` (from {how})"),
            });
        }
        let mut check = Check::new(&self.model, &self.ids);
        check.placeholders = false;
        check.open_types = true;
        check.flags_final = true;
        check.value(v, &TypeRef::Named(id, self.model.ty(id).qualified()), path, "", 0);
        let typed_error = check.hits.iter().any(|h| h.kind == HitKind::WrongType && h.typed);
        out.extend(check.hits.iter().filter_map(finding));
        match generated::dispatch::round_trip(&q, v.clone()) {
            None => out.push(Finding {
                severity: Severity::Error,
                kind: Kind::NotInBuild,
                path: path.to_owned(),
                message: format!("`{q}` is not in this build of the generated crate"),
            }),
            // The walk already located each wrong value; serde stops at the first.
            Some(Err(_)) if typed_error => {}
            Some(Err(e)) => {
                let text = e.to_string();
                let (at, msg) = error_path(&text);
                out.push(Finding {
                    severity: Severity::Error,
                    kind: Kind::WrongType,
                    path: format!("{path}{at}"),
                    message: format!("does not deserialize into `{q}`: {msg}"),
                });
            }
            Some(Ok(back)) => out.extend(losses(v, &back, path)),
        }
    }
}

fn no_type(path: &str) -> Finding {
    Finding {
        severity: Severity::Error,
        kind: Kind::NoType,
        path: path.to_owned(),
        message: "no type: pass --type, or send an `@odata.type` or an `@odata.context` the docs resolve".into(),
    }
}

fn losses(before: &Value, after: &Value, path: &str) -> Vec<Finding> {
    compare::differences(before, after, path)
        .into_iter()
        .map(|d| Finding {
            severity: Severity::Error,
            kind: Kind::Loss,
            path: d.path,
            message: d.what,
        })
        .collect()
}

/// A walk hit as a finding (placeholders are for the docs, not payloads).
fn finding(h: &Hit) -> Option<Finding> {
    let value = h.value.as_deref().unwrap_or("");
    let (severity, kind, message) = match h.kind {
        HitKind::Placeholder => return None,
        HitKind::Unknown => (
            Severity::Warning,
            Kind::Drift,
            format!(
                "`{}` is not a property of `{}` in the docs ({}kept in additional_data)",
                h.key,
                h.owner,
                if h.detail.is_empty() { "" } else { "an open type; " }
            ),
        ),
        HitKind::EnumValue => (
            Severity::Warning,
            Kind::EnumValue,
            format!(
                "`{value}` is not a documented value ({}); kept as `Undocumented`",
                h.detail
            ),
        ),
        HitKind::UnknownType => (
            Severity::Warning,
            Kind::UnknownType,
            format!("`@odata.type` `{value}` is not documented; read as the declared type"),
        ),
        HitKind::Derived => (
            Severity::Info,
            Kind::Derived,
            format!("`@odata.type` resolves to {}", h.detail),
        ),
        HitKind::OtherType => (
            Severity::Warning,
            Kind::OtherType,
            format!("`@odata.type` names {}; read as the declared type", h.detail),
        ),
        HitKind::WrongType if h.typed => (
            Severity::Error,
            Kind::WrongType,
            format!("{}: does not deserialize", h.detail),
        ),
        HitKind::WrongType => (
            Severity::Warning,
            Kind::WrongType,
            format!("{} (kept as raw JSON)", h.detail),
        ),
    };
    Some(Finding {
        severity,
        kind,
        path: h.path.clone(),
        message,
    })
}

/// The model's deserialize errors name each property on the way down
/// (`` `a`: `b`: invalid type … ``): that is a path below the entity.
pub fn error_path(message: &str) -> (String, &str) {
    let mut path = String::new();
    let mut rest = message;
    while let Some(after) = rest.strip_prefix('`') {
        let Some((key, tail)) = after.split_once("`: ") else {
            break;
        };
        if !key.starts_with('[') {
            path.push('.');
        }
        path.push_str(key);
        rest = tail;
    }
    (path, rest)
}

#[cfg(test)]
mod tests {
    #[test]
    fn error_paths() {
        assert_eq!(
            super::error_path("`a`: `b c`: invalid type: string \"x\""),
            (".a.b c".to_owned(), "invalid type: string \"x\"")
        );
        assert_eq!(super::error_path("missing"), (String::new(), "missing"));
        assert_eq!(
            super::error_path("`value`: `[2]`: `a`: bad"),
            (".value[2].a".to_owned(), "bad")
        );
    }
}
