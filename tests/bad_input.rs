//! Hostile and broken pages: each yields a located diagnostic (or plain
//! facts), never a panic, and the other pages of the run are still generated.

use generator::diagnostics::Code;
use generator::ir::TypeKind;
use generator::source::SourceDb;

const SEED: &str = include_str!("fixtures/seeds/create-deviceconfigurationuserstatus.md");

/// Runs the bad page beside a good seed page and checks the seed survived.
fn run_with_seed(name: &str, bytes: Vec<u8>) -> (SourceDb, generator::Output) {
    let db = SourceDb::from_pages([
        (name.to_string(), bytes),
        ("seed.md".to_string(), SEED.as_bytes().to_vec()),
    ]);
    let out = tests::generate(&db);
    assert!(!out.files.is_empty(), "{name}: nothing emitted");
    assert!(
        out.model
            .types
            .iter()
            .any(|t| t.name == "deviceConfigurationUserStatus"),
        "{name}: the good page was lost"
    );
    for d in &out.diagnostics {
        // Every diagnostic renders with a location.
        let text = generator::diagnostics::render(&db, d, false);
        assert!(text.contains(d.code.as_str()), "{text}");
    }
    (db, out)
}

fn codes_for(out: &generator::Output, db: &SourceDb, file: &str) -> Vec<Code> {
    out.diagnostics
        .iter()
        .filter(|d| db.file(d.span.file).path == file)
        .map(|d| d.code)
        .collect()
}

#[test]
fn non_utf8_bytes() {
    let mut bytes =
        b"# x resource type\n\n## Properties\n|Property|Type|Description|\n|:--|:--|:--|\n|a\xff|String|x|\n".to_vec();
    bytes.extend_from_slice(&[0xc3, 0x28]);
    let (db, out) = run_with_seed("bad.md", bytes);
    assert!(codes_for(&out, &db, "bad.md").contains(&Code::InvalidUtf8));
}

#[test]
fn bom_and_crlf_give_the_same_facts() {
    let plain = run_with_seed("a.md", SEED.as_bytes().to_vec()).1.model;
    let mut bom = vec![0xef, 0xbb, 0xbf];
    bom.extend_from_slice(SEED.as_bytes());
    let with_bom = run_with_seed("a.md", bom).1.model;
    let crlf = run_with_seed("a.md", SEED.replace('\n', "\r\n").into_bytes()).1.model;
    let shape = |m: &generator::ir::Model| {
        let types: Vec<_> = m
            .types
            .iter()
            .map(|t| {
                (
                    t.name.clone(),
                    t.properties
                        .iter()
                        .map(|p| (p.name.clone(), p.ty.csdl()))
                        .collect::<Vec<_>>(),
                )
            })
            .collect();
        let eps: Vec<_> = m
            .endpoints
            .iter()
            .map(|e| (e.method.clone(), e.path.clone(), e.name.clone()))
            .collect();
        (types, eps, m.examples.len())
    };
    assert_eq!(shape(&plain), shape(&with_bom));
    assert_eq!(shape(&plain), shape(&crlf));
}

#[test]
fn empty_and_front_matter_only_pages() {
    let (db, out) = run_with_seed("empty.md", Vec::new());
    assert_eq!(codes_for(&out, &db, "empty.md"), vec![Code::NoFacts]);
    let (db, out) = run_with_seed("fm.md", b"---\ntitle: \"x\"\ndoc_type: apiPageType\n---\n".to_vec());
    assert_eq!(codes_for(&out, &db, "fm.md"), vec![Code::NoFacts]);
}

#[test]
fn invalid_yaml_still_reads_the_body() {
    let page = SEED.replacen("title: \"Create deviceConfigurationUserStatus\"", "title: a: b: [", 1);
    let (db, out) = run_with_seed("yaml.md", page.into_bytes());
    assert!(codes_for(&out, &db, "yaml.md").contains(&Code::FrontMatter));
    assert!(out
        .model
        .endpoints
        .iter()
        .any(|e| e.sources.iter().any(|s| s.path == "yaml.md")));
}

#[test]
fn invalid_and_deeply_nested_json() {
    let page =
        "# Get x\n\n## HTTP request\n```http\nGET /x\n```\n\n## Response\n```http\nHTTP/1.1 200 OK\n\n{\"a\": }\n```\n";
    let (db, out) = run_with_seed("json.md", page.as_bytes().to_vec());
    assert!(codes_for(&out, &db, "json.md").contains(&Code::InvalidJson));
    let deep = format!(
        "# Get y\n\n## HTTP request\n```http\nGET /y\n```\n\n## Response\n```http\nHTTP/1.1 200 OK\n\n{}{}\n```\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let (db, out) = run_with_seed("deep.md", deep.into_bytes());
    assert!(codes_for(&out, &db, "deep.md").contains(&Code::InvalidJson));
}

fn resource(name: &str, rows: &str) -> String {
    format!("# {name} resource type\n\nNamespace: microsoft.graph\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n{rows}")
}

#[test]
fn duplicate_and_conflicting_rows() {
    let a = resource("thing", "|name|String|a|\n|name|String|again|\n|size|Int32|s|\n");
    let b = resource("thing", "|size|Boolean|conflict|\n");
    let db = SourceDb::from_pages([("a.md", a.into_bytes()), ("b.md", b.into_bytes())]);
    let out = tests::generate(&db);
    let conflicts: Vec<_> = out.diagnostics.iter().filter(|d| d.code == Code::Conflict).collect();
    assert_eq!(conflicts.len(), 2, "{conflicts:#?}");
    let t = out.model.types.iter().find(|t| t.name == "thing").unwrap();
    // First documented type wins; the conflict is reported, not overwritten silently.
    assert_eq!(
        t.properties.iter().find(|p| p.name == "size").unwrap().ty.csdl(),
        "Edm.Int32"
    );
}

#[test]
fn huge_table_and_huge_page() {
    let rows: String = (0..5000).map(|i| format!("|p{i}|String|row {i}|\n")).collect();
    let (_, out) = run_with_seed("big.md", resource("wide", &rows).into_bytes());
    let t = out.model.types.iter().find(|t| t.name == "wide").unwrap();
    assert_eq!(t.properties.len(), 5000);

    let mut page = resource("long", "|a|String|x|\n");
    let para = "Lorem ipsum dolor sit amet, `code` [link](x.md) <b>bold</b> | pipe.\n\n";
    while page.len() < 10 * 1024 * 1024 {
        page.push_str(para);
    }
    let (_, out) = run_with_seed("huge.md", page.into_bytes());
    assert!(out.model.types.iter().any(|t| t.name == "long"));
}

#[test]
fn enum_members_equal_after_case_conversion() {
    let page = resource(
        "holder",
        "|mode|Enumeration|Possible values are: `value_a`, `valueA`, `VALUE_A`.|\n",
    );
    let (db, out) = run_with_seed("enum.md", page.into_bytes());
    let e = out
        .model
        .types
        .iter()
        .find(|t| t.kind == TypeKind::Enum && t.name == "holderMode")
        .unwrap();
    // `value_a` and `VALUE_A` differ only in case: one member, the other
    // spelling its alias; `valueA` is another member whose Rust name collides.
    assert_eq!(e.members.len(), 2);
    assert_eq!(e.members[0].aliases, ["VALUE_A"]);
    let variants = &out.names.variants[e.id.0 as usize];
    assert_eq!(variants, &["ValueA", "ValueA2"]);
    assert_eq!(
        codes_for(&out, &db, "enum.md")
            .iter()
            .filter(|c| **c == Code::NameCollision)
            .count(),
        1
    );
}

/// Self- and mutually-recursive types, keyword and std names, odd members:
/// the emitted crate compiles with warnings denied.
#[test]
fn hostile_names_and_recursion_compile_without_warnings() {
    let pages = [
        ("node.md", resource("node", "|parent|[node](node.md)|self|\n|children|[node](node.md) collection|kids|\n|peer|[other](other.md)|mutual|\n")),
        ("other.md", resource("other", "|back|[node](node.md)|mutual|\n|type|String|keyword|\n|self|String|not raw|\n|3d|Int64|digit|\n")),
        ("string.md", resource("String", "|Option|[Result](result.md)|std names|\n|box|Boolean|b|\n")),
        ("result.md", resource("Result", "|vec|Double|v|\n|kind|Enumeration|Possible values are: `self`, `Self`, `type`, `0day`, `undocumented`.|\n")),
        ("doc.md", resource("docs", "|text|String|*/ #[cfg(x)] fn evil() {} <script> \\\" \u{202e} [link] `unbalanced|\n")),
        // The names of the support items the crate root re-exports.
        ("endpoint.md", resource("endpoint", "|method|[method](method.md)|m|\n|all|[Collection](collection.md) collection|c|\n")),
        ("method.md", resource("method", "|name|String|n|\n")),
        ("collection.md", resource("Collection", "|size|Int32|s|\n")),
    ];
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for (n, p) in &pages {
        std::fs::write(docs.join(n), p).unwrap();
    }
    let out_dir = tmp.path().join("crate");
    let args = xtask::CodegenArgs {
        docs,
        out: out_dir.clone(),
        ..xtask::CodegenArgs::default()
    };
    let report = xtask::codegen(&args).unwrap();
    assert_eq!(report.counts.errors, 0, "{}", report.text);
    let graph = std::fs::read_to_string(out_dir.join("src/graph/general.rs")).unwrap();
    assert!(
        graph.contains("Box<crate::graph::Node>"),
        "self reference must be boxed"
    );
    for name in ["Endpoint", "Method", "Collection"] {
        assert!(
            graph.contains(&format!("pub struct {name} {{")),
            "{name} keeps its name"
        );
    }
    let code_lines = graph.lines().filter(|l| !l.trim_start().starts_with("//"));
    assert!(
        !code_lines.clone().any(|l| l.contains("evil")),
        "doc text leaked into code"
    );
    tests::cargo_check(&out_dir);
}

/// A model struct holds a single struct value by `Box` (inline, nested
/// complex types made a drive item 29 KB, which overflowed a 2 MiB stack in
/// a debug build), a collection's items and an enum value directly.
#[test]
fn single_struct_values_are_boxed() {
    let pages = [
        ("a.md", resource("holder", "|one|[inner](inner.md)|struct|\n|many|[inner](inner.md) collection|structs|\n|state|Enumeration|Possible values are: `red`, `blue`.|\n")),
        ("inner.md", resource("inner", "|name|String|n|\n")),
    ];
    let db = SourceDb::from_pages(pages.iter().map(|(n, p)| (*n, p.clone().into_bytes())));
    let out = tests::generate(&db);
    let text: String = out.files.values().map(String::as_str).collect();
    let field = |name: &str| -> String {
        let at = text
            .find(&format!("pub {name}: "))
            .unwrap_or_else(|| panic!("no field {name}"));
        text[at..].lines().next().unwrap_or("").to_string()
    };
    assert_eq!(field("one"), "pub one: Option<Box<crate::graph::Inner>>,");
    assert_eq!(field("many"), "pub many: Option<Vec<crate::graph::Inner>>,");
    let state = field("state");
    assert!(
        state.starts_with("pub state: Option<crate::graph::") && !state.contains("Box"),
        "{state}"
    );
}

/// Property names that differ only in case are one property: a JSON
/// representation's spelling (the payload's) is its wire name, between two
/// table rows the first; each is a located GD0009 warning, never a second
/// field (`printer_id_2`).
#[test]
fn case_twins_are_one_property() {
    let json = "\n## JSON representation\n<!-- {\n  \"blockType\": \"resource\",\n  \"@odata.type\": \"microsoft.graph.usage\"\n}\n-->\n```json\n{\n  \"printerId\": \"String\"\n}\n```\n";
    let usage = resource("usage", "|printerID|String|The printer.|\n|siteId|String|s|\n") + json;
    let other = resource("usage", "|SiteID|String|again|\n");
    let derived = "# special resource type\n\nNamespace: microsoft.graph\n\nInherits from [usage](usage.md).\n\n## Properties\n|Property|Type|Description|\n|:---|:---|:---|\n|PrinterID|String|again|\n|color|String|c|\n";
    let db = SourceDb::from_pages([
        ("a.md", usage.into_bytes()),
        ("b.md", other.into_bytes()),
        ("c.md", derived.as_bytes().to_vec()),
    ]);
    let out = tests::generate(&db);
    let t = out.model.types.iter().find(|t| t.name == "usage").unwrap();
    let names: Vec<&str> = t.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["printerId", "siteId"]);
    let twins: Vec<&str> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::Conflict && d.message.contains("is spelled"))
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(twins.len(), 3, "{twins:#?}");
    let special = out.model.types.iter().find(|t| t.name == "special").unwrap();
    let own: Vec<&str> = special.properties.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        own,
        ["color"],
        "the base's property, spelled otherwise, is not a second one"
    );
    let text: String = out.files.values().map(String::as_str).collect();
    assert!(text.contains("pub printer_id: Option<String>,") && !text.contains("printer_id_2"));
}

/// Inputs that crashed the fuzzers once (see `tests/fixtures/fuzz/`): each now
/// yields facts or diagnostics, and valid Rust.
#[test]
fn fuzz_regressions() {
    let dir = tests::root().join("tests/fixtures/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let (_, out) = run_with_seed("fuzzed.md", std::fs::read(&path).unwrap());
        assert!(
            !out.diagnostics.iter().any(|d| d.code == Code::EmitFailure),
            "{}",
            path.display()
        );
        n += 1;
    }
    assert!(n >= 2, "no regression inputs found in {}", dir.display());
}
