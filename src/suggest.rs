//! "Did you mean" suggestions for misspelt names.

/// The closest candidate to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&word, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// ` (did you mean `x`?)` for a likely typo, or nothing: ready to append
/// to a message.
pub fn hint<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    did_you_mean(word, candidates)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, hint};

    #[test]
    fn suggests_a_transposed_name() {
        assert_eq!(
            did_you_mean("anwsers", ["skills", "answers", "goal"]),
            Some("answers")
        );
        assert_eq!(did_you_mean("zzz", ["skills", "answers"]), None);
        assert_eq!(hint("anwsers", ["answers"]), " (did you mean `answers`?)");
        assert_eq!(hint("zzz", ["answers"]), "");
    }
}
