//! The five seed pages: each alone, and all together.

use generator::ir::{Model, PermissionKind, PermissionStatus, TypeDef, TypeKind};
use tests::{load, rendered_diagnostics, seed_paths, seeds_dir, single};

fn generate(db: &generator::source::SourceDb) -> generator::Output {
    tests::generate(db)
}

fn ty<'a>(m: &'a Model, name: &str) -> &'a TypeDef {
    m.types.iter().find(|t| t.name == name).unwrap_or_else(|| {
        panic!(
            "no type {name} in {:?}",
            m.types.iter().map(|t| &t.name).collect::<Vec<_>>()
        )
    })
}

fn prop_names(m: &Model, t: &TypeDef) -> Vec<String> {
    m.all_properties(t.id).iter().map(|p| p.name.clone()).collect()
}

/// IR, Rust and diagnostics of each seed alone, snapshotted.
#[test]
fn each_seed_alone_snapshots() {
    for path in seed_paths() {
        let db = single(&path);
        let out = generate(&db);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("ir@{name}"), out.model.to_json());
        let rust: String = out
            .files
            .iter()
            .filter(|(p, _)| p.starts_with("src/") && *p != "src/support.rs" && *p != "src/lib.rs")
            .map(|(p, c)| format!("==> {p}\n{c}"))
            .collect();
        insta::assert_snapshot!(format!("rust@{name}"), rust);
        insta::assert_snapshot!(format!("diagnostics@{name}"), rendered_diagnostics(&db, &out));
    }
}

/// Each seed alone yields its type, its properties and its endpoint.
#[test]
fn each_seed_alone_has_type_properties_endpoint() {
    let expect = [
        ("add-manageddevicemobileappconfigurationdevicestatus.md", "managedDeviceMobileAppConfigurationDeviceStatus", 9, "/deviceAppManagement/iosLobAppProvisioningConfigurations/{iosLobAppProvisioningConfigurationId}/deviceStatuses/$ref"),
        ("create-devicecomplianceuserstatus-2017.md", "deviceComplianceUserStatus", 6, "/deviceManagement/deviceCompliancePolicies/{deviceCompliancePolicyId}/userStatuses"),
        ("create-deviceconfigurationdevicestatus.learn-rendered.txt", "deviceConfigurationDeviceStatus", 8, "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/deviceStatuses"),
        ("create-deviceconfigurationdevicestatus.md", "deviceConfigurationDeviceStatus", 8, "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/deviceStatuses"),
        ("create-deviceconfigurationuserstatus.md", "deviceConfigurationUserStatus", 6, "/deviceManagement/deviceConfigurations/{deviceConfigurationId}/rootCertificate/userStatuses"),
    ];
    for (file, type_name, n_props, path) in expect {
        let db = single(&seeds_dir().join(file));
        let out = generate(&db);
        let m = &out.model;
        let t = ty(m, type_name);
        assert_eq!(prop_names(m, t).len(), n_props, "{file}: {:?}", prop_names(m, t));
        assert!(prop_names(m, t).contains(&"status".to_string()), "{file}");
        assert_eq!(m.endpoints.len(), 1, "{file}");
        assert_eq!(m.endpoints[0].path, path, "{file}");
        assert_eq!(m.endpoints[0].method, "POST", "{file}");
        assert_eq!(m.endpoints[0].success_status, Some(201), "{file}");
        assert!(!out.files.is_empty(), "{file}: emission failed");
    }
}

/// The rendered-text page yields the same facts as its markdown twin, and
/// real permission scopes where the markdown has TODOs.
#[test]
fn rendered_text_matches_markdown_twin() {
    let md = generate(&single(&seeds_dir().join("create-deviceconfigurationdevicestatus.md")));
    let txt = generate(&single(
        &seeds_dir().join("create-deviceconfigurationdevicestatus.learn-rendered.txt"),
    ));
    let props = |o: &generator::Output| {
        let t = ty(&o.model, "deviceConfigurationDeviceStatus");
        o.model
            .all_properties(t.id)
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.ty.csdl()
                        .replace("deviceConfigurationDeviceStatusStatus", "complianceStatus"),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(props(&md), props(&txt));
    let (a, b) = (&md.model.endpoints[0], &txt.model.endpoints[0]);
    assert_eq!((&a.method, &a.path, &a.parameters), (&b.method, &b.path, &b.parameters));
    assert_eq!(
        a.request_type.as_ref().map(|t| t.csdl()),
        b.request_type.as_ref().map(|t| t.csdl())
    );
    assert_eq!(
        a.response_type.as_ref().map(|t| t.csdl()),
        b.response_type.as_ref().map(|t| t.csdl())
    );
    assert!(b.permissions.iter().any(|p| p.kind == PermissionKind::Application
        && p.status
            == PermissionStatus::Scopes {
                scopes: vec!["DeviceManagementConfiguration.ReadWrite.All".into()],
                least_privileged: vec![]
            }));
    // Both examples, with equal JSON values apart from generated ids and dates.
    let bodies = |o: &generator::Output| {
        o.model
            .examples
            .iter()
            .map(|e| {
                let v: serde_json::Value = serde_json::from_str(&e.json).unwrap();
                let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
                keys.sort();
                (format!("{:?}", e.kind), keys)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(bodies(&md), bodies(&txt));
}

/// All seeds together: merged types, the union enum, one endpoint per operation.
#[test]
fn all_seeds_merge() {
    let db = load(&seeds_dir());
    let out = generate(&db);
    let m = &out.model;
    insta::assert_snapshot!("ir@all-seeds", m.to_json());
    let cs = ty(m, "complianceStatus");
    assert_eq!(cs.kind, TypeKind::Enum);
    let members: Vec<&str> = cs.members.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(
        members,
        [
            "unknown",
            "notApplicable",
            "compliant",
            "remediated",
            "nonCompliant",
            "error",
            "conflict",
            "notAssigned"
        ]
    );
    // No synthesized enum: every `Enumeration` cell matched complianceStatus.
    assert!(
        m.types.iter().all(|t| !t.synthesized),
        "{:?}",
        m.types.iter().map(|t| &t.name).collect::<Vec<_>>()
    );
    for name in [
        "deviceConfigurationDeviceStatus",
        "deviceConfigurationUserStatus",
        "managedDeviceMobileAppConfigurationDeviceStatus",
        "deviceComplianceUserStatus",
    ] {
        let t = ty(m, name);
        let status = m.all_properties(t.id).into_iter().find(|p| p.name == "status").unwrap();
        assert_eq!(status.ty.csdl(), "microsoft.graph.complianceStatus", "{name}");
        assert_eq!(t.kind, TypeKind::Entity, "{name}");
    }
    assert_eq!(m.endpoints.len(), 4);
    // The markdown page's TODO scopes are filled by the rendered page's real ones.
    let create = m
        .endpoints
        .iter()
        .find(|e| e.name == "Create deviceConfigurationDeviceStatus")
        .unwrap();
    assert!(create
        .permissions
        .iter()
        .all(|p| p.status != PermissionStatus::NotDocumented));
    assert_eq!(create.sources.len(), 2);
    // Generated names exist for the four types and the enum.
    for rust in [
        "DeviceConfigurationDeviceStatus",
        "DeviceConfigurationUserStatus",
        "ManagedDeviceMobileAppConfigurationDeviceStatus",
        "DeviceComplianceUserStatus",
        "ComplianceStatus",
    ] {
        assert!(out.names.types.iter().any(|n| n == rust), "{rust}");
    }
}
