//! The real cause of a failed file operation, in words, with what to do:
//! "`afile` is a file, so it cannot hold `afile/sub`" instead of "check
//! permissions", "the path contains a NUL character" instead of "check it
//! is writable".

use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};

/// `error` (from an operation on `path`) as a message naming its cause.
pub fn cause(path: &Path, error: &io::Error) -> String {
    if path.as_os_str().as_encoded_bytes().contains(&0) {
        return "the path contains a NUL character, which no file name can hold; remove it"
            .to_string();
    }
    match error.kind() {
        ErrorKind::NotADirectory => match file_in_the_way(path) {
            Some(file) => format!(
                "`{}` is a file, so it cannot be a folder holding `{}`; choose another path or move that file away",
                file.display(),
                path.display()
            ),
            None => format!("{error}; a part of `{}` is not a folder", path.display()),
        },
        ErrorKind::NotFound => match missing_folder(path) {
            Some(dir) => format!("the folder `{}` does not exist; create it or choose another path", dir.display()),
            None => "no such file".to_string(),
        },
        ErrorKind::PermissionDenied => format!(
            "permission denied; check the permissions of `{}`",
            nearest_existing(path).display()
        ),
        ErrorKind::IsADirectory => "it is a folder, not a file; choose a file".to_string(),
        ErrorKind::InvalidData => {
            "not UTF-8 text; save it as UTF-8".to_string()
        }
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
            "the disk is full; free some space and try again".to_string()
        }
        ErrorKind::ReadOnlyFilesystem => {
            "the drive is read-only; choose a path on another drive".to_string()
        }
        ErrorKind::InvalidFilename => {
            "the name is too long or not allowed on this drive; shorten or rename it".to_string()
        }
        _ => error.to_string(),
    }
}

/// The first ancestor of `path` that exists and is not a folder.
pub fn file_in_the_way(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .skip(1)
        .filter(|a| !a.as_os_str().is_empty())
        .find(|a| a.exists())
        .filter(|a| !a.is_dir())
        .map(Path::to_path_buf)
}

/// The deepest missing folder above `path` whose own parent exists.
fn missing_folder(path: &Path) -> Option<PathBuf> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty())?;
    if parent.is_dir() {
        return None;
    }
    let mut missing = parent;
    while let Some(up) = missing.parent().filter(|p| !p.as_os_str().is_empty()) {
        if up.exists() {
            break;
        }
        missing = up;
    }
    Some(missing.to_path_buf())
}

fn nearest_existing(path: &Path) -> PathBuf {
    path.ancestors()
        .find(|a| !a.as_os_str().is_empty() && a.exists())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_where_a_folder_should_be_is_named() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("afile");
        std::fs::write(&file, "x").expect("write");
        let target = file.join("sub/x.txt");
        let e = std::fs::create_dir_all(target.parent().expect("parent")).expect_err("a file");
        assert_eq!(
            cause(&target, &e),
            format!(
                "`{}` is a file, so it cannot be a folder holding `{}`; choose another path or move that file away",
                file.display(),
                target.display()
            )
        );
    }

    #[test]
    fn a_nul_a_missing_folder_and_bad_text_are_each_named() {
        let dir = tempfile::tempdir().expect("dir");
        let nul = dir.path().join("a\0b");
        let e = std::fs::write(&nul, "x").expect_err("NUL");
        assert_eq!(
            cause(&nul, &e),
            "the path contains a NUL character, which no file name can hold; remove it"
        );
        let deep = dir.path().join("no/such/file.yaml");
        let e = std::fs::read(&deep).expect_err("missing");
        assert_eq!(
            cause(&deep, &e),
            format!(
                "the folder `{}` does not exist; create it or choose another path",
                dir.path().join("no").display()
            )
        );
        let bad = io::Error::new(ErrorKind::InvalidData, "stream did not contain valid UTF-8");
        assert_eq!(
            cause(Path::new("prefs.yaml"), &bad),
            "not UTF-8 text; save it as UTF-8"
        );
    }
}
