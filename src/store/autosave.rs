//! Saving a live session after every change that matters, for any front
//! end (the line-by-line journey, the full-screen app): call
//! [`Autosave::save_if_changed`] after each command; it writes only when
//! what the person decided (answers, visits, skips, chain, position)
//! changed, so overlays and refused input cost nothing.

use std::path::{Path, PathBuf};

use super::{
    discard_session, make_session_durable, now_secs, save_session, save_session_quick,
    SessionFlusher, StoreError,
};
use crate::session::{SavedSession, Session, SessionMeta};

#[derive(Debug, Clone)]
pub struct Autosave {
    path: PathBuf,
    meta: SessionMeta,
    last: Option<SavedSession>,
    written: bool,
    /// Saved quickly, not yet flushed to the disk.
    unflushed: bool,
}

impl Autosave {
    pub fn new(path: PathBuf, meta: SessionMeta) -> Autosave {
        Autosave {
            path,
            meta,
            last: None,
            written: false,
            unflushed: false,
        }
    }

    /// Takes `session` as already saved (a fresh session nobody has touched,
    /// or one just restored from this file), so the first write happens at
    /// the first change.
    pub fn with_baseline(mut self, session: &Session) -> Autosave {
        self.last = Some(session.to_saved(&self.meta, now_secs()));
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn meta(&self) -> &SessionMeta {
        &self.meta
    }

    /// True once a save has been written by this autosave.
    pub fn written(&self) -> bool {
        self.written
    }

    /// Writes the session (atomically) when it differs from the last save,
    /// timestamps aside. Returns whether it wrote.
    pub fn save_if_changed(&mut self, session: &Session) -> Result<bool, StoreError> {
        self.save(session, true)
    }

    /// Like [`Autosave::save_if_changed`] without waiting for the disk
    /// (a kill right after loses nothing; an OS crash may until [`Autosave::flush`]).
    pub fn save_if_changed_quick(&mut self, session: &Session) -> Result<bool, StoreError> {
        self.save(session, false)
    }

    /// Flushes a quick save to the disk.
    pub fn flush(&mut self) -> Result<(), StoreError> {
        if std::mem::take(&mut self.unflushed) {
            make_session_durable(&self.path)?;
        }
        Ok(())
    }

    /// Like [`Autosave::flush`], with the wait for the disk on `flusher`'s
    /// thread.
    pub fn flush_with(&mut self, flusher: &SessionFlusher) -> Result<(), StoreError> {
        if std::mem::take(&mut self.unflushed) {
            flusher.flush(&self.path)?;
        }
        Ok(())
    }

    fn save(&mut self, session: &Session, durable: bool) -> Result<bool, StoreError> {
        let now = now_secs();
        let fresh = session.to_saved(&self.meta, now);
        if let Some(last) = &self.last {
            let mut same = last.clone();
            same.updated = now;
            if same == fresh {
                return Ok(false);
            }
        }
        if durable {
            save_session(&self.path, &fresh)?;
        } else {
            save_session_quick(&self.path, &fresh)?;
            self.unflushed = true;
        }
        self.last = Some(fresh);
        self.written = true;
        Ok(true)
    }

    /// The output folder is chosen: from now on the session lives in
    /// `<out>/.skillchain/session.json`. The session is saved there first,
    /// then the old file is removed, so a kill in between leaves two copies,
    /// never none.
    pub fn relocate(&mut self, session: &Session, out: &Path) -> Result<(), StoreError> {
        let old = std::mem::replace(&mut self.path, super::session_path(out));
        if old == self.path {
            return Ok(());
        }
        self.meta.out = Some(out.to_path_buf());
        self.last = None;
        self.save_if_changed(session)?;
        discard_session(&old)
    }

    /// The journey is over (the tree is written, or the person discarded
    /// it): the session file is removed.
    pub fn finish(&mut self) -> Result<(), StoreError> {
        discard_session(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::Command;

    #[test]
    fn autosave_writes_only_when_a_decision_changed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out/.skillchain/session.json");
        let pack = std::sync::Arc::new(
            crate::pack::load_dir(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/mini"),
            )
            .expect("mini loads"),
        );
        let det = crate::detect::detect_in_pack(&pack, pack.detect_index(), "kafka streaming");
        let mut s = Session::new(pack, det, None, crate::pack::Maturity::Intermediate);
        let meta = SessionMeta {
            id: "x".to_string(),
            created: 1,
            out: None,
        };
        let mut a = Autosave::new(path.clone(), meta).with_baseline(&s);
        assert!(!a.save_if_changed(&s).expect("no change"));
        assert!(!path.exists());
        s.apply(Command::Confirm).expect("confirm");
        assert!(a.save_if_changed(&s).expect("moved"));
        s.apply(Command::Status).expect("status");
        assert!(!a.save_if_changed(&s).expect("an overlay is no decision"));
        s.apply(Command::Answer("gcp".to_string())).expect("answer");
        assert!(a.save_if_changed(&s).expect("answered"));
        let saved = super::super::load_session(&path)
            .expect("loads")
            .expect("exists");
        assert_eq!(saved.answers.len(), 1);
        assert!(a.written());
        a.finish().expect("removed");
        assert!(!path.exists());
    }

    #[test]
    fn relocating_saves_in_the_output_folder_then_removes_the_old_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let pack = std::sync::Arc::new(
            crate::pack::load_dir(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/mini"),
            )
            .expect("mini loads"),
        );
        let det = crate::detect::detect_in_pack(&pack, pack.detect_index(), "kafka streaming");
        let mut s = Session::new(pack, det, None, crate::pack::Maturity::Intermediate);
        s.apply(Command::Confirm).expect("confirm");
        let unplaced = dir.path().join("data/session.json");
        let meta = SessionMeta {
            id: "x".to_string(),
            created: 1,
            out: None,
        };
        let mut a = Autosave::new(unplaced.clone(), meta);
        a.save_if_changed(&s).expect("saved");
        let out = dir.path().join("out");
        a.relocate(&s, &out).expect("moved");
        assert!(!unplaced.exists());
        assert_eq!(a.path(), out.join(".skillchain/session.json"));
        let saved = super::super::load_session(a.path())
            .expect("loads")
            .expect("exists");
        assert_eq!(saved.out, Some(out));
        assert_eq!(saved.id, "x");
    }
}
