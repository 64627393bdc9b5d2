//! Every check, once on a page with the defect (the code must be reported)
//! and once on the fixed page (it must not be). The README shows the same
//! pairs.

use generator::diagnostics::Code;
use generator::source::SourceDb;

/// A resource page for type `thing` with the given property rows.
fn resource(rows: &str) -> String {
    format!(
        "---\ntitle: \"thing resource type\"\n---\n# thing resource type\n\nNamespace: microsoft.graph\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n{rows}"
    )
}

/// An API page: `GET /things/{id}` returning `thing`, with a response example.
fn api(permission: &str, status_text: &str, example: &str) -> String {
    format!(
        "# Get thing\n\nNamespace: microsoft.graph\n\n## Permissions\n|Permission type|Permissions (from least to most privileged)|\n|:---|:---|\n|Application|{permission}|\n\n## HTTP request\n```http\nGET /things/{{id}}\n```\n\n## Request body\nDon't supply a request body for this method.\n\n## Response\nIf successful, this method returns a `{status_text}` response code and a [thing](thing.md) object in the response body.\n\n## Example\n### Request\n```http\nGET https://graph.microsoft.com/v1.0/things/1\n```\n### Response\n<!-- {{ \"blockType\": \"response\", \"@odata.type\": \"microsoft.graph.thing\" }} -->\n```http\n{example}\n```\n"
    )
}

const THING: &str =
    "|id|String|Key.|\n|size|Int64|Size.|\n|status|thingStatus|Possible values are: `active`, `retired`.|\n";

fn ok_response(body: &str) -> String {
    format!("HTTP/1.1 200 OK\nContent-Type: application/json\n\n{body}")
}

struct Case {
    code: Code,
    bad: Vec<(&'static str, Vec<u8>)>,
    fixed: Vec<(&'static str, Vec<u8>)>,
}

fn pages(list: &[(&'static str, String)]) -> Vec<(&'static str, Vec<u8>)> {
    list.iter().map(|(p, t)| (*p, t.clone().into_bytes())).collect()
}

fn cases() -> Vec<Case> {
    let good_api = api(
        "Thing.Read.All",
        "200 OK",
        &ok_response("{\"id\": \"1\", \"size\": 12, \"status\": \"active\"}"),
    );
    let with_thing = |p: String| pages(&[("thing.md", resource(THING)), ("get.md", p)]);
    vec![
        Case {
            code: Code::InvalidUtf8,
            bad: vec![("thing.md", [resource(THING).as_bytes(), b"\xff"].concat())],
            fixed: pages(&[("thing.md", resource(THING))]),
        },
        Case {
            code: Code::FrontMatter,
            bad: pages(&[("thing.md", resource(THING).replace("title: \"thing resource type\"", "title: thing: resource"))]),
            fixed: pages(&[("thing.md", resource(THING))]),
        },
        Case {
            code: Code::Annotation,
            bad: with_thing(good_api.replace("\"blockType\": \"response\"", "\"blockType\": response")),
            fixed: with_thing(good_api.clone()),
        },
        Case {
            code: Code::InvalidJson,
            bad: with_thing(api("Thing.Read.All", "200 OK", &ok_response("{\"id\": \"1\",}"))),
            fixed: with_thing(api("Thing.Read.All", "200 OK", &ok_response("{\"id\": \"1\"}"))),
        },
        Case {
            code: Code::ExamplePlaceholder,
            bad: with_thing(api("Thing.Read.All", "200 OK", &ok_response("{\"id\": \"String\", \"size\": \"Int64\"}"))),
            fixed: with_thing(good_api.clone()),
        },
        Case {
            code: Code::TableShape,
            bad: pages(&[("thing.md", resource(&format!("{THING}|name|String|The name.|extra|\n")))]),
            fixed: pages(&[("thing.md", resource(&format!("{THING}|name|String|The name.|\n")))]),
        },
        Case {
            code: Code::UnknownTypeExpr,
            bad: pages(&[("thing.md", resource(&format!("{THING}|name|** Unknown Type **|x|\n")))]),
            fixed: pages(&[("thing.md", resource(&format!("{THING}|name|String|x|\n")))]),
        },
        Case {
            code: Code::UnresolvedType,
            bad: pages(&[("thing.md", resource(&format!("{THING}|owner|[person](person.md)|x|\n")))]),
            fixed: pages(&[
                ("thing.md", resource(&format!("{THING}|owner|[person](person.md)|x|\n"))),
                ("person.md", resource("|name|String|x|\n").replace("thing resource type", "person resource type")),
            ]),
        },
        Case {
            code: Code::Conflict,
            bad: pages(&[("thing.md", resource(&format!("{THING}|size|Int32|again|\n")))]),
            fixed: pages(&[("thing.md", resource(THING))]),
        },
        Case {
            code: Code::BadRequestLine,
            bad: with_thing(good_api.replace("```http\nGET /things/{id}\n```", "```http\nGTE /things/{id}\n```")),
            fixed: with_thing(good_api.clone()),
        },
        Case {
            code: Code::PathMismatch,
            bad: with_thing(good_api.replace("v1.0/things/1", "v1.0/thing/1")),
            fixed: with_thing(good_api.clone()),
        },
        Case {
            code: Code::PermissionTodo,
            bad: with_thing(api("**TODO: Determine scopes **", "200 OK", &ok_response("{\"id\": \"1\"}"))),
            fixed: with_thing(good_api.clone()),
        },
        Case {
            code: Code::NoFacts,
            bad: pages(&[("thing.md", "# Things\n\nSome prose.\n".to_string())]),
            fixed: pages(&[("thing.md", resource(THING))]),
        },
        Case {
            code: Code::NameCollision,
            bad: pages(&[("thing.md", resource("|mode|Enumeration|Possible values are: `value_a`, `valueA`.|\n"))]),
            fixed: pages(&[("thing.md", resource("|mode|Enumeration|Possible values are: `valueA`, `valueB`.|\n"))]),
        },
        Case {
            code: Code::MissingInclude,
            bad: pages(&[("api/get.md", good_api.replace(
                "|Permission type|Permissions (from least to most privileged)|\n|:---|:---|\n|Application|Thing.Read.All|",
                "[!INCLUDE [permissions-table](../includes/permissions/get-permissions.md)]",
            ))]),
            fixed: pages(&[
                ("api/get.md", good_api.replace(
                    "|Permission type|Permissions (from least to most privileged)|\n|:---|:---|\n|Application|Thing.Read.All|",
                    "[!INCLUDE [permissions-table](../includes/permissions/get-permissions.md)]",
                )),
                ("includes/permissions/get-permissions.md", "|Permission type|Least privileged permissions|Higher privileged permissions|\n|:---|:---|:---|\n|Application|Thing.Read.All|Thing.ReadWrite.All|\n".to_string()),
            ]),
        },
        Case {
            code: Code::ExampleUnknownProperty,
            bad: with_thing(api("Thing.Read.All", "200 OK", &ok_response("{\"id\": \"1\", \"colour\": \"red\"}"))),
            fixed: with_thing(good_api.clone()),
        },
        Case {
            code: Code::ExampleWrongType,
            bad: with_thing(api("Thing.Read.All", "200 OK", &ok_response("{\"id\": \"1\", \"size\": true}"))),
            fixed: with_thing(good_api.clone()),
        },
        Case {
            code: Code::ExampleEnumValue,
            bad: with_thing(api("Thing.Read.All", "200 OK", &ok_response("{\"id\": \"1\", \"status\": \"Active\"}"))),
            fixed: with_thing(good_api.clone()),
        },
        Case {
            code: Code::ExampleTypeMismatch,
            bad: with_thing(api("Thing.Read.All", "200 OK", &ok_response("{\"value\": {\"id\": \"1\"}}"))),
            fixed: with_thing(good_api.clone()),
        },
        Case {
            code: Code::StatusMismatch,
            bad: with_thing(api("Thing.Read.All", "201 Created", &ok_response("{\"id\": \"1\"}"))),
            fixed: with_thing(good_api.clone()),
        },
        Case {
            code: Code::UnexpectedRequestBody,
            bad: with_thing(good_api.replace(
                "```http\nGET https://graph.microsoft.com/v1.0/things/1\n```",
                "```http\nGET https://graph.microsoft.com/v1.0/things/1\nContent-Type: application/json\n\n{\"id\": \"1\"}\n```",
            )),
            fixed: with_thing(good_api.clone()),
        },
        Case {
            code: Code::UndescribedPathParameter,
            bad: with_thing(good_api.replace("## Request body", "## Path parameters\n|Parameter|Type|Description|\n|:---|:---|:---|\n|thingKey|String|The key.|\n\n## Request body")),
            fixed: with_thing(good_api.replace("## Request body", "## Path parameters\n|Parameter|Type|Description|\n|:---|:---|:---|\n|id|String|The key.|\n\n## Request body")),
        },
        Case {
            code: Code::EnumDisagreement,
            bad: pages(&[("thing.md", format!(
                "{}\n### thingStatus values\n|Member|Description|\n|:---|:---|\n|active|a|\n|retired|r|\n",
                resource(&THING.replace("`active`, `retired`", "`active`, `retired`, `archived`"))
            ))]),
            fixed: pages(&[("thing.md", format!(
                "{}\n### thingStatus values\n|Member|Description|\n|:---|:---|\n|active|a|\n|retired|r|\n",
                resource(THING)
            ))]),
        },
        Case {
            code: Code::MissingTitle,
            bad: pages(&[("thing.md", resource(THING).replace("# thing resource type\n", ""))]),
            fixed: pages(&[("thing.md", resource(THING))]),
        },
    ]
}

fn codes(pages: &[(&'static str, Vec<u8>)]) -> Vec<Code> {
    let db = SourceDb::from_pages(pages.iter().map(|(p, b)| (p.to_string(), b.clone())));
    let out = tests::generate(&db);
    assert!(!out.files.is_empty());
    out.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn each_check_fires_on_the_defect_and_not_on_the_fix() {
    let cases = cases();
    for case in &cases {
        let bad = codes(&case.bad);
        assert!(
            bad.contains(&case.code),
            "{}: not reported on the bad page; got {bad:?}",
            case.code.as_str()
        );
        let fixed = codes(&case.fixed);
        assert!(
            !fixed.contains(&case.code),
            "{}: still reported on the fixed page; got {fixed:?}",
            case.code.as_str()
        );
    }
    // Every code has a case, except the generator-bug code that no page can
    // cause and the metadata code (tested below: it needs a CSDL file).
    for code in Code::ALL {
        if !matches!(code, Code::EmitFailure | Code::MetadataDisagreement) {
            assert!(
                cases.iter().any(|c| c.code == *code),
                "no fixture for {}",
                code.as_str()
            );
        }
    }
}

/// The fixed API page is clean: no diagnostics at all.
#[test]
fn the_fixed_page_is_clean() {
    let good = api(
        "Thing.Read.All",
        "200 OK",
        &ok_response("{\"id\": \"1\", \"size\": 12, \"status\": \"active\"}"),
    );
    let c = codes(&pages(&[("thing.md", resource(THING)), ("get.md", good)]));
    assert!(c.is_empty(), "{c:?}");
}

/// `--metadata FILE`: the docs against a CSDL file.
#[test]
fn metadata_disagreements_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::write(docs.join("thing.md"), resource(THING)).unwrap();
    let csdl = |extra: &str| {
        format!(
            r#"<?xml version="1.0"?><edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="microsoft.graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<EnumType Name="thingStatus"><Member Name="active"/><Member Name="retired"/></EnumType>
<EntityType Name="thing"><Property Name="id" Type="Edm.String"/><Property Name="size" Type="Edm.Int64"/><Property Name="status" Type="microsoft.graph.thingStatus"/>{extra}</EntityType>
</Schema></edmx:DataServices></edmx:Edmx>"#
        )
    };
    let run = |xml: String| {
        let path = tmp.path().join("meta.xml");
        std::fs::write(&path, xml).unwrap();
        let args = xtask::CodegenArgs {
            docs: docs.clone(),
            out: tmp.path().join("crate"),
            metadata: Some(path),
            diagnostics: generator::diagnostics::Format::Json,
            ..xtask::CodegenArgs::default()
        };
        xtask::codegen(&args).unwrap().machine.unwrap()
    };
    let bad = run(csdl(r#"<Property Name="colour" Type="Edm.String"/>"#));
    assert!(
        bad.contains("GD0026-metadata-disagreement") && bad.contains("colour"),
        "{bad}"
    );
    let fixed = run(csdl(""));
    assert!(!fixed.contains("GD0026"), "{fixed}");
}

/// `metadata-diff` compares base types: the same, missing (the docs state
/// none), different, and a base neither the docs nor the metadata define
/// (invented); flags enums are counted from the CSDL.
#[test]
fn metadata_diff_compares_base_types() {
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    let page = |name: &str, prose: &str| {
        format!(
            "# {name} resource type\n\nNamespace: microsoft.graph\n\n{prose}\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n|{name}Size|Int64|Size.|\n"
        )
    };
    for (name, prose) in [
        ("base", ""),
        ("same", "Inherits from [base](base.md)."),
        ("missing", ""),
        ("different", "Inherits from [same](same.md)."),
        ("madeUp", "Inherits from [nowhere](nowhere.md)."),
    ] {
        std::fs::write(docs.join(format!("{}.md", name.to_lowercase())), page(name, prose)).unwrap();
    }
    let ty = |name: &str, base: &str| {
        let base = if base.is_empty() {
            String::new()
        } else {
            format!(r#" BaseType="graph.{base}""#)
        };
        format!(r#"<EntityType Name="{name}"{base}><Property Name="{name}Size" Type="Edm.Int64"/></EntityType>"#)
    };
    let xml = format!(
        r#"<?xml version="1.0"?><edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Namespace="microsoft.graph" Alias="graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
<EnumType Name="colours" IsFlags="true"><Member Name="red"/></EnumType>
{}{}{}{}{}
</Schema></edmx:DataServices></edmx:Edmx>"#,
        ty("base", ""),
        ty("same", "base"),
        ty("missing", "base"),
        ty("different", "base"),
        ty("madeUp", ""),
    );
    let meta = tmp.path().join("meta.xml");
    std::fs::write(&meta, xml).unwrap();
    let f = xtask::metadata_diff(&docs, &meta).unwrap();
    assert_eq!(
        (f.bases_compared, f.bases_same, f.bases_missing, f.bases_different),
        (5, 2, 1, 2)
    );
    assert_eq!(f.invented_bases.len(), 1, "{:?}", f.invented_bases);
    assert_eq!(f.invented_bases[0].0, "microsoft.graph.nowhere");
    let text = f.summary(true);
    assert!(
        text.contains("base types:         2/5 = 40.00% the same (1 missing, 2 different, 1 invented)"),
        "{text}"
    );
    assert!(
        text.contains("microsoft.graph.base <- (none): 1 e.g. microsoft.graph.missing (missing.md:1:1)"),
        "{text}"
    );
    assert!(
        text.contains("microsoft.graph.base <- microsoft.graph.same: 1"),
        "{text}"
    );
    assert!(text.contains("invented base type microsoft.graph.nowhere"), "{text}");
    assert!(
        !f.meets(&generator::metadata::Floor::parse("0,0,0,40").unwrap()),
        "an invented base fails"
    );
    assert!(f.meets(&generator::metadata::Floor::parse("0,0,0").unwrap()));
}

/// A title that drops the API's prefix yields to the resource annotation, and a
/// link text that names no type resolves through the page it links to.
#[test]
fn names_from_annotations_and_link_targets() {
    let axes = "# ChartAxes resource type\n\nNamespace: microsoft.graph\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n|id|String|x|\n\n## JSON representation\n<!-- { \"blockType\": \"resource\", \"@odata.type\": \"microsoft.graph.workbookChartAxes\" } -->\n```json\n{\"id\": \"String\"}\n```\n";
    let chart = resource("|axes|[WorkbookChartAxes](chartaxes.md)|x|\n|more|[Axes](chartaxes.md)|y|\n");
    let db = SourceDb::from_pages([
        ("chartaxes.md", axes.as_bytes().to_vec()),
        ("thing.md", chart.into_bytes()),
    ]);
    let out = tests::generate(&db);
    let m = &out.model;
    assert!(
        m.types.iter().any(|t| t.name == "workbookChartAxes"),
        "{:?}",
        m.types.iter().map(|t| &t.name).collect::<Vec<_>>()
    );
    let thing = m.types.iter().find(|t| t.name == "thing").unwrap();
    for p in ["axes", "more"] {
        let prop = m.all_properties(thing.id).into_iter().find(|x| x.name == p).unwrap();
        assert_eq!(prop.ty.csdl(), "microsoft.graph.workbookChartAxes", "{p}");
    }
    let linked: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UnresolvedType)
        .collect();
    assert_eq!(linked.len(), 1, "{linked:#?}");
    assert!(linked[0].message.contains("the linked page documents"));
}
