//! Lint of where templates print free-text answers: the places the
//! escaping of generated files (`expr::escape`) cannot protect. A free-text
//! answer is the goal and every `text`, `multiline` or `path` question
//! without a `regex` (a regex-validated answer is an identifier, harmless
//! everywhere). Reported, with file:line:col:
//! - an answer printed with `| safe` (it reaches the file unescaped);
//! - an answer printed inside a hand-written quote (`"{{ goal }}"`), or a
//!   Markdown code span: the escaping quotes the value itself, so the quote
//!   around it ends early.

use regex::Regex;
use std::collections::BTreeSet;

use crate::error::Problem;
use crate::expr::escape::{Format, Place};
use crate::pack::model::{Pack, QuestionKind};
use crate::pack::skill_key;

/// Names under which templates see free-text answers: `goal` and
/// `<skill_key>.<question>`.
fn free_text_names(pack: &Pack) -> BTreeSet<String> {
    let mut names = BTreeSet::from(["goal".to_string()]);
    for s in &pack.skills {
        for q in &s.questions {
            let free = matches!(
                q.kind,
                QuestionKind::Text | QuestionKind::Multiline | QuestionKind::Path
            ) && q.validate.regex.is_none();
            if free {
                names.insert(format!("{}.{}", skill_key(&s.id), q.id));
            }
        }
    }
    for b in &pack.blueprints {
        for q in &b.questions {
            if matches!(q.kind, QuestionKind::Text | QuestionKind::Multiline)
                && q.validate.regex.is_none()
            {
                names.insert(format!("blueprint.{}", q.id));
            }
        }
    }
    names
}

/// Problems of one pack's templates.
pub fn lint_templates(pack: &Pack, origin: &str) -> Vec<Problem> {
    let names = free_text_names(pack);
    let expr_re = Regex::new(r"(?s)\{\{-?(.*?)-?\}\}").expect("valid regex");
    let alias_re = Regex::new(r"\{%-?\s*set\s+([a-z_][a-z0-9_]*)\s*=\s*([a-z_][a-z0-9_]*)\s*-?%\}")
        .expect("valid regex");
    let safe_re = Regex::new(r"\|\s*safe\b").expect("valid regex");
    let mut problems = Vec::new();
    for (name, source) in &pack.templates {
        // `{% set mm = metadata_manager %}` makes `mm.friendly_name` an answer too.
        let mut watched: Vec<String> = names.iter().cloned().collect();
        for c in alias_re.captures_iter(source) {
            let (alias, target) = (&c[1], &c[2]);
            for n in &names {
                if let Some(rest) = n.strip_prefix(&format!("{target}.")) {
                    watched.push(format!("{alias}.{rest}"));
                }
            }
        }
        let refs: Vec<Regex> = watched
            .iter()
            .filter_map(|n| {
                Regex::new(&format!(
                    r"(^|[^A-Za-z0-9_.]){}($|[^A-Za-z0-9_])",
                    regex::escape(n).replace(r"\.", r"\s*\.\s*")
                ))
                .ok()
            })
            .collect();
        let place = Place::for_path(name, false);
        for m in expr_re.captures_iter(source) {
            let whole = m.get(0).expect("match");
            let inner = m.get(1).map_or("", |g| g.as_str());
            let Some(answer) = refs
                .iter()
                .zip(&watched)
                .find(|(re, _)| re.is_match(inner))
                .map(|(_, n)| n.clone())
            else {
                continue;
            };
            let before = &source[..whole.start()];
            let line = before.matches('\n').count() + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            let col = before[line_start..].chars().count() + 1;
            let at = format!("{origin}/templates/{name}:{line}:{col}");
            if safe_re.is_match(inner) {
                problems.push(Problem::new(
                    &at,
                    format!("`{answer}` is printed with `| safe`, so it reaches the file unescaped; drop `| safe` (values are escaped for the file) or use a filter that states the context (`| yaml`, `| py_str`, `| sql_string`, `| comment`, …)"),
                ));
                continue;
            }
            let text_before = literal_text(&source[line_start..whole.start()]);
            if let Some(quote) = open_quote(place.format, &text_before) {
                let fix = match place.format {
                    Format::Markdown => format!("print it as `{{{{ {answer} | md_span }}}}` (inline code) or `| md_code` (a code block) instead"),
                    f => format!("remove the {quote} and print the value alone, or build the whole string in the expression: `{{{{ ('text ' ~ {answer}) | {} }}}}`", filter_for(f)),
                };
                problems.push(Problem::new(
                    &at,
                    format!("`{answer}` is printed inside a hand-written {quote}: the value is escaped as a whole {} literal, so the quote around it would end early; {fix}", place.name()),
                ));
            }
        }
    }
    problems
}

fn filter_for(format: Format) -> &'static str {
    match format {
        Format::Yaml => "yaml",
        Format::Python => "py_str",
        Format::Sql => "sql_string",
        Format::Shell => "sh",
        Format::Json => "tojson",
        Format::Toml => "toml_str",
        _ => "safe",
    }
}

/// The literal text of a template line: expressions and tags replaced by a
/// neutral placeholder.
fn literal_text(line: &str) -> String {
    let re = Regex::new(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}").expect("valid regex");
    re.replace_all(line, "x").into_owned()
}

/// Which hand-written quote is open at the end of `text` (a line of a file
/// of `format` up to an expression), if any. Comments end the search.
fn open_quote(format: Format, text: &str) -> Option<&'static str> {
    let (quotes, comment): (&[char], &[&str]) = match format {
        Format::Yaml => (&['"', '\''], &["#"]),
        Format::Python => (&['"', '\''], &["#"]),
        Format::Toml => (&['"', '\''], &["#"]),
        Format::Shell | Format::Env => (&['"', '\''], &["#"]),
        Format::Json | Format::Hcl => (&['"'], &[]),
        Format::Sql => (&['\'', '"', '`'], &["--"]),
        Format::Markdown => (&['`'], &[]),
        _ => return None,
    };
    let mut open: Option<char> = None;
    let mut prev = ' ';
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if open.is_none() {
            let rest: String = chars[i..].iter().collect();
            // A comment starts only at a word boundary (`#` after a space or at the start).
            if comment
                .iter()
                .any(|m| rest.starts_with(m) && (i == 0 || prev.is_whitespace() || *m == "--"))
            {
                return None;
            }
            if quotes.contains(&c) && !(c == '\'' && prev.is_alphanumeric()) {
                open = Some(c);
            }
        } else if Some(c) == open && prev != '\\' {
            open = None;
        }
        prev = c;
        i += 1;
    }
    open.map(|c| match c {
        '`' => "backtick quote",
        '"' => "double quote",
        _ => "single quote",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_open_before_an_expression_are_found_per_format() {
        assert_eq!(open_quote(Format::Yaml, "name: \""), Some("double quote"));
        assert_eq!(open_quote(Format::Yaml, "name: \"a\" "), None);
        assert_eq!(open_quote(Format::Yaml, "# it's \""), None);
        assert_eq!(open_quote(Format::Yaml, "text: it's "), None);
        assert_eq!(open_quote(Format::Sql, "where x = '"), Some("single quote"));
        assert_eq!(open_quote(Format::Sql, "-- don't '"), None);
        assert_eq!(open_quote(Format::Python, "x = f\""), Some("double quote"));
        assert_eq!(
            open_quote(Format::Markdown, "see `"),
            Some("backtick quote")
        );
        assert_eq!(open_quote(Format::Markdown, "it's \""), None);
    }
}
