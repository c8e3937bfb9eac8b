//! What lint needs to know about minijinja beyond `undeclared_variables`:
//! the names minijinja itself provides, unknown filters and tests (looked up
//! only when rendering), error text without its own position, and the line
//! a name is used on.

use regex::Regex;
use std::collections::BTreeSet;

use crate::suggest::did_you_mean;

/// Names minijinja provides inside templates that `undeclared_variables`
/// still lists: `super` and `self` in blocks of an extending template, and
/// `loop` (which it lists only outside a for loop, where it is merely
/// undefined; kept to stay lenient).
pub(super) const TEMPLATE_RUNTIME_NAMES: &[&str] = &["loop", "super", "self"];

/// minijinja's error without its "(in <string>:1)" suffix; the location
/// carries the file and line.
pub(super) fn jinja_error(e: &minijinja::Error) -> String {
    match e.detail() {
        Some(d) => format!("{}: {d}", e.kind()),
        None => e.kind().to_string(),
    }
}

/// The 1-based line of the first use of `name` in a template, for the
/// problem's location.
pub(super) fn line_of(source: &str, name: &str) -> Option<usize> {
    let re = Regex::new(&format!(
        r"\b{}\b",
        regex::escape(name).replace(r"\.", r"\s*\.\s*")
    ))
    .ok()?;
    let m = re.find(source)?;
    Some(source[..m.start()].matches('\n').count() + 1)
}

/// Common filter and test names, offered as "did you mean" when a template
/// uses one that does not exist (only those the environment has are offered).
const COMMON_FILTERS: &str = "abs attr batch bool capitalize center default dictsort \
    escape first float format groupby indent int items join kebab last length lines list \
    lower map max min pprint reject rejectattr replace reverse round safe select selectattr \
    slice snake sort split string sum title tojson trim unique upper urlencode";
const COMMON_TESTS: &str = "boolean defined divisibleby endingwith eq even false float ge \
    gt in integer iterable le lower lt mapping ne none number odd sequence startingwith \
    string true undefined upper";

/// `undeclared_variables` does not see filters and tests, and minijinja looks
/// them up only when rendering, so a misspelt `| snake` would fail at
/// generation. This finds the names used in `source` (a template, or a bare
/// expression when `expression` is set) and asks the environment for each.
/// Returns `(name, message)` pairs.
pub(super) fn unknown_filters_and_tests(
    env: &minijinja::Environment<'_>,
    source: &str,
    expression: bool,
) -> Vec<(String, String)> {
    static RES: std::sync::OnceLock<Option<[Regex; 6]>> = std::sync::OnceLock::new();
    let Some([raw, block, string, filter, filter_block, test]) = RES
        .get_or_init(|| {
            Some([
                Regex::new(r"(?s)\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}").ok()?,
                Regex::new(r"(?s)\{\{.*?\}\}|\{%.*?%\}").ok()?,
                Regex::new(r#"'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*""#).ok()?,
                Regex::new(r"\|\s*([A-Za-z_][A-Za-z0-9_]*)").ok()?,
                Regex::new(r"^\{%-?\s*filter\s+([A-Za-z_][A-Za-z0-9_]*)").ok()?,
                Regex::new(r"\bis\s+(?:not\s+)?([A-Za-z_][A-Za-z0-9_]*)").ok()?,
            ])
        })
        .as_ref()
    else {
        return Vec::new();
    };
    let blocks: Vec<String> = if expression {
        vec![string.replace_all(source, "''").into_owned()]
    } else {
        let source = raw.replace_all(source, "");
        block
            .find_iter(&source)
            .map(|m| string.replace_all(m.as_str(), "''").into_owned())
            .collect()
    };
    let exists = |probe: String, missing: minijinja::ErrorKind| match env.compile_expression(&probe)
    {
        Ok(e) => e.eval(()).err().map(|e| e.kind()) != Some(missing),
        Err(_) => true,
    };
    let filter_exists = |name: &str| {
        exists(
            format!("none | {name}"),
            minijinja::ErrorKind::UnknownFilter,
        )
    };
    let test_exists =
        |name: &str| exists(format!("none is {name}"), minijinja::ErrorKind::UnknownTest);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for b in &blocks {
        let filters = filter
            .captures_iter(b)
            .chain(filter_block.captures_iter(b))
            .filter_map(|c| c.get(1))
            .map(|m| ("filter", m.as_str()));
        let tests = test
            .captures_iter(b)
            .filter_map(|c| c.get(1))
            .map(|m| ("test", m.as_str()));
        for (kind, name) in filters.chain(tests) {
            if !seen.insert((kind, name.to_string())) {
                continue;
            }
            let (ok, common) = if kind == "filter" {
                (filter_exists(name), COMMON_FILTERS)
            } else {
                (test_exists(name), COMMON_TESTS)
            };
            if ok {
                continue;
            }
            let candidates = common.split_whitespace().filter(|c| {
                if kind == "filter" {
                    filter_exists(c)
                } else {
                    test_exists(c)
                }
            });
            let mut msg = format!("uses unknown {kind} `{name}`");
            match did_you_mean(name, candidates) {
                Some(s) => msg.push_str(&format!(" (did you mean `{s}`?)")),
                None => msg.push_str(" (see the minijinja docs for the built-in ones; this tool adds `snake` and `kebab`)"),
            }
            out.push((name.to_string(), msg));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unknown(source: &str, expression: bool) -> Vec<String> {
        let env = crate::expr::base_env();
        unknown_filters_and_tests(&env, source, expression)
            .into_iter()
            .map(|(_, m)| m)
            .collect()
    }

    #[test]
    fn known_filters_and_tests_pass_and_misspelt_ones_get_a_suggestion() {
        assert_eq!(
            unknown(
                "{{ a | snake | upper }}{% if a is defined %}{% endif %}",
                false
            ),
            Vec::<String>::new()
        );
        assert_eq!(
            unknown("{{ a | uper }}{% filter kebap %}x{% endfilter %}", false),
            [
                "uses unknown filter `uper` (did you mean `upper`?)",
                "uses unknown filter `kebap` (did you mean `kebab`?)"
            ]
        );
        assert_eq!(
            unknown("a is not definedd", true),
            ["uses unknown test `definedd` (did you mean `defined`?)"]
        );
    }

    #[test]
    fn text_outside_tags_raw_blocks_and_string_literals_is_not_read_as_filters() {
        assert_eq!(
            unknown(
                "a | b is c {% raw %}{{ x | nope }}{% endraw %}{{ 'this | that is it' }}",
                false
            ),
            Vec::<String>::new()
        );
        assert_eq!(unknown("goal_has('a | b')", true), Vec::<String>::new());
    }

    #[test]
    fn line_of_finds_the_first_use_even_with_spaces_around_the_dot() {
        assert_eq!(
            line_of("a\n{{ base . clod }}\n{{ base.clod }}", "base.clod"),
            Some(2)
        );
        assert_eq!(line_of("{{ database.x }}", "base"), None);
    }
}
