//! How much skillchain reads: the size of every input file by kind and of
//! every answer by question kind, at sizes no real user reaches, so a wrong
//! file (`/dev/zero`, a log, a database dump) or a runaway paste is refused
//! with a message instead of eating memory. Also how a value is shown in a
//! message: never whole when it is long, never at all when it is a secret.

use crate::pack::{Question, QuestionKind};
use crate::value::AnswerValue;

pub const KIB: u64 = 1024;
pub const MIB: u64 = 1024 * KIB;

/// One file of a pack (manifest, skill, blueprint, template).
pub const PACK_FILE: u64 = 4 * MIB;
/// All the files of one pack together.
pub const PACK_TOTAL: u64 = 64 * MIB;
/// An answers file (`--answers`, `.skillchain/answers.yaml`).
pub const ANSWERS_FILE: u64 = 16 * MIB;
/// A preferences file of one pack.
pub const PREFS_FILE: u64 = 4 * MIB;
/// `keymap.yaml`.
pub const KEYMAP_FILE: u64 = MIB;
/// A theme file.
pub const THEME_FILE: u64 = MIB;
/// A file a `load:` question reads into templates (dbt's `manifest.json`).
pub const LOADED_FILE: u64 = 64 * MIB;
/// A file of a generated folder that `validate` reads for a content check
/// (generated files are at most 8 MiB; a larger one was put there by hand).
pub const VALIDATED_FILE: u64 = 16 * MIB;
/// `packs.lock` and `indexes.yaml` in the config dir.
pub const PACK_CONFIG_FILE: u64 = 4 * MIB;
/// A local pack archive or index (`pack add FILE`), or an upstream
/// `_registry.yaml` (`pack import-registry FILE`).
pub const PACK_ARCHIVE: u64 = 64 * MIB;

/// A goal, from the command line or typed (the app's goal field keeps the
/// same limit).
pub const GOAL: usize = 2048;

/// Refuses a goal over [`GOAL`] bytes, saying the limit and never
/// repeating it.
pub fn check_goal(goal: &str) -> Result<(), String> {
    if goal.len() > GOAL {
        return Err(format!(
            "the goal is {} long; goals are limited to {}: describe what to build in a few sentences, the questions ask for the details",
            human(goal.len() as u64),
            human(GOAL as u64)
        ));
    }
    Ok(())
}

/// A one-line answer: text, path, secret, a choice.
pub const TEXT_ANSWER: usize = 4 * 1024;
/// A multi-line text answer.
pub const MULTILINE_ANSWER: usize = 64 * 1024;

/// `4 MiB`, `64 KiB`, `512 bytes`.
pub fn human(bytes: u64) -> String {
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// The largest answer a question of this kind takes, in bytes.
pub fn answer_limit(kind: QuestionKind) -> usize {
    match kind {
        QuestionKind::Multiline => MULTILINE_ANSWER,
        _ => TEXT_ANSWER,
    }
}

/// Refuses an answer larger than its kind allows, saying the limit and
/// never repeating the value.
pub fn check_answer_size(q: &Question, value: &AnswerValue) -> Result<(), String> {
    let size = match value {
        AnswerValue::Text(s) => s.len(),
        AnswerValue::List(items) => items.iter().map(|s| s.len() + 2).sum(),
        _ => 0,
    };
    check_size(q, size)
}

/// [`check_answer_size`] for `size` bytes of typed input.
pub fn check_size(q: &Question, size: usize) -> Result<(), String> {
    let limit = answer_limit(q.kind);
    if size > limit {
        return Err(format!(
            "the answer is {} long; answers to {} questions are limited to {}",
            human(size as u64),
            q.kind.as_str(),
            human(limit as u64)
        ));
    }
    Ok(())
}

/// Longest value shown whole in a message, in characters.
const SHOWN: usize = 60;

/// A value as a message shows it: control characters escaped, and cut
/// after [`SHOWN`] characters with its full length, so a 50 MB paste never
/// reaches the screen.
pub fn shown(value: &str) -> String {
    let total = value.chars().count();
    let mut out = String::new();
    for c in value.chars().take(SHOWN) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if total > SHOWN {
        out.push_str(&format!("… ({total} characters)"));
    }
    out
}

/// What a message says instead of a secret.
pub const HIDDEN: &str = "(hidden)";

/// A validation message about `value` (an answer to `q`) made fit to show:
/// a secret's value never appears in it, and a long value is cut. The
/// validators quote values in backticks, so every backticked span that is
/// the value, one of its items or a piece of it is replaced.
pub fn tidy_message(q: &Question, value: &str, message: &str) -> String {
    let secret = q.kind == QuestionKind::Secret;
    let mut out = String::with_capacity(message.len().min(1024));
    let mut rest = message;
    while let Some(start) = rest.find('`') {
        let Some(len) = rest[start + 1..].find('`') else {
            break;
        };
        let span = &rest[start + 1..start + 1 + len];
        out.push_str(&rest[..=start]);
        let is_value = !span.is_empty()
            && (span == value
                || value.contains(span)
                || span.trim() == value.trim()
                || value.split(',').any(|p| p.trim() == span.trim()));
        if secret && is_value {
            out.push_str(HIDDEN);
        } else {
            out.push_str(&shown(span));
        }
        out.push('`');
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    if secret && !value.trim().is_empty() && out.contains(value.trim()) {
        // A validator that did not quote the value: say nothing of it.
        return format!(
            "the secret is not accepted for {}: {}",
            q.id,
            crate::value::expectation(q)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(kind: QuestionKind) -> Question {
        serde_yaml::from_str(&format!(
            "id: q\nprompt: Q?\nkind: {}\n",
            match kind {
                QuestionKind::Secret => "secret",
                QuestionKind::Multiline => "multiline",
                _ => "text",
            }
        ))
        .expect("a question")
    }

    #[test]
    fn limits_read_as_people_write_them() {
        assert_eq!(human(4 * MIB), "4 MiB");
        assert_eq!(human(64 * KIB), "64 KiB");
        assert_eq!(human(1000), "1000 bytes");
    }

    #[test]
    fn long_values_are_cut_with_their_length_and_control_characters_escaped() {
        let long = "x".repeat(50_000_000);
        let s = shown(&long);
        assert_eq!(s, format!("{}… (50000000 characters)", "x".repeat(60)));
        assert_eq!(shown("a\nb\u{1b}[2J"), "a\\nb\\u{1b}[2J");
        assert_eq!(shown("short"), "short");
    }

    #[test]
    fn answers_over_their_kind_limit_are_refused_without_the_value() {
        let text = question(QuestionKind::Text);
        let big = AnswerValue::Text("y".repeat(TEXT_ANSWER + 1));
        assert_eq!(
            check_answer_size(&text, &big),
            Err(
                "the answer is 4097 bytes long; answers to text questions are limited to 4 KiB"
                    .to_string()
            )
        );
        assert_eq!(
            check_answer_size(&text, &AnswerValue::Text("y".repeat(TEXT_ANSWER))),
            Ok(())
        );
        let multi = question(QuestionKind::Multiline);
        assert_eq!(check_answer_size(&multi, &big), Ok(()));
        assert!(
            check_answer_size(&multi, &AnswerValue::Text("y".repeat(MULTILINE_ANSWER + 1)))
                .is_err()
        );
    }

    #[test]
    fn a_secret_never_appears_in_a_message_and_other_values_are_cut() {
        let secret = question(QuestionKind::Secret);
        for (value, message) in [
            ("S3cr3t", "`S3cr3t` is a list but secret expects text"),
            ("a, S3cr3t", "`S3cr3t` must match the pattern ^x$"),
            ("  S3cr3t ", "`S3cr3t` is not yes or no"),
            ("S3cr3t", "bad value S3cr3t here"),
        ] {
            let tidy = tidy_message(&secret, value, message);
            assert!(!tidy.contains("S3cr3t"), "{tidy}");
        }
        assert_eq!(
            tidy_message(
                &secret,
                "S3cr3t",
                "`S3cr3t` is a list but secret expects text"
            ),
            "`(hidden)` is a list but secret expects text"
        );
        let text = question(QuestionKind::Text);
        let long = "z".repeat(100);
        assert_eq!(
            tidy_message(
                &text,
                &long,
                &format!("`{long}` must match the pattern ^a$")
            ),
            format!(
                "`{}… (100 characters)` must match the pattern ^a$",
                "z".repeat(60)
            )
        );
    }
}
