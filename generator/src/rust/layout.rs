//! The generated crate's files and modules, declared once. The emitter writes
//! exactly the files of [`Layout::files`], and the naming authority reserves
//! the names declared here, so no generated module or item can shadow them.

use super::features::filed_under;
use crate::ir::{EndpointId, Model, TypeId};
use crate::rust::naming::Names;

/// `src/support.rs`: the runtime helpers every other module uses.
pub const SUPPORT: &str = "support";
/// `src/endpoints.rs`: one constant and path function per operation.
pub const ENDPOINTS: &str = "endpoints";
/// `src/runtime/`: the hand-written operation core (requests, responses,
/// errors), carried verbatim.
pub const RUNTIME: &str = "runtime";
/// The runtime's files under `src/runtime/`.
pub const RUNTIME_FILES: [&str; 20] = [
    "mod.rs",
    "batch.rs",
    "body.rs",
    "call.rs",
    "error.rs",
    "literal.rs",
    "path.rs",
    "query.rs",
    "paging.rs",
    "retry.rs",
    "selectors.rs",
    "upload.rs",
    "client.rs",
    "client_tests.rs",
    "mock.rs",
    "mock_check.rs",
    "mock_faults.rs",
    "mock_match.rs",
    "mock_upload.rs",
    "replay.rs",
];
/// `src/runtime/exchanges.json`: the docs' request/response example pairs,
/// which `runtime::mock` serves (feature `mock`).
pub const EXCHANGES_FILE: &str = "exchanges.json";
/// `src/operations.rs` and `src/operations/{workload}.rs`: one type per
/// operation, each workload's behind its feature.
pub const OPERATIONS: &str = "operations";
/// What every operations file imports from the runtime: an operation type
/// must not take these names.
pub const OPERATION_FILE_IMPORTS: [&str; 8] = [
    "fill",
    "Bytes",
    "Call",
    "Hole",
    "Literal",
    "NoBody",
    "Operation",
    "Patch",
];
/// `src/dispatch.rs`: run-time dispatch from a type name to its type, behind
/// the feature of the same name.
pub const DISPATCH: &str = "dispatch";
/// The top-level modules other than the namespace modules.
pub const FIXED_MODULES: [&str; 5] = [SUPPORT, RUNTIME, ENDPOINTS, OPERATIONS, DISPATCH];
/// The crate root's file stem (`src/lib.rs`): a namespace module of that name
/// would collide with it.
pub const CRATE_ROOT: &str = "lib";
/// Crates the generated code names by absolute path (`::serde`, `::std`),
/// plus the other sysroot crates: a module must not shadow them.
pub const EXTERN_CRATES: [&str; 4] = ["std", "core", "serde", "alloc"];

/// The features of the generated manifest that are not workloads.
pub const FIXED_FEATURES: [&str; 5] = ["default", "full", DISPATCH, CLIENT, MOCK];
/// The feature of the async HTTP client (`runtime::client`).
pub const CLIENT: &str = "reqwest";
/// The feature of the replay server (`runtime::mock`).
pub const MOCK: &str = "mock";

/// Names a model module uses unqualified: the prelude's types. A Graph type
/// must not take them. (The support items the crate root re-exports,
/// `Collection`, `Endpoint`, `Method`, are always written by path, so a Graph
/// type may have their names: `graph_call_records::Endpoint`.)
pub const RESERVED_TYPES: [&str; 5] = ["Option", "Result", "String", "Vec", "Box"];
/// Items the emitter defines in `src/endpoints.rs` besides the operations.
pub const ENDPOINTS_ITEMS: [&str; 1] = ["ALL"];
/// The field every struct gets for `@odata.type`, before its declared fields.
pub const ODATA_TYPE_FIELD: &str = "odata_type";
/// Helpers the emitter defines in `tests/examples.rs` besides the tests.
pub const EXAMPLE_TEST_HELPERS: [&str; 5] = [
    "defects_are_listed",
    "round_trip",
    "must_fail",
    "through_dispatch",
    "equivalent",
];

/// Names a namespace module must not take: the fixed modules, the crate
/// root, extern crates.
pub fn reserved_namespace_modules() -> Vec<&'static str> {
    FIXED_MODULES
        .iter()
        .chain(&[CRATE_ROOT])
        .chain(&EXTERN_CRATES)
        .copied()
        .collect()
}

/// Names a workload module (inside a namespace module) must not take: the
/// fixed top-level modules, so a path never reads two ways.
pub fn reserved_workload_modules() -> Vec<&'static str> {
    FIXED_MODULES.to_vec()
}

/// What one generated file holds; the emitter has one function per kind.
#[derive(Clone, Debug, PartialEq, Hash, Eq)]
pub enum Content {
    /// `src/lib.rs`: module declarations and re-exports.
    CrateRoot,
    Support,
    /// One file of the runtime (`mod.rs` declares the module).
    Runtime {
        file: String,
    },
    /// `src/runtime/exchanges.json`: the example pairs the mock serves.
    Exchanges,
    Endpoints,
    /// `src/operations.rs`: the workload modules of operations, gated.
    Operations,
    /// The operations of one workload, in endpoint order.
    OperationsWorkload {
        workload: String,
        endpoints: Vec<EndpointId>,
    },
    Dispatch,
    /// A namespace module: re-exports its workload modules.
    Namespace {
        namespace: String,
    },
    /// The types of one namespace and workload, in id order.
    Workload {
        namespace: String,
        workload: String,
        types: Vec<TypeId>,
    },
    /// `tests/runtime.rs`: the runtime's unit tests (its `#[cfg(test)]`
    /// modules), compiled with the runtime's source in their own test binary
    /// so the library is not compiled a second time as a unit-test binary.
    RuntimeTests,
    /// `tests/examples.rs`: a round-trip test per typed doc example.
    ExampleTests,
    /// `tests/requests.rs`: each docs example request rebuilt by its typed
    /// operation, one test per workload.
    RequestTests,
    /// `tests/replay.rs`: every docs example pair sent through its typed
    /// operation to the replay server (features `mock` and `reqwest`).
    ReplayTests,
    /// `Cargo.toml`, with one feature per workload.
    Manifest,
    /// `rustfmt.toml`: prettyplease formats the output, `cargo fmt` must not.
    RustfmtConfig,
}

/// A file of the generated crate: its path relative to the crate root, and
/// what it holds.
#[derive(Clone, Debug, PartialEq, Hash, Eq)]
pub struct File {
    pub path: String,
    /// The module the file defines (`None` for the crate root and non-Rust
    /// files).
    pub module: Option<String>,
    pub content: Content,
}

/// Every file of the generated crate, top-level modules in declaration order
/// (support, endpoints, the namespaces, dispatch), each namespace followed by
/// its workload modules.
#[derive(Clone, Debug, Default, PartialEq, Hash, Eq)]
pub struct Layout {
    pub files: Vec<File>,
}

impl Layout {
    pub fn plan(model: &Model, names: &Names) -> Layout {
        let file = |path: String, module: Option<&str>, content| File {
            path,
            module: module.map(str::to_owned),
            content,
        };
        let mut files = vec![
            file(format!("src/{CRATE_ROOT}.rs"), None, Content::CrateRoot),
            file(format!("src/{SUPPORT}.rs"), Some(SUPPORT), Content::Support),
        ];
        for f in RUNTIME_FILES {
            let module = (f == "mod.rs").then_some(RUNTIME);
            files.push(file(
                format!("src/{RUNTIME}/{f}"),
                module,
                Content::Runtime { file: f.to_owned() },
            ));
        }
        files.push(file(
            format!("src/{RUNTIME}/{EXCHANGES_FILE}"),
            None,
            Content::Exchanges,
        ));
        files.push(file(format!("src/{ENDPOINTS}.rs"), Some(ENDPOINTS), Content::Endpoints));
        files.push(file(
            format!("src/{OPERATIONS}.rs"),
            Some(OPERATIONS),
            Content::Operations,
        ));
        let mut by_workload: std::collections::BTreeMap<&str, Vec<EndpointId>> = Default::default();
        for e in &model.endpoints {
            by_workload.entry(filed_under(&e.workload)).or_default().push(e.id);
        }
        for (w, endpoints) in by_workload {
            let wm = &names.workload_modules[w];
            let content = Content::OperationsWorkload {
                workload: w.to_owned(),
                endpoints,
            };
            files.push(file(format!("src/{OPERATIONS}/{wm}.rs"), Some(wm), content));
        }
        for (ns, m) in &names.modules {
            files.push(file(
                format!("src/{m}.rs"),
                Some(m),
                Content::Namespace { namespace: ns.clone() },
            ));
            for (w, wm) in &names.workload_modules {
                let types: Vec<TypeId> = model
                    .types
                    .iter()
                    .filter(|t| &t.namespace == ns && filed_under(&t.workload) == w)
                    .map(|t| t.id)
                    .collect();
                if !types.is_empty() {
                    let content = Content::Workload {
                        namespace: ns.clone(),
                        workload: w.clone(),
                        types,
                    };
                    files.push(file(format!("src/{m}/{wm}.rs"), Some(wm), content));
                }
            }
        }
        files.push(file(format!("src/{DISPATCH}.rs"), Some(DISPATCH), Content::Dispatch));
        files.push(file("tests/runtime.rs".into(), None, Content::RuntimeTests));
        files.push(file("tests/examples.rs".into(), None, Content::ExampleTests));
        files.push(file("tests/requests.rs".into(), None, Content::RequestTests));
        files.push(file("tests/replay.rs".into(), None, Content::ReplayTests));
        files.push(file("Cargo.toml".into(), None, Content::Manifest));
        files.push(file("rustfmt.toml".into(), None, Content::RustfmtConfig));
        Layout { files }
    }

    /// The modules the crate root declares, in order.
    pub fn top_modules(&self) -> impl Iterator<Item = &File> {
        self.files.iter().filter(|f| {
            matches!(
                f.content,
                Content::Support
                    | Content::Endpoints
                    | Content::Operations
                    | Content::Namespace { .. }
                    | Content::Dispatch
            ) || matches!(&f.content, Content::Runtime { file } if file == "mod.rs"
            )
        })
    }

    /// The workload files of namespace `ns`, in order.
    pub fn workloads_of<'a>(&'a self, ns: &'a str) -> impl Iterator<Item = &'a File> {
        self.files
            .iter()
            .filter(move |f| matches!(&f.content, Content::Workload { namespace, .. } if namespace == ns))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every fixed top-level file's module name is reserved for namespaces.
    #[test]
    fn fixed_files_are_reserved() {
        let layout = Layout::plan(&Model::default(), &Names::default());
        let reserved = reserved_namespace_modules();
        for f in &layout.files {
            let nested = matches!(
                f.content,
                Content::Namespace { .. } | Content::OperationsWorkload { .. }
            );
            if let (Some(m), false) = (&f.module, nested) {
                assert!(reserved.contains(&m.as_str()), "{m}");
            }
        }
        assert!(layout.files.iter().any(|f| f.path == format!("src/{CRATE_ROOT}.rs")));
        let top: Vec<_> = layout.top_modules().filter_map(|f| f.module.as_deref()).collect();
        assert_eq!(top, [SUPPORT, RUNTIME, ENDPOINTS, OPERATIONS, DISPATCH]);
    }
}
