//! `cargo xtask diff`: loads the two sides (a docs folder, an IR JSON file,
//! or the docs input at a git revision) and renders the generator's change
//! report. The comparison itself lives in `generator::diff`.

use generator::diff::{self, render};
use generator::ir::Model;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    #[default]
    Markdown,
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "markdown" | "md" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            other => Err(format!("--format takes markdown or json, not `{other}`")),
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct DiffArgs {
    pub old: Option<PathBuf>,
    pub new: Option<PathBuf>,
    /// A git revision: OLD is the docs input as of that revision.
    pub base: Option<String>,
    pub format: Format,
    /// Exit 1 when any change is breaking.
    pub deny_breaking: bool,
    /// Only types and endpoints both sides document.
    pub common_only: bool,
}

/// The rendered report and whether `--deny breaking` fails the run.
#[derive(Debug)]
pub struct DiffOutcome {
    pub text: String,
    pub report: diff::Report,
    pub failed: bool,
}

/// An IR JSON file (by extension, or a file whose content starts with `{`)
/// or a docs folder.
pub fn load_model(path: &Path) -> Result<Model, String> {
    if path.is_dir() {
        return Ok(crate::docs_model(path)?.1.model);
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let json_like =
        path.extension().is_some_and(|x| x.eq_ignore_ascii_case("json")) || text.trim_start().starts_with('{');
    if !json_like {
        return Err(format!(
            "{} is neither a docs folder nor an IR JSON file (`cargo xtask codegen --emit-ir FILE`)",
            path.display()
        ));
    }
    Model::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A temporary folder removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, String> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let p = std::env::temp_dir().join(format!("xtask-diff-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p).map_err(|e| format!("cannot create {}: {e}", p.display()))?;
        Ok(TempDir(p))
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes the docs folder `docs` as of git revision `rev` into a temporary
/// folder (`git archive REV -- DOCS | tar -x`) and returns it with the path
/// of the docs inside it.
pub fn materialize(repo: &Path, rev: &str, docs: &Path) -> Result<(TempDir, PathBuf), String> {
    let docs_abs = docs.canonicalize().unwrap_or_else(|_| docs.to_path_buf());
    let repo_abs = repo.canonicalize().unwrap_or_else(|_| repo.to_path_buf());
    let rel = docs_abs.strip_prefix(&repo_abs).map_err(|_| {
        format!(
            "--base needs the docs folder inside the repository; {} is not under {}",
            docs.display(),
            repo.display()
        )
    })?;
    let rel = rel.to_string_lossy().replace('\\', "/");
    if rev.starts_with('-') {
        return Err(format!("--base: `{rev}` is not a revision"));
    }
    let tmp = TempDir::new()?;
    let mut git = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["archive", "--format=tar", rev, "--"])
        .arg(if rel.is_empty() { "." } else { rel.as_str() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let stdout = git.stdout.take().ok_or("git gave no output")?;
    let tar = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(tmp.path())
        .stdin(stdout)
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    let git_out = git.wait_with_output().map_err(|e| format!("git: {e}"))?;
    if !git_out.status.success() {
        return Err(format!(
            "git archive {rev} -- {rel} failed: {}",
            String::from_utf8_lossy(&git_out.stderr).trim()
        ));
    }
    if !tar.status.success() {
        return Err(format!("tar failed: {}", String::from_utf8_lossy(&tar.stderr).trim()));
    }
    let dir = tmp.path().join(&rel);
    if !dir.is_dir() {
        return Err(format!("{rel} does not exist at {rev}"));
    }
    Ok((tmp, dir))
}

/// Runs the comparison. Without `--base`, OLD and NEW are both required;
/// with it, NEW defaults to the current docs input.
pub fn run(args: &DiffArgs) -> Result<DiffOutcome, String> {
    let default_docs = crate::CodegenArgs::default().docs;
    let _tmp;
    let (old_path, old_label, new_path) = match (&args.base, &args.old, &args.new) {
        (Some(rev), first, second) => {
            if second.is_some() {
                return Err("with --base, give at most one path (NEW)".into());
            }
            let (tmp, dir) = materialize(&crate::project_root(), rev, &default_docs)?;
            _tmp = tmp;
            let label = format!("{rev} ({})", rel_label(&default_docs));
            (dir, label, first.clone().unwrap_or_else(|| default_docs.clone()))
        }
        (None, Some(old), Some(new)) => (old.clone(), old.display().to_string(), new.clone()),
        _ => return Err("diff needs OLD and NEW (or --base REV)".into()),
    };
    let (old, new) = (load_model(&old_path)?, load_model(&new_path)?);
    let report = diff::diff(
        &old,
        &new,
        &diff::Options {
            common_only: args.common_only,
        },
    );
    let new_label = if new_path == default_docs {
        rel_label(&default_docs)
    } else {
        new_path.display().to_string()
    };
    let text = match args.format {
        Format::Markdown => render::markdown(&report, &old_label, &new_label),
        Format::Json => render::json(&report),
    };
    Ok(DiffOutcome {
        failed: args.deny_breaking && report.has_breaking(),
        text,
        report,
    })
}

/// The docs folder relative to the repository, for labels.
fn rel_label(docs: &Path) -> String {
    let root = crate::project_root();
    docs.strip_prefix(&root).unwrap_or(docs).display().to_string()
}
