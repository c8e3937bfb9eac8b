//! Colours, named for what they mean. Built-in themes are the YAML files in
//! `themes/`, embedded in the binary; a user theme (a file in the config
//! dir's `themes/`, or a path) is merged over the theme it `extends`.
//! Without colour (`NO_COLOR`, `--no-color`) only bold, dim and reverse
//! remain, and every state still has its symbol.

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// (name, YAML) of every built-in theme; the first is the default.
pub const BUILT_IN: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.yaml")),
    ("light", include_str!("../../themes/light.yaml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.yaml"),
    ),
    (
        "catppuccin-mocha",
        include_str!("../../themes/catppuccin-mocha.yaml"),
    ),
    (
        "gruvbox-dark",
        include_str!("../../themes/gruvbox-dark.yaml"),
    ),
];

const ROLES: &[&str] = &[
    "text",
    "dim",
    "title",
    "border",
    "border_focus",
    "selected",
    "key",
    "accent",
    "ok",
    "warn",
    "error",
    "new",
    "identical",
    "conflict",
    "skipped",
    "gauge",
    "diff_add",
    "diff_remove",
];

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    styles: BTreeMap<&'static str, Style>,
}

#[derive(Debug, thiserror::Error)]
#[error("theme {source_name}: {message}")]
pub struct ThemeError {
    pub source_name: String,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    /// A built-in theme this one starts from (default: dark).
    extends: Option<String>,
    #[serde(default)]
    styles: BTreeMap<String, StyleSpec>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underlined: bool,
    #[serde(default)]
    reversed: bool,
    #[serde(default)]
    dim: bool,
}

impl Theme {
    /// The default theme.
    pub fn dark() -> Theme {
        Theme::built_in("dark").unwrap_or_else(|_| Theme::monochrome())
    }

    pub fn built_in(name: &str) -> Result<Theme, ThemeError> {
        let Some((_, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) else {
            return Err(ThemeError {
                source_name: name.to_string(),
                message: format!(
                    "no such theme{}; built-in themes: {}",
                    crate::suggest::hint(name, BUILT_IN.iter().map(|(n, _)| *n)),
                    BUILT_IN
                        .iter()
                        .map(|(n, _)| *n)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        };
        Theme::parse_over(text, name, None, true)
    }

    /// No colours: meaning is carried by symbols, bold, dim and reverse.
    pub fn monochrome() -> Theme {
        let mut styles = BTreeMap::new();
        for role in ROLES {
            let s = match *role {
                "title" | "key" | "error" | "conflict" => Style::new().add_modifier(Modifier::BOLD),
                "selected" => Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
                "dim" | "skipped" | "identical" | "border" => {
                    Style::new().add_modifier(Modifier::DIM)
                }
                "gauge" => Style::new().add_modifier(Modifier::REVERSED),
                _ => Style::new(),
            };
            styles.insert(*role, s);
        }
        Theme {
            name: "no-color".to_string(),
            styles,
        }
    }

    /// Picks the theme for a run: `--theme` (a built-in name, a name in the
    /// config dir's `themes/`, or a path to a YAML file), else the default.
    pub fn select(
        name: Option<&str>,
        config_dir: Option<&Path>,
        color: bool,
    ) -> Result<Theme, ThemeError> {
        let theme = match name {
            None => Theme::dark(),
            Some(n) if BUILT_IN.iter().any(|(b, _)| *b == n) => Theme::built_in(n)?,
            Some(n) => {
                let as_path = Path::new(n);
                let path = if n.ends_with(".yaml") || n.ends_with(".yml") || as_path.is_absolute() {
                    Some(as_path.to_path_buf())
                } else {
                    config_dir
                        .map(|d| d.join("themes").join(format!("{n}.yaml")))
                        .filter(|p| p.is_file())
                };
                match path {
                    Some(p) => {
                        let text =
                            crate::textfile::read(&p, crate::limits::THEME_FILE, "theme files")
                                .map_err(|e| ThemeError {
                                    source_name: e.location(),
                                    message: e.message(),
                                })?;
                        Theme::parse(&text, &p.display().to_string(), Some(n))?
                    }
                    None => return Theme::built_in(n),
                }
            }
        };
        Ok(if color {
            theme.fit(super::colours::Depth::from_env())
        } else {
            Theme::monochrome()
        })
    }

    /// Reads a theme file; `source` names it in errors.
    pub fn parse(
        text: &str,
        source: &str,
        fallback_name: Option<&str>,
    ) -> Result<Theme, ThemeError> {
        Theme::parse_over(text, source, fallback_name, false)
    }

    fn parse_over(
        text: &str,
        source: &str,
        fallback_name: Option<&str>,
        built_in: bool,
    ) -> Result<Theme, ThemeError> {
        let err = |message: String| ThemeError {
            source_name: source.to_string(),
            message,
        };
        let expect = |p: &str| match p {
            "styles" => Some("a map of style name → colours".to_string()),
            "name" | "extends" => Some("text".to_string()),
            p if p.starts_with("styles.") && p.split('.').count() == 2 => {
                Some("a map with fg, bg, bold, italic, underlined, reversed and dim".to_string())
            }
            _ => None,
        };
        let file: ThemeFile = match crate::yamlfile::parse(text, &expect) {
            Ok(Some(f)) => f,
            Ok(None) => ThemeFile {
                name: None,
                extends: None,
                styles: BTreeMap::new(),
            },
            Err(p) => {
                return Err(ThemeError {
                    source_name: p.location(source),
                    message: p.message,
                })
            }
        };
        let at = |role: &str| {
            crate::yamlfile::key_lines(text, &["styles"], role)
                .first()
                .map(|(l, c)| format!(" (line {l}, column {c})"))
                .unwrap_or_default()
        };
        let mut base = match (file.extends.as_deref(), built_in) {
            // Built-in themes set every style themselves.
            (_, true) => Theme::monochrome(),
            (Some(b), false) => Theme::built_in(b).map_err(|e| {
                let at = crate::yamlfile::key_lines(text, &[], "extends")
                    .first()
                    .map(|(l, c)| format!(" (line {l}, column {c})"))
                    .unwrap_or_default();
                err(format!("extends: {}{at}", e.message))
            })?,
            (None, false) => Theme::dark(),
        };
        let mut problems = Vec::new();
        for (role, spec) in file.styles {
            let Some(key) = ROLES.iter().copied().find(|r| *r == role) else {
                problems.push(format!(
                    "unknown style `{role}`{}; styles: {}{}",
                    crate::suggest::hint(&role, ROLES.iter().copied()),
                    ROLES.join(", "),
                    at(&role)
                ));
                continue;
            };
            match spec.to_style() {
                Ok(s) => {
                    base.styles.insert(key, s);
                }
                Err(e) => problems.push(format!("{role}: {e}{}", at(&role))),
            }
        }
        if !problems.is_empty() {
            return Err(err(problems.join("; ")));
        }
        base.name = file
            .name
            .or(fallback_name.map(str::to_string))
            .unwrap_or_else(|| source.to_string());
        Ok(base)
    }

    /// The theme as a terminal of `depth` can show it.
    pub fn fit(mut self, depth: super::colours::Depth) -> Theme {
        for s in self.styles.values_mut() {
            *s = super::colours::fit_style(*s, depth);
        }
        self
    }

    fn get(&self, role: &str) -> Style {
        self.styles.get(role).copied().unwrap_or_default()
    }

    pub fn text(&self) -> Style {
        self.get("text")
    }
    pub fn dim(&self) -> Style {
        self.get("dim")
    }
    pub fn title(&self) -> Style {
        self.get("title")
    }
    pub fn border(&self, focused: bool) -> Style {
        self.get(if focused { "border_focus" } else { "border" })
    }
    pub fn selected(&self) -> Style {
        self.get("selected")
    }
    pub fn key(&self) -> Style {
        self.get("key")
    }
    pub fn accent(&self) -> Style {
        self.get("accent")
    }
    pub fn ok(&self) -> Style {
        self.get("ok")
    }
    pub fn warn(&self) -> Style {
        self.get("warn")
    }
    pub fn error(&self) -> Style {
        self.get("error")
    }
    pub fn gauge(&self) -> Style {
        self.get("gauge")
    }
    pub fn diff_add(&self) -> Style {
        self.get("diff_add")
    }
    pub fn diff_remove(&self) -> Style {
        self.get("diff_remove")
    }
    /// Style of a planned file's status (new, identical, conflict, skipped).
    pub fn file_status(&self, status: crate::generate::FileStatus) -> Style {
        self.get(status.as_str())
    }
}

impl StyleSpec {
    fn to_style(&self) -> Result<Style, String> {
        let color = |c: &Option<String>| -> Result<Option<Color>, String> {
            match c {
                None => Ok(None),
                Some(s) => s.parse::<Color>().map(Some).map_err(|_| {
                    format!("`{s}` is not a colour: use a name (red, lightblue), an index (0-255) or #rrggbb")
                }),
            }
        };
        let mut style = Style::new();
        if let Some(fg) = color(&self.fg)? {
            style = style.fg(fg);
        }
        if let Some(bg) = color(&self.bg)? {
            style = style.bg(bg);
        }
        for (on, m) in [
            (self.bold, Modifier::BOLD),
            (self.italic, Modifier::ITALIC),
            (self.underlined, Modifier::UNDERLINED),
            (self.reversed, Modifier::REVERSED),
            (self.dim, Modifier::DIM),
        ] {
            if on {
                style = style.add_modifier(m);
            }
        }
        Ok(style)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_theme_parses_and_sets_every_style() {
        for (name, text) in BUILT_IN {
            let t = Theme::built_in(name).unwrap();
            assert_eq!(&t.name, name);
            let file: ThemeFile = serde_yaml::from_str(text).unwrap();
            let mut roles: Vec<&str> = file.styles.keys().map(String::as_str).collect();
            roles.sort_unstable();
            let mut all = ROLES.to_vec();
            all.sort_unstable();
            assert_eq!(roles, all, "{name} must set every style");
        }
    }

    #[test]
    fn a_user_theme_overrides_only_what_it_names() {
        let t = Theme::parse(
            "extends: light\nstyles:\n  error: { fg: \"#ff0000\", underlined: true }\n",
            "/cfg/themes/mine.yaml",
            Some("mine"),
        )
        .unwrap();
        assert_eq!(t.name, "mine");
        assert_eq!(
            t.error(),
            Style::new()
                .fg(Color::Rgb(255, 0, 0))
                .add_modifier(Modifier::UNDERLINED)
        );
        assert_eq!(t.title(), Theme::built_in("light").unwrap().title());
    }

    #[test]
    fn a_bad_theme_names_the_file_and_each_problem() {
        let e = Theme::parse(
            "styles:\n  eror: { fg: red }\n  ok: { fg: grene }\n",
            "/cfg/themes/bad.yaml",
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with(
                "theme /cfg/themes/bad.yaml: unknown style `eror` (did you mean `error`?)"
            ),
            "{e}"
        );
        assert!(e.contains("ok: `grene` is not a colour"), "{e}");
    }

    #[test]
    fn an_unknown_theme_name_lists_the_built_in_ones() {
        let e = Theme::select(Some("drak"), None, true)
            .unwrap_err()
            .to_string();
        assert_eq!(e, "theme drak: no such theme (did you mean `dark`?); built-in themes: dark, light, high-contrast, catppuccin-mocha, gruvbox-dark");
    }

    #[test]
    fn without_colour_no_style_carries_a_colour() {
        let t = Theme::select(Some("catppuccin-mocha"), None, false).unwrap();
        for role in ROLES {
            let s = t.get(role);
            assert_eq!((s.fg, s.bg), (None, None), "{role}");
        }
        assert!(t.selected().add_modifier.contains(Modifier::REVERSED));
    }
}
