//! The one reader of files: a pack file, an answers file, preferences, the
//! keymap, a theme, a loaded artifact, a session, the write journal, a file
//! already where one is planned, the pack lock and index list. Only a
//! regular file, never more than its limit, as bytes or as UTF-8 text with a
//! leading byte-order mark dropped. The open never blocks (a FIFO, a
//! terminal) and the type is checked on the opened file; a file that grows
//! while it is read stops at the limit. Every refusal names the file and
//! says what it found and what to do, in the same words everywhere.

use std::fs::{self, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::limits::human;

/// The UTF-8 byte-order mark some editors (Notepad) put in front of a file.
pub const BOM: &str = "\u{feff}";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("{}: no such file", .path.display())]
    NotFound { path: PathBuf },
    #[error("{}: {}", .path.display(), not_a_file(.kind))]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error("{}: larger than {}, the limit for {what}; check that this is the file you meant", .path.display(), human(*.limit))]
    TooLarge {
        path: PathBuf,
        limit: u64,
        what: &'static str,
    },
    #[error("{}:{line}:{column}: not UTF-8 text; save the file as UTF-8", .path.display())]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    #[error("{}: cannot be read: {message}", .path.display())]
    Io { path: PathBuf, message: String },
}

impl ReadError {
    pub fn path(&self) -> &Path {
        match self {
            ReadError::NotFound { path }
            | ReadError::NotAFile { path, .. }
            | ReadError::TooLarge { path, .. }
            | ReadError::NotUtf8 { path, .. }
            | ReadError::Io { path, .. } => path,
        }
    }

    /// The message without the path in front, for callers that show the
    /// path their own way.
    pub fn reason(&self) -> String {
        let full = self.to_string();
        let shown = self.path().display().to_string();
        match full.strip_prefix(&shown) {
            Some(rest) => rest
                .strip_prefix(": ")
                .or_else(|| rest.strip_prefix(':'))
                .unwrap_or(rest)
                .to_string(),
            None => full,
        }
    }

    /// `path:line:column` for text that is not UTF-8, else the path: where
    /// a message about this file starts.
    pub fn location(&self) -> String {
        match self {
            ReadError::NotUtf8 { path, line, column } => {
                format!("{}:{line}:{column}", path.display())
            }
            other => other.path().display().to_string(),
        }
    }

    /// The message without the file and place ([`ReadError::location`]).
    pub fn message(&self) -> String {
        match self {
            ReadError::NotUtf8 { .. } => "not UTF-8 text; save the file as UTF-8".to_string(),
            other => other.reason(),
        }
    }

    /// The message with the place in words (`line 3, column 5: …`), for
    /// messages that name the file elsewhere.
    pub fn placed(&self) -> String {
        match self {
            ReadError::NotUtf8 { line, column, .. } => {
                format!("line {line}, column {column}: {}", self.message())
            }
            other => other.reason(),
        }
    }

    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::NotFound { .. })
    }

    pub fn is_not_a_file(&self) -> bool {
        matches!(self, ReadError::NotAFile { .. })
    }
}

/// Why a file that is not regular (see [`kind_of`]) is not read: the same
/// words wherever one is found.
pub fn not_a_file(kind: &str) -> String {
    if kind == "folder" {
        "is a folder; point it at a file".to_string()
    } else {
        format!(
            "{}; skillchain reads only regular files: point it at one",
            not_regular(kind)
        )
    }
}

/// `is a named pipe (FIFO), not a regular file`: what was found, for
/// messages that go on with their own advice.
pub fn not_regular(kind: &str) -> String {
    format!("is a {kind}, not a regular file")
}

/// What a file that is not regular is, in words ("named pipe (FIFO)",
/// "socket", "character device", "block device", "folder", "symbolic
/// link"); `None` for a regular file. Every message about such a file uses
/// these words.
pub fn kind_of(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("folder");
    }
    if t.is_symlink() {
        return Some("symbolic link");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("named pipe (FIFO)");
        }
        if t.is_socket() {
            return Some("socket");
        }
        if t.is_char_device() {
            return Some("character device");
        }
        if t.is_block_device() {
            return Some("block device");
        }
    }
    Some("special file")
}

/// Whether a symbolic link at the path itself is read through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    /// Read the file a link points to (a file the user named).
    Follow,
    /// Refuse a link (files inside a folder skillchain writes: a link
    /// there could make it read or compare something outside).
    Refuse,
}

/// The bytes of the regular file at `path` (links followed), at most
/// `limit` of them; `what` names the kind of file in the message
/// ("answers files").
pub fn read_bytes(path: &Path, limit: u64, what: &'static str) -> Result<Vec<u8>, ReadError> {
    read_bytes_with(path, limit, what, Links::Follow)
}

/// [`read_bytes`], saying whether a link at `path` is followed.
pub fn read_bytes_with(
    path: &Path,
    limit: u64,
    what: &'static str,
    links: Links,
) -> Result<Vec<u8>, ReadError> {
    let io_error = |e: io::Error| ReadError::Io {
        path: path.to_path_buf(),
        message: crate::fs_hint::cause(path, &e),
    };
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        let nofollow = match links {
            Links::Follow => 0,
            Links::Refuse => libc::O_NOFOLLOW,
        };
        options.custom_flags(libc::O_NONBLOCK | nofollow);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(ReadError::NotFound {
                path: path.to_path_buf(),
            })
        }
        // A socket cannot be opened at all, nor a link with `Refuse`: say
        // what it is.
        Err(e) => {
            let meta = match links {
                Links::Follow => fs::metadata(path),
                Links::Refuse => fs::symlink_metadata(path),
            };
            return Err(match meta.ok().as_ref().and_then(kind_of) {
                Some(kind) if kind != "folder" => ReadError::NotAFile {
                    path: path.to_path_buf(),
                    kind,
                },
                _ => io_error(e),
            });
        }
    };
    let meta = file.metadata().map_err(io_error)?;
    if let Some(kind) = kind_of(&meta) {
        return Err(ReadError::NotAFile {
            path: path.to_path_buf(),
            kind,
        });
    }
    let too_large = || ReadError::TooLarge {
        path: path.to_path_buf(),
        limit,
        what,
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// The text of the regular file at `path`, at most `limit` bytes, without
/// a leading byte-order mark.
pub fn read(path: &Path, limit: u64, what: &'static str) -> Result<String, ReadError> {
    let bytes = read_bytes(path, limit, what)?;
    text(path, bytes)
}

/// Bytes read from `path` as text: UTF-8 (the first bad byte's line and
/// column otherwise), without a leading byte-order mark.
pub fn text(path: &Path, bytes: Vec<u8>) -> Result<String, ReadError> {
    match String::from_utf8(bytes) {
        Ok(s) => Ok(without_bom(s)),
        Err(e) => {
            let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = good.iter().filter(|b| **b == b'\n').count() + 1;
            let start = good.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&good[start..]).chars().count() + 1;
            Err(ReadError::NotUtf8 {
                path: path.to_path_buf(),
                line,
                column,
            })
        }
    }
}

/// `text` without a leading byte-order mark.
pub fn without_bom(text: String) -> String {
    match text.strip_prefix(BOM) {
        Some(rest) => rest.to_string(),
        None => text,
    }
}

/// Reads one line of typed or piped input into `line` (its end of line
/// included, as [`std::io::BufRead::read_line`] does), never more than
/// `limit` bytes: endless input without a line end (`< /dev/zero`) is an
/// error saying the limit, not a process that grows until it is killed.
pub fn read_line(
    input: &mut impl std::io::BufRead,
    line: &mut String,
    limit: usize,
) -> io::Result<usize> {
    let mut bytes = Vec::new();
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            break;
        }
        let (take, done) = match chunk.iter().position(|b| *b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if bytes.len() + take > limit + 1 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "a line of input is longer than {}, the limit for an answer; nothing more is read",
                    human(limit as u64)
                ),
            ));
        }
        bytes.extend_from_slice(&chunk[..take]);
        input.consume(take);
        if done {
            break;
        }
    }
    let n = bytes.len();
    let text = String::from_utf8(bytes).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "a line of input is not UTF-8 text; nothing more is read",
        )
    })?;
    line.push_str(&text);
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_is_dropped_and_bad_utf8_is_placed() {
        let dir = tempfile::tempdir().expect("dir");
        let p = dir.path().join("a.yaml");
        std::fs::write(&p, "\u{feff}a: 1\n").expect("write");
        assert_eq!(read(&p, 100, "test files").expect("reads"), "a: 1\n");
        std::fs::write(&p, b"a: 1\nbb: \xff\n").expect("write");
        assert_eq!(
            read(&p, 100, "test files").expect_err("not UTF-8").reason(),
            "2:5: not UTF-8 text; save the file as UTF-8"
        );
    }

    #[test]
    fn only_regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().expect("dir");
        let p = dir.path().join("big");
        std::fs::write(&p, "x".repeat(101)).expect("write");
        let e = read(&p, 100, "test files").expect_err("too large");
        assert_eq!(
            e.reason(),
            "larger than 100 bytes, the limit for test files; check that this is the file you meant"
        );
        assert_eq!(
            read(dir.path(), 100, "test files")
                .expect_err("a folder")
                .reason(),
            "is a folder; point it at a file"
        );
        assert_eq!(
            read(Path::new("/dev/zero"), 100, "test files")
                .expect_err("a device")
                .reason(),
            "is a character device, not a regular file; skillchain reads only regular files: point it at one"
        );
        assert!(read(&dir.path().join("gone"), 100, "test files")
            .expect_err("missing")
            .is_not_found());
    }

    #[test]
    fn a_line_of_input_is_read_up_to_its_limit() {
        let mut input = std::io::BufReader::with_capacity(3, "ab\ncdef\n".as_bytes());
        let mut line = String::new();
        assert_eq!(read_line(&mut input, &mut line, 10).expect("a line"), 3);
        assert_eq!(line, "ab\n");
        let mut endless = std::io::BufReader::new(std::io::repeat(0));
        let mut line = String::new();
        let e = read_line(&mut endless, &mut line, 64 * 1024).expect_err("endless");
        assert_eq!(
            e.to_string(),
            "a line of input is longer than 64 KiB, the limit for an answer; nothing more is read"
        );
        assert!(line.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().expect("dir");
        let p = dir.path().join("fifo");
        let c = std::ffi::CString::new(p.to_string_lossy().as_bytes()).expect("path");
        // SAFETY: mkfifo(3) with a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert_eq!(
            read(&p, 100, "test files").expect_err("a FIFO").reason(),
            "is a named pipe (FIFO), not a regular file; skillchain reads only regular files: point it at one"
        );
    }
}
