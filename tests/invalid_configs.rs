//! Every kind of settings file a user writes by hand, broken one way per
//! file, with the exact message each must give: `tests/invalid_configs/
//! <kind>/<case>` next to `<case>.expected` (the file's path written as
//! `<file>`). Kinds: answers, keymap, theme, prefs (of pack `mini`), session
//! and packs (folders). Then generated variants: a byte-order mark in front
//! of every kind, every top-level key of an answers file with every wrong
//! type, every size limit, and secrets in every message.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use skillchain::error::EngineError;
use skillchain::limits;
use skillchain::pack::load_dir;
use skillchain::tui::{Keymap, Theme};

const ROOT: &str = "tests/invalid_configs";
const KINDS: &[&str] = &["answers", "keymap", "theme", "prefs", "session", "packs"];

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn mini() -> PathBuf {
    repo().join("tests/fixtures/packs/mini")
}

/// What loading `path` as a `kind` file says: its error, or `ok`.
fn outcome(kind: &str, path: &Path) -> String {
    let shown = path.display().to_string();
    let text = match kind {
        "answers" => match skillchain::answers::read(path) {
            Ok(_) => "ok".to_string(),
            Err(p) => p.to_string(),
        },
        "keymap" => match Keymap::from_file(path) {
            Ok(_) => "ok".to_string(),
            Err(e) => e.to_string(),
        },
        "theme" => match Theme::select(Some(&shown), None, true) {
            Ok(_) => "ok".to_string(),
            Err(e) => e.to_string(),
        },
        "prefs" => match skillchain::store::prefs::load_file(path, "mini") {
            Ok(_) => "ok".to_string(),
            Err(e) => e.to_string(),
        },
        "session" => {
            // A session that cannot be read is renamed aside: load a copy.
            let dir = tempfile::tempdir().expect("temp dir");
            let copy = dir.path().join("session.json");
            std::fs::copy(path, &copy).expect("copy");
            let text = match skillchain::store::load_session(&copy) {
                Ok(_) => "ok".to_string(),
                Err(e) => e.to_string(),
            };
            let stamp = regex::Regex::new(r"corrupt-\d+").expect("regex");
            stamp
                .replace_all(
                    &text.replace(&copy.display().to_string(), "<file>"),
                    "corrupt-<time>",
                )
                .into_owned()
        }
        "packs" => match load_dir(path) {
            Ok(_) => "ok".to_string(),
            Err(EngineError::Problems(p)) => p
                .problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n"),
            Err(e) => e.to_string(),
        },
        other => panic!("unknown kind {other}"),
    };
    text.replace(&shown, "<file>").trim_end().to_string()
}

/// The cases of a kind: every file (or, for packs, folder) but `.expected`.
fn cases(kind: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(repo().join(ROOT).join(kind))
        .expect("kind folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_none_or(|x| x != "expected"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_invalid_file_gives_its_exact_message() {
    let mut wrong = Vec::new();
    let mut count = 0;
    for kind in KINDS {
        for case in cases(kind) {
            count += 1;
            let expected_path = PathBuf::from(format!("{}.expected", case.display()));
            let got = outcome(kind, &case);
            let name = format!(
                "{kind}/{}",
                case.file_name().expect("name").to_string_lossy()
            );
            match std::fs::read_to_string(&expected_path) {
                Ok(expected) if expected.trim_end() == got => {}
                Ok(expected) => wrong.push(format!(
                    "{name}:\n  expected: {}\n  got:      {got}",
                    expected.trim_end()
                )),
                Err(_) => wrong.push(format!("{name}: no .expected file; it says:\n{got}")),
            }
            assert!(!got.starts_with("ok"), "{name} was accepted");
        }
    }
    assert!(count >= 50, "only {count} cases found");
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}

/// A valid file of each kind (packs: a copy of `mini`), written into `dir`.
fn valid_samples(dir: &Path) -> Vec<(&'static str, PathBuf)> {
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).expect("write");
        p
    };
    let pack = dir.join("pack");
    copy_dir(&mini(), &pack);
    vec![
        (
            "answers",
            write(
                "answers.yaml",
                "skillchain: 1\npack: mini\ngoal: kafka streaming\nanswers:\n  base:\n    name: shop\n",
            ),
        ),
        (
            "keymap",
            write("keymap.yaml", "question:\n  skip: [tab, f5]\n"),
        ),
        (
            "theme",
            write("theme.yaml", "extends: light\nstyles:\n  ok: { fg: green }\n"),
        ),
        (
            "prefs",
            write(
                "mini.yaml",
                "skillchain_preferences: 1\npack: mini\nskills:\n  base:\n    name: shop\n",
            ),
        ),
        ("packs", pack),
    ]
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).expect("copy");
        }
    }
}

/// Every YAML file under `path` (itself when a file).
fn yaml_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut out = Vec::new();
    for e in std::fs::read_dir(path).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(yaml_files(&p));
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
    out
}

fn prepend_bom(file: &Path) {
    let text = std::fs::read_to_string(file).expect("read");
    std::fs::write(file, format!("\u{feff}{text}")).expect("write");
}

#[test]
fn a_byte_order_mark_in_front_of_every_kind_of_file_is_accepted() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (kind, path) in valid_samples(dir.path()) {
        assert_eq!(outcome(kind, &path), "ok", "{kind} without a BOM");
        for file in yaml_files(&path) {
            prepend_bom(&file);
        }
        assert_eq!(outcome(kind, &path), "ok", "{kind} with a BOM");
    }
}

#[test]
fn a_byte_order_mark_does_not_move_the_place_of_a_problem() {
    for kind in ["answers", "keymap", "theme", "prefs"] {
        for case in cases(kind) {
            let bytes = std::fs::read(&case).expect("read");
            if std::str::from_utf8(&bytes).is_err() {
                continue;
            }
            let dir = tempfile::tempdir().expect("temp dir");
            let copy = dir.path().join(case.file_name().expect("name"));
            let mut with_bom = "\u{feff}".as_bytes().to_vec();
            with_bom.extend(&bytes);
            std::fs::write(&copy, with_bom).expect("write");
            assert_eq!(
                outcome(kind, &copy),
                outcome(kind, &case),
                "{kind}/{}",
                case.display()
            );
        }
    }
}

/// Each top-level key of an answers file, what it holds in words, and a
/// line that is valid for it.
const ANSWER_KEYS: &[(&str, &str)] = &[
    ("skillchain", "the format version, 1"),
    ("pack", "a pack id (text)"),
    ("pack_version", "the pack's version (text)"),
    ("goal", "the goal, as text"),
    ("blueprint", "a blueprint id, or null for none"),
    ("maturity", "one of starter, intermediate, advanced"),
    ("skills", "a list of skill ids, like [base, stream]"),
    ("answers", "a map of skill id → question id → answer"),
    ("resolutions", "a map of conflict id → resolution id"),
];

#[test]
fn every_top_level_answers_key_with_a_wrong_type_says_what_it_holds() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("answers.yaml");
    // (value, in words, the keys it is valid for or tested elsewhere):
    // a plain scalar is text to YAML, so `pack: 7` is the pack "7", and an
    // unknown maturity has its own message.
    let wrong: &[(&str, &str, &[&str])] = &[
        ("[x]", "a list", &["skills", "maturity"]),
        ("{x: 1}", "a map", &["answers", "resolutions", "maturity"]),
        (
            "7",
            "the number 7",
            &[
                "pack",
                "pack_version",
                "goal",
                "blueprint",
                "maturity",
                "skillchain",
            ],
        ),
        (
            "text",
            "the text `text`",
            &["pack", "pack_version", "goal", "blueprint", "maturity"],
        ),
        (
            "true",
            "`true`",
            &["pack", "pack_version", "goal", "blueprint", "maturity"],
        ),
    ];
    let mut tried = 0;
    for (key, holds) in ANSWER_KEYS {
        for (value, found, fits) in wrong {
            if fits.contains(key) {
                continue;
            }
            tried += 1;
            let mut lines: Vec<String> = ["skillchain: 1", "pack: mini", "goal: kafka streaming"]
                .iter()
                .filter(|l| !l.starts_with(&format!("{key}:")))
                .map(|l| l.to_string())
                .collect();
            lines.insert(1, format!("{key}: {value}"));
            std::fs::write(&file, lines.join("\n") + "\n").expect("write");
            let col = key.len() + 3;
            assert_eq!(
                outcome("answers", &file),
                format!("<file>:2:{col}: `{key}` must be {holds}; found {found}"),
                "{key}: {value}"
            );
        }
    }
    assert!(tried >= 20, "{tried}");
}

#[test]
fn every_wrong_shape_of_an_answer_names_the_answer_and_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("answers.yaml");
    // (value, message; `[0]` marks a message about the first list item).
    let shapes: &[(&str, &str)] = &[
        ("[[shop]]", "[0]: a list answer holds texts, like [a, b], but one item is itself a list"),
        ("[{a: 1}]", "[0]: a list answer holds texts, like [a, b], but one item is a map"),
        ("[~]", "[0]: a list answer holds texts, but one item is empty"),
        ("~", ": has no value: give one, or remove the line so the question takes its default"),
        ("{first: shop}", ": unknown key `first`; an answer written as a map has the keys value, source and detail (or write the answer itself: `question: text`)"),
        ("{valeu: shop}", ": unknown key `valeu` (did you mean `value`?); an answer written as a map has the keys value, source and detail (or write the answer itself: `question: text`)"),
        ("{source: typed}", ": is a map without `value:`; write the answer itself (`question: text`) or as `{value: …, source: answers-file}`"),
        ("{value: {a: 1}, source: typed}", ".value: is a map, but a value is text, a number, true/false or a list of texts"),
        ("{value: shop, source: magic}", ".source: unknown variant `magic`, expected one of `typed`, `answers-file`, `command-line`, `conflict-resolution`, `saved-session`, `saved-preference`, `blueprint`, `goal-keyword`, `earlier-answer`, `default`"),
    ];
    for (step, question) in [("base", "name"), ("stream", "platform"), ("tune", "token")] {
        for (value, message) in shapes {
            std::fs::write(
                &file,
                format!("skillchain: 1\npack: mini\ngoal: kafka\nanswers:\n  {step}:\n    {question}: {value}\n"),
            )
            .expect("write");
            let got = outcome("answers", &file);
            assert!(got.starts_with("<file>:6:"), "{value}: {got}");
            assert!(
                got.ends_with(&format!(": answers.{step}.{question}{message}")),
                "{value}: {got}"
            );
        }
    }
}

/// The binary with `home` as its home, config and data dirs.
fn in_home(home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_skillchain"));
    cmd.args(args)
        .current_dir(home)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".data"))
        .env("NO_COLOR", "1");
    cmd
}

fn binary(home: &Path, args: &[&str]) -> Output {
    in_home(home, args).output().expect("skillchain runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn every_input_file_is_capped_and_only_regular_files_are_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let big = |name: &str, size: u64| {
        let p = dir.path().join(name);
        let f = std::fs::File::create(&p).expect("create");
        f.set_len(size).expect("size");
        p
    };
    let over = [
        ("answers", limits::ANSWERS_FILE, "16 MiB", "answers files"),
        ("keymap", limits::KEYMAP_FILE, "1 MiB", "keymap files"),
        ("theme", limits::THEME_FILE, "1 MiB", "theme files"),
        ("prefs", limits::PREFS_FILE, "4 MiB", "preferences files"),
    ];
    for (kind, limit, shown, what) in over {
        let p = big(&format!("{kind}.yaml"), limit + 1);
        let got = outcome(kind, &p);
        assert!(
            got.contains(&format!("larger than {shown}, the limit for {what}")),
            "{kind}: {got}"
        );
        // One byte under the limit is read (and then found wanting as YAML).
        let p = big(&format!("{kind}-fits.yaml"), limit);
        assert!(!outcome(kind, &p).contains("larger than"), "{kind}");
    }
    // A device and a FIFO are refused at once, never read or waited on.
    #[cfg(unix)]
    {
        let fifo = dir.path().join("fifo.yaml");
        let c = std::ffi::CString::new(fifo.to_string_lossy().as_bytes()).expect("path");
        // SAFETY: mkfifo(3) with a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        for kind in ["answers", "keymap", "theme", "prefs"] {
            for (path, what) in [
                (fifo.as_path(), "a named pipe (FIFO)"),
                (Path::new("/dev/zero"), "a character device"),
            ] {
                let got = outcome(kind, path);
                assert!(
                    got.contains(&format!("is {what}, not a regular file")),
                    "{kind} {}: {got}",
                    path.display()
                );
            }
        }
        let o = binary(dir.path(), &["run", "--answers", "/dev/zero", "--defaults"]);
        assert_eq!(o.status.code(), Some(2));
        assert_eq!(
            stderr(&o),
            "error: answers:\n  - /dev/zero: is a character device, not a regular file; skillchain reads only regular files: point it at one\n"
        );
    }
    // A pack file over the limit is one problem of its pack.
    let pack = dir.path().join("pack");
    copy_dir(&mini(), &pack);
    let template = pack.join("templates/base.txt.j2");
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&template)
        .expect("open");
    f.set_len(limits::PACK_FILE + 1).expect("size");
    assert_eq!(
        outcome("packs", &pack),
        "<file>/templates/base.txt.j2: larger than 4 MiB, the limit for one pack file; split it or remove what it does not need"
    );
}

#[test]
fn answers_over_their_size_are_refused_with_the_limit_never_the_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mini = mini().display().to_string();
    // Near the largest argument Linux passes (128 KiB).
    let huge = "y".repeat(96 * 1024);
    let set = format!("base.name={huge}");
    let o = binary(
        dir.path(),
        &[
            "--skillchains",
            &mini,
            "run",
            "kafka streaming",
            "--pack",
            "mini",
            "--defaults",
            "--pretend",
            "--set",
            &set,
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: nothing was written:\n  - --set base.name: the answer is 96 KiB long; answers to text questions are limited to 4 KiB\n"
    );
    let file = dir.path().join("answers.yaml");
    std::fs::write(
        &file,
        format!(
            "skillchain: 1\npack: mini\ngoal: kafka streaming\nanswers:\n  base:\n    name: {}\n",
            "z".repeat(limits::TEXT_ANSWER + 1)
        ),
    )
    .expect("write");
    let o = binary(
        dir.path(),
        &[
            "--skillchains",
            &mini,
            "run",
            "--answers",
            &file.display().to_string(),
            "--defaults",
            "--pretend",
        ],
    );
    assert_eq!(
        stderr(&o),
        format!(
            "error: nothing was written:\n  - {}: answers.base.name: the answer is 4097 bytes long; answers to text questions are limited to 4 KiB\n",
            file.display()
        )
    );
    // A value that is refused for another reason is shown cut short.
    let long = "Q".repeat(500);
    let o = binary(
        dir.path(),
        &[
            "--skillchains",
            &mini,
            "run",
            "kafka streaming",
            "--pack",
            "mini",
            "--defaults",
            "--pretend",
            "--set",
            &format!("base.cloud={long}"),
        ],
    );
    let err = stderr(&o);
    assert!(
        err.contains(&format!(
            "`{}… (500 characters)` is not one of: aws, gcp",
            "Q".repeat(60)
        )),
        "{err}"
    );
    assert!(err.len() < 400, "{err}");
}

/// `mini` with its secret question checked by a pattern, and `required`
/// (no default) when asked.
fn pack_with_checked_secret(dir: &Path, required: bool) -> PathBuf {
    let pack = dir.join("secretpack");
    copy_dir(&mini(), &pack);
    let tune = pack.join("skills/tune.yaml");
    let text = std::fs::read_to_string(&tune).expect("read");
    let rule = if required {
        "    validate: { required: true, regex: '^tok_' }\n"
    } else {
        "    validate: { regex: '^tok_' }\n"
    };
    let text = text.replace("    kind: secret\n", &format!("    kind: secret\n{rule}"));
    std::fs::write(&tune, text).expect("write");
    pack
}

#[test]
fn a_secret_is_never_printed_in_any_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let pack = pack_with_checked_secret(dir.path(), false);
    let pack = pack.display().to_string();
    let goal = "kafka pipeline with dbt and a slow query in the warehouse";
    let file = dir.path().join("answers.yaml");
    let tries: Vec<Vec<String>> = vec![
        vec!["--set".into(), "tune.token=S3cr3t".into()],
        vec!["--set".into(), "tune.token=S3cr3t\u{1b}[2J".into()],
        vec![
            "--set".into(),
            format!("tune.token={}", "S3cr3t".repeat(1000)),
        ],
    ];
    let files = [
        "tune:\n    token: [S3cr3t, other]\n",
        "tune:\n    token: S3cr3t\n",
        "tune:\n    token: {value: [S3cr3t], source: typed}\n",
        "tune:\n    token: {value: S3cr3t, source: magic}\n",
    ];
    let mut runs = Vec::new();
    for extra in &tries {
        let mut args: Vec<String> = [
            "--skillchains",
            &pack,
            "run",
            goal,
            "--pack",
            "mini",
            "--defaults",
            "--pretend",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        args.extend(extra.iter().cloned());
        runs.push(args);
    }
    for body in files {
        std::fs::write(
            &file,
            format!("skillchain: 1\npack: mini\ngoal: {goal}\nanswers:\n  {body}"),
        )
        .expect("write");
        runs.push(
            [
                "--skillchains",
                &pack,
                "run",
                "--answers",
                &file.display().to_string(),
                "--defaults",
                "--pretend",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        );
    }
    for args in runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = binary(dir.path(), &args);
        let all = format!("{}{}", stderr(&o), String::from_utf8_lossy(&o.stdout));
        assert_eq!(o.status.code(), Some(2), "{args:?}: {all}");
        assert!(
            !all.contains("S3cr3t"),
            "{args:?} printed the secret:\n{all}"
        );
        assert!(
            all.contains("tune.token"),
            "{args:?} names the question:\n{all}"
        );
    }
}

#[test]
fn replaying_an_answers_file_gives_secrets_their_default_or_says_how_to_give_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let goal = "kafka pipeline with dbt and a slow query in the warehouse";
    for required in [false, true] {
        let pack = pack_with_checked_secret(dir.path(), required);
        let pack = pack.display().to_string();
        let first = dir.path().join(format!("first-{required}"));
        let o = binary(
            dir.path(),
            &[
                "--skillchains",
                &pack,
                "run",
                goal,
                "--pack",
                "mini",
                "--defaults",
                "--set",
                "tune.token=tok_1",
                "--out",
                &first.display().to_string(),
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let record = first.join(".skillchain/answers.yaml");
        let text = std::fs::read_to_string(&record).expect("answers.yaml");
        assert!(!text.contains("tok_1"), "the secret is not recorded");
        assert!(
            text.contains("# Secrets are never written here: on replay they take their defaults, or give\n# them with --set <skill>.<question>=VALUE.\n"),
            "{text}"
        );
        let again = dir.path().join(format!("again-{required}"));
        let replay = |extra: &[&str]| {
            let mut args = vec!["--skillchains", pack.as_str(), "run", "--answers"];
            let record = record.display().to_string();
            let again = again.display().to_string();
            let mut owned: Vec<String> = args.drain(..).map(str::to_string).collect();
            owned.extend([record, "--out".to_string(), again]);
            owned.extend(extra.iter().map(|s| s.to_string()));
            let args: Vec<&str> = owned.iter().map(String::as_str).collect();
            binary(dir.path(), &args)
        };
        let o = replay(&[]);
        if required {
            assert_eq!(o.status.code(), Some(2));
            assert_eq!(
                stderr(&o),
                "error: nothing was written:\n  - answers.tune.token: \"Warehouse token?\" is a secret without a default, and secrets are never written to answers files; give it with --set tune.token=VALUE\n"
            );
            let o = replay(&["--set", "tune.token=tok_2"]);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        } else {
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        }
    }
}

#[test]
fn a_broken_pack_in_the_users_folder_is_skipped_with_a_warning_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let user = dir.path().join(".config/skillchain/skillchains");
    let broken = user.join("broken");
    copy_dir(&mini(), &broken);
    std::fs::write(broken.join("skills/base.yaml"), "id: base\ntitle: [\n").expect("write");
    let o = binary(dir.path(), &["list"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("data-engineering"), "bundled packs still work");
    let err = stderr(&o);
    assert!(
        err.starts_with(&format!(
            "⚠ pack `mini` ({}), in your packs folder {}, is skipped until it is fixed:\n  - {}/skills/base.yaml:3:1: not valid YAML",
            broken.display(),
            user.display(),
            broken.display()
        )),
        "{err}"
    );
    assert!(!err.contains("--skillchains"), "{err}");
    let o = binary(
        dir.path(),
        &["detect", "streaming pipeline from kafka to snowflake"],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Asked for by name, the same folder stops the command.
    let o = binary(
        dir.path(),
        &["--skillchains", &broken.display().to_string(), "list"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("packs from --skillchains"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn misleading_hints_name_the_real_cause() {
    let dir = tempfile::tempdir().expect("temp dir");
    let o = binary(dir.path(), &["lint", "/etc/passwd"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: /etc/passwd is a file, not a pack folder; pass a pack folder (one with pack.yaml) or a folder of packs\n"
    );
    // Preferences that are not UTF-8 say so, with the place.
    let prefs = dir.path().join(".config/skillchain/preferences");
    std::fs::create_dir_all(&prefs).expect("mkdir");
    std::fs::write(
        prefs.join("data-engineering.yaml"),
        b"skillchain_preferences: 1\npack: data-engineering\nskills: {a: {b: \"\xff\"}}\n",
    )
    .expect("write");
    let o = binary(dir.path(), &["prefs", "show"]);
    let err = stderr(&o);
    assert!(
        err.contains("data-engineering.yaml` is not a readable preferences file (line 3, column 18: not UTF-8 text; save the file as UTF-8)"),
        "{err}"
    );
    assert!(!err.contains("folder exists"), "{err}");
}

/// `run` of the pipeline-analysis pack up to `--set`: the artifacts folder
/// comes next.
const ANALYSE: &[&str] = &[
    "run",
    "analyse why the dbt tests failed in the last run of our pipeline",
    "--pack",
    "pipeline-analysis",
    "--defaults",
    "--pretend",
    "--set",
];

#[test]
fn a_dbt_artifact_of_the_wrong_shape_is_refused_naming_the_file_and_the_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("target");
    std::fs::create_dir(&target).expect("mkdir");
    std::fs::write(target.join("manifest.json"), r#"{"nodes": {}}"#).expect("write");
    std::fs::write(target.join("run_results.json"), r#"{"results": 5}"#).expect("write");
    let set = format!("reading-run-artifacts.artifacts={}", target.display());
    let o = binary(dir.path(), &[ANALYSE, &[set.as_str()]].concat());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        stderr(&o),
        format!(
            "error: nothing was written:\n  - --set reading-run-artifacts.artifacts: {}/run_results.json: `results` is a number, but dbt's run_results.json has a list there; point it at the target/ folder of a finished dbt run, or regenerate the file\n",
            target.display()
        )
    );
}

/// Runs the binary in `home` with stdin closed, failing the test (instead of
/// hanging it) when it still runs after 30 s.
#[cfg(unix)]
fn binary_within(home: &Path, args: &[&str]) -> Output {
    use std::process::Stdio;
    let mut child = in_home(home, args)
        .env("SKILLCHAIN_LOCK_WAIT_MS", "200")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("skillchain runs");
    let started = std::time::Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if started.elapsed() > std::time::Duration::from_secs(30) {
            let _ = child.kill();
            let o = child.wait_with_output().expect("output");
            panic!("`skillchain {}` hangs: {}", args.join(" "), stderr(&o));
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Every place a file is read, with every kind of thing that is not a
/// regular file put there: the command ends at once (never blocks on a
/// FIFO, never reads a device forever) and names the file and what it is,
/// in the same words everywhere.
#[cfg(unix)]
#[test]
fn every_place_a_file_is_read_names_what_stands_there_instead_and_never_blocks() {
    use std::os::unix::fs::symlink;
    // What is put at the place, and the words that must be said.
    type Plant = fn(&Path);
    fn fifo(p: &Path) {
        let c = std::ffi::CString::new(p.to_string_lossy().as_bytes()).expect("path");
        // SAFETY: mkfifo(3) with a NUL-terminated path.
        assert_eq!(
            unsafe { libc::mkfifo(c.as_ptr(), 0o600) },
            0,
            "{}",
            p.display()
        );
    }
    fn socket(p: &Path) {
        let l = std::os::unix::net::UnixListener::bind(p).expect("bind");
        std::mem::forget(l);
    }
    fn link_to_fifo(p: &Path) {
        let target = p.with_extension("fifo-target");
        fifo(&target);
        symlink(&target, p).expect("link");
    }
    fn link_to_device(p: &Path) {
        symlink("/dev/zero", p).expect("link");
    }
    fn folder(p: &Path) {
        std::fs::create_dir(p).expect("mkdir");
    }
    let kinds: [(&str, Plant, &[&str]); 5] = [
        (
            "FIFO",
            fifo,
            &["is a named pipe (FIFO), not a regular file"],
        ),
        ("socket", socket, &["is a socket, not a regular file"]),
        (
            "link to a FIFO",
            link_to_fifo,
            &[
                "is a named pipe (FIFO), not a regular file",
                "is a symbolic link, not a regular file",
                "is a symbolic link, ",
            ],
        ),
        (
            "link to a device",
            link_to_device,
            &[
                "is a character device, not a regular file",
                "is a symbolic link, not a regular file",
                "is a symbolic link, ",
            ],
        ),
        ("folder", folder, &["is a folder"]),
    ];
    let goal = "kafka streaming";
    // Each place: how to prepare the home around it, the file's path
    // relative to home, and the command that reads it.
    fn mini_copy(home: &Path) {
        copy_dir(&mini(), &home.join("pack"));
    }
    fn written(home: &Path) {
        let o = binary(
            home,
            &[
                "run",
                "kafka streaming",
                "--skillchains",
                &mini().display().to_string(),
                "--pack",
                "mini",
                "--defaults",
                "--out",
                "out",
            ],
        );
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    fn out_state(home: &Path) {
        written(home);
        std::fs::create_dir_all(home.join("out/.skillchain/write")).expect("mkdir");
    }
    fn config(home: &Path) {
        std::fs::create_dir_all(home.join(".config/skillchain/preferences")).expect("mkdir");
    }
    fn artifacts(home: &Path) {
        std::fs::create_dir_all(home.join("target")).expect("mkdir");
        std::fs::write(home.join("target/run_results.json"), r#"{"results": []}"#).expect("write");
    }
    fn nothing(_: &Path) {}
    // (what, the file relative to home, what is there around it, the
    // command that reads it). The file itself is replaced by each kind.
    type Setup = fn(&Path);
    let places: [(&str, &str, Setup, &[&str]); 15] = [
        (
            "answers file",
            "answers.yaml",
            nothing,
            &["run", "--answers", "answers.yaml", "--out", "o"],
        ),
        (
            "pack manifest",
            "pack/pack.yaml",
            mini_copy,
            &["lint", "pack"],
        ),
        (
            "skill file",
            "pack/skills/base.yaml",
            mini_copy,
            &["list", "--skillchains", "pack"],
        ),
        (
            "template",
            "pack/templates/model.sql.j2",
            mini_copy,
            &["lint", "pack"],
        ),
        (
            "pack lock",
            ".config/skillchain/packs.lock",
            config,
            &["pack", "list"],
        ),
        (
            "index list",
            ".config/skillchain/indexes.yaml",
            config,
            &["pack", "search", "x"],
        ),
        (
            "preferences",
            ".config/skillchain/preferences/mini.yaml",
            config,
            &["prefs", "show", "mini"],
        ),
        (
            "registry",
            "_registry.yaml",
            nothing,
            &[
                "pack",
                "import-registry",
                "_registry.yaml",
                "--out",
                "imported",
            ],
        ),
        (
            "pack archive",
            "pack.tar.gz",
            nothing,
            &["pack", "add", "pack.tar.gz"],
        ),
        (
            "session file",
            "out/.skillchain/session.json",
            written,
            &["resume", "out"],
        ),
        (
            "run record",
            "out/.skillchain/answers.yaml",
            written,
            &["validate", "out"],
        ),
        (
            "lock file",
            "out/.skillchain/lock",
            written,
            &["validate", "out"],
        ),
        (
            "write journal",
            "out/.skillchain/write/journal.json",
            out_state,
            &["validate", "out"],
        ),
        (
            "planned file",
            "out/base/demo.txt",
            nothing,
            &[
                "run",
                "kafka streaming",
                "--pack",
                "mini",
                "--defaults",
                "--out",
                "out",
                "--pretend",
            ],
        ),
        (
            "dbt artifact",
            "target/manifest.json",
            artifacts,
            // `ANALYSE` and the folder, added below.
            &[],
        ),
    ];
    let _ = goal;
    // The default run covers every place with one kind and every kind at
    // three places (a rotation); SKILLCHAIN_STRESS=1 runs all 75 pairs.
    let all = std::env::var("SKILLCHAIN_STRESS").is_ok_and(|v| v == "1");
    let mut checked = 0;
    for (i, (name, file_at, setup, place_args)) in places.iter().enumerate() {
        for (k, (kind, plant, words)) in kinds.iter().enumerate() {
            if !all && (i + k) % kinds.len() != 0 {
                checked += 1;
                continue;
            }
            // A folder given to `pack add` is a pack folder: read as one.
            if *name == "pack archive" && *kind == "folder" {
                checked += 1;
                continue;
            }
            let home = tempfile::tempdir().expect("temp dir");
            let h = home.path();
            setup(h);
            let file = h.join(file_at);
            if let Some(parent) = file.parent() {
                std::fs::create_dir_all(parent).expect("mkdir");
            }
            let _ = std::fs::remove_file(&file);
            plant(&file);
            let mut args: Vec<String> = place_args.iter().map(|a| a.to_string()).collect();
            if *name == "dbt artifact" {
                args = [ANALYSE, &["reading-run-artifacts.artifacts=target"]]
                    .concat()
                    .iter()
                    .map(|a| a.to_string())
                    .collect();
            }
            // Packs under test come from the copy or the fixture.
            if place_args.first() == Some(&"run") && *name != "dbt artifact" {
                args.extend(["--skillchains".to_string(), mini().display().to_string()]);
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let o = binary_within(h, &args);
            let said = format!("{}{}", stderr(&o), String::from_utf8_lossy(&o.stdout));
            let named = file_at.rsplit('/').next().unwrap_or(file_at);
            assert!(
                words.iter().any(|w| said.contains(w)) && said.contains(named),
                "{} as a {kind}: `skillchain {}` (exit {:?}) does not say what stands at {named}:\n{said}",
                name,
                args.join(" "),
                o.status.code()
            );
            assert!(!said.contains("panicked"), "{said}");
            checked += 1;
        }
    }
    assert_eq!(checked, places.len() * kinds.len());
}

/// Huge inputs on every path: a goal from each place a goal comes from is
/// refused over its limit with the limit and never its text; a file of a
/// generated folder far larger than anything generated is not read whole.
#[cfg(unix)]
#[test]
fn huge_goals_and_huge_files_are_refused_with_their_limit() {
    let home = tempfile::tempdir().expect("temp dir");
    let h = home.path();
    let mini = mini().display().to_string();
    for words in [1025, 5_000, 20_000] {
        let goal = "kafka ".repeat(words).trim_end().to_string();
        let expected = format!(
            "error: the goal is {} long; goals are limited to 2 KiB: describe what to build in a few sentences, the questions ask for the details\n",
            limits::human(goal.len() as u64)
        );
        for args in [
            vec!["detect", goal.as_str()],
            vec!["run", goal.as_str(), "--defaults", "--pretend"],
            vec![goal.as_str(), "--plain"],
            vec!["--skillchains", mini.as_str(), goal.as_str(), "--plain"],
        ] {
            let o = binary_within(h, &args);
            assert_eq!(o.status.code(), Some(2), "{words} words");
            assert_eq!(stderr(&o), expected, "{words} words: {}", args[0]);
            assert!(o.stdout.len() < 1024, "the goal was echoed");
        }
    }
    // At the limit it is read.
    let goal = format!("kafka streaming {}", "x".repeat(limits::GOAL - 16));
    assert_eq!(goal.len(), limits::GOAL);
    let o = binary_within(h, &["detect", &goal, "--skillchains", &mini]);
    assert!(!stderr(&o).contains("goals are limited"), "{}", stderr(&o));

    // A written project whose every file is made 1 GiB (sparse): validation
    // ends quickly, naming each file it would not read.
    let o = binary(
        h,
        &[
            "run",
            "streaming pipeline from kafka to snowflake with dbt tests",
            "--defaults",
            "--out",
            "out",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut grown = 0;
    for entry in walkdir::WalkDir::new(h.join("out")).into_iter().flatten() {
        if entry.file_type().is_file() && !entry.path().to_string_lossy().contains(".skillchain") {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(entry.path())
                .expect("open");
            f.set_len(1 << 30).expect("grow");
            grown += 1;
        }
    }
    assert!(grown > 0);
    let started = std::time::Instant::now();
    let o = binary_within(h, &["validate", "out"]);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        said.contains("(larger than 16 MiB, the limit for validated files; check that this is the file you meant)"),
        "{said}{}",
        stderr(&o)
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(25));
}
