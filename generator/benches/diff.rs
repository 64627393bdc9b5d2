//! The change report on the whole v1.0 IR (`../shared/graph-docs/v1.0`, or
//! the vendored seeds when absent) against a modified copy: types renamed,
//! properties removed and retyped, enum members added, endpoints moved and
//! removed. Budget: under 1 s.
//!
//! `cargo bench -p generator --features bench --bench diff`; figures go to BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion};
use generator::diff;
use generator::ir::{EnumMember, Model, Primitive, TypeKind, TypeRef};
use generator::source::SourceDb;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn corpus_dir() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let real = root.join("../shared/graph-docs/v1.0");
    if real.is_dir() {
        real
    } else {
        root.join("docs-input")
    }
}

fn read_pages(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md" || x == "txt") {
                let rel = p.strip_prefix(dir).unwrap_or(&p).to_string_lossy().into_owned();
                if let Ok(b) = std::fs::read(&p) {
                    out.push((rel, b));
                }
            }
        }
    }
    out
}

/// A copy with a spread of changes of every kind.
fn modified(m: &Model) -> Model {
    let mut n = m.clone();
    let renamed: Vec<usize> = (0..n.types.len()).filter(|i| i % 40 == 7).collect();
    for &i in &renamed {
        n.types[i].name.push_str("Renamed");
    }
    for t in 0..n.types.len() {
        let ty = &mut n.types[t];
        if ty.kind == TypeKind::Enum && t % 5 == 0 {
            let source = ty.sources.first().cloned().unwrap_or_default();
            ty.members.push(EnumMember {
                name: "addedMember".into(),
                aliases: Vec::new(),
                description: None,
                source,
            });
        }
        if t % 17 == 0 && !ty.properties.is_empty() {
            ty.properties.remove(0);
        }
        for (k, p) in ty.properties.iter_mut().enumerate() {
            if (t + k) % 23 == 0 && p.ty == TypeRef::Primitive(Primitive::Int32) {
                p.ty = TypeRef::Primitive(Primitive::Int64);
            }
            if (t + k) % 29 == 0 {
                p.description = Some("Changed. Read-only.".into());
                p.read_only = true;
            }
            // Keep references to renamed types consistent.
            fix(&mut p.ty, m, &renamed);
        }
    }
    for (i, e) in n.endpoints.iter_mut().enumerate() {
        if i % 31 == 0 {
            e.path.push_str("/moved");
        }
        if i % 37 == 0 {
            e.name.push_str(" renamed");
        }
    }
    n.endpoints.retain(|e| e.id.0 % 53 != 1);
    n
}

fn fix(t: &mut TypeRef, m: &Model, renamed: &[usize]) {
    match t {
        TypeRef::Named(id, q) if renamed.contains(&(id.0 as usize)) => {
            q.name = format!("{}Renamed", m.ty(*id).name);
        }
        TypeRef::Collection(inner) => fix(inner, m, renamed),
        _ => {}
    }
}

fn bench(c: &mut Criterion) {
    let db = SourceDb::from_pages(read_pages(&corpus_dir()));
    let (facts, _) = generator::parse_all(&db);
    let (model, _) = generator::lower::lower(&db, &facts);
    let changed = modified(&model);
    let report = diff::diff(&model, &changed, &diff::Options::default());
    eprintln!(
        "{} types, {} endpoints; {} changes ({} breaking, {} additive, {} docs-only)",
        model.types.len(),
        model.endpoints.len(),
        report.changes.len(),
        report.summary.breaking,
        report.summary.additive,
        report.summary.docs_only
    );
    let mut g = c.benchmark_group(format!("diff v1.0 ({} types)", model.types.len()));
    g.sample_size(10)
        .measurement_time(Duration::from_secs(8))
        .warm_up_time(Duration::from_secs(1));
    g.bench_function(
        "diff against a modified copy (rules, names, boxing, match, classify)",
        |b| b.iter(|| black_box(diff::diff(&model, &changed, &diff::Options::default()))),
    );
    g.bench_function("diff + markdown", |b| {
        b.iter(|| {
            let r = diff::diff(&model, &changed, &diff::Options::default());
            black_box(diff::render::markdown(&r, "old", "new"))
        })
    });
    g.bench_function("diff against itself", |b| {
        b.iter(|| black_box(diff::diff(&model, &model, &diff::Options::default())))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
