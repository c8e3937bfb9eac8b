//! What the line-by-line journey keeps: the session, saved after every
//! change; the last words, which say how to resume it; and, at the end, the
//! offer to remember answers as preferences. The engine calls behind them
//! (`store::Autosave`, `store::prefs`) are the ones the full-screen app uses.

use super::plain::{End, Prompt};
use super::Style;
use crate::session::{QKey, Session};
use crate::store::{prefs, Autosave, Locations};
use crate::value::AnswerValue;

/// The journey's autosave: a failed save is said once and the journey goes
/// on (the person may still finish in one go).
pub(super) struct Saver {
    pub(super) inner: Option<Autosave>,
    warned: bool,
}

impl Saver {
    pub(super) fn new(inner: Option<Autosave>) -> Saver {
        Saver {
            inner,
            warned: false,
        }
    }

    pub(super) fn save(&mut self, s: &Session, st: Style) {
        let Some(a) = self.inner.as_mut() else {
            return;
        };
        if let Err(e) = a.save_if_changed(s) {
            if !self.warned {
                self.warned = true;
                println!(
                    "{}",
                    st.yellow(&format!(
                        "⚠ {e}
  Your answers are not being saved: a crash now would lose them."
                    ))
                );
            }
        }
    }

    /// The tree is written: the session is over.
    pub(super) fn finish(&mut self, st: Style) {
        if let Some(mut a) = self.inner.take() {
            if let Err(e) = a.finish() {
                println!("{}", st.yellow(&format!("⚠ {e}")));
            }
        }
    }

    /// The command that continues this session.
    fn resume_hint(&self) -> Option<String> {
        let a = self.inner.as_ref().filter(|a| a.written())?;
        Some(match &a.meta().out {
            Some(out) => format!("skillchain resume {}", out.display()),
            None => "skillchain resume".to_string(),
        })
    }
}

/// `skillchain resume [DIR]` for a journey with (or without) `--out DIR`.
pub(super) fn resume_command(out: Option<&std::path::Path>) -> String {
    match out {
        Some(o) => format!("skillchain resume {}", o.display()),
        None => "skillchain resume".to_string(),
    }
}

/// The last words of a journey, and its exit code.
pub(super) fn finish(end: End, saver: &Saver) -> u8 {
    match end {
        End::Code(c) => c,
        End::Quit => {
            match saver.resume_hint() {
                Some(hint) => println!(
                    "Quit. No project files were written; your answers are saved: `{hint}` continues."
                ),
                None => println!("Quit. Nothing was written."),
            }
            0
        }
        End::InputEnded => {
            let kept = match saver.resume_hint() {
                Some(hint) => format!("; your answers are saved: `{hint}` continues"),
                None => String::new(),
            };
            println!(
                "The input ended before the journey finished. End of input is not a yes: no project files were written{kept}."
            );
            super::plain::EXIT_INPUT_ENDED
        }
    }
}

/// At the end of a run: remember the answers given (all, selected, none)
/// as defaults for the next journey in this pack.
pub(super) fn offer_to_remember(s: &Session, p: &mut Prompt, st: Style) {
    let items = prefs::candidates(s);
    if items.is_empty() {
        return;
    }
    println!(
        "{}",
        st.bold(&format!(
            "Remember your answers as defaults for pack {} next time?",
            s.pack().id()
        ))
    );
    for (i, (key, v, _)) in items.iter().enumerate() {
        println!("  {:>2}. {key} = {v}", i + 1);
    }
    let chosen: Vec<(QKey, AnswerValue)> = loop {
        let Some(a) = p.ask("[a]ll, [s]elect, [n]one (Enter: none) ") else {
            return;
        };
        match a.trim().to_ascii_lowercase().as_str() {
            "" | "n" | "none" => return,
            "a" | "all" => {
                break items
                    .iter()
                    .map(|(k, v, _)| (k.clone(), v.clone()))
                    .collect()
            }
            "s" | "select" => {
                let Some(line) = p.ask("Numbers to remember, e.g. 1,3: ") else {
                    return;
                };
                let mut picked = Vec::new();
                let mut bad = Vec::new();
                for part in line.split([',', ' ']).filter(|x| !x.trim().is_empty()) {
                    match part.trim().parse::<usize>() {
                        Ok(n) if n >= 1 && n <= items.len() => {
                            let (k, v, _) = &items[n - 1];
                            picked.push((k.clone(), v.clone()));
                        }
                        _ => bad.push(part.trim().to_string()),
                    }
                }
                if bad.is_empty() {
                    break picked;
                }
                println!(
                    "{}",
                    st.red(&format!(
                        "✗ not a number from 1 to {}: {}",
                        items.len(),
                        bad.join(", ")
                    ))
                );
            }
            _ => println!("Answer a, s or n."),
        }
    };
    if chosen.is_empty() {
        return;
    }
    let saved = Locations::from_os().and_then(|loc| prefs::remember(&loc, s.pack().id(), &chosen));
    match saved {
        Ok(path) => println!(
            "Remembered {} answer{} in {}.\n",
            chosen.len(),
            if chosen.len() == 1 { "" } else { "s" },
            path.display()
        ),
        Err(e) => println!("{}", st.yellow(&format!("⚠ {e}"))),
    }
}
