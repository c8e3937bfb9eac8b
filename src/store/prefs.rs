//! Preferences: answers a person chose to remember, one YAML file per pack
//! in the OS config dir, offered next time as defaults with provenance
//! "saved preference" (an explicit answer always wins). Secrets and the
//! blueprint's quick questions are never remembered.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Locations, StoreError};
use crate::generate::atomic_write;
use crate::pack::{Pack, QuestionKind};
use crate::session::{Provenance, QKey, Session};
use crate::value::{self, AnswerValue};

pub const PREFS_FORMAT: u32 = 1;

/// `<config>/preferences/<pack>.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrefsFile {
    /// Format version of this file.
    pub skillchain_preferences: u32,
    pub pack: String,
    /// Skill id → question id → value.
    #[serde(default, deserialize_with = "crate::answers::de_value_maps")]
    pub skills: BTreeMap<String, BTreeMap<String, AnswerValue>>,
}

impl PrefsFile {
    pub fn new(pack: &str) -> PrefsFile {
        PrefsFile {
            skillchain_preferences: PREFS_FORMAT,
            pack: pack.to_string(),
            skills: BTreeMap::new(),
        }
    }

    /// Every preference, keyed like answers.
    pub fn values(&self) -> BTreeMap<QKey, AnswerValue> {
        self.skills
            .iter()
            .flat_map(|(skill, qs)| {
                qs.iter()
                    .map(move |(q, v)| (QKey::new(skill, q), v.clone()))
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.skills.values().map(BTreeMap::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// YAML text of a preferences file, with a header saying what it is.
pub fn to_yaml(file: &PrefsFile) -> String {
    let body = serde_yaml::to_string(file).unwrap_or_default();
    format!(
        "# skillchain preferences for pack `{}`: answers you chose to remember,\n\
         # offered as defaults next time. `skillchain prefs reset {}` removes them.\n{body}",
        file.pack, file.pack
    )
}

/// Parses a preferences file; a problem is reported with the path and the
/// file is left as it is.
pub fn parse(path: &Path, pack: &str, text: &str) -> Result<PrefsFile, StoreError> {
    let corrupt = |reason: String| StoreError::CorruptPrefs {
        path: path.to_path_buf(),
        pack: pack.to_string(),
        reason,
    };
    let expect = |p: &str| match p.split('.').count() {
        _ if p == "skillchain_preferences" => Some(format!("the format version, {PREFS_FORMAT}")),
        _ if p == "pack" => Some("a pack id (text)".to_string()),
        _ if p == "skills" => Some("a map of skill id → question id → value".to_string()),
        2 if p.starts_with("skills.") => Some("a map of question id → value".to_string()),
        _ => None,
    };
    let file: PrefsFile = match crate::yamlfile::parse(text, &expect) {
        Ok(Some(f)) => f,
        Ok(None) => return Err(corrupt("the file is empty".to_string())),
        Err(p) => return Err(corrupt(p.placed())),
    };
    if file.skillchain_preferences != PREFS_FORMAT {
        return Err(corrupt(format!(
            "preferences format {} is not supported (this skillchain reads format {PREFS_FORMAT})",
            file.skillchain_preferences
        )));
    }
    if file.pack != pack {
        return Err(corrupt(format!(
            "it holds preferences of pack `{}`, not `{pack}`",
            file.pack
        )));
    }
    Ok(file)
}

/// The preferences of `pack`, or `None` when none were saved.
pub fn load(loc: &Locations, pack: &str) -> Result<Option<PrefsFile>, StoreError> {
    load_file(&loc.prefs_file(pack), pack)
}

/// The preferences file at `path` (of `pack`), or `None` when there is none.
/// A file that cannot be used (not text, too large, not a regular file) is
/// reported like a corrupt one and left as it is.
pub fn load_file(path: &Path, pack: &str) -> Result<Option<PrefsFile>, StoreError> {
    match crate::textfile::read(path, crate::limits::PREFS_FILE, "preferences files") {
        Ok(text) => parse(path, pack, &text).map(Some),
        Err(e) if e.is_not_found() => Ok(None),
        Err(crate::textfile::ReadError::Io { message, .. }) => Err(StoreError::Io {
            action: "read",
            path: path.to_path_buf(),
            source: std::io::Error::other(message),
        }),
        Err(e) => Err(StoreError::CorruptPrefs {
            path: path.to_path_buf(),
            pack: pack.to_string(),
            reason: e.placed(),
        }),
    }
}

/// Checks saved preferences against the pack as it is now. Returns the
/// usable ones and a notice for each one ignored (skill or question gone,
/// option removed, value no longer accepted, a secret).
pub fn vet(pack: &Pack, file: &PrefsFile) -> (BTreeMap<QKey, AnswerValue>, Vec<String>) {
    let mut ok = BTreeMap::new();
    let mut notices = Vec::new();
    for (key, v) in file.values() {
        let Some(skill) = pack.skill(&key.step) else {
            notices.push(format!(
                "saved preference {key} = {} ignored: skill {} is no longer in pack {}",
                crate::limits::shown(&v.to_string()),
                key.step,
                pack.id()
            ));
            continue;
        };
        let Some(q) = skill.questions.iter().find(|q| q.id == key.question) else {
            notices.push(format!(
                "saved preference {key} = {} ignored: the question no longer exists",
                crate::limits::shown(&v.to_string())
            ));
            continue;
        };
        if q.kind == QuestionKind::Secret {
            notices.push(format!(
                "saved preference {key} ignored: secrets are never used from preferences"
            ));
            continue;
        }
        match value::check_value(q, &v) {
            Ok(v) => {
                ok.insert(key, v);
            }
            Err(e) => notices.push(format!(
                "saved preference {key} = {} ignored: {e}",
                crate::limits::shown(&v.to_string())
            )),
        }
    }
    (ok, notices)
}

/// What a journey uses: the vetted preferences of the session's pack and
/// the notices about the ones ignored. A missing file is no preferences; a
/// corrupt one is an error (the file is kept) the caller shows as a warning.
pub fn load_vetted(
    loc: &Locations,
    pack: &Pack,
) -> Result<(BTreeMap<QKey, AnswerValue>, Vec<String>), StoreError> {
    match load(loc, pack.id())? {
        Some(file) => Ok(vet(pack, &file)),
        None => Ok((BTreeMap::new(), Vec::new())),
    }
}

/// Answers of a finished session worth remembering: applicable, explicit
/// (typed, answers file, command line, conflict resolution), never a secret
/// nor a blueprint's quick question. In question order.
pub fn candidates(session: &Session) -> Vec<(QKey, AnswerValue, Provenance)> {
    session
        .resolved()
        .iter()
        .filter(|r| r.applicable && r.key.step != "blueprint")
        .filter(|r| {
            session
                .question(&r.key)
                .is_some_and(|q| q.kind != QuestionKind::Secret)
        })
        .filter_map(|r| {
            let a = session.answer(&r.key)?;
            a.provenance
                .source
                .is_explicit()
                .then(|| (r.key.clone(), a.value.clone(), a.provenance.clone()))
        })
        .collect()
}

/// Adds `items` to the pack's preferences (replacing earlier values of the
/// same questions) and saves atomically. Refuses to touch a corrupt file.
pub fn remember(
    loc: &Locations,
    pack: &str,
    items: &[(QKey, AnswerValue)],
) -> Result<PathBuf, StoreError> {
    let mut file = load(loc, pack)?.unwrap_or_else(|| PrefsFile::new(pack));
    for (key, v) in items {
        file.skills
            .entry(key.step.clone())
            .or_default()
            .insert(key.question.clone(), v.clone());
    }
    save(loc, &file)
}

pub fn save(loc: &Locations, file: &PrefsFile) -> Result<PathBuf, StoreError> {
    let path = loc.prefs_file(&file.pack);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::io("create the folder", dir, e))?;
    }
    atomic_write(&path, to_yaml(file).as_bytes()).map_err(|e| StoreError::io("write", &path, e))?;
    Ok(path)
}

/// Pack ids with a preferences file, sorted.
pub fn packs_with_prefs(loc: &Locations) -> Result<Vec<String>, StoreError> {
    let dir = loc.prefs_dir();
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StoreError::io("read the folder", &dir, e)),
    };
    let mut ids: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".yaml").map(str::to_string)
        })
        .collect();
    ids.sort();
    Ok(ids)
}

/// Removes the preferences of `pack`, or of every pack; returns the files
/// removed.
pub fn reset(loc: &Locations, pack: Option<&str>) -> Result<Vec<PathBuf>, StoreError> {
    let ids = match pack {
        Some(p) => vec![p.to_string()],
        None => packs_with_prefs(loc)?,
    };
    let mut removed = Vec::new();
    for id in ids {
        let path = loc.prefs_file(&id);
        match std::fs::remove_file(&path) {
            Ok(()) => removed.push(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(StoreError::io("remove", &path, e)),
        }
    }
    Ok(removed)
}

/// The vetted preferences of `pack` for a journey (none with `--no-prefs`)
/// and a warning for each one ignored, or for a file that cannot be read
/// (which is kept as it is).
pub fn for_pack(no_prefs: bool, pack: &Pack) -> (BTreeMap<QKey, AnswerValue>, Vec<String>) {
    if no_prefs {
        return (BTreeMap::new(), Vec::new());
    }
    let loc = match Locations::from_os() {
        Ok(l) => l,
        Err(e) => return (BTreeMap::new(), vec![e.to_string()]),
    };
    match load_vetted(&loc, pack) {
        Ok(found) => found,
        Err(e) => (BTreeMap::new(), vec![e.to_string()]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::load_dir;

    fn mini() -> Pack {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/packs/mini");
        load_dir(&dir).expect("mini pack loads")
    }

    fn locations(dir: &Path) -> Locations {
        Locations {
            config: dir.join("config"),
            data: dir.join("data"),
        }
    }

    fn text(s: &str) -> AnswerValue {
        AnswerValue::Text(s.to_string())
    }

    #[test]
    fn remembered_answers_are_merged_into_the_pack_file_and_read_back() {
        let dir = tempfile::tempdir().expect("temp dir");
        let loc = locations(dir.path());
        remember(
            &loc,
            "mini",
            &[(QKey::new("stream", "platform"), text("kinesis"))],
        )
        .expect("saved");
        let path = remember(
            &loc,
            "mini",
            &[
                (QKey::new("stream", "platform"), text("pubsub")),
                (QKey::new("base", "name"), text("shop")),
            ],
        )
        .expect("saved");
        assert_eq!(path, dir.path().join("config/preferences/mini.yaml"));
        let file = load(&loc, "mini").expect("loads").expect("exists");
        assert_eq!(
            file.values().into_iter().collect::<Vec<_>>(),
            [
                (QKey::new("base", "name"), text("shop")),
                (QKey::new("stream", "platform"), text("pubsub")),
            ]
        );
        assert_eq!(packs_with_prefs(&loc).expect("lists"), ["mini"]);
        assert_eq!(reset(&loc, Some("mini")).expect("reset"), [path]);
        assert_eq!(load(&loc, "mini").expect("loads"), None);
    }

    #[test]
    fn preferences_that_no_longer_fit_the_pack_are_ignored_with_a_notice_each() {
        let mut file = PrefsFile::new("mini");
        let mut put = |s: &str, q: &str, v: AnswerValue| {
            file.skills
                .entry(s.to_string())
                .or_default()
                .insert(q.to_string(), v);
        };
        put("stream", "platform", text("redpanda"));
        put("stream", "partitions", AnswerValue::Int(12));
        put("stream", "gone", text("x"));
        put("vanished", "q", text("x"));
        put("tune", "token", text("hunter2"));
        let (ok, notices) = vet(&mini(), &file);
        assert_eq!(
            ok.into_iter().collect::<Vec<_>>(),
            [(QKey::new("stream", "partitions"), AnswerValue::Int(12))]
        );
        assert_eq!(
            notices,
            [
                "saved preference stream.gone = x ignored: the question no longer exists",
                "saved preference stream.platform = redpanda ignored: `redpanda` is not one of: kafka, kinesis, pubsub",
                "saved preference tune.token ignored: secrets are never used from preferences",
                "saved preference vanished.q = x ignored: skill vanished is no longer in pack mini",
            ]
        );
    }

    #[test]
    fn a_corrupt_preferences_file_is_reported_with_its_path_and_left_untouched() {
        let dir = tempfile::tempdir().expect("temp dir");
        let loc = locations(dir.path());
        let path = loc.prefs_file("mini");
        std::fs::create_dir_all(loc.prefs_dir()).expect("dir");
        std::fs::write(
            &path,
            "skillchain_preferences: 1\npack: mini\nskills: [oops\n",
        )
        .expect("write");
        let err = load(&loc, "mini").expect_err("corrupt");
        let msg = err.to_string();
        assert!(
            msg.starts_with(&format!(
                "`{}` is not a readable preferences file (",
                path.display()
            )),
            "{msg}"
        );
        assert!(
            msg.ends_with("it is kept as it is and ignored: fix it, or remove it with `skillchain prefs reset mini`"),
            "{msg}"
        );
        // Remembering more refuses to replace it.
        assert!(remember(&loc, "mini", &[(QKey::new("base", "name"), text("x"))]).is_err());
        assert_eq!(
            std::fs::read_to_string(&path).expect("kept"),
            "skillchain_preferences: 1\npack: mini\nskills: [oops\n"
        );
    }
}
