//! Packs from anywhere: installing, pinning, updating and sharing packs over
//! HTTPS, from local archives and folders, from pack indexes, and from
//! upstream skillchain registries.
//!
//! Nothing here touches the network unless a `pack add|update|search`
//! command asks for it: installed packs are read from the data dir by
//! [`load_installed`] on every run, offline.

mod archive;
mod diff;
mod fetch;
mod index;
mod install;
mod lock;
mod publish;
mod upstream;
mod url;

pub use archive::{unpack, ArchiveKind, Limits};
pub use diff::{diff_packs, PackDiff};
pub use fetch::{Fetcher, Timeouts};
pub use index::{IndexEntry, IndexFile, IndexesFile, LoadedIndex};
pub use install::is_id as is_pack_id;
pub use install::{
    add, find_pack_root, load_installed, remove, update, AddOptions, Added, Confirm, Installer,
    UpdateOutcome,
};
pub use lock::{utc_timestamp, LockEntry, LockFile};
pub use publish::{build_index, tar_gz_folder};
pub use upstream::{import_registry, write_pack, ImportReport};
pub use url::{check_url, is_loopback_host};

use std::path::PathBuf;

/// Where installed packs, the lock file and the index list live.
#[derive(Debug, Clone)]
pub struct Places {
    /// `packs.lock` and `indexes.yaml` are here (the config dir).
    pub config: PathBuf,
    /// Installed packs are in `packs/` below it (the data dir).
    pub data: PathBuf,
}

impl Places {
    /// The OS folders (`XDG_CONFIG_HOME`, `XDG_DATA_HOME` on Linux).
    pub fn from_os() -> Result<Places, String> {
        let l = crate::store::Locations::from_os().map_err(|e| e.to_string())?;
        Ok(Places {
            config: l.config,
            data: l.data,
        })
    }

    pub fn lock_file(&self) -> PathBuf {
        self.config.join("packs.lock")
    }

    pub fn indexes_file(&self) -> PathBuf {
        self.config.join("indexes.yaml")
    }

    pub fn packs_dir(&self) -> PathBuf {
        self.data.join("packs")
    }
}

/// The sha256 of some bytes, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Whether `s` looks like a sha256: 64 hex digits.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}
