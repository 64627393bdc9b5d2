//! The committed crate's runtime behaviour: what a user of `generated` relies on.

use generated::endpoints;
use generated::graph::{ComplianceStatus, DeviceConfigurationDeviceStatus};
use generated::{Collection, Method, PermissionKind, Permissions};

#[test]
fn path_functions_percent_encode_parameters() {
    assert_eq!(
        endpoints::create_device_configuration_device_status_path("a/b c?d#é"),
        "/deviceManagement/deviceConfigurations/a%2Fb%20c%3Fd%23%C3%A9/deviceStatuses"
    );
    assert_eq!(
        endpoints::CREATE_DEVICE_CONFIGURATION_DEVICE_STATUS.method,
        Method::Post
    );
    assert_eq!(
        endpoints::CREATE_DEVICE_CONFIGURATION_DEVICE_STATUS.success_status,
        Some(201)
    );
    assert_eq!(endpoints::ALL.len(), 4);
}

#[test]
fn permissions_come_from_the_docs() {
    let p = endpoints::CREATE_DEVICE_COMPLIANCE_USER_STATUS.permissions;
    assert!(p.contains(&(
        PermissionKind::DelegatedWork,
        Permissions::Scopes(&["DeviceManagementConfiguration.ReadWrite.All"])
    )));
    assert!(endpoints::CREATE_DEVICE_CONFIGURATION_USER_STATUS
        .permissions
        .iter()
        .all(|(_, p)| *p == Permissions::NotDocumented));
}

#[test]
fn enums_keep_undocumented_values() {
    let v: ComplianceStatus = serde_json::from_str("\"notAssigned\"").unwrap();
    assert_eq!(v, ComplianceStatus::NotAssigned);
    let v: ComplianceStatus = serde_json::from_str("\"inGracePeriod\"").unwrap();
    assert_eq!(v, ComplianceStatus::Undocumented("inGracePeriod".into()));
    assert_eq!(serde_json::to_string(&v).unwrap(), "\"inGracePeriod\"");
    assert_eq!(ComplianceStatus::VALUES.len(), 8);
}

#[test]
fn absent_properties_stay_absent_and_collections_page() {
    let json = r#"{"value":[{"id":"1","status":"error"}],"@odata.nextLink":"https://graph.microsoft.com/v1.0/next"}"#;
    let page: Collection<DeviceConfigurationDeviceStatus> = serde_json::from_str(json).unwrap();
    assert_eq!(page.value[0].status, Some(ComplianceStatus::Error));
    assert_eq!(
        page.odata_next_link.as_deref(),
        Some("https://graph.microsoft.com/v1.0/next")
    );
    let back = serde_json::to_value(&page).unwrap();
    assert_eq!(back, serde_json::from_str::<serde_json::Value>(json).unwrap());
}
