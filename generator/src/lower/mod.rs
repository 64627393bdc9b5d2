//! Lower: page facts from every page → one merged [`Model`]. Resolves type
//! names (case-insensitively, per namespace), merges a type documented on
//! several pages, turns "Inherited from" rows into base types, unions enum
//! members, names anonymous enums, and reports every conflict.

mod bases;
mod endpoints;
pub mod enums;
mod example_lines;
pub mod examples;
pub mod operations;
pub(crate) mod paths;
mod relationships;
pub mod walk;
pub mod workloads;

use crate::diagnostics::{Code, Diagnostic};
use crate::ir::{EnumMember, Model, Primitive, Property, QualifiedName, TypeDef, TypeId, TypeKind, TypeRef};
use crate::parse::facts::{PageFacts, TypeKindHint, TypeLink};
use crate::parse::type_expr::TypeExpr;
use crate::source::{SourceDb, Span};
use std::collections::{BTreeMap, HashMap};

pub(super) type Key = (String, String);

fn key(ns: &str, name: &str) -> Key {
    (ns.to_ascii_lowercase(), name.to_ascii_lowercase())
}

/// Splits a written type name into namespace and name; unqualified names
/// belong to the page's namespace.
pub fn qualify(written: &str, page_ns: &str) -> (String, String) {
    let w = written.trim().trim_start_matches('#');
    match w.rsplit_once('.') {
        Some((ns, name)) if ns.contains('.') || ns.eq_ignore_ascii_case("microsoft") => {
            (ns.to_owned(), name.to_owned())
        }
        Some((ns, name)) => (format!("microsoft.{ns}"), name.to_owned()),
        None => (page_ns.to_owned(), w.to_owned()),
    }
}

/// One page's row for a property, its type still an expression.
#[derive(Clone)]
struct PropertyFromPage {
    name: String,
    expr: TypeExpr,
    page_ns: String,
    possible: Vec<String>,
    description: Option<String>,
    /// Stated by `description`, and kept with it.
    read_only: bool,
    nullable: Option<bool>,
    navigation: bool,
    span: Span,
    ty_span: Span,
    /// Typed from a JSON representation, not a table.
    inferred: bool,
    /// The type cell's link.
    link: Option<TypeLink>,
    /// For anonymous enums: the enum they were resolved to.
    anon: Option<Key>,
    /// The description says the value may name several members.
    multi_valued: bool,
    /// A `String` whose page documents its values in a section of its own.
    values_section: bool,
}

/// A type as every page documents it, merged, before it has an id.
#[derive(Default)]
struct MergedType {
    ns: String,
    name: String,
    /// Spelling taken from a page that defines the type (beats mentions).
    defined: bool,
    is_enum: bool,
    entity_hint: bool,
    /// `openType`: instances may carry undeclared properties.
    open: bool,
    /// A members table shows flags (parse's `TypeFact::flags`).
    flags: bool,
    synthesized: bool,
    base: Option<(Key, String, String, Span)>,
    /// Ancestors named by "Inherited from" rows, in row order; the base is
    /// chosen among them once every page is read.
    candidates: Vec<(Key, String, String, Span)>,
    /// Member lists as each page gives them: (members, span, from a members
    /// table rather than a "Possible values" sentence).
    member_lists: Vec<(Vec<String>, Span, bool)>,
    props: Vec<PropertyFromPage>,
    members: Vec<String>,
    member_info: HashMap<String, (Option<String>, Span)>,
    sources: Vec<Span>,
    /// Workload of the page named after the type, else of the first page
    /// that defines it.
    workload: Option<String>,
    own_page: bool,
    /// The key its resource annotation names (`keyProperty`).
    key: Option<String>,
    /// Its resource annotation marks it `abstract`.
    is_abstract: bool,
}

pub(super) struct Builder<'a> {
    db: &'a SourceDb,
    types: BTreeMap<Key, MergedType>,
    diags: Vec<Diagnostic>,
    /// Page path → the type its `# x resource type` title defines.
    page_types: HashMap<String, Key>,
    /// Page → workload, for pages that name a product.
    workloads: HashMap<crate::source::FileId, String>,
    /// (derived type, the base whose page lists it as derived), page order.
    listed_derived: Vec<(Key, (Key, String, String, Span))>,
}

impl<'a> Builder<'a> {
    fn entry(&mut self, ns: &str, name: &str, defined: bool, span: &Span) -> &mut MergedType {
        let t = self.types.entry(key(ns, name)).or_insert_with(|| MergedType {
            ns: ns.to_owned(),
            name: name.to_owned(),
            ..MergedType::default()
        });
        if defined && !t.defined {
            t.defined = true;
            t.ns = ns.to_owned();
            t.name = name.to_owned();
        }
        if !t.sources.contains(span) {
            t.sources.push(span.clone());
        }
        t
    }

    fn add_members(&mut self, ns: &str, name: &str, members: &[String], span: &Span) {
        let t = self.entry(ns, name, false, span);
        t.is_enum = true;
        enums::union_into(&mut t.members, members);
        for m in members {
            t.member_info.entry(m.clone()).or_insert((None, span.clone()));
        }
    }
}

/// Merges all pages' facts into the model.
pub fn lower(db: &SourceDb, pages: &[PageFacts]) -> (Model, Vec<Diagnostic>) {
    let mut b = Builder {
        db,
        types: BTreeMap::new(),
        diags: Vec::new(),
        page_types: HashMap::new(),
        workloads: workloads::page_workloads(db, pages),
        listed_derived: Vec::new(),
    };
    collect_types(&mut b, pages);
    enum_disagreements(&mut b);
    choose_candidate_bases(&mut b);
    bases::from_derived_lists(&mut b);
    resolve_anonymous_enums(&mut b);
    let ids: HashMap<Key, TypeId> = b
        .types
        .keys()
        .enumerate()
        .map(|(i, k)| (k.clone(), TypeId(i as u32)))
        .collect();
    let mut model = Model::default();
    build_types(&mut b, &ids, &mut model);
    let operations = endpoints::build(&mut b, &ids, pages, &mut model);
    paths::name_holes(&mut model);
    relationships::infer(&mut model, &operations, db, &mut b.diags);
    bases::root_entity(&mut b, &ids, &mut model);
    workloads::fill_missing(&mut model);
    let (examples, combined) = operations_and_examples(&mut b, &ids, pages, &mut model);
    model.examples = examples;
    // An example's comma-separated value of listed members (`"x86,x64"`)
    // shows a flags enum.
    for id in combined {
        model.types[id.0 as usize].is_flags = true;
    }
    // The merged types (every row of every page) are freed on the thread
    // pool, off lowering's path.
    let merged = std::mem::take(&mut b.types);
    rayon::spawn(move || drop(merged));
    (model, b.diags)
}

/// Operations and examples at once: the examples are checked against the
/// types only (kinds, properties, bases), which operations do not change but
/// for `is_flags` (which the checks do not read), so they run on a copy of
/// the types while operations fill the endpoints. Diagnostics keep the
/// sequential order: operations' first, then the examples'.
fn operations_and_examples(
    b: &mut Builder,
    ids: &HashMap<Key, TypeId>,
    pages: &[PageFacts],
    model: &mut Model,
) -> (Vec<crate::ir::Example>, std::collections::BTreeSet<TypeId>) {
    let types_only = Model {
        types: model.types.clone(),
        derived: model.derived.clone(),
        ..Model::default()
    };
    let db = b.db;
    let mut example_diags = Vec::new();
    let ((), out) = rayon::join(
        || operations::build(b, ids, pages, model),
        || examples::build(&mut example_diags, db, &ids_lookup(&types_only), pages, &types_only),
    );
    b.diags.append(&mut example_diags);
    // The copy of the types is freed on the thread pool, off lowering's path.
    rayon::spawn(move || drop(types_only));
    out
}

// Long by design: one pass over every page's type facts, merging each kind
// of fact in page order; the steps share the merged type being built.
fn collect_types(b: &mut Builder, pages: &[PageFacts]) {
    for page in pages {
        for tf in &page.types {
            let (ns, name) = qualify(&tf.name.value, &page.namespace);
            if tf.from_title {
                let path = b.db.file(tf.name.span.file).path.clone();
                b.page_types.entry(path).or_insert_with(|| key(&ns, &name));
            }
            {
                let workload = page.file.and_then(|f| b.workloads.get(&f)).cloned();
                // The page named after the type (`resources/user.md`) decides its
                // workload over other pages that document it too.
                let own_page = {
                    let path = &b.db.file(tf.name.span.file).path;
                    let stem = path.rsplit('/').next().unwrap_or(path);
                    stem.split('.').next().is_some_and(|s| s.eq_ignore_ascii_case(&name))
                };
                let t = b.entry(&ns, &name, true, &tf.name.span);
                if workload.is_some() && (t.workload.is_none() || (own_page && !t.own_page)) {
                    t.workload = workload;
                    t.own_page |= own_page;
                }
                t.open |= tf.open;
                if t.key.is_none() {
                    t.key = tf.key.clone();
                }
                t.is_abstract |= tf.is_abstract;
                t.flags |= tf.flags;
                match tf.kind {
                    TypeKindHint::Enum => t.is_enum = true,
                    TypeKindHint::Entity => t.entity_hint = true,
                    _ => {}
                }
            }
            if !tf.members.is_empty() {
                let names: Vec<String> = tf.members.iter().map(|(m, _)| m.value.clone()).collect();
                b.add_members(&ns, &name, &names, &tf.name.span);
                b.entry(&ns, &name, true, &tf.name.span)
                    .member_lists
                    .push((names.clone(), tf.name.span.clone(), true));
                let t = b.entry(&ns, &name, true, &tf.name.span);
                for (m, d) in &tf.members {
                    let info = t.member_info.entry(m.value.clone()).or_insert((None, m.span.clone()));
                    if info.0.is_none() {
                        info.0 = d.clone();
                        info.1 = m.span.clone();
                    }
                }
            }
            for d in &tf.derived {
                let (dns, dname) = qualify(&d.value, &page.namespace);
                b.listed_derived.push((
                    key(&dns, &dname),
                    (key(&ns, &name), ns.clone(), name.clone(), d.span.clone()),
                ));
            }
            let mut votes: Vec<String> = Vec::new();
            for pf in &tf.properties {
                let prop = PropertyFromPage {
                    name: pf.name.value.clone(),
                    expr: pf.ty.value.clone(),
                    page_ns: page.namespace.clone(),
                    possible: pf.possible_values.clone(),
                    description: pf.description.clone(),
                    read_only: pf.read_only,
                    nullable: pf.nullable,
                    navigation: pf.navigation,
                    span: pf.name.span.clone(),
                    ty_span: pf.ty.span.clone(),
                    inferred: pf.inferred,
                    link: pf.ty_link.clone(),
                    anon: None,
                    multi_valued: pf.multi_valued,
                    values_section: pf.values_section,
                };
                // Possible values on a named type are that enum's members.
                if let TypeExpr::Named(n) = innermost(&pf.ty.value) {
                    if !pf.possible_values.is_empty() {
                        let (ens, ename) = qualify(n, &page.namespace);
                        b.add_members(&ens, &ename, &pf.possible_values, &pf.ty.span);
                        b.entry(&ens, &ename, false, &pf.ty.span).member_lists.push((
                            pf.possible_values.clone(),
                            pf.ty.span.clone(),
                            false,
                        ));
                    }
                }
                match &pf.inherited_from {
                    Some(anc) if !anc.eq_ignore_ascii_case(&name) => {
                        votes.push(anc.clone());
                        let (ans, aname) = qualify(anc, &page.namespace);
                        b.entry(&ans, &aname, false, &pf.name.span).props.push(prop);
                    }
                    _ => b.entry(&ns, &name, true, &tf.name.span).props.push(prop),
                }
            }
            for v in &votes {
                let (bns, bname) = qualify(v, &page.namespace);
                let k = key(&bns, &bname);
                let t = b.entry(&ns, &name, true, &tf.name.span);
                t.candidates.retain(|c| c.0 != k);
                t.candidates.push((k, bns, bname, tf.name.span.clone()));
            }
            if let Some((base, span)) = tf.base.as_ref().map(|b| (b.value.clone(), b.span.clone())) {
                let (bns, bname) = qualify(&base, &page.namespace);
                let t = b.entry(&ns, &name, true, &span);
                match &t.base {
                    None => t.base = Some((key(&bns, &bname), bns, bname, span)),
                    Some((k, _, _, first)) if *k != key(&bns, &bname) => {
                        let first = first.clone();
                        let prev = format!(
                            "{}.{}",
                            t.base.as_ref().map_or("", |b| &b.1),
                            t.base.as_ref().map_or("", |b| &b.2)
                        );
                        b.diags.push(
                            Diagnostic::warning(
                                Code::Conflict,
                                span,
                                format!("`{name}` is documented here as deriving from `{bns}.{bname}`, elsewhere from `{prev}`"),
                            )
                            .with_related(first, "first base type documented here"),
                        );
                    }
                    _ => {}
                }
            }
        }
    }
}

/// A "Possible values" list naming members the enum's own members table
/// does not have, or two members tables that differ.
fn enum_disagreements(b: &mut Builder) {
    for t in b.types.values() {
        let Some((table, table_span, _)) = t.member_lists.iter().find(|l| l.2) else {
            continue;
        };
        for (list, span, is_table) in &t.member_lists {
            if std::ptr::eq(list, table) {
                continue;
            }
            let extra: Vec<&String> = list.iter().filter(|m| !table.contains(m)).collect();
            let missing: Vec<&String> = table.iter().filter(|m| !list.contains(m)).collect();
            let differs = !extra.is_empty() || (*is_table && !missing.is_empty());
            if !differs {
                continue;
            }
            let quoted = |v: &[&String]| v.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ");
            let mut msg = format!("`{}` is listed here with ", t.name);
            if !extra.is_empty() {
                msg.push_str(&format!("{} that its members table does not have", quoted(&extra)));
            }
            if *is_table && !missing.is_empty() {
                if !extra.is_empty() {
                    msg.push_str(", and ");
                }
                msg.push_str(&format!("without {}", quoted(&missing)));
            }
            b.diags.push(
                Diagnostic::warning(Code::EnumDisagreement, span.clone(), msg)
                    .with_related(table_span.clone(), "the members table")
                    .with_help("list the same members in both places"),
            );
        }
    }
}

/// Types whose base no page states get one from their "Inherited from"
/// rows: the candidate that is not an ancestor of another candidate (rows of
/// a derived type name every ancestor), the last in row order on a tie.
fn choose_candidate_bases(b: &mut Builder) {
    fn parent(types: &BTreeMap<Key, MergedType>, k: &Key) -> Option<Key> {
        let t = types.get(k)?;
        t.base
            .as_ref()
            .map(|b| b.0.clone())
            .or_else(|| t.candidates.last().map(|c| c.0.clone()))
    }
    fn is_ancestor(types: &BTreeMap<Key, MergedType>, anc: &Key, of: &Key) -> bool {
        let mut cur = parent(types, of);
        for _ in 0..64 {
            match cur {
                Some(k) if k == *anc => return true,
                Some(k) => cur = parent(types, &k),
                None => return false,
            }
        }
        false
    }
    let keys: Vec<Key> = b.types.keys().cloned().collect();
    for k in keys {
        let t = &b.types[&k];
        if t.base.is_some() || t.candidates.is_empty() {
            continue;
        }
        let cands = &t.candidates;
        let chosen = cands
            .iter()
            .rev()
            .find(|c| !cands.iter().any(|d| d.0 != c.0 && is_ancestor(&b.types, &c.0, &d.0)))
            .or(cands.last())
            .cloned();
        if let Some(t) = b.types.get_mut(&k) {
            t.base = chosen;
        }
    }
}

fn replace_innermost(e: &TypeExpr, with: TypeExpr) -> TypeExpr {
    match e {
        TypeExpr::Collection(t) => TypeExpr::Collection(Box::new(replace_innermost(t, with))),
        _ => with,
    }
}

fn innermost(e: &TypeExpr) -> &TypeExpr {
    match e {
        TypeExpr::Collection(t) => innermost(t),
        t => t,
    }
}

/// An `Enumeration` cell names no type: match its members to a named enum,
/// else give it a name from its owner and property.
fn resolve_anonymous_enums(b: &mut Builder) {
    let named: Vec<(Key, String, Vec<String>)> = b
        .types
        .iter()
        .filter(|(_, t)| t.is_enum && !t.synthesized)
        .map(|(k, t)| (k.clone(), t.ns.clone(), t.members.clone()))
        .collect();
    let mut synth: Vec<(Key, String, String, Vec<String>, Span)> = Vec::new();
    let keys: Vec<Key> = b.types.keys().cloned().collect();
    for k in keys {
        let Some(t) = b.types.get_mut(&k) else { continue };
        let (owner_ns, owner_name) = (t.ns.clone(), t.name.clone());
        for p in t.props.iter_mut() {
            // A `String` whose listed values are exactly one named enum's
            // members is that enum (the docs often write the wire type); so
            // is one listing three or more members of exactly one enum. Not
            // one whose description says values combine ("Multiple values can
            // be combined using a comma-separated list": it holds a list, not
            // a member), nor one whose page documents its values in a section
            // of its own (the page writes a string with documented values on
            // purpose): those stay strings.
            if *innermost(&p.expr) == TypeExpr::Primitive(Primitive::String) && p.possible.len() >= 2 {
                if p.multi_valued || p.values_section {
                    continue;
                }
                let mut same: Vec<&(Key, String, Vec<String>)> = named
                    .iter()
                    .filter(|(_, _, m)| enums::same_members(&p.possible, m))
                    .collect();
                if same.is_empty() && p.possible.len() >= 3 {
                    same = named
                        .iter()
                        .filter(|(_, _, m)| p.possible.iter().all(|v| m.iter().any(|x| x.eq_ignore_ascii_case(v))))
                        .collect();
                }
                // Several enums match (`modality` and its copy
                // `callRecords.modality`): the one in the owner's namespace.
                if same.len() > 1 {
                    let own: Vec<_> = same.iter().copied().filter(|(_, ns, _)| *ns == owner_ns).collect();
                    if own.len() == 1 {
                        same = own;
                    }
                }
                let same: Vec<&Key> = same.into_iter().map(|(k, _, _)| k).collect();
                if let [k] = same.as_slice() {
                    p.expr = replace_innermost(&p.expr, TypeExpr::AnonymousEnum);
                    p.anon = Some((*k).clone());
                }
                continue;
            }
            if *innermost(&p.expr) != TypeExpr::AnonymousEnum {
                continue;
            }
            if p.possible.is_empty() {
                p.expr = TypeExpr::Primitive(Primitive::String);
                b.diags.push(
                    Diagnostic::note(
                        Code::UnknownTypeExpr,
                        p.ty_span.clone(),
                        format!(
                            "`{}` is an enumeration but its description lists no values; typed as a string",
                            p.name
                        ),
                    )
                    .with_help("add \"Possible values are: `a`, `b`.\" or link the enum type"),
                );
                continue;
            }
            // A strict subset names an enum only from three listed values
            // up, as for a `String`: two (`moderate`, `strict`) are as
            // likely another enum's (`safeSearchFilterType`'s) by chance.
            let cands: Vec<&(Key, String, Vec<String>)> = named
                .iter()
                .filter(|(_, _, m)| {
                    enums::matches(&p.possible, m) && (p.possible.len() >= 3 || enums::same_members(&p.possible, m))
                })
                .collect();
            let exact: Vec<&&(Key, String, Vec<String>)> =
                cands.iter().filter(|(_, _, m)| m.len() == p.possible.len()).collect();
            let chosen = match (cands.len(), exact.len()) {
                (1, _) => Some(cands[0].0.clone()),
                (_, 1) => Some(exact[0].0.clone()),
                _ => None,
            };
            match chosen {
                Some(k) => p.anon = Some(k),
                None => {
                    let name = enums::synthesized_name(&owner_name, &p.name);
                    let k = key(&owner_ns, &name);
                    synth.push((k.clone(), owner_ns.clone(), name, p.possible.clone(), p.ty_span.clone()));
                    p.anon = Some(k);
                }
            }
        }
    }
    for (_, ns, name, members, span) in synth {
        b.add_members(&ns, &name, &members, &span);
        if let Some(t) = b.types.get_mut(&key(&ns, &name)) {
            if !t.defined {
                t.synthesized = true;
            }
        }
    }
}

/// Where a type reference is written: the page namespace, the span of the
/// cell or sentence, and the link of the cell if it has one.
pub(super) struct RefSite<'s> {
    page_ns: &'s str,
    span: &'s Span,
    link: Option<&'s TypeLink>,
}

/// The type a property, parameter or mention names, its diagnostics pushed
/// to `diags`; it only reads the builder, so types resolve on several
/// threads at once.
pub(super) fn resolve(
    b: &Builder,
    diags: &mut Vec<Diagnostic>,
    ids: &HashMap<Key, TypeId>,
    expr: &TypeExpr,
    anon: &Option<Key>,
    site: &RefSite,
) -> TypeRef {
    let (page_ns, span) = (site.page_ns, site.span);
    match expr {
        TypeExpr::Primitive(p) => TypeRef::Primitive(*p),
        TypeExpr::Collection(t) => TypeRef::Collection(Box::new(resolve(b, diags, ids, t, anon, site))),
        TypeExpr::AnonymousEnum => match anon.as_ref().and_then(|k| Some((k, ids.get(k)?))) {
            Some((k, id)) => TypeRef::Named(*id, qualified(b, k)),
            None => TypeRef::Primitive(Primitive::String),
        },
        TypeExpr::AnyOf(names) => any_of(b, diags, ids, names, site),
        TypeExpr::Named(n) => {
            let (mut ns, name) = qualify(n, page_ns);
            let mut k = key(&ns, &name);
            // An unqualified name on a page of a sub-namespace (callRecords,
            // externalConnectors …) may name a `microsoft.graph` type: prefer
            // whichever namespace has a page defining it.
            if !n.contains('.') && ns != crate::parse::facts::DEFAULT_NAMESPACE {
                let root = key(crate::parse::facts::DEFAULT_NAMESPACE, &name);
                let defined = |k: &Key| b.types.get(k).is_some_and(|t| t.defined);
                if !defined(&k) && (defined(&root) || !b.types.contains_key(&k)) && ids.contains_key(&root) {
                    k = root;
                } else if !defined(&k) && !defined(&root) && site.link.is_some_and(|l| l.root_namespace_page) {
                    // Defined nowhere (a partial docs tree): the link's file
                    // name tells, as sub-namespace pages are `callrecords-x.md`.
                    k = root;
                    ns = crate::parse::facts::DEFAULT_NAMESPACE.to_owned();
                }
            }
            // Link text that names no type, to a page that defines one.
            let linked = site.link.and_then(|link| {
                let from = &b.db.file(span.file).path;
                let path = SourceDb::resolve_relative(from, &link.target)?;
                b.page_types.get(&path).filter(|k| ids.contains_key(*k)).cloned()
            });
            // Prose writes plurals: "a collection of secureScores objects".
            let singular = || {
                let one = crate::plural::singular(&name)?;
                let sk = key(&ns, &one);
                b.types.get(&sk).filter(|t| t.defined)?;
                ids.contains_key(&sk).then_some(sk)
            };
            let read_as = match (ids.contains_key(&k), linked) {
                (true, _) => None,
                (false, Some(lk)) => Some((
                    lk,
                    "the linked page documents",
                    "make the link text the type name its page uses",
                )),
                (false, None) => singular().map(|sk| (sk, "its singular is", "name the type in the singular")),
            };
            match (ids.get(&k), read_as) {
                (Some(id), _) => TypeRef::Named(*id, qualified(b, &k)),
                (None, Some((lk, why, help))) => {
                    let q = qualified(b, &lk);
                    diags.push(
                        Diagnostic::warning(
                            Code::UnresolvedType,
                            span.clone(),
                            format!("type `{ns}.{name}` is not defined by any page; {why} `{q}`"),
                        )
                        .with_label(format!("read as `{q}`"))
                        .with_help(help),
                    );
                    TypeRef::Named(ids[&lk], q)
                }
                (None, None) => {
                    diags.push(
                        Diagnostic::warning(
                            Code::UnresolvedType,
                            span.clone(),
                            format!("type `{ns}.{name}` is not defined by any page"),
                        )
                        .with_label("emitted as open JSON")
                        .with_help("link a page that documents the type, or fix the spelling"),
                    );
                    TypeRef::Unresolved(format!("{ns}.{name}"))
                }
            }
        }
    }
}

/// `a or b`: the nearest type both derive from (`appHostedMediaConfig or
/// serviceHostedMediaConfig` is a `mediaConfig`, which the generated crate
/// reads polymorphically). Without one, the first type, as a warning.
fn any_of(
    b: &Builder,
    diags: &mut Vec<Diagnostic>,
    ids: &HashMap<Key, TypeId>,
    names: &[String],
    site: &RefSite,
) -> TypeRef {
    let bare = RefSite { link: None, ..*site };
    let alts: Vec<TypeRef> = names
        .iter()
        .map(|n| resolve(b, diags, ids, &TypeExpr::Named(n.clone()), &None, &bare))
        .collect();
    let keys: Vec<Key> = b.types.keys().cloned().collect();
    let lineage = |b: &Builder, r: &TypeRef| -> Vec<Key> {
        let TypeRef::Named(id, _) = r else { return Vec::new() };
        let mut line = Vec::new();
        let mut at = keys.get(id.0 as usize).cloned();
        while let Some(k) = at.filter(|k| !line.contains(k)) {
            at = b.types.get(&k).and_then(|t| t.base.as_ref()).map(|(bk, ..)| bk.clone());
            line.push(k);
        }
        line
    };
    let lines: Vec<Vec<Key>> = alts.iter().map(|r| lineage(b, r)).collect();
    let common = lines[0]
        .iter()
        .find(|k| lines[1..].iter().all(|l| l.contains(k)))
        .and_then(|k| Some((k, ids.get(k)?)));
    if let Some((k, id)) = common {
        return TypeRef::Named(*id, qualified(b, k));
    }
    let first = alts
        .into_iter()
        .next()
        .unwrap_or(TypeRef::Primitive(Primitive::Untyped));
    diags.push(
        Diagnostic::warning(
            Code::UnknownTypeExpr,
            site.span.clone(),
            format!("`{}` have no common base type; read as the first", names.join("` or `")),
        )
        .with_label(format!("read as `{}`", first.csdl()))
        .with_help("link the base type the alternatives derive from"),
    );
    first
}

fn qualified(b: &Builder, k: &Key) -> QualifiedName {
    let t = &b.types[k];
    QualifiedName {
        namespace: t.ns.clone(),
        name: t.name.clone(),
    }
}

fn build_types(b: &mut Builder, ids: &HashMap<Key, TypeId>, model: &mut Model) {
    use rayon::prelude::*;
    // Each type on its own (reading the builder only), in parallel; the
    // types and their diagnostics are then added in key order, as before.
    let keys: Vec<&Key> = b.types.keys().collect();
    let built: Vec<(TypeDef, Vec<Diagnostic>)> = keys.par_iter().map(|k| build_type(b, ids, k)).collect();
    for (def, mut diags) in built {
        model.types.push(def);
        b.diags.append(&mut diags);
    }
    multi_valued_properties(b, ids, model);
    model.link_bases();
    drop_inherited_rows(b, model);
    mark_entities(model);
}

/// One merged type as the IR's [`TypeDef`], its properties' types resolved,
/// with the diagnostics of that resolution.
fn build_type(b: &Builder, ids: &HashMap<Key, TypeId>, k: &Key) -> (TypeDef, Vec<Diagnostic>) {
    let t = &b.types[k];
    let base = t.base.as_ref().map(|(bk, ns, name, _)| match b.types.get(bk) {
        Some(bt) => QualifiedName {
            namespace: bt.ns.clone(),
            name: bt.name.clone(),
        },
        None => QualifiedName {
            namespace: ns.clone(),
            name: name.clone(),
        },
    });
    let mut diags = Vec::new();
    // Enums resolve their rows too, for the same diagnostics as before.
    let props = merge_properties(b, &mut diags, ids, &t.name, &t.props);
    let is_enum = t.is_enum;
    let def = TypeDef {
        id: ids[k],
        name: t.name.clone(),
        namespace: t.ns.clone(),
        kind: if is_enum {
            TypeKind::Enum
        } else if t.entity_hint {
            TypeKind::Entity
        } else {
            TypeKind::Complex
        },
        base_type: if is_enum { None } else { base },
        base_id: None,
        description: None,
        properties: if is_enum {
            Vec::new()
        } else {
            props.into_iter().map(|(p, _, _)| p).collect()
        },
        members: if is_enum { enum_members(b.db, t) } else { Vec::new() },
        synthesized: t.synthesized,
        is_flags: is_enum && t.flags,
        open_type: t.open,
        workload: t.workload.clone(),
        sources: t.sources.iter().map(|s| b.db.location(s)).collect(),
    };
    (def, diags)
}

/// An enum whose value a property's description says may name several
/// members ("The Windows architecture(s) …") is a flags enum; a collection
/// of the enum says nothing (each item is one member).
fn multi_valued_properties(b: &Builder, ids: &HashMap<Key, TypeId>, model: &mut Model) {
    let mut flagged = Vec::new();
    for (k, t) in &b.types {
        for p in t.props.iter().filter(|p| p.multi_valued) {
            let owner = &model.types[ids[k].0 as usize];
            let Some(prop) = owner.properties.iter().find(|q| q.name == p.name) else {
                continue;
            };
            if let TypeRef::Named(id, _) = prop.ty {
                flagged.push(id);
            }
        }
    }
    for id in flagged {
        let t = &mut model.types[id.0 as usize];
        t.is_flags |= t.kind == TypeKind::Enum;
    }
}

/// A type's members with their descriptions and where each is documented.
/// Spellings that differ only in case are one member: its `name` is the
/// spelling a members table (the enum's own definition) gives, else the first
/// in doc order; the others are its `aliases`.
fn enum_members(db: &SourceDb, t: &MergedType) -> Vec<EnumMember> {
    let from_table = |m: &str| {
        t.member_lists
            .iter()
            .any(|(l, _, table)| *table && l.iter().any(|x| x == m))
    };
    let mut groups: Vec<Vec<&String>> = Vec::new();
    for m in &t.members {
        match groups.iter_mut().find(|g| g[0].eq_ignore_ascii_case(m)) {
            Some(g) => g.push(m),
            None => groups.push(vec![m]),
        }
    }
    groups
        .into_iter()
        .map(|g| {
            let canonical = g.iter().copied().find(|m| from_table(m)).unwrap_or(g[0]);
            let info = |m: &String| {
                t.member_info
                    .get(m)
                    .cloned()
                    .unwrap_or((None, Span::new(crate::source::FileId(0), 0..0)))
            };
            let (mut d, s) = info(canonical);
            if d.is_none() {
                d = g.iter().find_map(|m| info(m).0);
            }
            EnumMember {
                name: canonical.clone(),
                aliases: g.iter().filter(|m| **m != canonical).map(|m| (*m).clone()).collect(),
                description: d,
                source: db.location(&s),
            }
        })
        .collect()
}

/// One property per name from every page's rows of type `type_name`, types
/// resolved; a table row beats a JSON-inferred one, disagreeing types are
/// reported. Each comes with its type's span and whether it is inferred.
fn merge_properties(
    b: &Builder,
    diags: &mut Vec<Diagnostic>,
    ids: &HashMap<Key, TypeId>,
    type_name: &str,
    rows: &[PropertyFromPage],
) -> Vec<(Property, Span, bool)> {
    let mut props: Vec<(Property, Span, bool)> = Vec::new();
    for p in rows {
        let site = RefSite {
            page_ns: &p.page_ns,
            span: &p.ty_span,
            link: p.link.as_ref(),
        };
        let ty = resolve(b, diags, ids, &p.expr, &p.anon, &site);
        // Names that differ only in case are one property spelled two ways
        // (a table's `printerID`, its JSON representation's `printerId`).
        if let Some((first, fspan, first_inferred)) =
            props.iter_mut().find(|(q, _, _)| q.name.eq_ignore_ascii_case(&p.name))
        {
            if first.name != p.name {
                let at = b.db.span_at(&first.source);
                diags.push(case_twin(type_name, first, p, *first_inferred).with_related(at, "spelled so here"));
                // A JSON representation shows the payload: its spelling is
                // the wire name; between two rows the first stays.
                if p.inferred && !*first_inferred {
                    first.name = p.name.clone();
                }
            }
            // A table row beats a type guessed from a JSON representation.
            if *first_inferred && !p.inferred {
                first.ty = ty.clone();
                *fspan = p.ty_span.clone();
                *first_inferred = false;
                first.source = b.db.location(&p.span);
            }
            if first.ty != ty && !p.inferred {
                diags.push(
                    Diagnostic::warning(
                        Code::Conflict,
                        p.ty_span.clone(),
                        format!(
                            "property `{}.{}` is typed `{}` here but `{}` elsewhere",
                            type_name,
                            p.name,
                            ty.csdl(),
                            first.ty.csdl()
                        ),
                    )
                    .with_related(fspan.clone(), "first typed here"),
                );
            }
            if first.description.is_none() {
                // The flags go with the description they are read from.
                first.description = p.description.clone();
                first.read_only = p.read_only;
                first.nullable = p.nullable;
            }
            first.navigation |= p.navigation;
            continue;
        }
        props.push((
            Property {
                name: p.name.clone(),
                ty,
                navigation: p.navigation,
                description: p.description.clone(),
                read_only: p.read_only,
                nullable: p.nullable,
                source: b.db.location(&p.span),
            },
            p.ty_span.clone(),
            p.inferred,
        ));
    }
    props
}

/// The warning for a property spelled two ways: `p` differs from `first`
/// only in case.
fn case_twin(type_name: &str, first: &Property, p: &PropertyFromPage, first_inferred: bool) -> Diagnostic {
    let kept = if p.inferred && !first_inferred {
        &p.name
    } else {
        &first.name
    };
    Diagnostic::warning(
        Code::Conflict,
        p.span.clone(),
        format!(
            "property `{type_name}.{}` is spelled `{}` elsewhere: one property, read and written as `{kept}`",
            p.name, first.name
        ),
    )
}

/// Rows that repeat an ancestor's property belong to the ancestor.
pub(super) fn drop_inherited_rows(b: &mut Builder, model: &mut Model) {
    for i in 0..model.types.len() {
        let id = TypeId(i as u32);
        let ancestors = model.ancestors(id);
        if ancestors.is_empty() {
            continue;
        }
        let inherited: Vec<Property> = ancestors
            .iter()
            .flat_map(|a| model.ty(*a).properties.iter().cloned())
            .collect();
        let t = &mut model.types[i];
        let tname = t.name.clone();
        t.properties.retain(
            |p| match inherited.iter().find(|q| q.name.eq_ignore_ascii_case(&p.name)) {
                None => true,
                Some(q) => {
                    let at = b.db.span_at(&p.source);
                    let mut warn = |message| b.diags.push(Diagnostic::warning(Code::Conflict, at.clone(), message));
                    if q.name != p.name {
                        warn(format!(
                            "`{tname}.{}` is spelled `{}` by its base type: one property, read and written as `{}`",
                            p.name, q.name, q.name
                        ));
                    }
                    if q.ty != p.ty {
                        warn(format!(
                            "`{tname}.{}` is typed `{}` but its base type declares it as `{}`",
                            p.name,
                            p.ty.csdl(),
                            q.ty.csdl()
                        ));
                    }
                    false
                }
            },
        );
    }
}

/// Entities: anything with a key, or deriving from an entity.
fn mark_entities(model: &mut Model) {
    for i in 0..model.types.len() {
        let id = TypeId(i as u32);
        if model.types[i].kind == TypeKind::Complex && model.all_properties(id).iter().any(|p| p.name == "id") {
            model.types[i].kind = TypeKind::Entity;
        }
    }
}

fn ids_lookup(model: &Model) -> HashMap<Key, TypeId> {
    model.types.iter().map(|t| (key(&t.namespace, &t.name), t.id)).collect()
}
