//! Walks paired items and classifies every difference. Each class comes from
//! the generated code: the Rust names from the naming authority, field types
//! from the emitter (`emit::field_type_text`), and the struct and enum
//! shapes from [`Rules`] (observed on the emitter's own output).
//!
//! One module per subject: `types.rs` (added, removed, renamed, kind and
//! base type), `properties.rs`, `members.rs` (of enums), `endpoints.rs` and
//! their `permissions.rs`. Every comparison writes what it finds as a
//! `Found` literal; `GroupChanges` files it under its workload and
//! namespace.

mod endpoints;
mod members;
mod permissions;
mod properties;
mod types;

pub use endpoints::endpoints;
pub use permissions::widened;
pub use types::types;

use super::change::{Change, Class, Kind};
use super::rules::Rules;
use crate::emit;
use crate::ir::{Model, Property, TypeId};
use crate::rust::naming::{self, Names};
use crate::source::{FileId, Location, Span};
use std::collections::{HashMap, HashSet};

/// One side of the comparison with the emitter's view of it.
pub struct Side<'a> {
    pub model: &'a Model,
    pub names: Names,
    /// Every page that contributed a fact.
    pages: HashSet<&'a str>,
}

/// Flattened properties with their Rust field names, by wire name.
type Fields<'a> = HashMap<&'a str, (&'a Property, &'a str)>;

impl<'a> Side<'a> {
    pub fn new(model: &'a Model) -> Side<'a> {
        let span = Span::new(FileId(0), 0..0);
        let mut pages: HashSet<&str> = HashSet::new();
        for t in &model.types {
            pages.extend(t.sources.iter().map(|s| s.path.as_str()));
            pages.extend(t.properties.iter().map(|p| p.source.path.as_str()));
            pages.extend(t.members.iter().map(|m| m.source.path.as_str()));
        }
        for e in &model.endpoints {
            pages.extend(e.sources.iter().map(|s| s.path.as_str()));
        }
        Side {
            model,
            names: naming::assign(model, &mut Vec::new(), &|_| span.clone()),
            pages,
        }
    }

    /// `module::Type`, as user code names it.
    fn type_path(&self, id: TypeId) -> String {
        let t = self.model.ty(id);
        let m = self.names.modules.get(&t.namespace).map_or("?", String::as_str);
        format!("{m}::{}", self.names.types[id.0 as usize])
    }

    /// Flattened properties with their Rust field names, by wire name.
    fn fields(&self, id: TypeId) -> Fields<'_> {
        let names = &self.names.fields[id.0 as usize];
        self.model
            .all_properties(id)
            .into_iter()
            .zip(names)
            .map(|(p, f)| (p.name.as_str(), (p, f.as_str())))
            .collect()
    }

    /// The field's Rust type as emitted, tidied for reading.
    fn field_type(&self, p: &Property) -> String {
        tidy(&emit::field_type_text(self.model, &self.names, p))
    }
}

pub struct Options {
    pub common_only: bool,
}

/// Both sides and what classifies their differences: every comparison reads it.
struct Sides<'s> {
    old: &'s Side<'s>,
    new: &'s Side<'s>,
    rules: &'s Rules,
    /// Comparing only what both sides document: facts that one side cannot
    /// know (a type it has no page for) are not changes.
    common_only: bool,
}

impl Sides<'_> {
    /// With `common_only`, a fact read from a page the other side does not
    /// have is not comparable: that side cannot know it.
    fn comparable(&self, old_at: Option<&Location>, new_at: Option<&Location>) -> bool {
        !self.common_only
            || (old_at.is_none_or(|l| self.new.pages.contains(l.path.as_str()))
                && new_at.is_none_or(|l| self.old.pages.contains(l.path.as_str())))
    }
}

/// One change as a comparison finds it, before [`GroupChanges::push`] files
/// it under its workload and namespace.
struct Found<'s> {
    /// `user`, `user.displayName`, `GET /users/{id}` …
    subject: &'s str,
    kind: Kind,
    class: Class,
    old: Option<String>,
    new: Option<String>,
    old_at: Option<String>,
    new_at: Option<String>,
    reason: String,
}

/// The changes of the whole report, and the group (workload + namespace)
/// that the next ones belong to.
struct GroupChanges<'c> {
    changes: &'c mut Vec<Change>,
    workload: String,
    namespace: String,
}

impl<'c> GroupChanges<'c> {
    fn new(changes: &'c mut Vec<Change>, workload: String, namespace: String) -> GroupChanges<'c> {
        GroupChanges {
            changes,
            workload,
            namespace,
        }
    }

    /// Files `found` under this group; returns the change (to add a flag).
    fn push(&mut self, found: Found) -> &mut Change {
        self.changes.push(Change {
            workload: self.workload.clone(),
            namespace: self.namespace.clone(),
            subject: found.subject.to_owned(),
            kind: found.kind,
            class: found.class,
            old: found.old,
            new: found.new,
            old_at: found.old_at,
            new_at: found.new_at,
            reason: found.reason,
            flag: None,
        });
        let last = self.changes.len() - 1;
        &mut self.changes[last]
    }
}

/// `:: std :: string :: String` → `String`, `crate :: graph :: User` → `graph::User`.
fn tidy(tokens: &str) -> String {
    tokens
        .replace(' ', "")
        .replace("::std::string::", "")
        .replace("::std::vec::", "")
        .replace("::std::boxed::", "")
        .replace("::serde_json::", "serde_json::")
        .replace("crate::", "")
}

fn at(l: &Location) -> String {
    format!("{}:{}", l.path, l.line)
}

fn first_at(ls: &[Location]) -> Option<String> {
    ls.first().map(at)
}

fn same_text(a: &Option<String>, b: &Option<String>) -> bool {
    let norm = |s: &Option<String>| s.as_deref().map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "));
    norm(a) == norm(b)
}

fn workload(a: Option<&Option<String>>, b: Option<&Option<String>>) -> String {
    b.and_then(|w| w.clone())
        .or_else(|| a.and_then(|w| w.clone()))
        .unwrap_or_else(|| "(no workload)".into())
}
