//! Free-text answers that name files: a `text` or `path` question whose
//! answer is printed into an output path gets a length bound when its pack
//! sets none, so an answer too long for a file name is refused when it is
//! given (typed, `--set`, answers file), like any other invalid answer, and
//! never when the file is written.

use regex::Regex;

use super::model::{skill_key, Pack, QuestionKind};
use crate::expr;

/// The bound: 63 is Postgres's identifier limit (answers in paths are
/// usually table or model names too), and 63 four-byte characters still fit
/// the 255 bytes of a file name.
pub const PATH_ANSWER_MAX: usize = 63;

/// Gives every free-text question that an output path prints a
/// `max_length` of [`PATH_ANSWER_MAX`] unless the pack set one. A list
/// answer split into items in the path (`| split`) is left alone: its
/// pattern bounds the items.
pub fn bound_path_answers(pack: &mut Pack) {
    let env = expr::base_env();
    let mut names = Vec::new();
    for s in &pack.skills {
        for o in &s.outputs {
            let Ok(t) = env.template_from_str(&o.path) else {
                continue;
            };
            for var in t.undeclared_variables(true) {
                let split = Regex::new(&format!(r"{}\s*\|\s*split", regex::escape(&var)))
                    .is_ok_and(|re| re.is_match(&o.path));
                if !split {
                    names.push(var);
                }
            }
        }
    }
    for s in &mut pack.skills {
        let key = skill_key(&s.id);
        for q in &mut s.questions {
            let free = matches!(q.kind, QuestionKind::Text | QuestionKind::Path);
            if free
                && q.validate.max_length.is_none()
                && names
                    .iter()
                    .any(|n| n.split_once('.') == Some((key.as_str(), q.id.as_str())))
            {
                q.validate.max_length = Some(PATH_ANSWER_MAX);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every bundled question printed into a path is bounded, by the pack
    /// or by this default, at most at the bound.
    #[test]
    fn every_bundled_answer_in_a_path_is_bounded() {
        let registry = crate::pack::Registry::bundled().expect("bundled packs");
        let mut bounded = 0;
        for pack in &registry.packs {
            let mut copy = pack.clone();
            for s in &mut copy.skills {
                for q in &mut s.questions {
                    q.validate.max_length = None;
                }
            }
            bound_path_answers(&mut copy);
            for (s, c) in pack.skills.iter().zip(&copy.skills) {
                for (q, qc) in s.questions.iter().zip(&c.questions) {
                    if qc.validate.max_length.is_some() {
                        bounded += 1;
                        assert!(
                            q.validate.max_length.is_some_and(|m| m <= PATH_ANSWER_MAX),
                            "{}.{}: {:?}",
                            s.id,
                            q.id,
                            q.validate.max_length
                        );
                    }
                }
            }
        }
        assert!(bounded >= 8, "only {bounded} path answers found");
    }
}
