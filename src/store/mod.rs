//! Stores on disk: the session file (`.skillchain/session.json`, or the OS
//! data dir while no output folder is chosen) and preferences (the OS config
//! dir). The formats and their meaning live in the engine
//! ([`crate::session::SavedSession`], [`prefs::PrefsFile`]); this module owns
//! where they are, writing them atomically, and never losing a file it
//! cannot read: a corrupt session is renamed aside, a corrupt preferences
//! file is left in place, and both are reported with their path.

mod autosave;
pub mod prefs;
mod sessions;

pub use autosave::Autosave;
pub use sessions::{
    describe_age, discard_session, journey_session_path, load_session, make_session_durable,
    new_session_id, now_secs, save_session, save_session_quick, session_path, SessionFlusher,
    SESSION_FILE,
};

use std::path::{Path, PathBuf};

/// Where skillchain keeps its own files outside an output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locations {
    /// Preferences: `$XDG_CONFIG_HOME/skillchain` on Linux.
    pub config: PathBuf,
    /// Sessions without an output folder: `$XDG_DATA_HOME/skillchain` on Linux.
    pub data: PathBuf,
}

impl Locations {
    /// The OS folders (`directories`; on Linux `XDG_CONFIG_HOME` and
    /// `XDG_DATA_HOME` are honoured).
    pub fn from_os() -> Result<Locations, StoreError> {
        let dirs =
            directories::ProjectDirs::from("", "", "skillchain").ok_or(StoreError::NoHome)?;
        Ok(Locations {
            config: dirs.config_dir().to_path_buf(),
            data: dirs.data_dir().to_path_buf(),
        })
    }

    /// The folder of per-pack preference files.
    pub fn prefs_dir(&self) -> PathBuf {
        self.config.join("preferences")
    }

    /// The preferences file of a pack.
    pub fn prefs_file(&self, pack: &str) -> PathBuf {
        let safe: String = pack
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let safe = safe.trim_start_matches('.');
        self.prefs_dir().join(format!("{safe}.yaml"))
    }

    /// The session of a journey whose output folder is not chosen yet.
    pub fn unplaced_session(&self) -> PathBuf {
        self.data.join(SESSION_FILE)
    }
}

/// A store operation that failed. Each message names the file and says what
/// to do next.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot find your home folder, so sessions and preferences cannot be kept; set HOME (or XDG_CONFIG_HOME and XDG_DATA_HOME)")]
    NoHome,
    #[error("could not {action} `{path}`: {cause}", path = .path.display(), cause = crate::fs_hint::cause(.path, .source))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Not a regular file, too large, or unreadable: the message says which.
    #[error("{0}")]
    Unreadable(crate::textfile::ReadError),
    /// The file was renamed aside (`kept_as`) so nothing is lost.
    #[error("`{path}` is not a readable session file ({reason}); it was kept as `{kept_as}` (nothing was deleted): its answers can be read there by hand; start a new journey to go on", path = .path.display(), kept_as = .kept_as.display())]
    CorruptSession {
        path: PathBuf,
        reason: String,
        kept_as: PathBuf,
    },
    /// Could not even rename it aside: it stays where it is.
    #[error("`{path}` is not a readable session file ({reason}) and could not be renamed aside ({rename}); move it away yourself to start a new session", path = .path.display())]
    CorruptSessionStuck {
        path: PathBuf,
        reason: String,
        rename: std::io::Error,
    },
    #[error("`{path}` was written by a newer skillchain (session format {found}; this one reads {supported}); update skillchain to resume it, or pass another folder", path = .path.display())]
    NewerSession {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    /// Left in place, untouched.
    #[error("`{path}` is not a readable preferences file ({reason}); it is kept as it is and ignored: fix it, or remove it with `skillchain prefs reset {pack}`", path = .path.display())]
    CorruptPrefs {
        path: PathBuf,
        pack: String,
        reason: String,
    },
}

impl StoreError {
    pub(crate) fn io(action: &'static str, path: &Path, source: std::io::Error) -> StoreError {
        StoreError::Io {
            action,
            path: path.to_path_buf(),
            source,
        }
    }
}
