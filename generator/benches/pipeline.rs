//! Stage timings of codegen on the vendored v1.0 docs against a baseline
//! measured in the same run: a bare read + pulldown-cmark + serde_yaml +
//! serde_json of the same pages, parsed on the generator's thread pool (the
//! global rayon pool, as the CLI uses it).
//!
//! `cargo bench -p generator --features bench --bench pipeline [-- ROUNDS]` (default 7). Each
//! round runs every stage once, in turn, so a loaded machine slows all stages
//! alike; the table gives each stage's median, its ratio to the baseline's
//! median and its share of the end-to-end run. Figures go to BENCHMARKS.md.
//!
//! Stages: read (`xtask::fsio::read_pages`), parse (both passes, every page),
//! lower, plan (names, features, layout), tokens (quote, each item's token
//! text), syn (parsing every item), prettyplease (formatting: syn + prettyplease
//! minus syn), write (`stale_files` + `replace_dir_atomic` of a fresh folder).
//! End to end is `xtask::codegen` as the CLI runs it (diagnostics rendered,
//! folder written), without the format cache (cold) and with the cache of
//! the previous round (warm: nothing changed, nothing formatted), each into
//! a deleted folder, so every file is written; and warm into the folder the
//! previous run wrote (up to date: every file compared, none written, as a
//! re-run or CI's `codegen --check` finds it).

use generator::source::SourceDb;
use rayon::prelude::*;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// The allocator of the CLI (`xtask`), so stages are timed as users run them;
// the baseline runs under it too (with `no_thp`, as the CLI's, Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The vendored v1.0 pages.
fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs-input/graph-v1.0")
}

/// What any tool reading these pages must at least do, page by page on the
/// generator's thread pool: pulldown-cmark over the body, serde_yaml on the
/// front matter, serde_json on every code block that holds JSON.
fn baseline(pages: &[(String, Vec<u8>)]) -> usize {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    pages
        .par_iter()
        .map(|(_, bytes)| {
            let mut n = 0;
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
            n
        })
        .sum()
}

fn time<T>(f: impl FnOnce() -> T) -> Duration {
    let t = Instant::now();
    black_box(f());
    t.elapsed()
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The index of the cold end-to-end stage: the stages before it are its
/// parts; the warm runs follow it.
const COLD: usize = 9;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(7)
        .max(1);
    let dir = corpus_dir();
    let tmp = std::env::temp_dir().join(format!("pipeline-bench-{}", std::process::id()));
    let out_dir = tmp.join("crate");
    let cache_file = tmp.join("format.bin");
    let read = || xtask::fsio::read_pages(&dir).expect("vendored pages");
    let pages = read();
    println!(
        "v1.0 ({} pages), {} rayon threads, {rounds} rounds",
        pages.len(),
        rayon::current_num_threads()
    );
    let db = SourceDb::from_pages(pages.clone());
    let (facts, _) = generator::parse_all(&db);
    let (model, _) = generator::lower::lower(&db, &facts);
    let span_of = |l: &generator::source::Location| db.span_at(l);
    let plan = generator::rust::plan(&model, &mut Vec::new(), &span_of);
    let settings = generator::emit::CrateSettings { name: "generated" };
    let unformatted = || generator::emit::tokens(&model, &plan, &settings).expect("tokens");
    let files = unformatted().format().expect("format");
    let args = |cache: bool| xtask::CodegenArgs {
        docs: dir.clone(),
        out: out_dir.clone(),
        format_cache: cache.then(|| cache_file.clone()),
        ..xtask::CodegenArgs::default()
    };
    xtask::codegen(&args(true)).expect("codegen");

    type Stage<'a> = (&'a str, Box<dyn Fn() -> Duration + 'a>);
    let stages: Vec<Stage> = vec![
        (
            "baseline: read + cmark + yaml + json",
            Box::new(|| time(|| baseline(&read()))),
        ),
        ("read", Box::new(|| time(read))),
        (
            "parse (both passes, all pages)",
            Box::new(|| time(|| generator::parse_all(&db))),
        ),
        ("lower", Box::new(|| time(|| generator::lower::lower(&db, &facts)))),
        (
            "plan (names, features, layout)",
            Box::new(|| time(|| generator::rust::plan(&model, &mut Vec::new(), &span_of))),
        ),
        ("tokens (quote → token text)", Box::new(|| time(unformatted))),
        (
            "syn (parse every item)",
            Box::new(|| {
                let u = unformatted();
                time(|| u.parse_only().expect("parses"))
            }),
        ),
        (
            "syn + prettyplease (format every item)",
            Box::new(|| {
                let u = unformatted();
                time(|| u.format().expect("formats"))
            }),
        ),
        (
            "write (stale check + fresh folder)",
            Box::new(|| {
                let _ = std::fs::remove_dir_all(&out_dir);
                time(|| {
                    xtask::fsio::stale_files(&out_dir, &files).ok();
                    xtask::fsio::replace_dir_atomic(&out_dir, &files).expect("write")
                })
            }),
        ),
        (
            "end to end, cold (xtask::codegen --no-cache)",
            Box::new(|| {
                let _ = std::fs::remove_dir_all(&out_dir);
                time(|| xtask::codegen(&args(false)).expect("codegen"))
            }),
        ),
        (
            "end to end, warm (format cache, nothing changed)",
            Box::new(|| {
                let _ = std::fs::remove_dir_all(&out_dir);
                time(|| xtask::codegen(&args(true)).expect("codegen"))
            }),
        ),
        (
            "end to end, warm, output up to date (compared, not written)",
            Box::new(|| time(|| xtask::codegen(&args(true)).expect("codegen"))),
        ),
    ];
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); stages.len()];
    for _ in 0..rounds {
        for (i, (_, run)) in stages.iter().enumerate() {
            samples[i].push(run());
        }
    }
    let medians: Vec<Duration> = samples.iter_mut().map(|s| median(s)).collect();
    let base = ms(medians[0]);
    let cold = ms(medians[COLD]);
    println!("| stage | median | × baseline | share of cold end to end |");
    println!("|---|---:|---:|---:|");
    for (i, (name, _)) in stages.iter().enumerate() {
        let m = ms(medians[i]);
        let share = if (1..COLD).contains(&i) {
            format!("{:.0}%", 100.0 * m / cold)
        } else {
            String::new()
        };
        println!("| {name} | {m:.1} ms | {:.2} | {share} |", m / base);
    }
    // prettyplease alone: format minus parse, as its own line.
    let pp = ms(medians[7]) - ms(medians[6]);
    println!(
        "| prettyplease (format − syn) | {pp:.1} ms | {:.2} | {:.0}% |",
        pp / base,
        100.0 * pp / cold
    );
    let _ = std::fs::remove_dir_all(&tmp);
}
