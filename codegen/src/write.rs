//! Writing a generated crate to disk: only files whose bytes changed are written, and files the
//! generator no longer makes are deleted. [`crate::Builder`] and the `xtask` both write through
//! here; the pipeline stages themselves never touch the disk.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::Files;

/// What a write changed, by path relative to the crate folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
}

impl Changes {
    /// True when nothing was written or deleted.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

/// A file that could not be read, written or deleted.
#[derive(Debug, thiserror::Error)]
#[error("{}: {source}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// Files the generator did not make but may find in a crate folder: build output and the lock
/// file cargo writes there.
fn foreign(rel: &str) -> bool {
    rel == "Cargo.lock"
}

/// Files under `dir` (relative paths, `/`-separated), skipping `target/`.
pub fn existing_files(dir: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                out.insert(rel.to_string_lossy().replace('\\', "/"), p);
            }
        }
    }
    out
}

/// Makes `out` hold exactly `files`: writes those whose bytes differ, deletes stale ones.
pub fn sync(out: &Path, files: &Files) -> Result<Changes, WriteError> {
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError { path, source }
    };
    let existing = existing_files(out);
    let mut changes = Changes::default();
    for (rel, text) in &files.0 {
        let path = out.join(rel);
        match fs::read(&path) {
            Ok(old) if old == text.as_bytes() => continue,
            Ok(_) => changes.changed.push(rel.clone()),
            Err(_) => changes.added.push(rel.clone()),
        }
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(err(parent))?;
        }
        fs::write(&path, text).map_err(err(&path))?;
    }
    for (rel, path) in existing {
        if !files.0.contains_key(&rel) && !foreign(&rel) {
            fs::remove_file(&path).map_err(err(&path))?;
            changes.removed.push(rel);
        }
    }
    Ok(changes)
}

/// The files of `out` that differ from `files` (`missing`, `changed`) or that the generator no
/// longer makes (`stale`), without writing anything.
pub fn stale(out: &Path, files: &Files) -> Vec<(String, &'static str)> {
    let mut out_of_date = Vec::new();
    for (rel, text) in &files.0 {
        match fs::read(out.join(rel)) {
            Ok(old) if old == text.as_bytes() => {}
            Ok(_) => out_of_date.push((rel.clone(), "changed")),
            Err(_) => out_of_date.push((rel.clone(), "missing")),
        }
    }
    for rel in existing_files(out).into_keys() {
        if !files.0.contains_key(&rel) && !foreign(&rel) {
            out_of_date.push((rel, "stale"));
        }
    }
    out_of_date
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_what_changed_and_removes_stale_files() {
        let dir = std::env::temp_dir().join(format!("awsgen-write-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let files = |pairs: &[(&str, &str)]| Files(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
        let first = sync(&dir, &files(&[("a.rs", "1"), ("src/b.rs", "2")])).unwrap();
        assert_eq!(first.added, ["a.rs", "src/b.rs"]);
        fs::write(dir.join("Cargo.lock"), "").unwrap();
        let second = sync(&dir, &files(&[("a.rs", "1"), ("src/c.rs", "3")])).unwrap();
        assert_eq!(
            (second.added, second.changed, second.removed),
            (vec!["src/c.rs".into()], vec![], vec!["src/b.rs".into()])
        );
        assert!(dir.join("Cargo.lock").exists(), "cargo's lock file is left alone");
        assert!(stale(&dir, &files(&[("a.rs", "1"), ("src/c.rs", "3")])).is_empty());
        assert_eq!(stale(&dir, &files(&[("a.rs", "9")])), [("a.rs".into(), "changed"), ("src/c.rs".into(), "stale")]);
        fs::remove_dir_all(&dir).unwrap();
    }
}
