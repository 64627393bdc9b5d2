//! How the emitter maps the IR to Rust, observed rather than restated: a tiny
//! probe model (one struct with one field, one enum with one member) goes
//! through the real naming authority and emitter, and the emitted items are
//! inspected. If the emitter changes (say, structs stop deriving `Default`),
//! the classification follows without anyone editing the diff.

use crate::emit;
use crate::ir::{EnumMember, Model, Primitive, Property, TypeDef, TypeId, TypeKind, TypeRef};
use crate::rust;
use crate::source::{FileId, Location, Span};
use serde::{Deserialize, Serialize};

/// The facts about the generated code that decide what breaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Rules {
    /// Every struct field is `Option<T>`: a payload missing a field still
    /// deserializes.
    pub fields_optional: bool,
    /// Structs derive `Default`, so literals written with
    /// `..Default::default()` survive new fields.
    pub structs_default: bool,
    /// Structs reject unknown fields (`deny_unknown_fields`).
    pub deny_unknown_fields: bool,
    /// Enums are `#[non_exhaustive]`: matches already need a wildcard arm.
    pub enums_non_exhaustive: bool,
    /// Enums have a catch-all variant holding values the docs do not list.
    pub enums_catch_all: bool,
    /// Enums derive `Ord` (so member order is observable).
    pub enums_ord: bool,
}

impl Rules {
    /// Runs the probe. An emitter failure gives all-false rules, which
    /// classify conservatively (more changes count as breaking).
    pub fn observe() -> Rules {
        let model = probe_model();
        let span = Span::new(FileId(0), 0..0);
        let plan = rust::plan(&model, &mut Vec::new(), &|_| span.clone());
        let names = &plan.names;
        let settings = emit::CrateSettings { name: "probe" };
        let Ok(files) = emit::emit(&model, &plan, &settings) else {
            return Rules::default();
        };
        let seen = emit::observe::probe_items(
            &files,
            names.types[0].as_str(),
            names.types[1].as_str(),
            &names.additional[0],
            &names.catch_all[1],
        );
        Rules {
            fields_optional: seen.fields_optional,
            structs_default: seen.structs_default,
            deny_unknown_fields: seen.deny_unknown_fields,
            enums_non_exhaustive: seen.enums_non_exhaustive,
            enums_catch_all: seen.enums_catch_all,
            enums_ord: seen.enums_ord,
        }
    }
}

fn probe_model() -> Model {
    let loc = Location::default();
    let ty = |id: u32, name: &str, kind: TypeKind| TypeDef {
        id: TypeId(id),
        name: name.into(),
        namespace: "microsoft.graph".into(),
        kind,
        base_type: None,
        base_id: None,
        description: None,
        properties: Vec::new(),
        members: Vec::new(),
        synthesized: false,
        is_flags: false,
        open_type: false,
        workload: None,
        sources: vec![loc.clone()],
    };
    let mut s = ty(0, "probe", TypeKind::Complex);
    s.properties.push(Property {
        name: "value".into(),
        ty: TypeRef::Primitive(Primitive::String),
        navigation: false,
        description: None,
        read_only: false,
        nullable: None,
        source: loc.clone(),
    });
    let mut e = ty(1, "probeKind", TypeKind::Enum);
    e.members.push(EnumMember {
        name: "one".into(),
        aliases: Vec::new(),
        description: None,
        source: loc,
    });
    let mut m = Model {
        types: vec![s, e],
        ..Model::default()
    };
    m.link_bases();
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Today's emitter (see `emit/model.rs`): these are the facts the README
    /// promises; if one flips, the report's classifications flip with it.
    #[test]
    fn observed_from_the_emitter() {
        let r = Rules::observe();
        assert_eq!(
            r,
            Rules {
                fields_optional: true,
                structs_default: true,
                deny_unknown_fields: false,
                enums_non_exhaustive: true,
                enums_catch_all: true,
                enums_ord: true,
            }
        );
    }
}
