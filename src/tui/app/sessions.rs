//! The app's side of sessions: opening a journey (preferences, autosave),
//! saving after every change, and the saved-session screen's choices.

use std::path::PathBuf;
use std::sync::Arc;

use super::{App, Exit, Journey, ListCursor, Phase};
use crate::detect::Detection;
use crate::session::Screen;
use crate::session::{Session, SessionMeta};
use crate::store::{self, Autosave, SessionFlusher};
use crate::tui::action::Action;
use crate::tui::screens::goal::GoalScreen;
use crate::tui::screens::question::QuestionUi;
use crate::tui::screens::resume::ResumeScreen;
use crate::tui::screens::tree;

impl App {
    /// Keeps the session on disk (quickly: [`App::flush_saves`] makes it
    /// durable after the frame is drawn); a failed save is said once, and
    /// the journey goes on.
    pub(super) fn save(&mut self) {
        let Phase::Journey(j) = &mut self.phase else {
            return;
        };
        let Some(saver) = j.saver.as_mut() else {
            return;
        };
        if let Err(e) = saver.save_if_changed_quick(&j.session) {
            if !j.save_warned {
                j.save_warned = true;
                j.notice = Some(format!("⚠ {e}: your answers are not being saved"));
            }
        }
    }

    /// Has the last save flushed to the disk, on a thread of its own (the
    /// loop calls it after drawing, and reads the next key at once); a
    /// flush that failed since is said here. The app waits for the last
    /// flush when it ends (dropping the flusher).
    pub fn flush_saves(&mut self) {
        let Phase::Journey(j) = &mut self.phase else {
            return;
        };
        let Some(saver) = j.saver.as_mut() else {
            return;
        };
        let flusher = self.flusher.get_or_insert_with(SessionFlusher::start);
        let flushed = saver
            .flush_with(flusher)
            .and_then(|()| flusher.failure().map_or(Ok(()), Err));
        if let Err(e) = flushed {
            if !j.save_warned {
                j.save_warned = true;
                j.notice = Some(format!("⚠ {e}: your answers are not being saved"));
            }
        }
    }

    /// Waits until the saves handed to the disk are flushed.
    pub fn wait_for_flushes(&self) {
        if let Some(flusher) = &self.flusher {
            flusher.wait_idle();
        }
    }

    /// Opens the resume screen when a saved session waits (or was asked
    /// for); true when it did, or when the app must end instead.
    pub(super) fn offer_saved_session(&mut self) -> bool {
        let asked_for = self.opts.resume.is_some();
        if !asked_for && !self.opts.autosave {
            return false;
        }
        let Some(path) = self
            .opts
            .resume
            .clone()
            .or_else(|| store::journey_session_path(self.opts.out.as_deref()))
        else {
            return false;
        };
        let saved = match store::load_session(&path) {
            Ok(Some(saved)) => saved,
            Ok(None) if asked_for => {
                self.exit = Some(Exit {
                    code: 2,
                    message: format!(
                        "error: resume: no saved session in {}; pass the journey's output folder: skillchain resume DIR",
                        path.display()
                    ),
                });
                return true;
            }
            Ok(None) => return false,
            Err(e) => {
                if asked_for {
                    self.exit = Some(Exit {
                        code: 2,
                        message: format!("error: {e}"),
                    });
                    return true;
                }
                self.startup_note = Some(e.to_string());
                return false;
            }
        };
        let Some(pack) = self
            .registry
            .as_ref()
            .and_then(|r| r.get(&saved.pack))
            .cloned()
        else {
            self.exit = Some(Exit {
                code: 2,
                message: format!(
                    "error: {}: the session's pack `{}` is not installed; add it with --skillchains DIR",
                    path.display(),
                    saved.pack
                ),
            });
            return true;
        };
        let pack = Arc::new(pack);
        let (prefs, warnings) = store::prefs::for_pack(self.opts.no_prefs, &pack);
        let (session, notices) = Session::restore_with_preferences(pack, &saved, prefs);
        let mut all: Vec<String> = notices.iter().map(|n| n.describe_for(&session)).collect();
        all.extend(warnings);
        self.phase = Phase::Resume(Box::new(ResumeScreen {
            path,
            saved,
            session,
            notices: all,
            confirm_discard: false,
            asked_for,
        }));
        true
    }

    pub(super) fn resume_action(&mut self, action: Action) -> bool {
        let Phase::Resume(r) = &mut self.phase else {
            return false;
        };
        if r.confirm_discard {
            r.confirm_discard = false;
            if action == Action::Confirm {
                return match store::discard_session(&r.path) {
                    Ok(()) => {
                        let message = format!("Discarded the session in {}.", r.path.display());
                        if r.asked_for {
                            self.exit = Some(Exit { code: 0, message });
                        } else {
                            self.new_session(Some(message));
                        }
                        true
                    }
                    Err(e) => {
                        self.exit = Some(Exit {
                            code: 2,
                            message: format!("error: {e}"),
                        });
                        true
                    }
                };
            }
            return true;
        }
        match action {
            Action::Confirm | Action::Restart => {
                let Phase::Resume(r) =
                    std::mem::replace(&mut self.phase, Phase::Goal(Box::new(GoalScreen::new(""))))
                else {
                    return false;
                };
                let session = if action == Action::Restart {
                    r.session.restart_with_answers_as_defaults()
                } else {
                    r.session
                };
                let meta = SessionMeta {
                    id: r.saved.id.clone(),
                    created: r.saved.created,
                    out: r.saved.out.clone().or_else(|| self.opts.out.clone()),
                };
                let out = meta
                    .out
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(&session.pack().manifest.output_root));
                let saver = Autosave::new(r.path.clone(), meta).with_baseline(&session);
                // The pack picker lists every pack with the goal's evidence:
                // a saved session keeps only its own pack's detection.
                let packs = self
                    .registry
                    .as_ref()
                    .and_then(|reg| crate::detect::detect(reg, &session.goal).ok())
                    .map(|d| d.packs)
                    .unwrap_or_default();
                let det = Detection {
                    packs,
                    inner: session.detection.clone(),
                };
                self.open_journey(session, det, out, Some(saver), None);
                true
            }
            Action::Discard => {
                r.confirm_discard = true;
                true
            }
            Action::NewSession if !r.asked_for => {
                self.new_session(None);
                true
            }
            _ => false,
        }
    }

    /// Leaves the resume screen for the goal screen (the goal of the
    /// command line, if any, opens its chain).
    pub(super) fn new_session(&mut self, note: Option<String>) {
        let goal = self.opts.goal.clone().unwrap_or_default();
        let mut g = self.goal_screen(&goal);
        g.error = note;
        self.phase = Phase::Goal(Box::new(g));
        if !goal.trim().is_empty() {
            self.start_journey();
        }
    }

    /// Detects the goal on the goal screen and opens its chain.
    pub(super) fn start_journey(&mut self) {
        let Phase::Goal(g) = &self.phase else { return };
        let Some(Ok(det)) = g.detection.clone() else {
            return;
        };
        let Some(pack) = self
            .registry
            .as_ref()
            .and_then(|r| r.get(&det.inner.pack))
            .cloned()
        else {
            return;
        };
        let mut parked = self.parked.take();
        // The same goal in the same pack: the journey comes back whole (its
        // chain, customizing and answers).
        if let Some(p) = parked.take_if(|p| {
            p.session.goal.trim() == det.inner.goal.trim()
                && p.session.pack().id() == det.inner.pack
        }) {
            self.phase = Phase::Journey(p);
            return;
        }
        let mut session = Session::new(
            Arc::new(pack),
            det.inner.clone(),
            det.inner.offer.clone(),
            self.opts.maturity.unwrap_or_default(),
        );
        // Another goal of the same pack: the answers given so far become
        // defaults (provenance "saved session"), so none is lost.
        let carried: std::collections::BTreeMap<_, _> = parked
            .as_ref()
            .filter(|p| p.session.pack().id() == session.pack().id())
            .map(|p| {
                store::prefs::candidates(&p.session)
                    .into_iter()
                    .map(|(k, v, _)| (k, v))
                    .collect()
            })
            .unwrap_or_default();
        let kept = carried.len();
        if kept > 0 {
            session.set_session_defaults(carried);
        }
        let (prefs, warnings) = store::prefs::for_pack(self.opts.no_prefs, session.pack());
        let remembered = prefs.len();
        if !prefs.is_empty() {
            session.set_preferences(prefs);
        }
        let notice = match (warnings.first(), remembered) {
            (Some(w), _) if warnings.len() > 1 => {
                Some(format!("⚠ {w} (and {} more)", warnings.len() - 1))
            }
            (Some(w), _) => Some(format!("⚠ {w}")),
            (None, 0) => None,
            (None, n) => Some(format!(
                "{n} remembered answer{} used as defaults (saved preference)",
                if n == 1 { "" } else { "s" }
            )),
        };
        let notice = match (notice, kept) {
            (n, 0) => n,
            (None, k) => Some(format!(
                "{k} answer{} of the previous goal kept as defaults",
                if k == 1 { "" } else { "s" }
            )),
            (Some(n), k) => Some(format!(
                "{n}; {k} answer{} of the previous goal kept as defaults",
                if k == 1 { "" } else { "s" }
            )),
        };
        let out = self
            .opts
            .out
            .clone()
            .unwrap_or_else(|| PathBuf::from(&session.pack().manifest.output_root));
        let saver = if self.opts.autosave {
            store::journey_session_path(self.opts.out.as_deref()).map(|path| {
                let meta = SessionMeta {
                    id: store::new_session_id(),
                    created: store::now_secs(),
                    out: self
                        .opts
                        .out
                        .as_ref()
                        .map(|o| std::path::absolute(o).unwrap_or_else(|_| o.clone())),
                };
                Autosave::new(path, meta).with_baseline(&session)
            })
        } else {
            None
        };
        self.open_journey(session, det, out, saver, notice);
    }

    pub(super) fn open_journey(
        &mut self,
        session: Session,
        det: Detection,
        out: PathBuf,
        saver: Option<Autosave>,
        notice: Option<String>,
    ) {
        let notice = crate::generate::recovery_notice(&out, notice);
        let mut question = QuestionUi::default();
        question.sync(&session);
        self.phase = Phase::Journey(Box::new(Journey {
            session,
            det,
            out,
            chain_scroll: 0,
            customize: ListCursor::default(),
            question,
            review: ListCursor::default(),
            tree: None,
            report: None,
            notice,
            saver,
            save_warned: false,
            written: None,
            packs: None,
        }));
        // A session restored on the tree needs its plan.
        if let Phase::Journey(j) = &mut self.phase {
            if j.session.screen == Screen::Tree {
                tree::enter(j);
            }
        }
    }
}

/// `skillchain resume [DIR]` for a session kept in DIR (or the data dir).
pub fn resume_command(out: Option<&std::path::Path>) -> String {
    match out {
        Some(o) => format!("skillchain resume {}", o.display()),
        None => "skillchain resume".to_string(),
    }
}
