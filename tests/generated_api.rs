//! The committed crate's runtime behaviour: what a user of `generated` (the
//! Microsoft Graph v1.0 model, all features on here) relies on.

use generated::endpoints;
use generated::graph::DriveItem;
use generated::graph::{
    ComplianceStatus, DeviceConfigurationDeviceStatus, DirectoryObjectAny, EducationUser, Group, User,
};
use generated::graph_call_records::CallRecord;
use generated::{Collection, Method, PermissionKind, Permissions};
use serde_json::{json, Value};

#[test]
fn path_functions_percent_encode_parameters() {
    assert_eq!(
        endpoints::create_device_configuration_device_status_path("a/b c?d#é"),
        "/deviceManagement/deviceConfigurations/a%2Fb%20c%3Fd%23%C3%A9/deviceStatuses"
    );
    let e = endpoints::CREATE_DEVICE_CONFIGURATION_DEVICE_STATUS;
    assert_eq!(e.method, Method::Post);
    assert_eq!(e.success_status, Some(201));
    assert_eq!(e.request_type, Some("microsoft.graph.deviceConfigurationDeviceStatus"));
    assert!(endpoints::ALL.len() > 1500, "{}", endpoints::ALL.len());
}

#[test]
fn permissions_come_from_the_docs() {
    let p = endpoints::CREATE_DEVICE_CONFIGURATION_DEVICE_STATUS.permissions;
    assert!(p.contains(&(
        PermissionKind::DelegatedWork,
        Permissions::Scopes(&["DeviceManagementConfiguration.ReadWrite.All"])
    )));
    assert!(p.contains(&(PermissionKind::DelegatedPersonal, Permissions::NotSupported)));
}

#[test]
fn enums_keep_undocumented_values() {
    let v: ComplianceStatus = serde_json::from_str("\"notAssigned\"").unwrap();
    assert_eq!(v, ComplianceStatus::NotAssigned);
    let v: ComplianceStatus = serde_json::from_str("\"inGracePeriod\"").unwrap();
    // Opaque: readable, written back exactly, never built by hand.
    assert!(matches!(&v, ComplianceStatus::Undocumented(u) if u.as_str() == "inGracePeriod"));
    assert_eq!(serde_json::to_string(&v).unwrap(), "\"inGracePeriod\"");
    // A documented value is always its variant.
    assert_eq!(ComplianceStatus::from("compliant"), ComplianceStatus::Compliant);
    assert_eq!(ComplianceStatus::from("compliant").as_str(), "compliant");
}

#[test]
fn members_spelled_in_several_cases_are_one_variant_and_keep_their_spelling() {
    use generated::graph::OperationStatus;
    use generated::support::Spelling;
    let a: OperationStatus = serde_json::from_str("\"notStarted\"").unwrap();
    let b: OperationStatus = serde_json::from_str("\"NotStarted\"").unwrap();
    assert_eq!(a, b, "one member");
    assert!(matches!(a, OperationStatus::NotStarted(_)));
    assert_eq!(serde_json::to_string(&a).unwrap(), "\"notStarted\"", "written as read");
    assert_eq!(serde_json::to_string(&b).unwrap(), "\"NotStarted\"");
    // Built in Rust: the canonical spelling (the enum's members table).
    assert_eq!(OperationStatus::NotStarted(Spelling::CANONICAL).as_str(), "NotStarted");
    // Another case nobody documents is not the member.
    assert!(matches!(
        OperationStatus::from("NOTSTARTED"),
        OperationStatus::Undocumented(_)
    ));
}

#[test]
fn flags_enums_are_sets_written_back_byte_for_byte() {
    use generated::graph::{WindowsArchitecture, WindowsUniversalAppX};
    use generated::support::Flags;
    let json = json!({"@odata.type": "#microsoft.graph.windowsUniversalAppX", "applicableArchitectures": "x86, x64,futureArm"});
    let app: WindowsUniversalAppX = serde_json::from_value(json.clone()).unwrap();
    let archs = app.applicable_architectures.clone().unwrap();
    assert!(archs.contains(&WindowsArchitecture::X86) && archs.contains(&WindowsArchitecture::X64));
    let members: Vec<WindowsArchitecture> = archs.iter().collect();
    assert!(matches!(&members[2], WindowsArchitecture::Undocumented(u) if u.as_str() == "futureArm"));
    assert_eq!(
        serde_json::to_value(&app).unwrap(),
        json,
        "byte for byte, spaces and unknown members included"
    );
    let built: Flags<WindowsArchitecture> = [WindowsArchitecture::X86, WindowsArchitecture::Arm]
        .into_iter()
        .collect();
    assert_eq!(built.as_str(), "x86,arm");
    let mut f = built.clone();
    f.insert(WindowsArchitecture::X86);
    assert_eq!(f, built, "a set");
    f.remove(&WindowsArchitecture::X86);
    assert_eq!(f.as_str(), "arm");
}

/// A body parameter typed by a flags enum is a set too: the docs' own example
/// of `api/team-clone.md` reads as five parts and is written back unchanged.
#[test]
fn flags_body_parameters_are_sets_and_the_docs_example_round_trips() {
    use generated::graph::ClonableTeamParts;
    use generated::operations::CloneATeamBody;
    let json = json!({
         "displayName": "Library Assist",
         "description": "Self help community for library",
         "mailNickname": "libassist",
         "partsToClone": "apps,tabs,settings,channels,members",
         "visibility": "public"
    });
    let body: CloneATeamBody = serde_json::from_value(json.clone()).unwrap();
    let parts = body.parts_to_clone.clone().unwrap();
    assert_eq!(parts.iter().count(), 5);
    assert!(parts.contains(&ClonableTeamParts::Channels) && parts.contains(&ClonableTeamParts::Members));
    assert!(!parts.iter().any(|p| matches!(p, ClonableTeamParts::Undocumented(_))));
    assert_eq!(serde_json::to_value(&body).unwrap(), json);
}

#[test]
fn scalars_keep_their_wire_text_and_int64_reads_strings() {
    use generated::support::{DateTimeOffset, Int64};
    let json = json!({"id": "1", "createdDateTime": "2016-12-01T19:36:28.0000000Z", "size": "1024"});
    let item: generated::graph::DriveItem = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(
        item.created_date_time,
        Some(DateTimeOffset::new("2016-12-01T19:36:28.0000000Z"))
    );
    assert_eq!(item.size.as_ref().map(Int64::get), Some(1024));
    assert_eq!(serde_json::to_value(&item).unwrap(), json, "the string stays a string");
    let n: Int64 = serde_json::from_str("1024").unwrap();
    assert_eq!(serde_json::to_string(&n).unwrap(), "1024");
    let page: Collection<DriveItem> = serde_json::from_value(json!({"@odata.count": "1", "value": []})).unwrap();
    assert_eq!(page.odata_count.map(|c| c.get()), Some(1));
}

#[test]
fn derived_types_built_in_rust_carry_their_odata_type() {
    use generated::graph::{DeviceConfigurationAny, Windows10GeneralConfiguration};
    let direct = Windows10GeneralConfiguration {
        display_name: Some("Sample".into()),
        ..Default::default()
    };
    let want = "#microsoft.graph.windows10GeneralConfiguration";
    assert_eq!(Windows10GeneralConfiguration::ODATA_TYPE, want);
    assert_eq!(serde_json::to_value(&direct).unwrap()["@odata.type"], want);
    let any = DeviceConfigurationAny::Windows10GeneralConfiguration(Default::default());
    assert_eq!(serde_json::to_value(&any).unwrap()["@odata.type"], want);
    // Read without one, written back without one.
    let read: Windows10GeneralConfiguration = serde_json::from_value(json!({"displayName": "x"})).unwrap();
    assert_eq!(serde_json::to_value(&read).unwrap(), json!({"displayName": "x"}));
    // Set by the user: kept.
    let custom = Windows10GeneralConfiguration {
        odata_type: None,
        ..Default::default()
    };
    assert!(serde_json::to_value(&custom).unwrap().get("@odata.type").is_none());
}

#[test]
fn collections_page_and_keep_everything() {
    let json = json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#x",
        "value": [{"id": "1", "status": "error", "addedLater": {"a": [1, 2]}, "userName": null}],
        "@odata.nextLink": "https://graph.microsoft.com/v1.0/next",
        "@odata.unknownAnnotation": 3
    });
    let page: Collection<DeviceConfigurationDeviceStatus> = serde_json::from_value(json.clone()).unwrap();
    let item = &page.value[0];
    assert_eq!(item.status, Some(ComplianceStatus::Error));
    assert_eq!(item.user_name, None);
    assert_eq!(item.additional_data["addedLater"], json!({"a": [1, 2]}));
    assert_eq!(item.additional_data["userName"], Value::Null, "explicit null kept");
    assert_eq!(
        page.odata_next_link.as_deref(),
        Some("https://graph.microsoft.com/v1.0/next")
    );
    assert_eq!(serde_json::to_value(&page).unwrap(), json, "lossless round trip");
}

#[test]
fn a_patch_can_clear_a_property_with_null() {
    let mut patch = User {
        display_name: Some("Ada".into()),
        ..User::default()
    };
    patch.additional_data.insert("officeLocation".into(), Value::Null);
    // `user` derives from `directoryObject`: a value built from `Default`
    // names its type.
    assert_eq!(
        serde_json::to_value(&patch).unwrap(),
        json!({"@odata.type": "#microsoft.graph.user", "displayName": "Ada", "officeLocation": null})
    );
    // A typed value wins over a kept null of the same property.
    patch.office_location = Some("B42".into());
    assert_eq!(serde_json::to_value(&patch).unwrap()["officeLocation"], json!("B42"));
}

#[test]
fn derived_payloads_deserialize_by_odata_type() {
    let json = json!({"value": [
        {"@odata.type": "#microsoft.graph.user", "id": "u", "displayName": "Ada", "jobTitle": "Engineer"},
        {"@odata.type": "#microsoft.graph.group", "id": "g", "mailEnabled": true},
        {"@odata.type": "#microsoft.graph.somethingNew", "id": "n", "shiny": 1},
        {"id": "plain"}
    ]});
    let page: Collection<DirectoryObjectAny> = serde_json::from_value(json.clone()).unwrap();
    match &page.value[0] {
        DirectoryObjectAny::User(u) => assert_eq!(u.job_title.as_deref(), Some("Engineer")),
        other => panic!("expected a user, got {other:?}"),
    }
    match &page.value[1] {
        DirectoryObjectAny::Group(g) => assert_eq!(g.mail_enabled, Some(true)),
        other => panic!("expected a group, got {other:?}"),
    }
    // A type the docs do not list falls back to the base, its fields kept.
    match &page.value[2] {
        DirectoryObjectAny::DirectoryObject(o) => assert_eq!(o.additional_data["shiny"], json!(1)),
        other => panic!("expected the base type, got {other:?}"),
    }
    assert!(matches!(page.value[3], DirectoryObjectAny::DirectoryObject(_)));
    assert_eq!(serde_json::to_value(&page).unwrap(), json);
    // Inheritance is flattened: a derived struct has its base's properties.
    let g: Group = serde_json::from_value(json!({"id": "g", "deletedDateTime": "2021-01-01T00:00:00Z"})).unwrap();
    assert_eq!(g.deleted_date_time.as_deref(), Some("2021-01-01T00:00:00Z"));
}

#[test]
fn navigation_properties_are_raw_json_to_parse_on_demand() {
    let u: User = serde_json::from_value(json!({"id": "u", "manager": {"id": "m", "displayName": "Boss"}})).unwrap();
    let manager: User = serde_json::from_value(u.manager.clone().unwrap()).unwrap();
    assert_eq!(manager.display_name.as_deref(), Some("Boss"));
}

#[test]
fn other_namespaces_keep_their_own_module() {
    let r: CallRecord = serde_json::from_value(json!({"id": "c", "version": 2})).unwrap();
    assert_eq!(r.version.map(|v| v.get()), Some(2));
    let e: EducationUser = serde_json::from_value(json!({"primaryRole": "student"})).unwrap();
    assert!(e.primary_role.is_some());
}

#[test]
fn the_first_bad_property_in_field_order_is_the_error() {
    // `accountEnabled` is declared before `displayName`: after the first
    // failure no later property is read, and that failure is returned.
    let e = serde_json::from_value::<User>(json!({"displayName": 1, "accountEnabled": "yes"})).unwrap_err();
    assert!(e.to_string().starts_with("`accountEnabled`:"), "{e}");
    let u: User = serde_json::from_value(json!({"displayName": "A", "accountEnabled": null, "x": 1})).unwrap();
    assert_eq!(u.display_name.as_deref(), Some("A"));
    assert_eq!(
        serde_json::to_value(&u).unwrap(),
        json!({"displayName": "A", "accountEnabled": null, "x": 1})
    );
}

/// The README's typed call, verbatim: build, inspect, send (here: a canned
/// response), parse into the typed result or a `GraphError`.
#[test]
fn a_typed_call_from_build_to_parse() {
    use generated::graph::AssignedLicense;
    use generated::operations::{ListUsers, UpdateUser, UserAssignLicense, UserAssignLicenseBody};
    use generated::runtime::prelude::*;

    // POST /users/{userId}/assignLicense, with the body the page's table lists.
    let body = UserAssignLicenseBody {
        add_licenses: Some(vec![AssignedLicense {
            sku_id: Some("bea13e0c-3828-4daa-a392-28af7ff61a0f".into()),
            ..Default::default()
        }]),
        remove_licenses: Some(vec![]),
        ..Default::default()
    };
    let call = UserAssignLicense::user("adele@contoso.com", body);
    assert_eq!(call.method(), Method::Post);
    assert_eq!(call.path(), "/users/adele%40contoso.com/assignLicense");
    let request = call.to_request(&BaseUrl::default()).unwrap();
    assert_eq!(
        request.uri(),
        "https://graph.microsoft.com/v1.0/users/adele%40contoso.com/assignLicense"
    );
    assert_eq!(request.headers()["content-type"], "application/json");
    let sent: Value = serde_json::from_slice(request.body()).unwrap();
    assert_eq!(
        sent,
        json!({"addLicenses": [{"skuId": "bea13e0c-3828-4daa-a392-28af7ff61a0f"}], "removeLicenses": []})
    );

    // The success status: the documented type.
    let ok = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(br#"{"id": "87d349ed", "displayName": "Adele Vance"}"#.to_vec())
        .unwrap();
    let user: User = UserAssignLicense::parse_response(ok).unwrap();
    assert_eq!(user.display_name.as_deref(), Some("Adele Vance"));

    // An error status: Graph's OData error, with its code.
    let denied = http::Response::builder()
        .status(403)
        .header("content-type", "application/json")
        .body(br#"{"error": {"code": "Authorization_RequestDenied", "message": "Insufficient privileges."}}"#.to_vec())
        .unwrap();
    let err = UserAssignLicense::parse_response(denied).unwrap_err();
    assert_eq!(err.status(), 403);
    assert_eq!(err.code(), Some("Authorization_RequestDenied"));

    // Query options are typed where the page documents them.
    let list = ListUsers::call()
        .filter("startswith(displayName,'a b')")
        .select(["id", "displayName"])
        .top(5)
        .consistency_level("eventual");
    assert_eq!(
        list.target(),
        "/users?$filter=startswith(displayName,'a%20b')&$select=id,displayName&$top=5"
    );
    assert_eq!(list.headers().get("ConsistencyLevel"), Some("eventual"));

    // A PATCH leaves unset fields unchanged and clears those named.
    let update = UpdateUser::call(
        "adele@contoso.com",
        Patch::new(User {
            job_title: Some("Marketing".into()),
            ..Default::default()
        })
        .set_null("officeLocation"),
    );
    let sent: Value = serde_json::from_slice(update.to_request(&BaseUrl::default()).unwrap().body()).unwrap();
    // `User` derives from `directoryObject`: its `Default` names its type.
    assert_eq!(
        sent,
        json!({"@odata.type": "#microsoft.graph.user", "jobTitle": "Marketing", "officeLocation": null})
    );

    // A body that is not the documented type is a decode error with its JSON path.
    let bad = http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(br#"{"value": [{"accountEnabled": "yes"}]}"#.to_vec())
        .unwrap();
    match ListUsers::parse_response(bad).unwrap_err() {
        GraphError::Decode { path, message, .. } => {
            assert_eq!(path, "$.value[0].accountEnabled");
            assert!(message.starts_with("invalid type: string \"yes\""), "{message}");
        }
        other => panic!("{other}"),
    }
}

/// No response makes parsing panic: HTML error pages, empty and truncated
/// bodies, the wrong content type.
#[test]
fn bad_responses_are_errors_not_panics() {
    use generated::operations::ListUsers;
    use generated::runtime::prelude::*;
    let response = |status: u16, ct: &str, body: &[u8]| {
        http::Response::builder()
            .status(status)
            .header("content-type", ct)
            .body(body.to_vec())
            .unwrap()
    };
    let cases = [
        response(502, "text/html", b"<html><body>Bad gateway</body></html>"),
        response(500, "application/json", b""),
        response(200, "application/json", b"{\"value\": [{\"id\": \"1\""),
        response(200, "text/html", b"<html></html>"),
        response(200, "application/json", b""),
        response(200, "application/json", b"[1, 2]"),
        response(429, "application/json", b"{\"error\": 7}"),
    ];
    for r in cases {
        let status = r.status();
        let err = ListUsers::parse_response(r).unwrap_err();
        assert_eq!(err.status(), status);
        assert!(!err.to_string().is_empty());
    }
}

// README selectors example start
#[test]
fn a_typed_query() {
    use generated::graph::{AssignedLicense, DirectoryObject, User};
    use generated::operations::ListUsers;
    use generated::runtime::prelude::*;

    let sku = "184efa21-98c3-4e5d-95ab-d07053a96e67";
    let call = ListUsers::call()
        .select((User::ID, User::DISPLAY_NAME, User::MAIL)) // fields of `User`, the item `ListUsers` returns
        .filter(
            User::DISPLAY_NAME.starts_with("A")
                & User::ACCOUNT_ENABLED.eq(true) // a bool field takes a bool
                & User::ASSIGNED_LICENSES.any(|l| l.get(AssignedLicense::SKU_ID).eq(sku)), // a GUID, written bare
        )
        .expand(User::MANAGER.select((DirectoryObject::ID, "displayName"))) // raw text where the docs list nothing
        .order_by(User::DISPLAY_NAME.desc());
    let request = call.to_request(&BaseUrl::default()).unwrap();
    assert_eq!(
        request.uri(),
        "https://graph.microsoft.com/v1.0/users\
         ?$select=id,displayName,mail\
         &$filter=startswith(displayName,'A')%20and%20accountEnabled%20eq%20true%20and%20\
         assignedLicenses/any(x:x/skuId%20eq%20184efa21-98c3-4e5d-95ab-d07053a96e67)\
         &$expand=manager($select=id,displayName)\
         &$orderby=displayName%20desc"
    );
}
// README selectors example end

#[test]
fn readme_shows_the_typed_query() {
    let this = include_str!("generated_api.rs");
    let start = "// README selectors example start\n";
    let from = this.find(start).unwrap() + start.len();
    let to = from + this[from..].find("// README selectors example end").unwrap();
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    assert!(
        readme.contains(&this[from..to]),
        "README.md must show tests/generated_api.rs's typed query between its markers, verbatim"
    );
}

/// Typed `$select`, `$expand`, `$orderby` and `$filter`: the field constants
/// of the model structs and the `runtime::Expr` builder.
mod selectors {
    use generated::graph::{AgeGroup, AssignedLicense, DirectoryObject, EmployeeOrgData, Group, User};
    use generated::operations::{GetUser, ListGroups};
    use generated::runtime::prelude::*;
    use generated::runtime::Expr;

    fn query_of<O: Operation>(call: Call<O>) -> String {
        let request = call.to_request(&BaseUrl::default()).unwrap();
        let uri = request.uri().to_string();
        let query = uri.split_once('?').map_or("", |(_, q)| q);
        percent_decode(query)
    }

    fn percent_decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn literals_are_written_the_odata_way() {
        let q = |e: Expr<User>| e.as_str().to_owned();
        assert_eq!(q(User::SURNAME.eq("O'Brien")), "surname eq 'O''Brien'");
        assert_eq!(q(User::AGE_GROUP.eq(AgeGroup::Minor)), "ageGroup eq 'minor'");
        assert_eq!(
            q(User::CREATED_DATE_TIME.ge("2024-01-01T00:00:00Z")),
            "createdDateTime ge 2024-01-01T00:00:00Z"
        );
        assert_eq!(q(User::MAIL.is_null()), "mail eq null");
        assert_eq!(q(User::MAIL.is_not_null()), "mail ne null");
        assert_eq!(
            q(User::USER_TYPE.is_in(["Member", "Guest"])),
            "userType in ('Member','Guest')"
        );
        assert_eq!(
            q(User::BUSINESS_PHONES.any(|p| p.eq("555"))),
            "businessPhones/any(x:x eq '555')"
        );
        assert_eq!(
            q(User::EMPLOYEE_ORG_DATA.get(EmployeeOrgData::DIVISION).eq("Sales")),
            "employeeOrgData/division eq 'Sales'"
        );
        assert_eq!(q(User::DEVICE_ENROLLMENT_LIMIT.gt(5)), "deviceEnrollmentLimit gt 5");
    }

    #[test]
    fn parentheses_follow_odata_precedence() {
        let a = || User::GIVEN_NAME.eq("a");
        let b = || User::SURNAME.eq("b");
        let c = || User::ACCOUNT_ENABLED.ne(false);
        assert_eq!(
            (a() | b()).and(c()).as_str(),
            "(givenName eq 'a' or surname eq 'b') and accountEnabled ne false"
        );
        assert_eq!(
            (a() & b() | c()).as_str(),
            "givenName eq 'a' and surname eq 'b' or accountEnabled ne false"
        );
        assert_eq!(
            a().or(b() & c()).as_str(),
            "givenName eq 'a' or surname eq 'b' and accountEnabled ne false"
        );
        assert_eq!((!(a() | b())).as_str(), "not(givenName eq 'a' or surname eq 'b')");
        // Raw text may hold anything, so it is parenthesised when combined.
        let raw: Expr<User> = "a eq 1 or b eq 2".into();
        assert_eq!((raw & c()).as_str(), "(a eq 1 or b eq 2) and accountEnabled ne false");
        let raw: Expr<User> = "a eq 1".into();
        assert_eq!(raw.as_str(), "a eq 1");
    }

    #[test]
    fn lambdas_name_their_variables_by_depth() {
        let e = User::ASSIGNED_LICENSES.all(|l| l.get(AssignedLicense::DISABLED_PLANS).any(|p| p.eq("x")));
        // The plan GUID is written bare.
        assert_eq!(e.as_str(), "assignedLicenses/all(x:x/disabledPlans/any(x1:x1 eq x))");
    }

    #[test]
    fn expansions_nest_options_and_raw_text_still_works() {
        let call = ListGroups::call()
            .expand((Group::MEMBERS.select(DirectoryObject::ID).top(5), "owners"))
            .select(["id", "displayName"])
            .filter("groupTypes/any(c:c eq 'Unified')")
            .order_by([Group::DISPLAY_NAME.asc(), Group::CREATED_DATE_TIME.desc()]);
        assert_eq!(
            query_of(call),
            "$expand=members($select=id;$top=5),owners&$select=id,displayName\
             &$filter=groupTypes/any(c:c eq 'Unified')&$orderby=displayName asc,createdDateTime desc"
        );
        let call = GetUser::me().select(User::ID).select(User::MAIL);
        assert_eq!(query_of(call), "$select=mail", "a second select replaces the first");
    }
}
