//! Escaping of printed values for the file they land in, the way HTML
//! templating auto-escapes: the output path's type picks a [`Format`], and
//! every `{{ value }}` of a file template goes through [`format_value`].
//!
//! The rule, per format: a string that cannot change the file's syntax
//! wherever it is printed (letters, digits, spaces and the punctuation the
//! format treats as text) prints as it is, so generated code computed from
//! option values reads the same as before; any other string prints as one
//! complete literal of the format (a double-quoted YAML scalar, a Python or
//! SQL string literal, a single-quoted shell word, escaped Markdown text), so
//! it can never end a quote, start a comment or a new line of code. A
//! template that prints code on purpose says so with `| safe`; the explicit
//! filters (`yaml`, `py_str`, `sql_string`, `sql_ident`, `sh`, `md`,
//! `toml_str`, `sql_comment`) always produce a complete literal.
//! Values printed into output *paths* are checked by [`path_value`].

use minijinja::value::{Value, ValueKind};
use minijinja::{AutoEscape, Error, ErrorKind, Output, State};
use std::fmt::Write as _;

/// The kinds of files generated files are, as far as printing a value goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Json,
    Toml,
    Python,
    Sql,
    Shell,
    Markdown,
    Env,
    Csv,
    Hcl,
    /// Plain text (`.txt`): printed as it is.
    Text,
    /// No escaping is known: only plain words may be printed.
    Unknown,
}

/// Where the printed value ends up, for the auto-escape callback: the file's
/// format, and whether the file is itself a Jinja template (dbt models and
/// YAML), so `{` in a value must not start a tag there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub format: Format,
    pub jinja: bool,
}

const TAGS: &[(&str, Place)] = &[
    ("sc:yaml", place(Format::Yaml, false)),
    ("sc:yaml+jinja", place(Format::Yaml, true)),
    ("sc:json", place(Format::Json, false)),
    ("sc:toml", place(Format::Toml, false)),
    ("sc:python", place(Format::Python, false)),
    ("sc:sql", place(Format::Sql, false)),
    ("sc:sql+jinja", place(Format::Sql, true)),
    ("sc:shell", place(Format::Shell, false)),
    ("sc:markdown", place(Format::Markdown, false)),
    ("sc:env", place(Format::Env, false)),
    ("sc:csv", place(Format::Csv, false)),
    ("sc:hcl", place(Format::Hcl, false)),
    ("sc:text", place(Format::Text, false)),
    ("sc:unknown", place(Format::Unknown, false)),
];

const fn place(format: Format, jinja: bool) -> Place {
    Place { format, jinja }
}

impl Place {
    /// The format of an output path: by its extension (a trailing `.j2` is
    /// ignored), or by well-known names (`Dockerfile`, `.env*`).
    pub fn for_path(path: &str, jinja_root: bool) -> Place {
        let name = path.rsplit('/').next().unwrap_or(path);
        let name = name
            .strip_suffix(".j2")
            .or_else(|| name.strip_suffix(".jinja"))
            .unwrap_or(name);
        let lower = name.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        let format = if lower == "dockerfile" || lower.ends_with(".dockerfile") {
            Format::Shell
        } else if lower == ".env" || lower.starts_with(".env.") || ext == "env" {
            Format::Env
        } else {
            match ext {
                "yaml" | "yml" => Format::Yaml,
                "json" | "jsonl" | "avsc" | "ipynb" => Format::Json,
                "toml" => Format::Toml,
                "py" => Format::Python,
                "sql" => Format::Sql,
                "sh" | "bash" => Format::Shell,
                "md" | "markdown" => Format::Markdown,
                "csv" => Format::Csv,
                "hcl" | "tf" => Format::Hcl,
                "txt" => Format::Text,
                _ => Format::Unknown,
            }
        };
        let jinja = jinja_root && matches!(format, Format::Sql | Format::Yaml);
        Place { format, jinja }
    }

    pub fn auto_escape(self) -> AutoEscape {
        let tag = TAGS
            .iter()
            .find(|(_, p)| *p == self)
            .map(|(t, _)| *t)
            .unwrap_or("sc:unknown");
        AutoEscape::Custom(tag)
    }

    pub fn of(auto: AutoEscape) -> Option<Place> {
        match auto {
            AutoEscape::Custom(tag) => TAGS.iter().find(|(t, _)| *t == tag).map(|(_, p)| *p),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self.format {
            Format::Yaml => "YAML",
            Format::Json => "JSON",
            Format::Toml => "TOML",
            Format::Python => "Python",
            Format::Sql => "SQL",
            Format::Shell => "shell",
            Format::Markdown => "Markdown",
            Format::Env => ".env",
            Format::Csv => "CSV",
            Format::Hcl => "HCL",
            Format::Text => "text",
            Format::Unknown => "this file type",
        }
    }
}

/// The formatter of file templates: safe strings (`| safe`, the escaping
/// filters) print as they are; other strings by the rule of the module.
pub fn format_value(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    let Some(place) = Place::of(state.auto_escape()) else {
        return minijinja::escape_formatter(out, state, value);
    };
    if value.is_safe() || value.kind() != ValueKind::String {
        return write!(out, "{value}").map_err(Error::from);
    }
    let s = value.as_str().unwrap_or_default();
    let dialect = sql_dialect(state);
    let text = escape_str(place, s, dialect.as_deref())
        .map_err(|e| Error::new(ErrorKind::InvalidOperation, e))?;
    out.write_str(&text).map_err(Error::from)
}

/// The SQL dialect a template declares with `{% set sql_dialect = ... %}`.
fn sql_dialect(state: &State) -> Option<String> {
    state
        .lookup("sql_dialect")
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|d| !d.is_empty())
}

/// `s` printed in `place`: as it is when harmless there, else as a literal.
pub fn escape_str(place: Place, s: &str, dialect: Option<&str>) -> Result<String, String> {
    if s.is_empty() || harmless(place, s) {
        return Ok(s.to_string());
    }
    let text = match place.format {
        Format::Yaml | Format::Json => json_like(s),
        Format::Toml => json_like(s),
        Format::Python => py_str(s),
        Format::Sql => {
            if s.contains('\n') {
                return Err(format!(
                    "a value with line breaks cannot be printed into SQL as it is: `{}`; write `| sql_string` (a string literal) or `| sql_comment` (comment lines)",
                    preview(s)
                ));
            }
            sql_string(s, dialect)?
        }
        Format::Shell => sh(s),
        Format::Markdown => md(s),
        Format::Env => env_str(s),
        Format::Csv => format!("\"{}\"", s.replace('"', "\"\"")),
        Format::Hcl => hcl_str(s),
        Format::Text => s.to_string(),
        Format::Unknown => {
            return Err(format!(
                "no escaping is known for {}: `{}` cannot be printed into it; print plain words, or state the context with a filter (`| yaml`, `| sh`, …) or `| safe`",
                place.name(),
                preview(s)
            ))
        }
    };
    Ok(if place.jinja {
        neutralise_jinja(&text)
    } else {
        text
    })
}

fn preview(s: &str) -> String {
    let short: String = s.chars().take(40).collect();
    let short = short.escape_debug().to_string();
    if s.chars().count() > 40 {
        format!("{short}…")
    } else {
        short
    }
}

/// Characters that reorder how text displays (the "Trojan source" set):
/// never printed raw into code.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `s` reads the same wherever it is printed in a file of `place`.
fn harmless(place: Place, s: &str) -> bool {
    if s.chars().any(|c| {
        c.is_control()
            || is_bidi_control(c)
            || matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
    }) {
        return matches!(place.format, Format::Text) && !s.contains('\r');
    }
    if place.jinja && (s.contains('{') || s.contains('}')) {
        return false;
    }
    match place.format {
        Format::Text => true,
        Format::Yaml => {
            // A plain scalar: no indicator first, no `: ` or ` #` inside,
            // no flow brackets, no quote or backslash (a hand-written
            // quote around it would end early).
            !s.starts_with(' ')
                && !s.ends_with(' ')
                && !s.chars().any(|c| "\"\\{}[]".contains(c))
                && !s.contains(": ")
                && !s.contains(" #")
                && !s.ends_with(':')
                && !s.starts_with(|c: char| "-?:,#&*!|>'%@`=".contains(c))
        }
        Format::Json => !s.chars().any(|c| matches!(c, '"' | '\\')),
        Format::Toml => !s.chars().any(|c| matches!(c, '"' | '\'' | '\\' | '#')),
        Format::Python => !s.chars().any(|c| "'\"\\#{}".contains(c)),
        Format::Sql => {
            !s.chars().any(|c| "'\"`\\;".contains(c))
                && !s.contains("--")
                && !s.contains("/*")
                && !s.contains("*/")
        }
        Format::Shell => s
            .chars()
            .all(|c| !c.is_ascii() || c.is_ascii_alphanumeric() || "_@%+=:,./ -".contains(c)),
        Format::Env => s
            .chars()
            .all(|c| !c.is_ascii() || c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c)),
        Format::Markdown => {
            !s.chars().any(|c| matches!(c, '|' | '<' | '\\')) && !md_starts_block(s)
        }
        Format::Csv => !s.chars().any(|c| matches!(c, ',' | '"')),
        Format::Hcl => {
            !s.chars().any(|c| matches!(c, '"' | '\\')) && !s.contains("${") && !s.contains("%{")
        }
        Format::Unknown => s
            .chars()
            .all(|c| c.is_alphanumeric() || "_ .,:/=@+-".contains(c)),
    }
}

/// Whether a line starting with `s` would start a Markdown block (heading,
/// list, quote, rule, setext underline, ordered list).
fn md_starts_block(s: &str) -> bool {
    let t = s.trim_start_matches(' ');
    if s.len() - t.len() >= 4 || t.starts_with('\t') {
        return true;
    }
    let first = t.chars().next();
    let second = t.chars().nth(1);
    if matches!(first, Some('>')) || t.starts_with("```") || t.starts_with("~~~") {
        return true;
    }
    // `# `, `- `, `+ `, `* ` (or the marker alone) start a heading or a list.
    if matches!(first, Some('#' | '-' | '+' | '*')) && matches!(second, None | Some(' ' | '#')) {
        return true;
    }
    // `---`, `===`, `***`, `___`: rules and setext underlines.
    if t.len() >= 2 && t.chars().all(|c| matches!(c, '-' | '=' | '*' | '_' | ' ')) {
        return true;
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    digits > 0
        && matches!(t[digits..].chars().next(), Some('.' | ')'))
        && matches!(t[digits + 1..].chars().next(), None | Some(' '))
}

/// A double-quoted string valid in JSON, YAML and TOML: `\"`, `\\`, the
/// short escapes and `\uXXXX` for every other control or invisible
/// character.
pub fn json_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || is_bidi_control(c)
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') =>
            {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A Python string literal; a value with line breaks becomes a
/// triple-quoted literal that keeps its lines readable.
pub fn py_str(s: &str) -> String {
    let multi = s.contains('\n');
    let mut out = String::with_capacity(s.len() + 6);
    out.push_str(if multi { "\"\"\"" } else { "\"" });
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if multi => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control()
                || is_bidi_control(c)
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') =>
            {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push_str(if multi { "\"\"\"" } else { "\"" });
    out
}

/// SQL dialects whose string literals treat a backslash as an escape.
const BACKSLASH_DIALECTS: &[&str] = &[
    "bigquery",
    "databricks",
    "spark",
    "snowflake",
    "mysql",
    "hive",
];
/// SQL dialects that quote identifiers with backticks.
const BACKTICK_DIALECTS: &[&str] = &["bigquery", "databricks", "spark", "mysql", "hive"];
const KNOWN_DIALECTS: &[&str] = &[
    "ansi",
    "bigquery",
    "databricks",
    "duckdb",
    "hive",
    "mysql",
    "postgres",
    "redshift",
    "snowflake",
    "spark",
    "sqlite",
    "trino",
];

fn dialect_of(dialect: Option<&str>) -> Result<&str, String> {
    let d = dialect.unwrap_or("ansi");
    KNOWN_DIALECTS
        .iter()
        .find(|k| **k == d)
        .copied()
        .ok_or_else(|| {
            format!(
                "unknown SQL dialect `{d}`; one of: {}",
                KNOWN_DIALECTS.join(", ")
            )
        })
}

/// A SQL string literal of `dialect` (ANSI `''` doubling, or backslash
/// escapes where the dialect reads backslashes).
pub fn sql_string(s: &str, dialect: Option<&str>) -> Result<String, String> {
    let d = dialect_of(dialect)?;
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    if BACKSLASH_DIALECTS.contains(&d) {
        for c in s.chars() {
            match c {
                '\'' => out.push_str("\\'"),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
    } else {
        out.push_str(&s.replace('\'', "''"));
    }
    out.push('\'');
    Ok(out)
}

/// A quoted SQL identifier of `dialect`.
pub fn sql_ident(s: &str, dialect: Option<&str>) -> Result<String, String> {
    let d = dialect_of(dialect)?;
    if s.chars().any(char::is_control) {
        return Err(format!(
            "`{}` cannot be a SQL identifier: it holds a control character",
            preview(s)
        ));
    }
    Ok(if BACKTICK_DIALECTS.contains(&d) {
        let inner = if d == "bigquery" {
            s.replace('\\', "\\\\").replace('`', "\\`")
        } else {
            s.replace('`', "``")
        };
        format!("`{inner}`")
    } else {
        format!("\"{}\"", s.replace('"', "\"\""))
    })
}

/// Comment lines: every line of `s` after `-- `.
pub fn sql_comment(s: &str) -> String {
    s.split('\n')
        .map(|l| format!("-- {}", l.replace('\r', "")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Text inside a context that ends at the end of the line (a `#`/`--`
/// comment, a line of a YAML block scalar, Markdown prose): line breaks and
/// other control characters become spaces, nothing else changes.
pub fn comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// One single-quoted shell word.
pub fn sh(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// A `.env` value in the python-dotenv reading: single-quoted, where only
/// `\\` and `\'` are escapes and `${...}` is not expanded.
fn env_str(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn hcl_str(s: &str) -> String {
    json_like(s).replace("${", "$${").replace("%{", "%%{")
}

/// Markdown text that shows `s` literally: punctuation that could start
/// markup is backslash-escaped, no line can start a block, and a table row
/// cannot be broken (`|` escaped, a multi-line value keeps its line breaks
/// only outside tables, which the template decides with `| replace`).
pub fn md(s: &str) -> String {
    let lines: Vec<String> = s
        .split('\n')
        .map(|line| {
            let line = line.trim_start().replace(['\t', '\r'], " ");
            let mut out = String::with_capacity(line.len() + 8);
            let mut at_start = true;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                let special =
                    "\\`*_[]<>|~{}&#!\"".contains(c) || (at_start && matches!(c, '-' | '+' | '='));
                if special {
                    out.push('\\');
                }
                out.push(c);
                if at_start && c.is_ascii_digit() {
                    // `1.` / `1)` start an ordered list: escape the mark.
                    let mut digits = String::new();
                    while let Some(&d) = chars.peek() {
                        if !d.is_ascii_digit() {
                            break;
                        }
                        digits.push(d);
                        chars.next();
                    }
                    out.push_str(&digits);
                    if let Some(&m) = chars.peek() {
                        if matches!(m, '.' | ')') {
                            out.push('\\');
                        }
                    }
                }
                at_start = false;
            }
            if out.ends_with(' ') {
                // Two trailing spaces are a hard break: keep the text, not the markup.
                let trimmed = out.trim_end().len();
                out.truncate(trimmed);
            }
            out
        })
        .collect();
    lines.join("\n")
}

/// A fenced Markdown code block holding `s` verbatim: the fence is longer
/// than any run of backticks in `s`, so no line of it can close the block.
pub fn md_code(s: &str, lang: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    let lang: String = lang
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-')
        .collect();
    format!("{fence}{lang}\n{}\n{fence}", s.trim_end_matches('\n'))
}

/// An inline Markdown code span holding `s` (line breaks become spaces):
/// delimited by more backticks than any run inside it.
pub fn md_span(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let ticks = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

/// In a file that is a Jinja template itself (dbt), `{` in a value must not
/// open a tag: each one is printed by a Jinja expression.
fn neutralise_jinja(s: &str) -> String {
    s.replace('{', "{{ '{' }}")
}

/// Checks a value printed into an output path: one file-name segment, no
/// separators, no control characters, not `.` or `..`.
pub fn path_value(out: &mut Output, _state: &State, value: &Value) -> Result<(), Error> {
    if value.is_safe() || value.kind() != ValueKind::String {
        return write!(out, "{value}").map_err(Error::from);
    }
    let s = value.as_str().unwrap_or_default();
    let why = if let Some(c) = s.chars().find(|c| c.is_control()) {
        Some(format!(
            "it holds the control character U+{:04X}",
            u32::from(c)
        ))
    } else if s.contains('/') || s.contains('\\') {
        Some("it holds a `/` or `\\`".to_string())
    } else if s == "." || s == ".." {
        Some(format!("it is `{s}`"))
    } else {
        None
    };
    match why {
        Some(why) => Err(Error::new(
            ErrorKind::InvalidOperation,
            format!(
                "the answer `{}` cannot be part of a file name: {why}; change the answer",
                preview(s)
            ),
        )),
        None => out.write_str(s).map_err(Error::from),
    }
}

/// Whether `path` is a file dbt renders with Jinja, in the dbt project whose
/// `dbt_project.yml` is in folder `root` (`""` for the output folder).
pub fn in_dbt_project(root: &str, path: &str) -> bool {
    let rel = if root.is_empty() {
        path
    } else {
        match path.strip_prefix(root).and_then(|r| r.strip_prefix('/')) {
            Some(r) => r,
            None => return false,
        }
    };
    const DIRS: &[&str] = &[
        "models/",
        "macros/",
        "tests/",
        "snapshots/",
        "analyses/",
        "seeds/",
    ];
    const FILES: &[&str] = &[
        "dbt_project.yml",
        "profiles.yml",
        "packages.yml",
        "selectors.yml",
        "dependencies.yml",
    ];
    DIRS.iter().any(|d| rel.starts_with(d)) || FILES.contains(&rel)
}

fn place_of(state: &State) -> Place {
    Place::of(state.auto_escape()).unwrap_or(Place {
        format: Format::Text,
        jinja: false,
    })
}

fn finish(state: &State, text: String) -> Value {
    let text = if place_of(state).jinja {
        neutralise_jinja(&text)
    } else {
        text
    };
    Value::from_safe_string(text)
}

fn text_of(v: &Value) -> String {
    match v.as_str() {
        Some(s) => s.to_string(),
        None if v.is_undefined() || v.is_none() => String::new(),
        None => v.to_string(),
    }
}

fn filter_error(e: String) -> Error {
    Error::new(ErrorKind::InvalidOperation, e)
}

/// An escaper that needs nothing but the text.
type Escaper = fn(&str) -> String;

/// Registers the escaping filters.
pub fn add_filters(env: &mut minijinja::Environment<'_>) {
    // The filters that take the value alone, by the escaper they apply.
    let plain: [(&str, Escaper); 9] = [
        ("yaml", json_like),
        ("toml_str", json_like),
        ("py_str", py_str),
        ("sh", sh),
        ("md", md),
        ("md_span", md_span),
        ("comment", comment),
        ("line", comment),
        ("sql_comment", sql_comment),
    ];
    for (name, escape) in plain {
        env.add_filter(name, move |state: &State, v: Value| {
            finish(state, escape(&text_of(&v)))
        });
    }
    env.add_filter(
        "md_code",
        |state: &State, v: Value, lang: Option<String>| {
            finish(state, md_code(&text_of(&v), lang.as_deref().unwrap_or("")))
        },
    );
    env.add_filter(
        "sql_string",
        |state: &State, v: Value, dialect: Option<String>| -> Result<Value, Error> {
            let d = dialect.or_else(|| sql_dialect(state));
            Ok(finish(
                state,
                sql_string(&text_of(&v), d.as_deref()).map_err(filter_error)?,
            ))
        },
    );
    env.add_filter(
        "sql_ident",
        |state: &State, v: Value, dialect: Option<String>| -> Result<Value, Error> {
            let d = dialect.or_else(|| sql_dialect(state));
            Ok(finish(
                state,
                sql_ident(&text_of(&v), d.as_deref()).map_err(filter_error)?,
            ))
        },
    );
}

/// The names of the escaping filters, for lint.
pub const ESCAPE_FILTERS: &[&str] = &[
    "yaml",
    "toml_str",
    "py_str",
    "sh",
    "md",
    "md_code",
    "md_span",
    "sql_comment",
    "comment",
    "line",
    "sql_string",
    "sql_ident",
    "tojson",
];

#[cfg(test)]
mod tests {
    use super::*;

    const YAML: Place = Place {
        format: Format::Yaml,
        jinja: false,
    };

    /// Strings built from the characters that matter to some format, in
    /// every position, plus ordinary text: a small generated corpus.
    fn corpus() -> Vec<String> {
        let specials = [
            "\"", "'", "`", "\\", "#", ": ", ":", "-", "?", "|", ">", "{{", "}}", "{%", "[", "]",
            "{", "}", ",", "&", "*", "!", "%", "@", "$", "$(", ";", "--", "/*", "*/", "\"\"\"",
            "<", "\u{202e}", "🚀", "שלום", " ", "\t", "\n", "1.", "#!", "yes", "null", "0x1f",
        ];
        let mut out = vec![String::new(), "orders".to_string(), "a b".to_string()];
        for s in specials {
            for t in ["", "x", " x"] {
                out.push(format!("{s}{t}"));
                out.push(format!("x{s}{t}"));
                out.push(format!("x {s}"));
            }
        }
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..300 {
            let mut s = String::new();
            for _ in 0..(seed % 6 + 1) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                s.push_str(specials[(seed % specials.len() as u64) as usize]);
                s.push('w');
            }
            out.push(s);
        }
        out
    }

    #[test]
    fn a_yaml_value_reads_back_exactly_as_given() {
        for v in corpus() {
            let Ok(text) = escape_str(YAML, &v, None) else {
                panic!("YAML refused {v:?}");
            };
            let doc = format!("key: {text}\nnext: 1\n");
            let parsed: serde_yaml::Value = serde_yaml::from_str(&doc)
                .unwrap_or_else(|e| panic!("{v:?} broke the YAML: {e}\n{doc}"));
            let got = &parsed["key"];
            // Plain words YAML reads as other types (yes, null, numbers) are
            // left to the template; every other value is a string equal to
            // the answer.
            if let Some(s) = got.as_str() {
                assert_eq!(s, v.as_str(), "{doc}");
            } else if !v.is_empty() {
                assert!(harmless(YAML, &v), "{v:?} read back as {got:?}: {doc}");
            }
            assert_eq!(
                parsed["next"],
                serde_yaml::Value::from(1),
                "{v:?} broke out: {doc}"
            );
        }
    }

    #[test]
    fn the_yaml_filter_always_makes_a_string() {
        for v in corpus() {
            let doc = format!("key: {}\n", json_like(&v));
            let parsed: serde_yaml::Value = serde_yaml::from_str(&doc).expect("parses");
            assert_eq!(parsed["key"].as_str(), Some(v.as_str()), "{doc}");
            let parsed: serde_json::Value =
                serde_json::from_str(&json_like(&v)).expect("valid JSON string");
            assert_eq!(parsed.as_str(), Some(v.as_str()));
        }
    }

    #[test]
    fn sql_literals_and_identifiers_follow_the_dialect() {
        assert_eq!(sql_string("it's", None), Ok("'it''s'".to_string()));
        assert_eq!(
            sql_string("it's \\ x", Some("bigquery")),
            Ok("'it\\'s \\\\ x'".to_string())
        );
        assert_eq!(
            sql_ident("a\"b", Some("postgres")),
            Ok("\"a\"\"b\"".to_string())
        );
        assert_eq!(
            sql_ident("a`b", Some("bigquery")),
            Ok("`a\\`b`".to_string())
        );
        assert!(sql_string("x", Some("oracle9")).is_err());
        let sql = Place {
            format: Format::Sql,
            jinja: false,
        };
        assert_eq!(
            escape_str(sql, "daily orders", None),
            Ok("daily orders".into())
        );
        assert_eq!(
            escape_str(sql, "'; drop table x; --", None),
            Ok("'''; drop table x; --'".into())
        );
        assert!(escape_str(sql, "a\ndrop table x", None).is_err());
    }

    #[test]
    fn dbt_files_never_receive_a_jinja_tag_from_a_value() {
        let dbt = Place {
            format: Format::Sql,
            jinja: true,
        };
        for v in corpus() {
            if v.contains('\n') {
                continue;
            }
            let out = escape_str(dbt, &v, None).expect("escapes");
            let unneutralised = out.replace("{{ '{' }}", "");
            assert!(
                !unneutralised.contains('{'),
                "{v:?} → {out:?} still opens a tag"
            );
        }
    }

    #[test]
    fn python_shell_and_markdown_literals_hold_the_value() {
        assert_eq!(py_str("a \"\"\" b\\"), "\"a \\\"\\\"\\\" b\\\\\"");
        assert_eq!(py_str("a\nb"), "\"\"\"a\nb\"\"\"");
        assert_eq!(sh("it's $(id)"), "'it'\\''s $(id)'");
        assert_eq!(md("# not | a heading"), "\\# not \\| a heading");
        assert_eq!(md("1. item"), "1\\. item");
        assert_eq!(md_code("a\n```\nb", ""), "````\na\n```\nb\n````");
        assert_eq!(md_span("a`b"), "``a`b``");
        assert_eq!(comment("a\nb"), "a b");
    }

    #[test]
    fn output_paths_by_type() {
        assert_eq!(Place::for_path("a/b.yml", false).format, Format::Yaml);
        assert_eq!(
            Place::for_path("models/x.sql", true),
            place(Format::Sql, true)
        );
        assert_eq!(
            Place::for_path("docs/x.md", true),
            place(Format::Markdown, false)
        );
        assert_eq!(Place::for_path("Dockerfile", false).format, Format::Shell);
        assert_eq!(Place::for_path(".env.example", false).format, Format::Env);
        assert_eq!(Place::for_path("x.py.j2", false).format, Format::Python);
        assert!(in_dbt_project(
            "transforms/dbt",
            "transforms/dbt/models/a.sql"
        ));
        assert!(!in_dbt_project("transforms/dbt", "transforms/dags/a.py"));
        assert!(in_dbt_project("", "dbt_project.yml"));
        assert!(!in_dbt_project("", ".github/workflows/ci.yml"));
    }

    #[test]
    fn a_value_in_a_path_is_one_file_name_segment() {
        let mut env = minijinja::Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Custom("sc:path"));
        env.set_formatter(path_value);
        let render = |v: &str| env.render_str("out/{{ v }}.sql", minijinja::context! { v => v });
        assert_eq!(render("orders").expect("renders"), "out/orders.sql");
        for bad in ["a/b", "a\\b", "..", ".", "a\nb", "a\tb", "a\u{1b}b"] {
            let e = render(bad).expect_err(bad).to_string();
            assert!(e.contains("cannot be part of a file name"), "{bad:?}: {e}");
        }
    }
}
