//! File-system edge: reading pages, comparing and replacing the output tree.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Repository files that live among pages but are not pages.
fn is_page(path: &Path) -> bool {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let meta = stem.chars().all(|c| c.is_ascii_uppercase() || c == '-' || c == '_');
    (ext == "md" || ext == "txt") && !meta
}

/// Every page under `dir`, recursively, as (path relative to `dir` with
/// forward slashes, bytes). Symlinks are not followed.
pub fn read_pages(dir: &Path) -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)? {
            let entry = entry?;
            let ft = entry.file_type()?;
            let path = entry.path();
            if ft.is_dir() {
                stack.push(path);
            } else if ft.is_file() && is_page(&path) {
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push((rel.join("/"), fs::read(&path)?));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Rejects relative paths that could leave the output folder.
fn safe_relative(rel: &str) -> io::Result<PathBuf> {
    let p = Path::new(rel);
    if p.components().all(|c| matches!(c, Component::Normal(_))) {
        Ok(p.to_path_buf())
    } else {
        Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("refusing to write outside the output folder: {rel}"),
        ))
    }
}

/// Every file under `dir` (relative, forward slashes), skipping `target/`.
fn list_files(dir: &Path) -> io::Result<Vec<String>> {
    let mut out = Vec::new();
    if !dir.exists() {
        return Ok(out);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d)? {
            let entry = entry?;
            let path = entry.path();
            let ft = entry.file_type()?;
            if ft.is_dir() {
                if entry.file_name() != "target" {
                    stack.push(path);
                }
            } else {
                let rel = path.strip_prefix(dir).unwrap_or(&path);
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Files that differ between `dir` and `files`: changed, missing, or extra.
pub fn stale_files(dir: &Path, files: &BTreeMap<String, String>) -> io::Result<Vec<String>> {
    let mut stale = Vec::new();
    for (rel, content) in files {
        let path = dir.join(safe_relative(rel)?);
        match fs::read(&path) {
            Ok(bytes) if normalize(&bytes) == content.as_bytes() => {}
            Ok(_) => stale.push(format!("{rel} (differs)")),
            Err(_) => stale.push(format!("{rel} (missing)")),
        }
    }
    for rel in list_files(dir)? {
        if !files.contains_key(&rel) && rel != "Cargo.lock" {
            stale.push(format!("{rel} (not generated; would be removed)"));
        }
    }
    Ok(stale)
}

/// CRLF checkouts (Windows git) must not count as stale. Most files have no
/// `\r` at all: those are compared as read, not copied byte by byte.
fn normalize(bytes: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !bytes.contains(&b'\r') {
        return bytes.into();
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            i += 1;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    out.into()
}

/// Writes one file through a temporary sibling and a rename.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension("tmp-codegen");
    fs::write(&tmp, bytes)?;
    fs::rename(&tmp, path)
}

/// Replaces `dir` with exactly `files`: the new tree is written in full
/// beside it, then swapped in with two renames. An interrupted or failed run
/// leaves the previous tree (or, between the renames, `dir.old`, restored on
/// the next run).
pub fn replace_dir_atomic(dir: &Path, files: &BTreeMap<String, String>) -> io::Result<()> {
    replace_dir_atomic_with(dir, files, &mut |_| Ok(()))
}

/// As [`replace_dir_atomic`], calling `hook` after each file is staged
/// (tests inject failures there).
pub fn replace_dir_atomic_with(
    dir: &Path,
    files: &BTreeMap<String, String>,
    hook: &mut dyn FnMut(&str) -> io::Result<()>,
) -> io::Result<()> {
    let name = dir
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "output folder has no name"))?
        .to_string_lossy()
        .into_owned();
    let parent = dir.parent().unwrap_or(Path::new("."));
    let staging = parent.join(format!(".{name}.codegen-new"));
    let old = parent.join(format!(".{name}.codegen-old"));
    recover(dir, &old)?;
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    fs::create_dir_all(&staging)?;
    let staged = (|| -> io::Result<()> {
        for (rel, content) in files {
            let path = staging.join(safe_relative(rel)?);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p)?;
            }
            fs::write(&path, content)?;
            hook(rel)?;
        }
        // Keep a build cache that lived inside the output folder.
        if dir.join("target").is_dir() {
            fs::rename(dir.join("target"), staging.join("target"))?;
        }
        Ok(())
    })();
    if let Err(e) = staged {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    if dir.exists() {
        fs::rename(dir, &old)?;
    }
    fs::rename(&staging, dir)?;
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    Ok(())
}

/// Finishes or undoes a swap that was interrupted between its two renames.
fn recover(dir: &Path, old: &Path) -> io::Result<()> {
    if old.exists() {
        if dir.exists() {
            fs::remove_dir_all(old)?;
        } else {
            fs::rename(old, dir)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_escaping_paths() {
        assert!(safe_relative("../x").is_err());
        assert!(safe_relative("/etc/x").is_err());
        assert!(safe_relative("src/a.rs").is_ok());
    }

    #[test]
    fn failed_write_keeps_previous_tree() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let mut v1 = BTreeMap::new();
        v1.insert("src/lib.rs".to_string(), "one".to_string());
        replace_dir_atomic(&dir, &v1).unwrap();
        let mut v2 = BTreeMap::new();
        v2.insert("src/lib.rs".to_string(), "two".to_string());
        v2.insert("src/more.rs".to_string(), "two".to_string());
        let err = replace_dir_atomic_with(&dir, &v2, &mut |rel| {
            if rel == "src/more.rs" {
                Err(io::Error::other("injected"))
            } else {
                Ok(())
            }
        });
        assert!(err.is_err());
        assert_eq!(fs::read_to_string(dir.join("src/lib.rs")).unwrap(), "one");
        assert!(!dir.join("src/more.rs").exists());
        replace_dir_atomic(&dir, &v2).unwrap();
        assert_eq!(fs::read_to_string(dir.join("src/more.rs")).unwrap(), "two");
        assert!(stale_files(&dir, &v2).unwrap().is_empty());
        let stale = stale_files(&dir, &v1).unwrap();
        assert_eq!(
            stale,
            vec!["src/lib.rs (differs)", "src/more.rs (not generated; would be removed)"]
        );
    }
}
