//! Stage timings of the generator on the real v1.0 docs (`../shared/graph-docs/v1.0`,
//! or the vendored seeds when absent), against a baseline measured in the same
//! run: bare read + pulldown-cmark + serde_yaml + serde_json over the same files.
//!
//! `cargo bench -p generator --bench pipeline`; figures go to BENCHMARKS.md.

use criterion::{criterion_group, criterion_main, Criterion};
use generator::source::SourceDb;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

// The allocator of the CLI (`xtask`), so stages are timed as users run them;
// the baseline runs under it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The vendored v1.0 pages.
fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs-input/graph-v1.0")
}

fn read_pages(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md" || x == "txt")
                // README.md, PROVENANCE.md: about the pages, not pages (as in the CLI).
                && !p.file_stem().is_some_and(|s| s.to_string_lossy().chars().all(|c| !c.is_ascii_lowercase()))
            {
                let rel = p.strip_prefix(dir).unwrap_or(&p).to_string_lossy().into_owned();
                if let Ok(b) = std::fs::read(&p) {
                    out.push((rel, b));
                }
            }
        }
    }
    out
}

/// What any tool reading these pages must at least do.
fn baseline(pages: &[(String, Vec<u8>)]) -> usize {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut n = 0;
    for (_, bytes) in pages {
        let text = String::from_utf8_lossy(bytes);
        let (fm, body) = match text.strip_prefix("---\n").and_then(|r| r.split_once("\n---\n")) {
            Some((fm, body)) => (Some(fm), body),
            None => (None, text.as_ref()),
        };
        if let Some(fm) = fm {
            n += serde_yaml::from_str::<serde_yaml::Value>(fm).is_ok() as usize;
        }
        let mut in_code = false;
        let mut code = String::new();
        for ev in Parser::new_ext(body, Options::ENABLE_TABLES) {
            match ev {
                Event::Start(Tag::CodeBlock(_)) => {
                    in_code = true;
                    code.clear();
                }
                Event::Text(t) if in_code => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    in_code = false;
                    if let Some(i) = code.find('{') {
                        n += serde_json::from_str::<serde_json::Value>(&code[i..]).is_ok() as usize;
                    }
                }
                _ => n += 1,
            }
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    let dir = corpus_dir();
    let pages = read_pages(&dir);
    let mut g = c.benchmark_group(format!("v1.0 ({} pages)", pages.len()));
    g.sample_size(10)
        .measurement_time(Duration::from_secs(8))
        .warm_up_time(Duration::from_secs(1));
    g.bench_function("baseline: read + cmark + yaml + json", |b| {
        b.iter(|| black_box(baseline(&read_pages(&dir))))
    });
    g.bench_function("read", |b| b.iter(|| black_box(read_pages(&dir))));
    let db = SourceDb::from_pages(pages.clone());
    g.bench_function("parse (both passes, all pages)", |b| {
        b.iter(|| black_box(generator::parse_all(&db)))
    });
    let (facts, _) = generator::parse_all(&db);
    g.bench_function("lower", |b| b.iter(|| black_box(generator::lower::lower(&db, &facts))));
    let (model, _) = generator::lower::lower(&db, &facts);
    g.bench_function("name", |b| {
        b.iter(|| {
            black_box(generator::rust::naming::assign(&model, &mut Vec::new(), &|l| {
                db.span_at(l)
            }))
        })
    });
    g.bench_function("gates (feature closure)", |b| {
        b.iter(|| black_box(generator::rust::features::Features::plan(&model)))
    });
    let plan = generator::rust::plan(&model, &mut Vec::new(), &|l| db.span_at(l));
    let settings = generator::emit::CrateSettings { name: "generated" };
    g.bench_function("emit + format", |b| {
        b.iter(|| black_box(generator::emit::emit(&model, &plan, &settings)))
    });
    g.bench_function("end to end (read → files)", |b| {
        b.iter(|| {
            let db = SourceDb::from_pages(read_pages(&dir));
            black_box(generator::generate(&db, &generator::Options::default()))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
