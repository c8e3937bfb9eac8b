//! The review screen: jump to a question to edit it, resolve conflicts,
//! proceed to the tree once none is open.

use super::{not_here, Command, Refusal, Screen, Session, Source};

impl Session {
    pub(super) fn on_review(&mut self, cmd: Command) -> Result<(), Refusal> {
        match cmd {
            Command::Edit(key) => match self.position_of(&key) {
                Some((step, question))
                    if self.resolved.iter().any(|r| r.key == key && r.applicable) =>
                {
                    self.return_to_review = true;
                    self.changes.clear();
                    self.screen = Screen::Question { step, question };
                    Ok(())
                }
                Some(_) => Err(Refusal(format!(
                    "{key} does not apply with the current answers"
                ))),
                None => Err(Refusal(format!("{key} is not a question of this chain"))),
            },
            Command::Resolve {
                conflict,
                resolution,
            } => self.resolve_conflict(&conflict, &resolution, Source::ConflictResolution),
            Command::Proceed => {
                let open: Vec<String> = self
                    .conflicts()
                    .into_iter()
                    .filter(|c| c.chosen.is_none())
                    .map(|c| format!("“{}”", c.title))
                    .collect();
                if !open.is_empty() {
                    return Err(Refusal(format!(
                        "resolve or accept the conflict{} first: {}",
                        if open.len() == 1 { "" } else { "s" },
                        open.join(", ")
                    )));
                }
                self.screen = Screen::Tree;
                Ok(())
            }
            Command::Back => {
                self.screen = self.back_from((usize::MAX, usize::MAX));
                Ok(())
            }
            other => Err(not_here(&other, "the review")),
        }
    }
}

impl Session {
    /// Skills a keyword of the goal asked for that are no longer in the chain,
    /// with the words that matched: what the goal asked for and the chain no
    /// longer delivers.
    pub fn asked_but_removed(&self) -> Vec<(String, Vec<String>)> {
        self.detection
            .scores
            .iter()
            .filter(|k| k.score > 0 && !self.chain.iter().any(|e| e.id == k.id))
            .map(|k| {
                let words = k
                    .primary
                    .iter()
                    .chain(k.secondary.iter())
                    .map(|w| format!("“{w}”"))
                    .collect();
                (k.id.clone(), words)
            })
            .collect()
    }

    /// One sentence per skill the goal asked for that the chain dropped.
    pub fn asked_but_removed_lines(&self) -> Vec<String> {
        self.asked_but_removed()
            .into_iter()
            .map(|(id, words)| {
                format!(
                    "⚠ The goal asked for {id} ({}), but it was removed from the chain: nothing here delivers it.",
                    words.join(", ")
                )
            })
            .collect()
    }
}
