//! The emit cache: what an earlier run emitted, so that a run formats only
//! what changed and, when none of the emitter's inputs changed, builds no
//! tokens at all.
//!
//! Two levels, both keyed by 128-bit hashes:
//! * entries: formatted text by a hash of its token text (one per item or
//!   file header) or, for files written as they are, of the file's text. The
//!   formatted text depends only on the token text and on the versions of
//!   `syn` and `prettyplease`.
//! * the run: by a hash of everything the emitter reads (the IR, the Rust
//!   plan, the crate settings) salted with the generator's code hash
//!   (`build.rs`: its source, runtime, manifest and `Cargo.lock`), every
//!   file of the crate as the entries it is joined from. Tokens are a pure
//!   function of those inputs, so the same key means the same files.
//!
//! No I/O here: bytes in, bytes out.

use super::{CrateSettings, Files, HEADER};
use crate::ir::Model;
use crate::rust::Plan;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

/// A 128-bit hash: two SipHash values with different prefixes. Collisions
/// are as likely as for a random 128-bit value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct Key(u64, u64);

impl Key {
    pub(super) fn of<T: Hash + ?Sized>(value: &T) -> Key {
        Key(salted(0, value), salted(1, value))
    }

    /// The key of everything emission reads: the code hash, the settings,
    /// the model (by its own key) and the plan.
    pub(super) fn of_inputs(model: &HashedModel, plan: &Plan, settings: &CrateSettings) -> Key {
        let inputs = (env!("GENERATOR_CODE_HASH"), settings, model.key, plan);
        let (a, b) = rayon::join(|| salted(0, &inputs), || salted(1, &inputs));
        Key(a, b)
    }

    fn to_bytes(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0.to_le_bytes());
        out.extend_from_slice(&self.1.to_le_bytes());
    }

    fn read(rest: &mut &[u8]) -> Option<Key> {
        Some(Key(read_u64(rest)?, read_u64(rest)?))
    }
}

/// Keys are hashes already: a map of them needs only a cheap mix of their
/// bits (SipHash over them again was most of joining a cached run's files).
type KeyHash = rustc_hash::FxBuildHasher;

/// The IR with its key, hashed once: the caller may hash it while the plan
/// is made (the IR is a few megabytes of strings; the plan is made from it
/// on one thread). Holding the model borrowed, the key cannot go stale.
pub struct HashedModel<'a> {
    pub(super) model: &'a Model,
    key: Key,
}

impl<'a> HashedModel<'a> {
    /// Hashes `model`, the two halves of the key in parallel.
    pub fn new(model: &'a Model) -> HashedModel<'a> {
        let (a, b) = rayon::join(|| salted(0, model), || salted(1, model));
        HashedModel { model, key: Key(a, b) }
    }
}

fn salted<T: Hash + ?Sized>(salt: u8, value: &T) -> u64 {
    let mut s = std::collections::hash_map::DefaultHasher::new();
    salt.hash(&mut s);
    value.hash(&mut s);
    s.finish()
}

/// One file of a cached run: its path, whether it is Rust (then it starts
/// with the generated-file comment), and the entries joined into it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct CachedFile {
    pub path: String,
    pub rust: bool,
    pub parts: Vec<Key>,
}

/// What the run of input key `input` emitted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Run {
    pub input: Key,
    pub files: Vec<CachedFile>,
}

/// Formatted items and files of an earlier run (see the module docs); the
/// caller stores it and keys the stored cache by the versions of the
/// formatting crates (xtask: by `Cargo.lock`).
#[derive(Clone, Default)]
pub struct FormatCache {
    entries: HashMap<Key, Text, KeyHash>,
    /// The bytes a read cache came from; its entries point into them.
    stored: Vec<u8>,
    pub(super) run: Option<Run>,
}

/// An entry's text: this run's, or where it lies in the bytes the cache was
/// read from. A read cache is indexed, not copied: a warm run reads all of
/// it once, to join the files (its text is checked as UTF-8 then).
#[derive(Clone, Debug)]
enum Text {
    Owned(String),
    Stored(std::ops::Range<usize>),
}

/// Equal when the run and every entry's text are (however they are held).
impl PartialEq for FormatCache {
    fn eq(&self, other: &Self) -> bool {
        self.run == other.run
            && self.entries.len() == other.entries.len()
            && self.entries.keys().all(|k| {
                let text = self.get(k);
                text.is_some() && text == other.get(k)
            })
    }
}

impl Eq for FormatCache {}

/// Counts only: a cache is megabytes of text.
impl std::fmt::Debug for FormatCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FormatCache")
            .field("entries", &self.entries.len())
            .field("stored_bytes", &self.stored.len())
            .field("run_files", &self.run.as_ref().map(|r| r.files.len()))
            .finish()
    }
}

const CACHE_MAGIC: &[u8; 16] = b"graph-fmt-cache2";

impl FormatCache {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Drops one entry (tests: a cache that misses an item).
    #[doc(hidden)]
    pub fn remove_any(&mut self) {
        if let Some(k) = self.entries.keys().next().copied() {
            self.entries.remove(&k);
        }
    }

    /// The text of entry `key`; `None` when absent or not UTF-8 (a damaged
    /// cache: the caller formats again).
    pub(super) fn get(&self, key: &Key) -> Option<&str> {
        match self.entries.get(key)? {
            Text::Owned(s) => Some(s),
            Text::Stored(r) => std::str::from_utf8(self.stored.get(r.clone())?).ok(),
        }
    }

    /// Adds `other`'s items (and takes its run): one cache serving runs of
    /// many different inputs, such as the tests' many small crates.
    pub fn absorb(&mut self, other: &FormatCache) {
        for key in other.entries.keys() {
            if !self.entries.contains_key(key) {
                if let Some(text) = other.get(key) {
                    self.entries.insert(*key, Text::Owned(text.to_owned()));
                }
            }
        }
        if other.run.is_some() {
            self.run = other.run.clone();
        }
    }

    pub(super) fn insert(&mut self, key: Key, text: String) {
        self.entries.insert(key, Text::Owned(text));
    }

    /// Every file of the cached run, when its input key is `input` and every
    /// entry it joins is here; `None` otherwise (the caller emits). Files are
    /// joined in parallel (a warm run joins tens of megabytes), each entry's
    /// text checked as UTF-8 once, as it is copied.
    pub(super) fn files_for(&self, input: Key) -> Option<Files> {
        use rayon::prelude::*;
        let run = self.run.as_ref().filter(|r| r.input == input)?;
        run.files
            .par_iter()
            .map(|f| Some((f.path.clone(), self.join(f)?)))
            .collect()
    }

    /// One file of the run: its header, then its entries' text.
    fn join(&self, file: &CachedFile) -> Option<String> {
        let parts: Vec<&str> = file.parts.iter().map(|k| self.get(k)).collect::<Option<_>>()?;
        let size: usize = parts.iter().map(|p| p.len()).sum();
        let mut text = String::with_capacity(size + HEADER.len() + 8);
        if file.rust {
            text.push_str(&format!("// {HEADER}\n\n"));
        }
        parts.iter().for_each(|p| text.push_str(p));
        Some(text)
    }

    /// The cache as bytes: magic; the run (a `u8` flag, its key, a `u32`
    /// count of files, each a length-prefixed path, a `u8` Rust flag and a
    /// `u32` count of entry keys); then the entries sorted by key, each its
    /// key, a `u32` length and the text. Keys are two little-endian `u64`.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut entries: Vec<(&Key, &str)> = self.entries.keys().filter_map(|k| Some((k, self.get(k)?))).collect();
        entries.sort_by_key(|(k, _)| **k);
        let size: usize = entries.iter().map(|(_, v)| 20 + v.len()).sum();
        let mut out = Vec::with_capacity(CACHE_MAGIC.len() + size);
        out.extend_from_slice(CACHE_MAGIC);
        out.push(self.run.is_some() as u8);
        if let Some(run) = &self.run {
            run.input.to_bytes(&mut out);
            push_len(&mut out, run.files.len());
            for f in &run.files {
                push_len(&mut out, f.path.len());
                out.extend_from_slice(f.path.as_bytes());
                out.push(f.rust as u8);
                push_len(&mut out, f.parts.len());
                f.parts.iter().for_each(|k| k.to_bytes(&mut out));
            }
        }
        for (k, v) in entries {
            k.to_bytes(&mut out);
            push_len(&mut out, v.len());
            out.extend_from_slice(v.as_bytes());
        }
        out
    }

    /// Reads [`FormatCache::to_bytes`]; `None` when the bytes are not such a
    /// cache (truncated, another format): the caller starts empty.
    pub fn from_bytes(bytes: &[u8]) -> Option<FormatCache> {
        FormatCache::from_vec(bytes.to_vec())
    }

    /// As [`FormatCache::from_bytes`], keeping `bytes`: entries are indexed
    /// in place, not copied.
    pub fn from_vec(bytes: Vec<u8>) -> Option<FormatCache> {
        let mut rest = bytes.strip_prefix(CACHE_MAGIC.as_slice())?;
        let run = match take(&mut rest, 1)? {
            [0] => None,
            [1] => Some(read_run(&mut rest)?),
            _ => return None,
        };
        let mut entries = HashMap::default();
        while !rest.is_empty() {
            let k = Key::read(&mut rest)?;
            let len = read_u32(&mut rest)? as usize;
            let start = bytes.len() - rest.len();
            take(&mut rest, len)?;
            entries.insert(k, Text::Stored(start..start + len));
        }
        Some(FormatCache {
            entries,
            stored: bytes,
            run,
        })
    }
}

fn read_run(rest: &mut &[u8]) -> Option<Run> {
    let input = Key::read(rest)?;
    let n = read_u32(rest)?;
    let mut files = Vec::new();
    for _ in 0..n {
        let path = read_str(rest)?.to_owned();
        let rust = take(rest, 1)? == [1];
        let parts = (0..read_u32(rest)?).map(|_| Key::read(rest)).collect::<Option<_>>()?;
        files.push(CachedFile { path, rust, parts });
    }
    Some(Run { input, files })
}

/// Lengths and counts are `u32`: the cache is tens of megabytes.
fn push_len(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn take<'a>(rest: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (a, b) = (rest.get(..n)?, rest.get(n..)?);
    *rest = b;
    Some(a)
}

fn read_u64(rest: &mut &[u8]) -> Option<u64> {
    Some(u64::from_le_bytes(take(rest, 8)?.try_into().ok()?))
}

fn read_u32(rest: &mut &[u8]) -> Option<u32> {
    Some(u32::from_le_bytes(take(rest, 4)?.try_into().ok()?))
}

fn read_str<'a>(rest: &mut &'a [u8]) -> Option<&'a str> {
    let len = read_u32(rest)? as usize;
    std::str::from_utf8(take(rest, len)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(name: &str) -> CrateSettings<'_> {
        CrateSettings { name }
    }

    /// Every input of the emitter is in the key: the IR, the plan, the
    /// settings.
    #[test]
    fn input_key_covers_model_plan_and_settings() {
        let (model, plan) = (Model::default(), Plan::default());
        let hashed = HashedModel::new(&model);
        let key = Key::of_inputs(&hashed, &plan, &settings("a"));
        assert_eq!(key, Key::of_inputs(&HashedModel::new(&model), &plan, &settings("a")));
        assert_ne!(key, Key::of_inputs(&hashed, &plan, &settings("b")));
        let mut changed = model.clone();
        changed.derived.push(Vec::new());
        assert_ne!(key, Key::of_inputs(&HashedModel::new(&changed), &plan, &settings("a")));
        let mut renamed = plan.clone();
        renamed.names.types.push("A".into());
        assert_ne!(key, Key::of_inputs(&hashed, &renamed, &settings("a")));
    }

    /// `absorb` keeps what a cache has, adds the other's items (a read
    /// cache's too) and takes its run.
    #[test]
    fn absorb_unions_items_and_takes_the_run() {
        let (read, input) = cache();
        let read = FormatCache::from_bytes(&read.to_bytes()).unwrap_or_default();
        let mut shared = FormatCache::default();
        shared.insert(Key::of("fn z() {}\n"), "fn z() {}\n".into());
        shared.absorb(&read);
        assert_eq!(shared.len(), read.len() + 1);
        assert_eq!(shared.get(&Key::of("fn a() {}\n")), Some("fn a() {}\n"));
        assert_eq!(shared.get(&Key::of("fn z() {}\n")), Some("fn z() {}\n"));
        assert_eq!(shared.files_for(input), read.files_for(input));
        assert!(shared.files_for(input).is_some());
    }

    fn cache() -> (FormatCache, Key) {
        let input = Key::of("inputs");
        let mut c = FormatCache::default();
        for text in ["fn a() {}\n", "fn b() {}\n", "[package]\n"] {
            c.insert(Key::of(text), text.into());
        }
        let file = |path: &str, rust, texts: &[&str]| CachedFile {
            path: path.into(),
            rust,
            parts: texts.iter().map(|t| Key::of(*t)).collect(),
        };
        let files = vec![
            file("src/lib.rs", true, &["fn a() {}\n", "fn b() {}\n"]),
            file("Cargo.toml", false, &["[package]\n"]),
        ];
        c.run = Some(Run { input, files });
        (c, input)
    }

    #[test]
    fn a_run_is_answered_only_for_its_inputs_and_whole() {
        let (mut c, input) = cache();
        let files = c.files_for(input).unwrap();
        assert_eq!(
            files["src/lib.rs"],
            format!("// {HEADER}\n\nfn a() {{}}\nfn b() {{}}\n")
        );
        assert_eq!(files["Cargo.toml"], "[package]\n");
        assert_eq!(c.files_for(Key::of("other inputs")), None);
        c.entries.remove(&Key::of("fn b() {}\n"));
        assert_eq!(c.files_for(input), None);
    }

    #[test]
    fn bytes_round_trip() {
        let (c, _) = cache();
        let bytes = c.to_bytes();
        assert_eq!(FormatCache::from_bytes(&bytes), Some(c));
        for cut in 0..bytes.len() {
            let _ = FormatCache::from_bytes(&bytes[..cut]);
        }
        assert_eq!(FormatCache::from_bytes(&bytes[..bytes.len() - 1]), None);
        let empty = FormatCache::default();
        assert_eq!(FormatCache::from_bytes(&empty.to_bytes()), Some(empty));
    }
}
