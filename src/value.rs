//! Answer values and their validation per question kind.
//!
//! The same checks serve typed input in the app, answers files and presets, so
//! an answer accepted in one place is accepted everywhere.

use std::fmt;

use crate::pack::{Question, QuestionKind};

// The type alone, in its own file, so build.rs can compile it (see there).
mod answer;
pub use answer::AnswerValue;

impl fmt::Display for AnswerValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AnswerValue::Bool(b) => write!(f, "{}", if *b { "yes" } else { "no" }),
            AnswerValue::Int(i) => write!(f, "{i}"),
            AnswerValue::Float(x) => write!(f, "{x}"),
            AnswerValue::Text(s) => f.write_str(s),
            AnswerValue::List(items) => f.write_str(&items.join(", ")),
        }
    }
}

impl AnswerValue {
    pub fn to_jinja(&self) -> minijinja::Value {
        match self {
            AnswerValue::Bool(b) => minijinja::Value::from(*b),
            AnswerValue::Int(i) => minijinja::Value::from(*i),
            AnswerValue::Float(x) => minijinja::Value::from(*x),
            AnswerValue::Text(s) => minijinja::Value::from(s.as_str()),
            AnswerValue::List(items) => minijinja::Value::from(items.clone()),
        }
    }

    /// The empty value of a kind: what an unanswered optional question holds.
    pub fn empty_for(kind: QuestionKind) -> AnswerValue {
        match kind {
            QuestionKind::Bool => AnswerValue::Bool(false),
            QuestionKind::MultiChoice => AnswerValue::List(Vec::new()),
            _ => AnswerValue::Text(String::new()),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            AnswerValue::Text(s) => s.trim().is_empty(),
            AnswerValue::List(items) => items.is_empty(),
            _ => false,
        }
    }
}

/// What a question of this kind expects, phrased for error messages.
pub fn expectation(q: &Question) -> String {
    match q.kind {
        QuestionKind::Choice => format!("one of: {}", option_values(q)),
        QuestionKind::MultiChoice => {
            format!("zero or more of: {} (comma-separated)", option_values(q))
        }
        QuestionKind::Bool => "yes or no".to_string(),
        QuestionKind::Integer => with_range("a whole number", q),
        QuestionKind::Number => with_range("a number", q),
        QuestionKind::Path => "a relative or absolute path".to_string(),
        QuestionKind::Text | QuestionKind::Multiline | QuestionKind::Secret => "text".to_string(),
    }
}

fn option_values(q: &Question) -> String {
    q.options
        .iter()
        .map(|o| o.value.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn with_range(base: &str, q: &Question) -> String {
    match (q.validate.min, q.validate.max) {
        (Some(lo), Some(hi)) => format!("{base} from {lo} to {hi}"),
        (Some(lo), None) => format!("{base} of at least {lo}"),
        (None, Some(hi)) => format!("{base} of at most {hi}"),
        (None, None) => base.to_string(),
    }
}

/// Parses what a person typed for `q`. Choices accept the value, the label
/// (any case) or the 1-based number shown next to it.
pub fn parse_input(q: &Question, input: &str) -> Result<AnswerValue, String> {
    crate::limits::check_size(q, input.len())?;
    parsed_input(q, input).map_err(|e| crate::limits::tidy_message(q, input, &e))
}

fn parsed_input(q: &Question, input: &str) -> Result<AnswerValue, String> {
    let text = if q.kind == QuestionKind::Multiline {
        input.trim_end().to_string()
    } else {
        input.trim().to_string()
    };
    let value = match q.kind {
        QuestionKind::Choice => AnswerValue::Text(resolve_choice(q, &text)?),
        QuestionKind::MultiChoice => {
            let mut picked = Vec::new();
            for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let v = resolve_choice(q, part)?;
                if !picked.contains(&v) {
                    picked.push(v);
                }
            }
            AnswerValue::List(picked)
        }
        QuestionKind::Bool => match text.to_ascii_lowercase().as_str() {
            "y" | "yes" | "true" | "on" | "1" => AnswerValue::Bool(true),
            "n" | "no" | "false" | "off" | "0" => AnswerValue::Bool(false),
            _ => return Err(format!("`{text}` is not yes or no")),
        },
        QuestionKind::Integer => match text.parse::<i64>() {
            Ok(i) => AnswerValue::Int(i),
            Err(_) => return Err(format!("`{text}` is not {}", expectation(q))),
        },
        QuestionKind::Number => match text.parse::<f64>() {
            Ok(x) if x.is_finite() => AnswerValue::Float(x),
            _ => return Err(format!("`{text}` is not {}", expectation(q))),
        },
        _ => AnswerValue::Text(text),
    };
    check_value(q, &value)
}

fn resolve_choice(q: &Question, text: &str) -> Result<String, String> {
    if let Some(o) = q.options.iter().find(|o| o.value == text) {
        return Ok(o.value.clone());
    }
    if let Some(o) = q
        .options
        .iter()
        .find(|o| o.value.eq_ignore_ascii_case(text) || o.label().eq_ignore_ascii_case(text))
    {
        return Ok(o.value.clone());
    }
    if let Ok(n) = text.parse::<usize>() {
        if n >= 1 && n <= q.options.len() {
            return Ok(q.options[n - 1].value.clone());
        }
    }
    let mut msg = format!("`{text}` is not {}", expectation(q));
    msg.push_str(&crate::suggest::hint(
        text,
        q.options.iter().map(|o| o.value.as_str()),
    ));
    Err(msg)
}

/// Checks (and normalises to the kind's shape) a value that did not come from
/// typing: an answers file, a preset, a default.
/// Messages never show a secret, nor more than the start of a long value.
pub fn check_value(q: &Question, value: &AnswerValue) -> Result<AnswerValue, String> {
    crate::limits::check_answer_size(q, value)?;
    checked_value(q, value).map_err(|e| crate::limits::tidy_message(q, &value.to_string(), &e))
}

fn checked_value(q: &Question, value: &AnswerValue) -> Result<AnswerValue, String> {
    let v = coerce(q, value)?;
    let rules = &q.validate;
    if v.is_empty() {
        if rules.required {
            // "text" would add nothing to the message.
            return Err(match q.kind {
                QuestionKind::Text | QuestionKind::Multiline | QuestionKind::Secret => {
                    "an answer is required".to_string()
                }
                _ => format!("an answer is required: {}", expectation(q)),
            });
        }
        return Ok(v);
    }
    match (&v, q.kind) {
        (AnswerValue::Text(s), QuestionKind::Choice)
            if !q.options.iter().any(|o| &o.value == s) =>
        {
            return Err(format!("`{s}` is not {}", expectation(q)));
        }
        (AnswerValue::Text(_), QuestionKind::Choice) => {}
        (AnswerValue::List(items), QuestionKind::MultiChoice) => {
            for s in items {
                if !q.options.iter().any(|o| &o.value == s) {
                    return Err(format!("`{s}` is not {}", expectation(q)));
                }
            }
        }
        (AnswerValue::Int(i), _) => check_range(q, *i as f64)?,
        (AnswerValue::Float(x), _) => check_range(q, *x)?,
        (AnswerValue::Text(s), _) => {
            // A line break or control character is named before any other
            // rule: it is the problem whatever the length or pattern.
            if q.kind == QuestionKind::Path && s.contains('\0') {
                return Err("a path cannot contain a NUL character".to_string());
            }
            if let Some(why) = control_problem(q.kind, s) {
                return Err(why);
            }
            let len = s.chars().count();
            if let Some(min) = rules.min_length {
                if len < min {
                    return Err(format!(
                        "must be at least {min} characters long (got {len})"
                    ));
                }
            }
            if let Some(max) = rules.max_length {
                if len > max {
                    return Err(format!("must be at most {max} characters long (got {len})"));
                }
            }
            if let Some(pattern) = &rules.regex {
                let ok = matches_pattern(pattern, s);
                if !ok {
                    return Err(rules
                        .message
                        .clone()
                        .unwrap_or_else(|| format!("`{s}` must match the pattern {pattern}")));
                }
            }
        }
        _ => {}
    }
    Ok(v)
}

/// Why a text answer holds characters its kind cannot: `text`, `path` and
/// `secret` answers are one line (no line break, tab or other control
/// character), so a value can never start a new line of a generated file or
/// reach a file name with one. `multiline` answers may hold line breaks and
/// tabs, but no other control character (a carriage return, an escape
/// sequence or a NUL would reach generated files invisibly). The Unicode
/// line and paragraph separators count as control characters here.
fn control_problem(kind: QuestionKind, s: &str) -> Option<String> {
    let multiline = kind == QuestionKind::Multiline;
    let (at, c) = s.chars().enumerate().find(|(_, c)| {
        (c.is_control() || matches!(c, '\u{2028}' | '\u{2029}'))
            && !(multiline && matches!(c, '\n' | '\t'))
    })?;
    let what = match c {
        '\n' => "a line break".to_string(),
        '\r' => "a carriage return".to_string(),
        '\t' => "a tab".to_string(),
        // Not control characters, but YAML, JavaScript and Python's
        // `splitlines` break lines at them.
        '\u{2028}' => "the line separator U+2028".to_string(),
        '\u{2029}' => "the paragraph separator U+2029".to_string(),
        other => format!("the control character U+{:04X}", u32::from(other)),
    };
    let pos = at + 1;
    Some(if multiline {
        format!("contains {what} at character {pos}; a multiline answer may hold line breaks and tabs, but no other control character")
    } else {
        format!("contains {what} at character {pos}; a {} answer is one line (use a multiline question for several lines)", kind.as_str())
    })
}

fn check_range(q: &Question, x: f64) -> Result<(), String> {
    let below = q.validate.min.is_some_and(|lo| x < lo);
    let above = q.validate.max.is_some_and(|hi| x > hi);
    if below || above {
        return Err(format!("{x} is not {}", expectation(q)));
    }
    Ok(())
}

/// Brings a value into the shape of the kind (a YAML `8` for a text question
/// is the text "8"), or says why it cannot be.
fn coerce(q: &Question, value: &AnswerValue) -> Result<AnswerValue, String> {
    let wrong = || {
        Err(format!(
            "`{value}` is a {} but {} expects {}",
            shape(value),
            q.kind.as_str(),
            expectation(q)
        ))
    };
    Ok(match (q.kind, value) {
        (QuestionKind::Bool, AnswerValue::Bool(b)) => AnswerValue::Bool(*b),
        (QuestionKind::Bool, AnswerValue::Text(s)) => return parse_input(q, s),
        (QuestionKind::Bool, _) => return wrong(),
        (QuestionKind::Integer, AnswerValue::Int(i)) => AnswerValue::Int(*i),
        (QuestionKind::Integer, AnswerValue::Float(x)) if x.fract() == 0.0 => {
            AnswerValue::Int(*x as i64)
        }
        (QuestionKind::Integer, AnswerValue::Text(s)) => return parse_input(q, s),
        (QuestionKind::Integer, _) => return wrong(),
        (QuestionKind::Number, AnswerValue::Int(i)) => AnswerValue::Float(*i as f64),
        (QuestionKind::Number, AnswerValue::Float(x)) => AnswerValue::Float(*x),
        (QuestionKind::Number, AnswerValue::Text(s)) => return parse_input(q, s),
        (QuestionKind::Number, _) => return wrong(),
        (QuestionKind::MultiChoice, AnswerValue::List(items)) => AnswerValue::List(items.clone()),
        (QuestionKind::MultiChoice, AnswerValue::Text(s)) if s.trim().is_empty() => {
            AnswerValue::List(Vec::new())
        }
        (QuestionKind::MultiChoice, AnswerValue::Text(s)) => AnswerValue::List(vec![s.clone()]),
        (QuestionKind::MultiChoice, _) => return wrong(),
        (_, AnswerValue::List(_)) => return wrong(),
        // Windows line ends in a multiline answer are line breaks, not a
        // stray carriage return.
        (QuestionKind::Multiline, AnswerValue::Text(s)) => {
            AnswerValue::Text(s.replace("\r\n", "\n"))
        }
        (_, AnswerValue::Text(s)) => AnswerValue::Text(s.clone()),
        (_, other) => AnswerValue::Text(other.to_string_plain()),
    })
}

fn shape(v: &AnswerValue) -> &'static str {
    match v {
        AnswerValue::Bool(_) => "boolean",
        AnswerValue::Int(_) => "whole number",
        AnswerValue::Float(_) => "number",
        AnswerValue::Text(_) => "text",
        AnswerValue::List(_) => "list",
    }
}

impl AnswerValue {
    /// Scalar as it would be written in YAML (`true`, not `yes`).
    fn to_string_plain(&self) -> String {
        match self {
            AnswerValue::Bool(b) => b.to_string(),
            other => other.to_string(),
        }
    }
}

/// Whether `text` matches the validation regex `pattern` (false when the
/// pattern is invalid: lint reports it). Compiled regexes are kept per
/// thread: a session checks the same few patterns at every refresh, and
/// compiling one costs far more than matching it.
///
/// An answer is short and checked once, so the pattern is compiled only as
/// a Pike VM (the same syntax and matches as `regex::Regex`, whose default
/// size limit it keeps), without the reverse automaton, one-pass DFA and
/// prefilters `Regex::new` builds for fast searches of long texts: those
/// were most of a `run`'s cost of checking its defaults.
fn matches_pattern(pattern: &str, text: &str) -> bool {
    use regex_automata::nfa::thompson::{self, pikevm::PikeVM};
    use std::collections::HashMap;
    thread_local! {
        static COMPILED: std::cell::RefCell<HashMap<String, Option<PikeVM>>> =
            std::cell::RefCell::new(HashMap::new());
    }
    /// `regex::RegexBuilder`'s default `size_limit`.
    const SIZE_LIMIT: usize = 10 * (1 << 20);
    COMPILED.with(|cache| {
        let mut cache = cache.borrow_mut();
        if !cache.contains_key(pattern) {
            // A pack is a few dozen patterns; a bound keeps a long app
            // session over many packs from growing without end.
            if cache.len() >= 256 {
                cache.clear();
            }
            let vm = PikeVM::builder()
                .thompson(thompson::Config::new().nfa_size_limit(Some(SIZE_LIMIT)))
                .build(pattern)
                .ok();
            cache.insert(pattern.to_string(), vm);
        }
        cache
            .get(pattern)
            .and_then(Option::as_ref)
            .is_some_and(|vm| vm.is_match(&mut vm.create_cache(), text))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::{Choice, Validation};

    fn q(kind: QuestionKind) -> Question {
        Question {
            id: "q".into(),
            prompt: "Q?".into(),
            help: String::new(),
            kind,
            options: Vec::new(),
            default: None,
            smart_defaults: Vec::new(),
            when: None,
            validate: Validation::default(),
            load: None,
        }
    }

    fn with_options(kind: QuestionKind, values: &[&str]) -> Question {
        let mut q = q(kind);
        q.options = values
            .iter()
            .map(|v| Choice {
                value: v.to_string(),
                label: format!("{} label", v.to_uppercase()),
                help: String::new(),
            })
            .collect();
        q
    }

    fn text(s: &str) -> AnswerValue {
        AnswerValue::Text(s.into())
    }

    #[test]
    fn a_choice_takes_its_value_its_label_or_its_number() {
        let q = with_options(QuestionKind::Choice, &["kafka", "kinesis"]);
        assert_eq!(parse_input(&q, "kinesis"), Ok(text("kinesis")));
        assert_eq!(parse_input(&q, "KAFKA label"), Ok(text("kafka")));
        assert_eq!(parse_input(&q, " 2 "), Ok(text("kinesis")));
        assert_eq!(
            parse_input(&q, "3"),
            Err("`3` is not one of: kafka, kinesis".into())
        );
    }

    #[test]
    fn a_multi_choice_takes_a_comma_list_without_duplicates() {
        let q = with_options(QuestionKind::MultiChoice, &["nulls", "volume", "freshness"]);
        assert_eq!(
            parse_input(&q, "freshness, 1,nulls"),
            Ok(AnswerValue::List(vec!["freshness".into(), "nulls".into()]))
        );
        assert_eq!(parse_input(&q, ""), Ok(AnswerValue::List(vec![])));
        assert_eq!(
            parse_input(&q, "nulls, volme"),
            Err("`volme` is not zero or more of: nulls, volume, freshness (comma-separated) (did you mean `volume`?)".into())
        );
    }

    #[test]
    fn a_bool_takes_yes_no_words() {
        let q = q(QuestionKind::Bool);
        for yes in ["y", "YES", "true", "on", "1"] {
            assert_eq!(parse_input(&q, yes), Ok(AnswerValue::Bool(true)), "{yes}");
        }
        for no in ["n", "No", "false", "off", "0"] {
            assert_eq!(parse_input(&q, no), Ok(AnswerValue::Bool(false)), "{no}");
        }
        assert_eq!(
            parse_input(&q, "maybe"),
            Err("`maybe` is not yes or no".into())
        );
    }

    #[test]
    fn integers_and_numbers_check_their_range() {
        let mut i = q(QuestionKind::Integer);
        i.validate.min = Some(1.0);
        assert_eq!(parse_input(&i, "12"), Ok(AnswerValue::Int(12)));
        assert_eq!(
            parse_input(&i, "0"),
            Err("0 is not a whole number of at least 1".into())
        );
        assert_eq!(
            parse_input(&i, "1.5"),
            Err("`1.5` is not a whole number of at least 1".into())
        );
        let mut n = q(QuestionKind::Number);
        n.validate.max = Some(1.0);
        assert_eq!(parse_input(&n, "0.25"), Ok(AnswerValue::Float(0.25)));
        assert_eq!(
            parse_input(&n, "2"),
            Err("2 is not a number of at most 1".into())
        );
        assert_eq!(
            parse_input(&n, "NaN"),
            Err("`NaN` is not a number of at most 1".into())
        );
    }

    #[test]
    fn text_kinds_check_length_and_pattern_and_keep_inner_lines() {
        let mut t = q(QuestionKind::Text);
        t.validate.min_length = Some(3);
        t.validate.regex = Some("^[a-z_]+$".into());
        assert_eq!(
            parse_input(&t, " ab "),
            Err("must be at least 3 characters long (got 2)".into())
        );
        assert_eq!(
            parse_input(&t, "a-b-c"),
            Err("`a-b-c` must match the pattern ^[a-z_]+$".into())
        );
        assert_eq!(parse_input(&t, "orders"), Ok(text("orders")));
        let m = q(QuestionKind::Multiline);
        assert_eq!(
            parse_input(&m, "  line one\nline two\n\n"),
            Ok(text("  line one\nline two"))
        );
        let p = q(QuestionKind::Path);
        assert_eq!(
            parse_input(&p, "target/run_results.json"),
            Ok(text("target/run_results.json"))
        );
        assert_eq!(
            parse_input(&p, "a\0b"),
            Err("a path cannot contain a NUL character".into())
        );
        let mut s = q(QuestionKind::Secret);
        s.validate.required = true;
        assert_eq!(parse_input(&s, ""), Err("an answer is required".into()));
        assert_eq!(parse_input(&s, "s3cr3t"), Ok(text("s3cr3t")));
    }

    #[test]
    fn one_line_kinds_refuse_every_control_character_from_every_source() {
        // Generated: every C0 and C1 control character, at the start, the
        // middle and the end, for each one-line kind, through both entry
        // points (typed and from a file/--set/preference/saved session).
        let controls: Vec<char> = (0u32..0x20)
            .chain(0x7f..0xa0)
            .filter_map(char::from_u32)
            .collect();
        for kind in [QuestionKind::Text, QuestionKind::Path, QuestionKind::Secret] {
            let q = q(kind);
            for &c in &controls {
                for value in [format!("{c}ab"), format!("a{c}b"), format!("ab{c}")] {
                    let from_file = check_value(&q, &text(&value));
                    assert!(
                        from_file.is_err(),
                        "{kind:?} accepted {value:?} from a file"
                    );
                    // Typing trims the ends, so only an inner character must stay refused.
                    if value.starts_with('a') && value.ends_with('b') {
                        assert!(parse_input(&q, &value).is_err(), "{kind:?} typed {value:?}");
                    }
                }
            }
        }
        assert_eq!(
            check_value(&q(QuestionKind::Text), &text("daily\ndrop table x; --")),
            Err("contains a line break at character 6; a text answer is one line (use a multiline question for several lines)".into())
        );
        assert_eq!(
            check_value(&q(QuestionKind::Path), &text("a\tb")),
            Err("contains a tab at character 2; a path answer is one line (use a multiline question for several lines)".into())
        );
    }

    #[test]
    fn multiline_keeps_line_breaks_and_tabs_and_refuses_other_controls() {
        let m = q(QuestionKind::Multiline);
        assert_eq!(check_value(&m, &text("a\n\tb")), Ok(text("a\n\tb")));
        assert_eq!(check_value(&m, &text("a\r\nb")), Ok(text("a\nb")));
        assert_eq!(
            check_value(&m, &text("a\rb")),
            Err("contains a carriage return at character 2; a multiline answer may hold line breaks and tabs, but no other control character".into())
        );
        assert_eq!(
            check_value(&m, &text("a\u{1b}[2Jb")),
            Err("contains the control character U+001B at character 2; a multiline answer may hold line breaks and tabs, but no other control character".into())
        );
        // Printable text of every script stays: quotes, RTL, emoji.
        for ok in ["it's \"quoted\"", "שלום עולם", "📦 data", "a\\b"] {
            assert_eq!(check_value(&q(QuestionKind::Text), &text(ok)), Ok(text(ok)));
        }
    }

    #[test]
    fn values_from_files_are_coerced_to_the_kind_or_refused() {
        let i = q(QuestionKind::Integer);
        assert_eq!(
            check_value(&i, &AnswerValue::Float(4.0)),
            Ok(AnswerValue::Int(4))
        );
        assert_eq!(check_value(&i, &text("7")), Ok(AnswerValue::Int(7)));
        assert_eq!(
            check_value(&i, &AnswerValue::List(vec!["a".into()])),
            Err("`a` is a list but integer expects a whole number".into())
        );
        let t = q(QuestionKind::Text);
        assert_eq!(check_value(&t, &AnswerValue::Int(8)), Ok(text("8")));
        assert_eq!(check_value(&t, &AnswerValue::Bool(true)), Ok(text("true")));
        let m = with_options(QuestionKind::MultiChoice, &["a", "b"]);
        assert_eq!(
            check_value(&m, &text("b")),
            Ok(AnswerValue::List(vec!["b".into()]))
        );
    }
}

#[cfg(test)]
mod pattern_tests {
    use super::matches_pattern;

    /// The full `regex::Regex`, as answers were checked before.
    fn full(re: &Option<regex::Regex>, text: &str) -> bool {
        re.as_ref().is_some_and(|re| re.is_match(text))
    }

    /// Every `regex:` of the bundled packs, and hostile ones: Unicode
    /// classes, flags, anchors, alternations, an invalid pattern and ones
    /// over the size limit.
    fn patterns() -> Vec<String> {
        let mut out: Vec<String> = [
            r"^[a-z][a-z0-9_]{1,39}$",
            r"^[A-Za-z0-9][A-Za-z0-9/_.-]*[A-Za-z0-9]$",
            r"^[0-9*/,\-]+( [0-9*/,\-]+){4}$",
            r"\w+",
            r"^\p{Greek}+$",
            r"(?i)^select\b",
            r"(?m)^x$",
            r"(?s)a.b",
            r"\bword\b",
            r"^(a|ab)(c|bcd)$",
            r"^$",
            r"[",
            r"a{1000}{1000}",
            r"(\w{50}){40}",
            r"é|名",
            r".",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for entry in walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/skillchains"))
            .into_iter()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "yaml"))
        {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            for line in text.lines() {
                if let Some(p) = line.trim().strip_prefix("regex: ") {
                    out.push(p.trim_matches('\'').trim_matches('"').to_string());
                }
            }
        }
        out
    }

    #[test]
    fn answer_patterns_match_exactly_as_the_full_regex_does() {
        let alphabet = [
            "a", "z", "A", "0", "9", "_", "-", "/", ".", "*", ",", " ", "\n", "é", "名", "Ω",
            "select", "word", "x", "ab", "bcd", "c",
        ];
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_F491_4F6C_DD1D)
        };
        let patterns = patterns();
        assert!(patterns.len() > 16, "the packs' patterns were read");
        for p in &patterns {
            let re = regex::Regex::new(p).ok();
            for _ in 0..150 {
                let len = (next() % 12) as usize;
                let text: String = (0..len)
                    .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                    .collect();
                assert_eq!(
                    matches_pattern(p, &text),
                    full(&re, &text),
                    "pattern {p:?} on {text:?}"
                );
            }
            for text in ["", "orders_daily", "0 */2 * * *", "a.b-c", "αβγ", "x\n"] {
                assert_eq!(matches_pattern(p, text), full(&re, text), "{p:?} {text:?}");
            }
        }
    }
}
