//! Goal text → tokens: lower case, clause breaks kept, snake_case and dotted
//! names split into words, apostrophes dropped ("don't" → "dont"), and every
//! word reduced to its Snowball English stem, so "retraining", "failing" and
//! "weekly" meet "retrain", "failed" and "week".

use rust_stemmers::{Algorithm, Stemmer};

/// How a goal word came to match a keyword word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// Typed as the keyword has it, or another form of the same stem.
    Word,
    /// A typo within the edit-distance bound; `typed` is what the user wrote.
    Typo { typed: String },
    /// A pack-declared synonym or abbreviation; `typed` is what the user wrote.
    Synonym { typed: String },
}

#[derive(Debug, Clone)]
pub struct Token {
    /// The word as typed, lower-cased.
    pub typed: String,
    /// The word read (differs from `typed` after a typo fix or a synonym).
    pub word: String,
    pub stem: String,
    pub how: How,
    /// Punctuation (, ; : ! ? ( ) or a sentence end) stands before this word.
    pub clause_start: bool,
    /// The clause break before this word is a comma alone (an item of a
    /// list, "query, metadata and tests").
    pub after_comma: bool,
    /// The break before this word holds a colon: what stands before it
    /// may be a heading ("Out of scope: …").
    pub after_colon: bool,
    /// The break before this word starts a new part of a pasted ticket (a
    /// "|" or a blank line): a heading's list ends there.
    pub new_section: bool,
    /// Part of a snake_case or dotted name, not a word on its own.
    pub in_name: bool,
    /// The first part of such a name (`dim` of `dim_customer`).
    pub name_start: bool,
    /// A part of such a name after a dot (`table` of `dataset.table`,
    /// `json` of `run_results.json`).
    pub dotted: bool,
}

pub fn stemmer() -> Stemmer {
    Stemmer::create(Algorithm::English)
}

/// British and American spellings share a stem ("optimise", "optimize").
fn fold_spelling(word: &str) -> String {
    for (from, to) in [
        ("isation", "ization"),
        ("ising", "izing"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("yse", "yze"),
        ("ysed", "yzed"),
        ("ysing", "yzing"),
        ("ise", "ize"),
    ] {
        if word.len() > from.len() + 3 {
            if let Some(head) = word.strip_suffix(from) {
                return format!("{head}{to}");
            }
        }
    }
    word.to_string()
}

/// The stem detection compares: spelling folded, then Snowball English.
pub fn stem_word(st: &Stemmer, word: &str) -> String {
    if word.chars().count() <= 3 || !word.is_ascii() || word.chars().any(|c| c.is_ascii_digit()) {
        return word.to_string();
    }
    st.stem(&fold_spelling(word)).into_owned()
}

/// Splits `text` into (gap before, word) pairs; apostrophes inside a word
/// are kept for now ("don't").
fn raw_words(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut gap = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let apostrophe = (c == '\'' || c == '’')
            && !word.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() || c == '_' || apostrophe {
            word.push(c);
        } else {
            if !word.is_empty() {
                out.push((std::mem::take(&mut gap), std::mem::take(&mut word)));
            }
            gap.push(c);
        }
    }
    if !word.is_empty() {
        out.push((gap, word));
    }
    out
}

fn breaks_clause(gap: &str) -> bool {
    gap.contains([',', ';', ':', '!', '?', '(', ')', '\n', '|'])
        || gap.contains(". ")
        || gap.contains(" - ")
        || gap.ends_with(". ")
}

/// Tokens of `text`, each with its stem.
pub fn tokenise(st: &Stemmer, text: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    for (gap, word) in raw_words(text) {
        let clause_start = out.is_empty() || breaks_clause(&gap);
        // A possessive is the word itself: "bakery's" is "bakery".
        let word = word
            .strip_suffix("'s")
            .or_else(|| word.strip_suffix("’s"))
            .filter(|w| !w.is_empty())
            .unwrap_or(&word);
        let lower: String = word
            .to_lowercase()
            .chars()
            .filter(|c| *c != '\'' && *c != '’')
            .collect();
        let parts: Vec<&str> = lower.split('_').filter(|p| !p.is_empty()).collect();
        // "dataset.table": a dot with no space joins two parts of one name.
        let dotted = gap == "." && !out.is_empty();
        if dotted {
            if let Some(prev) = out.last_mut() {
                prev.in_name = true;
            }
        }
        let in_name = parts.len() > 1 || dotted;
        // "dataset.table" is one name: its table part does not start one.
        let name_start = in_name && !dotted;
        for (i, p) in parts.iter().enumerate() {
            out.push(Token {
                typed: (*p).to_string(),
                word: (*p).to_string(),
                stem: stem_word(st, p),
                how: How::Word,
                clause_start: clause_start && i == 0 && !dotted,
                after_comma: clause_start && i == 0 && !dotted && gap.trim() == ",",
                after_colon: clause_start && i == 0 && !dotted && gap.contains(':'),
                new_section: clause_start
                    && i == 0
                    && !dotted
                    && (gap.contains('|') || gap.matches('\n').count() > 1),
                in_name,
                name_start: name_start && i == 0,
                dotted: dotted && i == 0,
            });
        }
    }
    out
}

/// Words that carry no meaning on their own; they never count as content and
/// are never typo-corrected.
pub fn is_stopword(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "the"
            | "to"
            | "of"
            | "for"
            | "in"
            | "on"
            | "at"
            | "by"
            | "with"
            | "and"
            | "or"
            | "is"
            | "are"
            | "was"
            | "be"
            | "been"
            | "it"
            | "its"
            | "my"
            | "our"
            | "we"
            | "i"
            | "me"
            | "us"
            | "you"
            | "your"
            | "this"
            | "that"
            | "these"
            | "those"
            | "from"
            | "into"
            | "as"
            | "so"
            | "then"
            | "than"
            | "but"
            | "if"
            | "all"
            | "any"
            | "some"
            | "can"
            | "could"
            | "should"
            | "would"
            | "will"
            | "please"
            | "need"
            | "needs"
            | "want"
            | "make"
            | "do"
            | "does"
            | "get"
            | "have"
            | "has"
            | "just"
            | "also"
            | "up"
            | "out"
            | "new"
            | "add"
            | "set"
            | "use"
            | "using"
            | "via"
            | "per"
            | "every"
            | "each"
            | "which"
            | "what"
            | "why"
            | "how"
            | "when"
            | "where"
            | "who"
            | "there"
            | "help"
            | "me."
            | "too"
            | "very"
            | "more"
            | "most"
            | "about"
            | "after"
            | "before"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(s: &str) -> Vec<String> {
        tokenise(&stemmer(), s)
            .into_iter()
            .map(|t| t.stem)
            .collect()
    }

    #[test]
    fn word_forms_share_a_stem() {
        for (a, b) in [
            ("retraining", "retrain"),
            ("failing", "failed"),
            ("erroring", "error"),
            ("testing", "test"),
            ("optimise", "optimize"),
            ("analyse", "analyze"),
            ("dimensions", "dimension"),
            ("queries", "query"),
        ] {
            assert_eq!(stems(a), stems(b), "{a} / {b}");
        }
    }

    #[test]
    fn names_split_and_clauses_are_marked() {
        let t = tokenise(&stemmer(), "no kafka, just dim_customer; don't touch it");
        let typed: Vec<&str> = t.iter().map(|t| t.typed.as_str()).collect();
        assert_eq!(
            typed,
            ["no", "kafka", "just", "dim", "customer", "dont", "touch", "it"]
        );
        let breaks: Vec<bool> = t.iter().map(|t| t.clause_start).collect();
        assert_eq!(
            breaks,
            [true, false, true, false, false, true, false, false]
        );
        assert!(t[3].in_name && t[4].in_name && !t[2].in_name);
    }
}
