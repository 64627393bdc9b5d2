//! Lowering rules for type references that pages write loosely: plurals in
//! response prose, `a or b` cells, and `String` cells that list an enum's
//! members.

use generator::diagnostics::Code;
use generator::ir::{Model, TypeRef};
use generator::source::SourceDb;

fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\nms.prod: \"widgets\"\n---\n\n# {title}\n\nNamespace: microsoft.graph\n\n{body}")
}

fn resource(name: &str, inherits: &str, rows: &str) -> String {
    page(
        &format!("{name} resource type"),
        &format!(
            "{inherits}\n\n## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n|id|String|Key.|\n{rows}\n"
        ),
    )
}

fn model(pages: &[(&str, String)]) -> (Model, Vec<generator::diagnostics::Diagnostic>) {
    let db = SourceDb::from_pages(pages.iter().map(|(n, p)| (n.to_string(), p.as_bytes().to_vec())));
    let out = generator::generate(&db, &generator::Options::default());
    (out.model, out.diagnostics)
}

fn property_type(m: &Model, ty: &str, name: &str) -> String {
    let t = m.types.iter().find(|t| t.name == ty).expect(ty);
    t.properties.iter().find(|p| p.name == name).expect(name).ty.csdl()
}

#[test]
fn a_plural_in_response_prose_is_its_singular_type() {
    let (m, diags) = model(&[
        ("resources/widget.md", resource("widget", "", "")),
        (
            "api/widget-list.md",
            page(
                "List widgets",
                "## HTTP request\n\n```http\nGET /widgets\n```\n\n## Response\n\nIf successful, this method returns a `200 OK` response code and collection of **widgets** objects in the response body.\n",
            ),
        ),
    ]);
    let e = m.endpoints.iter().find(|e| e.path == "/widgets").expect("endpoint");
    assert_eq!(
        e.response_type.as_ref().map(TypeRef::csdl).as_deref(),
        Some("Collection(microsoft.graph.widget)")
    );
    assert!(diags
        .iter()
        .any(|d| d.code == Code::UnresolvedType && d.message.contains("its singular is `microsoft.graph.widget`")));
}

#[test]
fn a_or_b_is_their_common_base_and_unrelated_alternatives_are_a_warning() {
    let (m, diags) = model(&[
        ("resources/config.md", resource("config", "", "")),
        (
            "resources/appconfig.md",
            resource("appConfig", "Inherits from [config](config.md).", "|app|String|App.|"),
        ),
        (
            "resources/serviceconfig.md",
            resource("serviceConfig", "Inherits from [config](config.md).", "|svc|String|Svc.|"),
        ),
        ("resources/other.md", resource("other", "", "")),
        (
            "resources/call.md",
            resource(
                "call",
                "",
                "|media|[appConfig](appconfig.md) or [serviceConfig](serviceconfig.md)|Media.|\n|odd|[appConfig](appconfig.md) or [other](other.md)|Odd.|",
            ),
        ),
    ]);
    assert_eq!(property_type(&m, "call", "media"), "microsoft.graph.config");
    assert_eq!(property_type(&m, "call", "odd"), "microsoft.graph.appConfig");
    assert!(diags
        .iter()
        .any(|d| d.code == Code::UnknownTypeExpr
            && d.message.contains("`appConfig` or `other` have no common base type")));
}

#[test]
fn a_string_listing_an_enums_members_is_that_enum() {
    let (m, _) = model(&[
        (
            "resources/enums.md",
            page(
                "Enum types",
                "### jobStatus values\n\n|Member|\n|:---|\n|NotStarted|\n|Running|\n|Done|\n|unknownFutureValue|\n\n### colour values\n\n|Member|\n|:---|\n|red|\n|green|\n|blue|\n|black|\n",
            ),
        ),
        (
            "resources/job.md",
            resource(
                "job",
                "",
                "|status|String|Possible values are: `notStarted`, `running`, `done`.|\n|paint|String|Possible values are: `red`, `green`, `blue`.|\n|pair|String|Possible values are: `red`, `green`.|\n|mixed|String|Possible values are: `red`, `running`, `done`.|",
            ),
        ),
    ]);
    // Same members up to case and unknownFutureValue.
    assert_eq!(property_type(&m, "job", "status"), "microsoft.graph.jobStatus");
    // Three or more members of exactly one enum.
    assert_eq!(property_type(&m, "job", "paint"), "microsoft.graph.colour");
    // Two values are too few to tell; values from two enums are no enum.
    assert_eq!(property_type(&m, "job", "pair"), "Edm.String");
    assert_eq!(property_type(&m, "job", "mixed"), "Edm.String");
}
