//! Names the goal mentions: snake_case identifiers, dotted `dataset.table`
//! names and the words after "from", "into", "called" or "named". They become
//! smart defaults with provenance "goal" for questions that ask for a name.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Name {
    /// The name as written ("events_daily", "telemetry.main").
    pub text: String,
    /// "source" (after from), "target" (after into / called / named, or the
    /// first new name), or "name".
    pub role: String,
}

fn is_name(w: &str) -> bool {
    let ok_chars = w
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
    let first_ok = w.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    ok_chars
        && first_ok
        && w.len() >= 3
        && w.len() <= 128
        && !w.ends_with(['.', '_', '-'])
        && (w.contains('_') || (w.contains('.') && w.split('.').all(|p| p.len() >= 2)))
}

/// The names in `goal`, in order of appearance, without repeats.
pub fn names(goal: &str) -> Vec<Name> {
    let mut out: Vec<Name> = Vec::new();
    let words: Vec<&str> = goal
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | '"' | '`' | '\''))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, raw) in words.iter().enumerate() {
        let w = raw.trim_end_matches([':', '.', '!', '?']);
        if !is_name(w) {
            continue;
        }
        // Files ("query.sql", "schema.yaml") are not tables.
        if w.rsplit('.').next().is_some_and(|ext| {
            matches!(
                ext,
                "sql" | "py" | "yaml" | "yml" | "json" | "csv" | "md" | "txt"
            )
        }) {
            continue;
        }
        let before = i
            .checked_sub(1)
            .and_then(|j| words.get(j))
            .map(|b| b.to_lowercase());
        let role = match before.as_deref() {
            Some("from") => "source",
            Some("into" | "called" | "named" | "to") => "target",
            _ => "name",
        };
        if !out.iter().any(|n| n.text == w) {
            out.push(Name {
                text: w.to_string(),
                role: role.to_string(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_with_roles() {
        let n = names("new bigquery table user_retention_daily (7-day) from events_daily into moz.telemetry_derived.x; query.sql");
        let got: Vec<(&str, &str)> = n
            .iter()
            .map(|n| (n.text.as_str(), n.role.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("user_retention_daily", "name"),
                ("events_daily", "source"),
                ("moz.telemetry_derived.x", "target")
            ]
        );
        assert!(names("fix the css, e.g. this").is_empty());
    }
}
