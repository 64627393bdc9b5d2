//! `cargo xtask diff`: a fixture pair per kind of change
//! (`tests/fixtures/diff/<case>/{old,new}`), properties of the comparison
//! (diff(A, A) is empty; diff(A, B) and diff(B, A) are inverses), IR JSON
//! read back, the CLI edge, and a real run between the 2021 v1.0 pages and
//! today's sample.

use generator::diff::{self, Change, Class, Kind, Report};
use generator::ir::Model;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

static RULES: LazyLock<diff::Rules> = LazyLock::new(diff::Rules::observe);

fn fixtures() -> PathBuf {
    tests::root().join("tests/fixtures/diff")
}

fn model(dir: &Path) -> Model {
    xtask::diff::load_model(dir).unwrap_or_else(|e| panic!("{e}"))
}

fn run(old: &Model, new: &Model) -> Report {
    diff::diff_with(old, new, &diff::Options::default(), *RULES)
}

/// What must be the same between a change and its inverse: the kind
/// (inverted) and both sides' values and locations (swapped).
type Key = (Kind, Option<String>, Option<String>, Option<String>, Option<String>);

fn key(c: &Change) -> Key {
    (c.kind, c.old.clone(), c.new.clone(), c.old_at.clone(), c.new_at.clone())
}

fn inverse_key(c: &Change) -> Key {
    (
        c.kind.inverse(),
        c.new.clone(),
        c.old.clone(),
        c.new_at.clone(),
        c.old_at.clone(),
    )
}

fn multiset(keys: impl Iterator<Item = Key>) -> BTreeMap<Key, usize> {
    let mut m = BTreeMap::new();
    for k in keys {
        *m.entry(k).or_default() += 1;
    }
    m
}

fn assert_inverse(ab: &Report, ba: &Report) -> Result<(), String> {
    let forward = multiset(ab.changes.iter().map(inverse_key));
    let backward = multiset(ba.changes.iter().map(key));
    if forward == backward {
        Ok(())
    } else {
        Err(format!(
            "diff(A, B) inverted:\n{forward:#?}\ndiff(B, A):\n{backward:#?}"
        ))
    }
}

/// A change a case must produce: kind, class, subject.
type Expected = (Kind, Class, &'static str);

/// Every case and the exact changes it must produce.
const CASES: &[(&str, &[Expected])] = &[
    ("type-added", &[(Kind::TypeAdded, Class::Additive, "gadget")]),
    (
        "type-removed",
        &[
            // `widget.parts` is a relationship, raw JSON on both sides: its
            // field does not change.
            (Kind::TypeRemoved, Class::Breaking, "part"),
        ],
    ),
    (
        "type-renamed",
        &[
            (Kind::TypeRenamed, Class::Breaking, "component"),
            // A relationship: raw JSON either way, only the documented type changes.
            (Kind::PropertyTypeChanged, Class::Additive, "widget.parts"),
        ],
    ),
    (
        "type-kind-changed",
        &[
            (Kind::TypeKindChanged, Class::DocsOnly, "part"),
            (Kind::PropertyAdded, Class::Additive, "part.id"),
        ],
    ),
    (
        "base-type-changed",
        &[
            // Losing `entity` loses the flattened `id` field (and the key).
            (Kind::BaseTypeChanged, Class::Breaking, "widget"),
            (Kind::TypeKindChanged, Class::DocsOnly, "widget"),
        ],
    ),
    (
        "property-added",
        &[(Kind::PropertyAdded, Class::Additive, "widget.weight")],
    ),
    (
        "property-removed",
        &[(Kind::PropertyRemoved, Class::Breaking, "widget.size")],
    ),
    // `size` → `Size`: the Rust field stays `size`.
    (
        "property-renamed",
        &[(Kind::PropertyRenamed, Class::Additive, "widget.Size")],
    ),
    (
        "property-type-changed",
        &[
            // Double → Single: both f64. Int32 → Int64: i32 → i64.
            (Kind::PropertyTypeChanged, Class::Additive, "part.weight"),
            (Kind::PropertyTypeChanged, Class::Breaking, "widget.size"),
        ],
    ),
    (
        "property-read-only-changed",
        &[
            (Kind::PropertyReadOnlyChanged, Class::DocsOnly, "widget.size"),
            (Kind::PropertyDescriptionChanged, Class::DocsOnly, "widget.size"),
        ],
    ),
    (
        "property-nullable-changed",
        &[
            (Kind::PropertyNullableChanged, Class::DocsOnly, "widget.name"),
            (Kind::PropertyDescriptionChanged, Class::DocsOnly, "widget.name"),
        ],
    ),
    (
        "property-navigation-changed",
        // Relationships are raw JSON, structural properties typed.
        &[(Kind::PropertyNavigationChanged, Class::Breaking, "widget.parts")],
    ),
    (
        "property-description-changed",
        &[(Kind::PropertyDescriptionChanged, Class::DocsOnly, "part.label")],
    ),
    (
        "property-moved",
        &[
            (Kind::PropertyAdded, Class::Additive, "entity.name"),
            (Kind::PropertyMoved, Class::DocsOnly, "widget.name"),
        ],
    ),
    (
        "member-added",
        &[(Kind::MemberAdded, Class::Additive, "widgetColor.yellow")],
    ),
    (
        "member-removed",
        &[(Kind::MemberRemoved, Class::Breaking, "widgetColor.blue")],
    ),
    // `green` → `Green`: the variant stays `Green`.
    (
        "member-renamed",
        &[(Kind::MemberRenamed, Class::Additive, "widgetColor.Green")],
    ),
    (
        "members-reordered",
        &[(Kind::MembersReordered, Class::Additive, "widgetColor")],
    ),
    (
        "member-description-changed",
        &[(Kind::MemberDescriptionChanged, Class::DocsOnly, "widgetColor.blue")],
    ),
    (
        "endpoint-added",
        &[(Kind::EndpointAdded, Class::Additive, "DELETE /widgets/{widgetId}")],
    ),
    (
        "endpoint-removed",
        &[(Kind::EndpointRemoved, Class::Breaking, "GET /widgets/{widgetId}")],
    ),
    (
        "endpoint-renamed",
        &[(Kind::EndpointRenamed, Class::Breaking, "GET /widgets/{widgetId}")],
    ),
    (
        "endpoint-method-changed",
        &[(Kind::EndpointMethodChanged, Class::Additive, "POST /widgets/{widgetId}")],
    ),
    (
        "endpoint-path-changed",
        &[(
            Kind::EndpointPathChanged,
            Class::Additive,
            "GET /widgetStore/widgets/{widgetId}",
        )],
    ),
    (
        "endpoint-parameters-changed",
        &[
            (
                Kind::EndpointPathChanged,
                Class::Additive,
                "GET /stores/{storeId}/widgets/{widgetId}",
            ),
            (
                Kind::EndpointParametersChanged,
                Class::Breaking,
                "GET /stores/{storeId}/widgets/{widgetId}",
            ),
        ],
    ),
    (
        "endpoint-alternate-path-added",
        &[(
            Kind::EndpointAlternatePathAdded,
            Class::DocsOnly,
            "GET /widgets/{widgetId}",
        )],
    ),
    (
        "endpoint-request-type-changed",
        &[(
            Kind::EndpointRequestTypeChanged,
            Class::Additive,
            "PATCH /widgets/{widgetId}",
        )],
    ),
    (
        "endpoint-response-type-changed",
        &[(
            Kind::EndpointResponseTypeChanged,
            Class::Breaking,
            "GET /widgets/{widgetId}",
        )],
    ),
    (
        "endpoint-status-changed",
        &[(Kind::EndpointStatusChanged, Class::Additive, "GET /widgets/{widgetId}")],
    ),
    (
        "endpoint-permissions-changed",
        &[(
            Kind::EndpointPermissionsChanged,
            Class::Additive,
            "GET /widgets/{widgetId} (delegated work)",
        )],
    ),
];

/// The page line a location names, if it exists.
fn line_at(side: &Path, at: &str) -> Option<String> {
    let (path, line) = at.rsplit_once(':')?;
    let line: usize = line.parse().ok()?;
    let text = std::fs::read_to_string(side.join(path)).ok()?;
    text.lines().nth(line.checked_sub(1)?).map(str::to_owned)
}

#[test]
fn every_kind_of_change_has_a_fixture_pair() {
    let dirs: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for d in &dirs {
        assert!(CASES.iter().any(|(c, _)| c == d), "fixture {d} has no expectation");
    }
    for (case, expected) in CASES {
        let dir = fixtures().join(case);
        let (old, new) = (model(&dir.join("old")), model(&dir.join("new")));
        let report = run(&old, &new);
        let mut got: Vec<(Kind, Class, &str)> = report
            .changes
            .iter()
            .map(|c| (c.kind, c.class, c.subject.as_str()))
            .collect();
        got.sort();
        let mut want = expected.to_vec();
        want.sort();
        assert_eq!(got, want, "{case}: {:#?}", report.changes);
        for c in &report.changes {
            assert!(!c.reason.is_empty(), "{case}: no reason");
            // Each side that has the item names a real line of its page, and
            // for properties and members that line names the item.
            for (at, side, present) in [
                (&c.old_at, "old", c.old.is_some() || c.new.is_none()),
                (&c.new_at, "new", c.new.is_some() || c.old.is_none()),
            ] {
                if !present {
                    continue;
                }
                let at = at
                    .as_deref()
                    .unwrap_or_else(|| panic!("{case}: {side} location missing: {c:?}"));
                let line = line_at(&dir.join(side), at).unwrap_or_else(|| panic!("{case}: {at} is no line"));
                let item = c.subject.rsplit('.').next().unwrap_or("");
                if matches!(
                    c.kind,
                    Kind::PropertyAdded
                        | Kind::PropertyRemoved
                        | Kind::PropertyTypeChanged
                        | Kind::PropertyDescriptionChanged
                        | Kind::MemberAdded
                        | Kind::MemberRemoved
                        | Kind::MemberDescriptionChanged
                ) {
                    assert!(line.contains(item), "{case}: {at} is `{line}`, not about `{item}`");
                }
            }
        }
        // And the other way round.
        let back = run(&new, &old);
        assert_inverse(&report, &back).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert!(run(&old, &old).is_empty(), "{case}: diff(old, old) not empty");
    }
}

#[test]
fn widened_scope_is_flagged() {
    let dir = fixtures().join("endpoint-permissions-changed");
    let report = run(&model(&dir.join("old")), &model(&dir.join("new")));
    assert_eq!(report.summary.flagged, 1);
    assert_eq!(
        report.changes[0].flag.as_deref(),
        Some("least-privileged scope widened")
    );
    // Narrowing back is not flagged.
    let back = run(&model(&dir.join("new")), &model(&dir.join("old")));
    assert_eq!(back.summary.flagged, 0);
}

#[test]
fn markdown_report_for_a_pr_comment() {
    let dir = fixtures().join("property-type-changed");
    let report = run(&model(&dir.join("old")), &model(&dir.join("new")));
    let md = diff::render::markdown(&report, "old", "new");
    insta::assert_snapshot!("diff-markdown-property-type-changed", md);
    let json: serde_json::Value = serde_json::from_str(&diff::render::json(&report)).unwrap();
    assert_eq!(json["summary"]["breaking"], 1);
    assert_eq!(json["changes"][1]["kind"], "property-type-changed");
    assert_eq!(json["changes"][1]["newAt"], "resources/widget.md:18");
}

/// The IR written by `--emit-ir` reads back to the same model: the same
/// JSON byte for byte, and no changes between the two.
#[test]
fn ir_json_reads_back() {
    for dir in [tests::seeds_dir(), tests::root().join("tests/fixtures/current")] {
        let m = model(&dir);
        let json = m.to_json();
        let back = Model::from_json(&json).unwrap();
        assert_eq!(back.to_json(), json, "{}", dir.display());
        assert_eq!(back.types, m.types, "{}", dir.display());
        assert_eq!(back.endpoints, m.endpoints);
        assert!(run(&m, &back).is_empty());
    }
    // Older IR without the newer fields, and unknown fields, still load.
    let old = r#"{"types":[{"name":"x","kind":"complex","properties":[{"name":"a","type":"Edm.Int32"}],"future":1}]}"#;
    let m = Model::from_json(old).unwrap();
    assert_eq!(m.types[0].properties[0].ty.csdl(), "Edm.Int32");
    assert!(Model::from_json("[1]").is_err());
    assert!(Model::from_json("{").is_err());
}

/// The CLI edge: docs folders and IR files on either side, `--deny
/// breaking`, JSON output, and `--base` from a git revision.
#[test]
fn cli_inputs_and_exit() {
    let dir = fixtures().join("property-removed");
    let tmp = tempfile::tempdir().unwrap();
    let ir = tmp.path().join("old.json");
    std::fs::write(&ir, model(&dir.join("old")).to_json()).unwrap();
    let args = xtask::diff::DiffArgs {
        old: Some(ir.clone()),
        new: Some(dir.join("new")),
        deny_breaking: true,
        ..Default::default()
    };
    let out = xtask::diff::run(&args).unwrap();
    assert!(out.failed);
    assert!(out.text.contains("**1 breaking**"), "{}", out.text);
    let additive = fixtures().join("member-added");
    let out = xtask::diff::run(&xtask::diff::DiffArgs {
        old: Some(additive.join("old")),
        new: Some(additive.join("new")),
        deny_breaking: true,
        format: xtask::diff::Format::Json,
        ..Default::default()
    })
    .unwrap();
    assert!(!out.failed);
    let v: serde_json::Value = serde_json::from_str(&out.text).unwrap();
    assert_eq!(v["summary"]["additive"], 1);
    // Errors are messages, not panics.
    let bad = tmp.path().join("notes.txt");
    std::fs::write(&bad, "hello").unwrap();
    for (o, n) in [
        (bad.clone(), dir.join("new")),
        (tmp.path().join("missing"), dir.join("new")),
    ] {
        let r = xtask::diff::run(&xtask::diff::DiffArgs {
            old: Some(o),
            new: Some(n),
            ..Default::default()
        });
        assert!(r.is_err());
    }
    assert!(xtask::diff::run(&xtask::diff::DiffArgs::default()).is_err());
    assert!("yaml".parse::<xtask::diff::Format>().is_err());
}

#[test]
fn base_revision_is_materialized_from_git() {
    let git = |dir: &Path, args: &[&str]| {
        let ok = std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(ok, "git {args:?}");
    };
    if std::process::Command::new("git").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must have git");
        eprintln!("skipping: no git");
        return;
    }
    let case = fixtures().join("member-removed");
    let repo = tempfile::tempdir().unwrap();
    let docs = repo.path().join("docs-input");
    let copy = |from: &Path| {
        let _ = std::fs::remove_dir_all(&docs);
        for f in [
            "resources/widget.md",
            "resources/part.md",
            "resources/entity.md",
            "api/widget-get.md",
        ] {
            let to = docs.join(f);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(from.join(f), to).unwrap();
        }
    };
    git(repo.path(), &["init", "-q"]);
    copy(&case.join("old"));
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-qm", "old"]);
    copy(&case.join("new"));
    let (tmp, dir) = xtask::diff::materialize(repo.path(), "HEAD", &docs).unwrap();
    let report = run(&model(&dir), &model(&docs));
    assert_eq!(report.changes.len(), 1);
    assert_eq!(report.changes[0].kind, Kind::MemberRemoved);
    let kept = tmp.path().to_path_buf();
    drop(tmp);
    assert!(!kept.exists(), "temporary tree removed");
    assert!(xtask::diff::materialize(repo.path(), "no-such-rev", &docs).is_err());
    assert!(xtask::diff::materialize(repo.path(), "--output=x", &docs).is_err());
}

/// The 2021 v1.0 pages against today's sample, for the types and endpoints
/// both document. Checked by hand (see the issue's note), then locked.
#[test]
fn real_docs_2021_to_today() {
    let root = tests::root().join("../shared");
    let (old, new) = (root.join("graph-docs/v1.0"), root.join("graph-docs-current"));
    if !old.is_dir() || !new.is_dir() {
        assert!(std::env::var_os("CI").is_none(), "CI must have ../shared/graph-docs*");
        eprintln!("skipping: {} or {} not present", old.display(), new.display());
        return;
    }
    let (a, b) = (model(&old), model(&new));
    let opts = diff::Options { common_only: true };
    let report = diff::diff_with(&a, &b, &opts, *RULES);
    assert!(report.changes.iter().all(|c| !matches!(
        c.kind,
        Kind::TypeAdded | Kind::TypeRemoved | Kind::EndpointAdded | Kind::EndpointRemoved
    )));
    let back = diff::diff_with(&b, &a, &opts, *RULES);
    assert_inverse(&report, &back).unwrap();
    insta::assert_snapshot!(
        "diff-real-v1.0-2021-to-current",
        diff::render::markdown(&report, "graph-docs/v1.0 (2021)", "graph-docs-current")
    );
}

mod props {
    use super::*;
    use generator::ir::{
        EndpointId, EnumMember, Permission, PermissionKind, PermissionStatus, Primitive, Property, QualifiedName,
        TypeDef, TypeId, TypeKind, TypeRef,
    };
    use generator::source::Location;
    use proptest::prelude::*;

    const TYPE_NAMES: &[&str] = &["alpha", "beta", "Beta", "gamma", "delta", "epsilon"];
    const PROP_NAMES: &[&str] = &["id", "name", "Name", "size", "color", "parts", "type"];
    const MEMBER_NAMES: &[&str] = &["a", "b", "B", "c", "unknown", "unknownFutureValue"];
    const PRIMS: &[Primitive] = &[
        Primitive::String,
        Primitive::Int32,
        Primitive::Int64,
        Primitive::Single,
        Primitive::Double,
        Primitive::Boolean,
    ];
    const DESCS: &[Option<&str>] = &[None, Some("The x."), Some("The x. Read-only."), Some("Not nullable.")];
    const PAGES: &[&str] = &["resources/alpha.md", "resources/beta.md", "resources/enums.md"];
    const PATHS: &[&str] = &["/alphas/{id}", "/alphas/{alpha-id}", "/betas", "/Betas", "/me/alpha"];
    const METHODS: &[&str] = &["GET", "POST", "PATCH"];
    const OPS: &[&str] = &["Get alpha", "List betas", "get Alpha"];
    const SCOPES: &[&str] = &[
        "Alpha.Read",
        "Alpha.Read.All",
        "Alpha.ReadWrite.All",
        "Directory.Read.All",
    ];

    type PropSpec = (usize, usize, bool, usize, bool, u8);
    type TypeSpec = (
        usize,
        bool,
        Vec<PropSpec>,
        Vec<(usize, usize, u8)>,
        Option<usize>,
        usize,
        bool,
    );
    type EndpointSpec = (
        usize,
        usize,
        Option<usize>,
        usize,
        Option<usize>,
        Vec<(usize, Vec<usize>)>,
    );

    fn type_spec() -> impl Strategy<Value = TypeSpec> {
        (
            0..TYPE_NAMES.len(),
            any::<bool>(),
            prop::collection::vec(
                (
                    0..PROP_NAMES.len(),
                    0..PRIMS.len() + 4,
                    any::<bool>(),
                    0..DESCS.len(),
                    any::<bool>(),
                    1u8..40,
                ),
                0..5,
            ),
            prop::collection::vec((0..MEMBER_NAMES.len(), 0..DESCS.len(), 1u8..40), 0..5),
            prop::option::of(0..TYPE_NAMES.len()),
            0..PAGES.len(),
            any::<bool>(),
        )
    }

    fn endpoint_spec() -> impl Strategy<Value = EndpointSpec> {
        (
            0..METHODS.len(),
            0..PATHS.len(),
            prop::option::of(0..PATHS.len()),
            0..OPS.len(),
            prop::option::of(0..TYPE_NAMES.len()),
            prop::collection::vec((0..3usize, prop::collection::vec(0..SCOPES.len(), 0..3)), 0..3),
        )
    }

    fn loc(page: usize, line: u8) -> Location {
        Location {
            path: PAGES[page].into(),
            line: line as usize,
            col: 1,
        }
    }

    fn build(types: Vec<TypeSpec>, endpoints: Vec<EndpointSpec>) -> Model {
        let mut m = Model::default();
        let mut specs = Vec::new();
        for t in types {
            let name = TYPE_NAMES[t.0];
            // Lowering merges names case-insensitively: one type per name.
            if specs
                .iter()
                .any(|(s, _): &(&str, TypeSpec)| s.eq_ignore_ascii_case(name))
            {
                continue;
            }
            specs.push((name, t));
        }
        specs.sort_by(|a, b| a.0.cmp(b.0));
        let ids: Vec<(&str, bool)> = specs.iter().map(|(n, t)| (*n, t.1)).collect();
        let named = |k: usize| -> Option<TypeRef> {
            let (name, _) = ids.get(k % ids.len().max(1))?;
            let id = ids.iter().position(|(n, _)| n == name)?;
            Some(TypeRef::Named(
                TypeId(id as u32),
                QualifiedName {
                    namespace: "microsoft.graph".into(),
                    name: (*name).into(),
                },
            ))
        };
        for (i, (name, (_, is_enum, props, members, base, page, _))) in specs.iter().enumerate() {
            let mut t = TypeDef {
                id: TypeId(i as u32),
                name: (*name).into(),
                namespace: "microsoft.graph".into(),
                kind: if *is_enum { TypeKind::Enum } else { TypeKind::Complex },
                base_type: None,
                base_id: None,
                description: None,
                properties: Vec::new(),
                members: Vec::new(),
                synthesized: false,
                is_flags: false,
                open_type: false,
                workload: Some("w".into()),
                sources: vec![loc(*page, 1)],
            };
            if *is_enum {
                for (n, d, line) in members {
                    let name = MEMBER_NAMES[*n];
                    if t.members.iter().any(|m| m.name == name) {
                        continue;
                    }
                    t.members.push(EnumMember {
                        name: name.into(),
                        aliases: Vec::new(),
                        description: DESCS[*d].map(str::to_owned),
                        source: loc(*page, *line),
                    });
                }
            } else {
                if let Some(b) = base {
                    let bn = TYPE_NAMES[*b];
                    if let Some(j) = ids.iter().position(|(n, e)| *n == bn && !e && j_ne(n, name)) {
                        t.base_type = Some(QualifiedName {
                            namespace: "microsoft.graph".into(),
                            name: ids[j].0.into(),
                        });
                    }
                }
                for (n, ty, coll, d, nav, line) in props {
                    let name = PROP_NAMES[*n];
                    if t.properties.iter().any(|p| p.name == name) {
                        continue;
                    }
                    let mut ty = match PRIMS.get(*ty) {
                        Some(p) => TypeRef::Primitive(*p),
                        None if *ty == PRIMS.len() => TypeRef::Unresolved("microsoft.graph.missing".into()),
                        None => named(*ty).unwrap_or(TypeRef::Primitive(Primitive::String)),
                    };
                    if *coll {
                        ty = TypeRef::Collection(Box::new(ty));
                    }
                    let description = DESCS[*d].map(str::to_owned);
                    t.properties.push(Property {
                        name: name.into(),
                        ty,
                        navigation: *nav,
                        read_only: generator::parse::description::read_only(description.as_deref()),
                        nullable: generator::parse::description::nullable(description.as_deref()),
                        description,
                        source: loc(*page, *line),
                    });
                }
            }
            m.types.push(t);
        }
        m.link_bases();
        // Entities: anything with a key, as lowering decides.
        for i in 0..m.types.len() {
            if m.types[i].kind == TypeKind::Complex && m.all_properties(TypeId(i as u32)).iter().any(|p| p.name == "id")
            {
                m.types[i].kind = TypeKind::Entity;
            }
        }
        for (method, path, alt, op, resp, perms) in endpoints {
            let (method, path) = (METHODS[method], PATHS[path]);
            if m.endpoints.iter().any(|e| e.method == method && e.path == path) {
                continue;
            }
            let alternate_paths: Vec<String> = alt
                .map(|a| PATHS[a])
                .filter(|a| *a != path)
                .map(str::to_owned)
                .into_iter()
                .collect();
            let parameters = std::iter::once(path)
                .chain(alternate_paths.iter().map(String::as_str))
                .flat_map(|p| p.split('{').skip(1).filter_map(|s| s.split('}').next()))
                .fold(Vec::<String>::new(), |mut v, p| {
                    if !v.iter().any(|q| q == p) {
                        v.push(p.to_owned());
                    }
                    v
                });
            let mut permissions: Vec<Permission> = Vec::new();
            for (k, scopes) in perms {
                let kind = [
                    PermissionKind::DelegatedWork,
                    PermissionKind::DelegatedPersonal,
                    PermissionKind::Application,
                ][k];
                if permissions.iter().any(|p| p.kind == kind) {
                    continue;
                }
                let status = if scopes.is_empty() {
                    PermissionStatus::NotSupported
                } else {
                    PermissionStatus::Scopes {
                        scopes: scopes.iter().map(|s| SCOPES[*s].to_owned()).collect(),
                        least_privileged: Vec::new(),
                    }
                };
                permissions.push(Permission { kind, status });
            }
            m.endpoints.push(generator::ir::Endpoint {
                id: EndpointId(m.endpoints.len() as u32),
                name: OPS[op].into(),
                method: method.into(),
                path: path.into(),
                alternate_paths: alternate_paths
                    .into_iter()
                    .map(|path| generator::ir::RequestLine {
                        parameters: generator::ir::path_holes(&path)
                            .into_iter()
                            .map(|(_, h)| h.to_owned())
                            .collect(),
                        path,
                        from_example: false,
                    })
                    .collect(),
                parameters,
                path_parameters: Vec::new(),
                request_type: None,
                response_type: resp.and_then(named),
                success_status: Some(200),
                permissions,
                api_versions: Vec::new(),
                workload: Some("w".into()),
                sources: vec![loc(0, 1)],
                operation: Default::default(),
            });
        }
        m
    }

    fn j_ne(a: &str, b: &str) -> bool {
        a != b
    }

    fn model_strategy() -> impl Strategy<Value = Model> {
        (
            prop::collection::vec(type_spec(), 0..6),
            prop::collection::vec(endpoint_spec(), 0..4),
        )
            .prop_map(|(t, e)| build(t, e))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Nothing changed: nothing reported.
        #[test]
        fn diff_of_a_model_with_itself_is_empty(a in model_strategy()) {
            let r = run(&a, &a);
            prop_assert!(r.is_empty(), "{:#?}", r.changes);
        }

        /// Swapping the sides inverts every change: added ↔ removed, the
        /// rest with old and new exchanged; and output is deterministic.
        #[test]
        fn swapped_sides_give_the_inverse(a in model_strategy(), b in model_strategy()) {
            for common_only in [false, true] {
                let opts = diff::Options { common_only };
                let ab = diff::diff_with(&a, &b, &opts, *RULES);
                let ba = diff::diff_with(&b, &a, &opts, *RULES);
                if let Err(e) = assert_inverse(&ab, &ba) {
                    return Err(TestCaseError::fail(format!("common_only {common_only}: {e}")));
                }
                prop_assert_eq!(&ab, &diff::diff_with(&a, &b, &opts, *RULES));
                prop_assert_eq!(ab.summary.total(), ab.changes.len());
            }
        }
    }
}
