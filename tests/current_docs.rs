//! Today's docs format: `[!INCLUDE]` permission tables, new front matter,
//! new namespaces, CRLF pages. Fixtures in `tests/fixtures/current/`, and the
//! whole development sample in `../shared/graph-docs-current` when present.

use generator::diagnostics::{Code, Severity};
use generator::ir::{Model, PermissionKind, PermissionStatus};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    tests::root().join("tests/fixtures/current")
}

fn run(dir: &Path) -> (generator::source::SourceDb, generator::Output) {
    let db = tests::load(dir);
    let out = tests::generate(&db);
    (db, out)
}

fn endpoint<'a>(m: &'a Model, path: &str) -> &'a generator::ir::Endpoint {
    m.endpoints
        .iter()
        .find(|e| e.path == path)
        .unwrap_or_else(|| panic!("no endpoint {path}"))
}

#[test]
fn fixtures_snapshot() {
    let (db, out) = run(&fixtures());
    insta::assert_snapshot!("current-ir", out.model.to_json());
    let rust: String = out
        .files
        .iter()
        .filter(|(p, _)| p.starts_with("src/") && *p != "src/support.rs")
        .map(|(p, c)| format!("==> {p}\n{c}"))
        .collect();
    insta::assert_snapshot!("current-rust", rust);
    insta::assert_snapshot!("current-diagnostics", tests::rendered_diagnostics(&db, &out));
}

#[test]
fn includes_resolve_and_are_not_pages() {
    let (db, out) = run(&fixtures());
    // 9 pages; the 5 include files are read only through the pages.
    assert_eq!(out.stats.pages, 9);
    assert!(
        !out.diagnostics.iter().any(|d| d.code == Code::NoFacts),
        "an include was read as a page"
    );
    let m = &out.model;
    let update = endpoint(m, "/groups/{groupId}");
    assert_eq!(update.method, "PATCH");
    let work = update
        .permissions
        .iter()
        .find(|p| p.kind == PermissionKind::DelegatedWork)
        .unwrap();
    let PermissionStatus::Scopes {
        scopes,
        least_privileged,
    } = &work.status
    else {
        panic!("{work:?}")
    };
    assert_eq!(least_privileged, &["Group-NestingSupport.ReadWrite.All"]);
    assert!(scopes.contains(&"Group.ReadWrite.All".to_string()));
    // "A and B" in the least-privileged cell: both are needed.
    let owners = endpoint(m, "/applications/{applicationId}/owners/$ref");
    let work = owners
        .permissions
        .iter()
        .find(|p| p.kind == PermissionKind::DelegatedWork)
        .unwrap();
    let PermissionStatus::Scopes { least_privileged, .. } = &work.status else {
        panic!()
    };
    assert_eq!(least_privileged, &["Application.ReadWrite.All", "Directory.Read.All"]);
    // Permission tables under "### Permissions acting on self" sub-headings.
    let ext = m
        .endpoints
        .iter()
        .find(|e| {
            e.path
                .ends_with("/externalAuthenticationMethods/{externalAuthenticationMethodId}")
        })
        .unwrap();
    assert!(ext
        .permissions
        .iter()
        .any(|p| matches!(&p.status, PermissionStatus::Scopes { .. })));
    // A CRLF page with a CRLF include.
    let backup = endpoint(m, "/solutions/backupRestore");
    assert_eq!(backup.permissions.len(), 3);
    // The missing include is a located warning on the including page, not silence.
    let missing: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MissingInclude)
        .collect();
    assert_eq!(missing.len(), 1, "{missing:#?}");
    assert_eq!(db.file(missing[0].span.file).path, "api/termstore-set-delete.md");
    assert!(endpoint(m, "/sites/{siteId}/termStore/sets/{setId}")
        .permissions
        .is_empty());
}

#[test]
fn new_namespaces_keep_their_names() {
    let (_, out) = run(&fixtures());
    let m = &out.model;
    for (ns, name) in [
        ("microsoft.graph.security", "alert"),
        ("microsoft.graph.termStore", "set"),
        ("microsoft.graph.identityGovernance", "workflow"),
        ("microsoft.graph", "aadUserConversationMember"),
    ] {
        assert!(
            m.types.iter().any(|t| t.namespace == ns && t.name == name),
            "{ns}.{name}"
        );
    }
    // One Rust module per namespace, all distinct.
    let mods: std::collections::BTreeSet<&String> = out.names.modules.values().collect();
    assert_eq!(mods.len(), out.names.modules.len());
    assert!(
        out.files.contains_key("src/graph_security.rs"),
        "{:?}",
        out.files.keys().collect::<Vec<_>>()
    );
    let alert = m
        .types
        .iter()
        .find(|t| t.namespace == "microsoft.graph.security" && t.name == "alert")
        .unwrap();
    assert!(m.all_properties(alert.id).len() > 20);
    // Workload from today's `ms.subservice` and from the 2021 `ms.prod` alike.
    let group = m.endpoints.iter().find(|e| e.path == "/groups/{groupId}").unwrap();
    assert_eq!(group.workload.as_deref(), Some("entra-groups"));
    let team = m.types.iter().find(|t| t.name == "aadUserConversationMember").unwrap();
    assert!(team.workload.is_some(), "{team:?}");
    // "This type inherits from" wording.
    let member = m.types.iter().find(|t| t.name == "aadUserConversationMember").unwrap();
    assert_eq!(
        member.base_type.as_ref().map(|b| b.name.as_str()),
        Some("conversationMember")
    );
}

/// The whole development sample: every API page gives an endpoint, every
/// resource page a type, every unresolvable permissions include is reported,
/// nothing is an error, and the crate compiles.
#[test]
fn full_current_sample() {
    let dir = tests::root().join("../shared/graph-docs-current");
    if !dir.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have ../shared/graph-docs-current"
        );
        eprintln!("skipping: {} not present", dir.display());
        return;
    }
    let (db, out) = run(&dir);
    assert_eq!(
        out.diagnostics.iter().filter(|d| d.severity == Severity::Error).count(),
        0
    );
    for (id, f) in db.iter() {
        if db.is_include(id) {
            continue;
        }
        let from_page = |locs: &[generator::source::Location]| locs.iter().any(|l| l.path == f.path);
        if f.path.starts_with("api/") {
            assert!(
                out.model.endpoints.iter().any(|e| from_page(&e.sources)),
                "{}: no endpoint",
                f.path
            );
        } else if f.path.starts_with("resources/") {
            assert!(
                out.model.types.iter().any(|t| from_page(&t.sources)),
                "{}: no type",
                f.path
            );
        }
    }
    // Each `permissions-table` include whose file is absent is reported once.
    let mut expected = 0;
    for (id, f) in db.iter() {
        if db.is_include(id) {
            continue;
        }
        for line in f
            .text
            .lines()
            .filter(|l| l.starts_with("[!INCLUDE [permissions-table]"))
        {
            let target = line.split("](").nth(1).and_then(|t| t.split(')').next()).unwrap();
            let path = generator::source::SourceDb::resolve_relative(&f.path, target).unwrap();
            if db.find(&path).is_none() {
                expected += 1;
            }
        }
    }
    let missing = out
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::MissingInclude)
        .count();
    assert_eq!(missing, expected);
    assert!(expected >= 12);

    let tmp = tempfile::tempdir().unwrap();
    let args = xtask::CodegenArgs {
        docs: dir,
        out: tmp.path().join("crate"),
        ..xtask::CodegenArgs::default()
    };
    xtask::codegen(&args).unwrap();
    tests::cargo_check(&tmp.path().join("crate"));
}
