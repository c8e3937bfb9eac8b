//! Safe unpacking of pack archives (`.tar.gz`/`.tgz` via flate2 + tar,
//! `.zip` via zip) into a fresh staging folder. Only regular files and
//! folders are written; absolute paths, `..`, links, devices and anything
//! else are refused, and so are archives over the entry or size caps (a
//! zip bomb is stopped by counting the bytes actually unpacked, not the
//! sizes the archive claims).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveKind {
    TarGz,
    Zip,
}

impl ArchiveKind {
    /// The kind by content (gzip or zip magic bytes).
    pub fn sniff(bytes: &[u8]) -> Option<ArchiveKind> {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            Some(ArchiveKind::TarGz)
        } else if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            Some(ArchiveKind::Zip)
        } else {
            None
        }
    }

    /// The kind by name: `.tar.gz`, `.tgz` or `.zip`.
    pub fn from_name(name: &str) -> Option<ArchiveKind> {
        let lower = name.to_ascii_lowercase();
        let lower = lower.split(['?', '#']).next().unwrap_or_default();
        if lower.ends_with(".tar.gz") || lower.ends_with(".tgz") {
            Some(ArchiveKind::TarGz)
        } else if lower.ends_with(".zip") {
            Some(ArchiveKind::Zip)
        } else {
            None
        }
    }
}

/// Caps on what one archive may unpack to. Bundled packs hold under 100
/// files and 1 MB; the caps leave ample room for real packs.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_entries: usize,
    pub max_total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 2_000,
            max_total_bytes: 32 * 1024 * 1024,
        }
    }
}

/// Unpacks `bytes` into `dest` (an empty folder). Every unsafe entry is
/// listed; a cap reached stops at once. `origin` names the archive in
/// messages. Returns the number of files written.
pub fn unpack(
    bytes: &[u8],
    kind: ArchiveKind,
    dest: &Path,
    limits: &Limits,
    origin: &str,
) -> Result<usize, Vec<String>> {
    let mut state = State {
        dest,
        limits,
        origin,
        entries: 0,
        total: 0,
        files: 0,
        problems: Vec::new(),
    };
    let outcome = match kind {
        ArchiveKind::TarGz => state.tar_gz(bytes),
        ArchiveKind::Zip => state.zip(bytes),
    };
    if let Err(stop) = outcome {
        state.problems.push(stop);
    }
    if state.problems.is_empty() {
        Ok(state.files)
    } else {
        Err(state.problems)
    }
}

struct State<'a> {
    dest: &'a Path,
    limits: &'a Limits,
    origin: &'a str,
    entries: usize,
    total: u64,
    files: usize,
    /// Unsafe entries, all listed.
    problems: Vec<String>,
}

const REFUSED: &str =
    "the archive is refused and nothing was installed; ask its publisher for a clean pack archive";

impl State<'_> {
    fn count_entry(&mut self) -> Result<(), String> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(format!(
                "{}: more than {} entries; a pack is far smaller, so {REFUSED}",
                self.origin, self.limits.max_entries
            ));
        }
        Ok(())
    }

    fn refuse(&mut self, name: &str, why: &str) {
        self.problems
            .push(format!("{}: entry `{name}`: {why}; {REFUSED}", self.origin));
    }

    fn over_size(&self) -> String {
        format!(
            "{}: unpacks to more than {} bytes (a compression bomb or not a pack); {REFUSED}",
            self.origin, self.limits.max_total_bytes
        )
    }

    fn tar_gz(&mut self, bytes: &[u8]) -> Result<(), String> {
        let origin = self.origin;
        let damaged = |e: std::io::Error| {
            format!(
                "{origin}: not a readable .tar.gz ({e}); the file is damaged or not a gzip-compressed tar; download it again or check the URL"
            )
        };
        // A first pass over the headers refuses an archive over the caps
        // before anything is written.
        let mut count = 0usize;
        let mut declared = 0u64;
        let mut scan = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
        for entry in scan.entries().map_err(damaged)? {
            let entry = entry.map_err(damaged)?;
            count += 1;
            if count > self.limits.max_entries {
                return Err(format!(
                    "{}: more than {} entries; a pack is far smaller, so {REFUSED}",
                    self.origin, self.limits.max_entries
                ));
            }
            declared = declared.saturating_add(entry.header().size().unwrap_or(u64::MAX));
            if declared > self.limits.max_total_bytes {
                return Err(self.over_size());
            }
        }
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
        let entries = archive.entries().map_err(damaged)?;
        for entry in entries {
            let mut entry = entry.map_err(damaged)?;
            self.count_entry()?;
            let name = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
            let kind = entry.header().entry_type();
            use tar::EntryType as T;
            match kind {
                T::Regular | T::Continuous => {}
                T::Directory => {
                    match safe_relative(&name) {
                        Ok(rel) => self.make_dir(&name, &rel)?,
                        Err(why) => self.refuse(&name, &why),
                    }
                    continue;
                }
                T::XGlobalHeader | T::XHeader => continue,
                T::Symlink | T::Link => {
                    self.refuse(&name, "links are not allowed in a pack");
                    continue;
                }
                T::Char | T::Block | T::Fifo => {
                    self.refuse(&name, "devices and pipes are not allowed in a pack");
                    continue;
                }
                other => {
                    self.refuse(
                        &name,
                        &format!("unsupported entry type {:?}; only files and folders", other),
                    );
                    continue;
                }
            }
            let rel = match safe_relative(&name) {
                Ok(rel) => rel,
                Err(why) => {
                    self.refuse(&name, &why);
                    continue;
                }
            };
            let declared = entry.header().size().unwrap_or(u64::MAX);
            if self.total.saturating_add(declared) > self.limits.max_total_bytes {
                return Err(self.over_size());
            }
            self.write_file(&name, &rel, &mut entry)?;
        }
        Ok(())
    }

    fn zip(&mut self, bytes: &[u8]) -> Result<(), String> {
        let origin = self.origin;
        let damaged = |e: zip::result::ZipError| {
            format!(
                "{origin}: not a readable .zip ({e}); the file is damaged or not a zip archive; download it again or check the URL"
            )
        };
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(damaged)?;
        if archive.len() > self.limits.max_entries {
            return Err(format!(
                "{}: {} entries, more than {}; a pack is far smaller, so {REFUSED}",
                self.origin,
                archive.len(),
                self.limits.max_entries
            ));
        }
        for i in 0..archive.len() {
            self.count_entry()?;
            let mut file = archive.by_index(i).map_err(damaged)?;
            let name = String::from_utf8_lossy(file.name_raw()).into_owned();
            let mode = file.unix_mode().unwrap_or(0) & 0o170000;
            if file.is_symlink() || mode == 0o120000 {
                self.refuse(&name, "links are not allowed in a pack");
                continue;
            }
            if !matches!(mode, 0 | 0o100000 | 0o040000) {
                self.refuse(&name, "devices and pipes are not allowed in a pack");
                continue;
            }
            let rel = match safe_relative(&name) {
                Ok(rel) => rel,
                Err(why) => {
                    self.refuse(&name, &why);
                    continue;
                }
            };
            if file.is_dir() {
                self.make_dir(&name, &rel)?;
                continue;
            }
            if self.total.saturating_add(file.size()) > self.limits.max_total_bytes {
                return Err(self.over_size());
            }
            self.write_file(&name, &rel, &mut file)?;
        }
        Ok(())
    }

    fn make_dir(&mut self, name: &str, rel: &Path) -> Result<(), String> {
        let path = self.dest.join(rel);
        std::fs::create_dir_all(&path).map_err(|e| {
            format!(
                "{}: entry `{name}`: cannot create {}: {e}; check the space and permissions of the data dir",
                self.origin,
                path.display()
            )
        })
    }

    /// Copies one entry, counting the bytes really unpacked against the cap.
    fn write_file(&mut self, name: &str, rel: &Path, from: &mut dyn Read) -> Result<(), String> {
        let path = self.dest.join(rel);
        if let Some(parent) = path.parent() {
            self.make_dir(
                name,
                parent.strip_prefix(self.dest).unwrap_or(Path::new("")),
            )?;
        }
        let mut out = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                self.refuse(name, "the archive holds this path twice");
                return Ok(());
            }
            Err(e) => {
                return Err(format!(
                    "{}: entry `{name}`: cannot write {}: {e}; check the space and permissions of the data dir",
                    self.origin,
                    path.display()
                ))
            }
        };
        let room = self.limits.max_total_bytes - self.total;
        let mut limited = from.take(room + 1);
        let mut buf = [0u8; 32 * 1024];
        let mut written: u64 = 0;
        loop {
            let n = limited.read(&mut buf).map_err(|e| {
                format!(
                    "{}: entry `{name}` cannot be read ({e}); the archive is damaged; download it again",
                    self.origin
                )
            })?;
            if n == 0 {
                break;
            }
            written += n as u64;
            if written > room {
                return Err(self.over_size());
            }
            out.write_all(&buf[..n]).map_err(|e| {
                format!(
                    "{}: cannot write {}: {e}; check the space of the data dir",
                    self.origin,
                    path.display()
                )
            })?;
        }
        self.total += written;
        self.files += 1;
        Ok(())
    }
}

/// An archive entry name as a relative path inside the staging folder, or
/// why it is refused. `./` prefixes and trailing `/` are accepted.
pub fn safe_relative(name: &str) -> Result<PathBuf, String> {
    if name.contains('\0') {
        return Err("the name holds a NUL character".to_string());
    }
    if name.contains('\\') {
        return Err("the name holds a backslash (a Windows path)".to_string());
    }
    if name.starts_with('/') {
        return Err("absolute paths are not allowed".to_string());
    }
    let bytes = name.as_bytes();
    if bytes.len() >= 2 && bytes[1] == b':' && bytes[0].is_ascii_alphabetic() {
        return Err("absolute paths (drive letters) are not allowed".to_string());
    }
    let mut rel = PathBuf::new();
    for part in name.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err("`..` would leave the pack folder".to_string()),
            p => rel.push(p),
        }
    }
    if rel.as_os_str().is_empty() {
        return Err("the name is empty".to_string());
    }
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names() {
        for ok in [
            "a", "a/b.yaml", "./a/b", "pack/", "a//b", "a/./b", "..a/b", "a../b",
        ] {
            assert!(safe_relative(ok).is_ok(), "{ok}");
        }
        for bad in [
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a/..",
            "C:/x",
            "c:x",
            "a\\..\\x",
            "a\0b",
            "",
            ".",
            "./",
        ] {
            assert!(safe_relative(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn kinds() {
        assert_eq!(ArchiveKind::from_name("x.TAR.GZ"), Some(ArchiveKind::TarGz));
        assert_eq!(
            ArchiveKind::from_name("x.tgz?sig=1"),
            Some(ArchiveKind::TarGz)
        );
        assert_eq!(ArchiveKind::from_name("x.zip"), Some(ArchiveKind::Zip));
        assert_eq!(ArchiveKind::from_name("x.yaml"), None);
        assert_eq!(
            ArchiveKind::sniff(b"PK\x03\x04rest"),
            Some(ArchiveKind::Zip)
        );
        assert_eq!(
            ArchiveKind::sniff(&[0x1f, 0x8b, 8]),
            Some(ArchiveKind::TarGz)
        );
        assert_eq!(ArchiveKind::sniff(b"packs:"), None);
    }
}
