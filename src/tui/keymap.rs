//! Keys → actions, per context. Built-in defaults, overridden per action by
//! a user file (`keymap.yaml` in the config dir). Help and the footer are
//! generated from the same table, so they always show the real keys.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use super::action::Action;

/// Where a binding applies. A screen looks its keys up in a list of
/// contexts, most specific first (see [`Context::chain`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Context {
    /// Everywhere, also while typing.
    Global,
    /// Every screen without a text field.
    Lists,
    Goal,
    Chain,
    Customize,
    /// Every question, list or text.
    Question,
    /// A question answered from a list (choice, multi-choice, yes/no).
    QuestionList,
    /// A question answered in a text field.
    QuestionText,
    Review,
    Tree,
    Report,
    /// The saved-session screen.
    Resume,
}

impl Context {
    pub const ALL: &'static [Context] = &[
        Context::Global,
        Context::Lists,
        Context::Goal,
        Context::Chain,
        Context::Customize,
        Context::Question,
        Context::QuestionList,
        Context::QuestionText,
        Context::Review,
        Context::Tree,
        Context::Report,
        Context::Resume,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::Lists => "lists",
            Context::Goal => "goal",
            Context::Chain => "chain",
            Context::Customize => "customize",
            Context::Question => "question",
            Context::QuestionList => "question-list",
            Context::QuestionText => "question-text",
            Context::Review => "review",
            Context::Tree => "tree",
            Context::Report => "report",
            Context::Resume => "resume",
        }
    }

    /// The contexts searched for a key on this screen, most specific first.
    pub fn chain(self) -> &'static [Context] {
        use Context::*;
        match self {
            Global => &[Global],
            Lists => &[Lists, Global],
            Goal => &[Goal, Global],
            Chain => &[Chain, Lists, Global],
            Customize => &[Customize, Lists, Global],
            Question => &[Question, Global],
            QuestionList => &[QuestionList, Question, Lists, Global],
            QuestionText => &[QuestionText, Question, Global],
            Review => &[Review, Lists, Global],
            Tree => &[Tree, Lists, Global],
            Report => &[Report, Lists, Global],
            Resume => &[Resume, Global],
        }
    }
}

/// One key with its modifiers. Shift is part of the character for letters
/// (`G`, `?`), so it is ignored when comparing characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Chord {
    pub fn matches(&self, key: &KeyEvent) -> bool {
        let relevant = KeyModifiers::CONTROL | KeyModifiers::ALT;
        match (self.code, key.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => {
                let same = if self.mods.intersects(relevant) {
                    a.eq_ignore_ascii_case(&b)
                } else {
                    a == b
                };
                same && (self.mods & relevant) == (key.modifiers & relevant)
            }
            (KeyCode::BackTab, KeyCode::BackTab) => true,
            (a, b) => a == b && (self.mods & relevant) == (key.modifiers & relevant),
        }
    }
}

impl std::str::FromStr for Chord {
    type Err = String;
    fn from_str(s: &str) -> Result<Chord, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        // `-` alone is a key; otherwise split modifiers off the front.
        while let Some((m, r)) = rest.split_once('-').filter(|(_, r)| !r.is_empty()) {
            match m.to_ascii_lowercase().as_str() {
                "ctrl" | "c" => mods |= KeyModifiers::CONTROL,
                "alt" | "a" | "meta" => mods |= KeyModifiers::ALT,
                "shift" | "s" => mods |= KeyModifiers::SHIFT,
                _ => break,
            }
            rest = r;
        }
        let lower = rest.to_ascii_lowercase();
        let code = match lower.as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            f if f.len() >= 2 && f.starts_with('f') && f[1..].parse::<u8>().is_ok() => {
                match f[1..].parse::<u8>() {
                    Ok(n) if (1..=12).contains(&n) => KeyCode::F(n),
                    _ => return Err(format!("`{s}`: function keys are f1 to f12")),
                }
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => {
                        return Err(format!(
                            "`{s}` is not a key: write a character (`j`, `?`), a name (enter, esc, tab, space, up, pgdn, f1…) or a chord (ctrl-s, alt-left)"
                        ))
                    }
                }
            }
        };
        Ok(Chord { code, mods })
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c)
                if self
                    .mods
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                write!(f, "{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Keymap {
    /// (context, action) → keys, in the order shown.
    bindings: BTreeMap<(Context, Action), Vec<Chord>>,
}

/// A keymap file that cannot be used, with where and why.
#[derive(Debug, thiserror::Error)]
#[error("keymap {path}: {message}\n  Fix the file or remove it to use the default keys (the README's keymap section lists every context and action).")]
pub struct KeymapError {
    pub path: String,
    pub message: String,
}

const DEFAULTS: &[(Context, Action, &[&str])] = {
    use Action::*;
    use Context::*;
    &[
        (Global, Quit, &["ctrl-c"]),
        (Global, Help, &["f1"]),
        (Lists, Help, &["?"]),
        (Lists, Quit, &["q"]),
        (Lists, Up, &["up", "k"]),
        (Lists, Down, &["down", "j"]),
        (Lists, PageUp, &["pgup"]),
        (Lists, PageDown, &["pgdn"]),
        (Lists, Top, &["home", "g"]),
        (Lists, Bottom, &["end", "G"]),
        (Lists, Confirm, &["enter"]),
        (Lists, Back, &["esc", "alt-left"]),
        (Goal, Confirm, &["enter"]),
        (Chain, SkipAll, &["s"]),
        (Chain, Action::Customize, &["c"]),
        (Chain, UseBlueprint, &["b"]),
        (Chain, DropBlueprint, &["x"]),
        (Chain, Action::Packs, &["p"]),
        (Context::Customize, Toggle, &["space"]),
        (Question, Confirm, &["enter"]),
        (Question, Back, &["esc", "alt-left"]),
        (Question, Skip, &["tab"]),
        (Question, SkipSkill, &["ctrl-s"]),
        (Question, Status, &["ctrl-t", "f2"]),
        (Question, Done, &["ctrl-d"]),
        (Question, Restart, &["ctrl-r"]),
        (QuestionList, Toggle, &["space"]),
        (QuestionText, Newline, &["alt-enter", "ctrl-n"]),
        (Review, Write, &["w"]),
        (Review, Status, &["ctrl-t", "f2"]),
        (Review, Restart, &["ctrl-r"]),
        (Tree, Write, &["w"]),
        (Tree, Overwrite, &["o"]),
        (Tree, Keep, &["e"]),
        (Tree, ToggleDiff, &["d"]),
        (Tree, Expand, &["right", "l"]),
        (Tree, Collapse, &["left", "h"]),
        (Tree, PreviewDown, &["J", "ctrl-down"]),
        (Tree, PreviewUp, &["K", "ctrl-up"]),
        (Report, GenerateMissing, &["g"]),
        (Report, ContinueAnyway, &["c"]),
        (Report, Details, &["d"]),
        (Report, NextMaturity, &["m"]),
        (Report, Top, &["home"]),
        (Report, Remember, &["r"]),
        (Report, Toggle, &["space"]),
        (Resume, Confirm, &["enter", "c"]),
        (Resume, Restart, &["r"]),
        (Resume, Discard, &["d"]),
        (Resume, NewSession, &["n"]),
        (Resume, Quit, &["q"]),
    ]
};

impl Default for Keymap {
    fn default() -> Keymap {
        let mut bindings = BTreeMap::new();
        for (ctx, action, keys) in DEFAULTS {
            let chords = keys
                .iter()
                .filter_map(|k| k.parse::<Chord>().ok())
                .collect();
            bindings.insert((*ctx, *action), chords);
        }
        Keymap { bindings }
    }
}

impl Keymap {
    /// The default keys with the user's file (if any) over them.
    pub fn load(config_dir: Option<&Path>) -> Result<Keymap, KeymapError> {
        match config_dir {
            Some(dir) => Keymap::from_file(&dir.join("keymap.yaml")),
            None => Ok(Keymap::default()),
        }
    }

    /// The default keys with the file at `path` over them; no file, no
    /// change. The file is read like every input: a regular file of at most
    /// [`crate::limits::KEYMAP_FILE`].
    pub fn from_file(path: &Path) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::default();
        match crate::textfile::read(path, crate::limits::KEYMAP_FILE, "keymap files") {
            Ok(text) => map.merge(&text, &path.display().to_string())?,
            Err(e) if e.is_not_found() => {}
            Err(e) => {
                return Err(KeymapError {
                    path: e.location(),
                    message: e.message(),
                })
            }
        }
        Ok(map)
    }

    /// Applies a keymap file: `context: { action: key | [keys] }`. Every
    /// problem is reported at once, each with its line and column.
    pub fn merge(&mut self, text: &str, path: &str) -> Result<(), KeymapError> {
        let expect = |p: &str| match p.split('.').count() {
            1 if p.is_empty() => Some("a map of context → action → keys".to_string()),
            1 => Some("a map of action → keys".to_string()),
            _ => None,
        };
        let doc: BTreeMap<String, BTreeMap<String, Keys>> =
            match crate::yamlfile::parse(text, &expect) {
                Ok(Some(d)) => d,
                Ok(None) => return Ok(()),
                Err(p) => {
                    return Err(KeymapError {
                        path: p.location(path),
                        message: p.message,
                    })
                }
            };
        let at = |parent: &[&str], key: &str| {
            crate::yamlfile::key_lines(text, parent, key)
                .first()
                .map(|(l, c)| format!(" (line {l}, column {c})"))
                .unwrap_or_default()
        };
        let mut problems = Vec::new();
        for (ctx_name, actions) in doc {
            let Some(ctx) = Context::ALL.iter().copied().find(|c| c.name() == ctx_name) else {
                problems.push(format!(
                    "unknown context `{ctx_name}`{}: use one of {}{}",
                    crate::suggest::hint(&ctx_name, Context::ALL.iter().map(|c| c.name())),
                    Context::ALL
                        .iter()
                        .map(|c| c.name())
                        .collect::<Vec<_>>()
                        .join(", "),
                    at(&[], &ctx_name)
                ));
                continue;
            };
            for (action_name, keys) in actions {
                let action = match action_name.parse::<Action>() {
                    Ok(a) => a,
                    Err(e) => {
                        problems.push(format!("{ctx_name}: {e}{}", at(&[&ctx_name], &action_name)));
                        continue;
                    }
                };
                let mut chords = Vec::new();
                for k in keys.0 {
                    match k.parse::<Chord>() {
                        Ok(c) => chords.push(c),
                        Err(e) => problems.push(format!(
                            "{ctx_name}.{action_name}: {e}{}",
                            at(&[&ctx_name], &action_name)
                        )),
                    }
                }
                self.bindings.insert((ctx, action), chords);
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(KeymapError {
                path: path.to_string(),
                message: problems.join("\n  "),
            })
        }
    }

    /// The action bound to `key` on a screen of context `ctx`.
    pub fn action(&self, ctx: Context, key: &KeyEvent) -> Option<Action> {
        ctx.chain().iter().find_map(|c| {
            self.bindings
                .iter()
                .filter(|((bc, _), _)| bc == c)
                .find(|(_, chords)| chords.iter().any(|ch| ch.matches(key)))
                .map(|((_, a), _)| *a)
        })
    }

    /// Every key that runs `action` on a screen of context `ctx`, most
    /// specific context first.
    pub fn keys(&self, ctx: Context, action: Action) -> Vec<Chord> {
        let mut out: Vec<Chord> = Vec::new();
        for c in ctx.chain() {
            for k in self.bindings.get(&(*c, action)).into_iter().flatten() {
                // A key a more specific context gives to another action does
                // not reach this one.
                let key = KeyEvent::new(k.code, k.mods);
                if !out.contains(k) && self.action(ctx, &key) == Some(action) {
                    out.push(*k);
                }
            }
        }
        out
    }

    /// The first key of `action` in `ctx`, for the footer.
    pub fn key_label(&self, ctx: Context, action: Action) -> Option<String> {
        self.keys(ctx, action).first().map(|c| c.to_string())
    }

    /// Every action reachable from `ctx` with its keys and meaning, in the
    /// order of [`Action::ALL`]: the help overlay's content.
    pub fn help_rows(&self, ctx: Context) -> Vec<(String, &'static str)> {
        Action::ALL
            .iter()
            .filter_map(|a| {
                let keys = self.keys(ctx, *a);
                (!keys.is_empty()).then(|| {
                    let shown: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
                    (shown.join(" / "), a.describe())
                })
            })
            .collect()
    }
}

/// The keys of one action: one key (`tab`) or a list (`[tab, f5]`).
struct Keys(Vec<String>);

impl<'de> serde::Deserialize<'de> for Keys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Keys, D::Error> {
        struct Visit;
        const WHAT: &str = "a key like `ctrl-s`, or a list of keys like [ctrl-s, f5]";
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Keys;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(WHAT)
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Keys, E> {
                Ok(Keys(vec![s.to_string()]))
            }
            fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Keys, E> {
                Err(E::custom(format!("`{b}` is not a key: write {WHAT}")))
            }
            fn visit_i64<E: serde::de::Error>(self, i: i64) -> Result<Keys, E> {
                Ok(Keys(vec![i.to_string()]))
            }
            fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Keys, E> {
                Ok(Keys(vec![u.to_string()]))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Keys, E> {
                // No keys: the action is unbound.
                Ok(Keys(Vec::new()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = seq.next_element::<Keys>()? {
                    if k.0.len() != 1 {
                        return Err(serde::de::Error::custom(format!(
                            "a list of keys holds keys, not lists: write {WHAT}"
                        )));
                    }
                    keys.extend(k.0);
                }
                Ok(Keys(keys))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<Keys, A::Error> {
                Err(serde::de::Error::custom(format!(
                    "is a map, but an action takes {WHAT}"
                )))
            }
        }
        d.deserialize_any(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn every_default_key_parses() {
        for (ctx, action, keys) in DEFAULTS {
            for k in *keys {
                assert!(
                    k.parse::<Chord>().is_ok(),
                    "{}.{}: {k}",
                    ctx.name(),
                    action.name()
                );
            }
        }
    }

    #[test]
    fn letters_do_not_trigger_commands_while_typing() {
        let map = Keymap::default();
        let q = key(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(map.action(Context::QuestionText, &q), None);
        assert_eq!(map.action(Context::QuestionList, &q), Some(Action::Quit));
        let tab = key(KeyCode::Tab, KeyModifiers::NONE);
        assert_eq!(map.action(Context::QuestionText, &tab), Some(Action::Skip));
        let ctrl_s = key(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(
            map.action(Context::QuestionText, &ctrl_s),
            Some(Action::SkipSkill)
        );
        let big_g = key(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(map.action(Context::Review, &big_g), Some(Action::Bottom));
    }

    #[test]
    fn a_user_file_replaces_the_keys_of_the_actions_it_names() {
        let mut map = Keymap::default();
        map.merge("question:\n  skip-skill: [ctrl-k, f5]\n", "keymap.yaml")
            .unwrap();
        let ctrl_k = key(KeyCode::Char('k'), KeyModifiers::CONTROL);
        let ctrl_s = key(KeyCode::Char('s'), KeyModifiers::CONTROL);
        assert_eq!(
            map.action(Context::QuestionText, &ctrl_k),
            Some(Action::SkipSkill)
        );
        assert_eq!(map.action(Context::QuestionText, &ctrl_s), None);
        assert_eq!(
            map.key_label(Context::QuestionList, Action::SkipSkill),
            Some("Ctrl-K".to_string())
        );
        let help = map.help_rows(Context::QuestionText);
        assert!(help.contains(&("Ctrl-K / F5".to_string(), Action::SkipSkill.describe())));
    }

    #[test]
    fn a_bad_keymap_file_names_every_problem_and_the_file() {
        let mut map = Keymap::default();
        let e = map
            .merge(
                "questoin:\n  skip: tab\nreview:\n  wirte: w\n  back: ctrl-\n  help: hyper-x\n",
                "/home/u/.config/skillchain/keymap.yaml",
            )
            .unwrap_err();
        let text = e.to_string();
        assert!(text.starts_with("keymap /home/u/.config/skillchain/keymap.yaml: unknown context `questoin` (did you mean `question`?)"), "{text}");
        assert!(
            text.contains("review: unknown action `wirte` (did you mean `write`?)"),
            "{text}"
        );
        assert!(
            text.contains("review.help: `hyper-x` is not a key"),
            "{text}"
        );
        assert!(text.contains("Fix the file or remove it"), "{text}");
    }

    #[test]
    fn chords_print_the_way_help_shows_them() {
        let shown: Vec<String> = ["ctrl-s", "alt-left", "space", "G", "f2", "shift-tab", "-"]
            .iter()
            .map(|k| k.parse::<Chord>().unwrap().to_string())
            .collect();
        assert_eq!(
            shown,
            ["Ctrl-S", "Alt-←", "Space", "G", "F2", "Shift-Tab", "-"]
        );
    }
}
