//! Relationships that only API pages document become navigation properties;
//! API pages that list a relationship a table types as single correct its
//! cardinality, with a diagnostic.

use generator::diagnostics::Code;
use generator::ir::{Model, TypeRef};
use generator::source::SourceDb;

fn resource(name: &str, rows: &str, relationships: &str) -> String {
    format!(
        "---\ntitle: \"{name} resource type\"\nms.prod: \"widgets\"\n---\n\n# {name} resource type\n\nNamespace: microsoft.graph\n\n\
         ## Properties\n\n|Property|Type|Description|\n|:---|:---|:---|\n|id|String|Key.|\n{rows}\n\
         ## Relationships\n\n|Relationship|Type|Description|\n|:---|:---|:---|\n{relationships}\n"
    )
}

fn get(title: &str, path: &str, response: &str) -> String {
    format!(
        "---\ntitle: \"{title}\"\nms.prod: \"widgets\"\n---\n\n# {title}\n\nNamespace: microsoft.graph\n\n\
         ## HTTP request\n\n```http\nGET {path}\n```\n\n## Response\n\n\
         If successful, this method returns a `200 OK` response code and {response} in the response body.\n"
    )
}

fn model(pages: &[(&str, String)]) -> (Model, Vec<generator::diagnostics::Diagnostic>) {
    let db = SourceDb::from_pages(pages.iter().map(|(n, p)| (n.to_string(), p.as_bytes().to_vec())));
    let out = tests::generate(&db);
    (out.model, out.diagnostics)
}

fn property<'a>(m: &'a Model, ty: &str, name: &str) -> Option<&'a generator::ir::Property> {
    let t = m.types.iter().find(|t| t.name == ty)?;
    t.properties.iter().find(|p| p.name == name)
}

fn pages(shelf_relationships: &str) -> Vec<(&'static str, String)> {
    vec![
        (
            "resources/shelf.md",
            resource("shelf", "|label|String|Label.|", shelf_relationships),
        ),
        ("resources/book.md", resource("book", "|title|String|Title.|", "")),
        (
            "api/shelf-get.md",
            get("Get shelf", "/shelves/{id}", "a [shelf](../resources/shelf.md) object"),
        ),
        (
            "api/shelf-list-books.md",
            get(
                "List books",
                "/shelves/{id}/books",
                "a collection of [book](../resources/book.md) objects",
            ),
        ),
        (
            "api/book-get.md",
            get(
                "Get book",
                "/shelves/{id}/books/{book-id}",
                "a [book](../resources/book.md) object",
            ),
        ),
        (
            "api/shelf-delta.md",
            get(
                "shelf: delta",
                "/shelves/{id}/delta",
                "a collection of [book](../resources/book.md) objects",
            ),
        ),
    ]
}

#[test]
fn a_relationship_only_api_pages_document_is_added() {
    let (m, _) = model(&pages(""));
    let books = property(&m, "shelf", "books").expect("books inferred from GET /shelves/{id}/books");
    assert!(books.navigation);
    assert!(matches!(&books.ty, TypeRef::Collection(inner) if inner.csdl() == "microsoft.graph.book"));
    assert_eq!(books.source.path, "api/shelf-list-books.md");
    // `shelf: delta` is a function, not a relationship.
    assert!(property(&m, "shelf", "delta").is_none());
}

#[test]
fn api_pages_correct_a_single_relationship_that_they_list_and_key() {
    let (m, diags) = model(&pages("|books|[book](book.md)|The books.|"));
    let books = property(&m, "shelf", "books").unwrap();
    assert_eq!(books.ty.csdl(), "Collection(microsoft.graph.book)");
    assert_eq!(
        books.source.path, "resources/shelf.md",
        "the table's row stays the source"
    );
    assert!(diags
        .iter()
        .any(|d| d.code == Code::Conflict && d.message.contains("`shelf.books`")));
    // Written as a collection: nothing to report.
    let (_, diags) = model(&pages("|books|[book](book.md) collection|The books.|"));
    assert!(!diags.iter().any(|d| d.message.contains("`shelf.books`")));
}
