//! Broken packs are refused with every problem listed at once, each naming
//! the file, line or field and what to do. One folder per case under
//! `tests/fixtures/invalid_packs/` (a copy of the `mini` fixture with one
//! thing broken, or several for `many-problems`); the expected problems are
//! the exact `Problem` texts with the case folder written as `<pack>`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use skillchain::error::EngineError;
use skillchain::pack::{load_dir, PackFiles};

const INVALID: &str = "tests/fixtures/invalid_packs";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The problems `load_dir` reports for a case, with the folder as `<pack>`.
fn problems(case: &str) -> Vec<String> {
    let dir = repo().join(INVALID).join(case);
    match load_dir(&dir) {
        Err(EngineError::Problems(p)) => p
            .problems
            .iter()
            .map(|x| x.to_string().replace(&dir.display().to_string(), "<pack>"))
            .collect(),
        Err(other) => panic!("{case}: expected a list of problems, got: {other}"),
        Ok(pack) => panic!("{case}: loaded pack `{}` instead of refusing it", pack.id()),
    }
}

/// Runs the real binary from the repository root, colours off.
fn skillchain(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_skillchain"))
        .current_dir(repo())
        .arg("--no-color")
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("skillchain runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The `  - ` lines of a problem list printed on stderr.
fn listed(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|l| l.strip_prefix("  - "))
        .map(str::to_string)
        .collect()
}

/// One test per case (named for the behaviour it proves) plus `CASES`, the
/// whole table, for the tests that run the binary over every case.
macro_rules! cases {
    ($($test:ident: $case:literal => [$($problem:literal),* $(,)?];)*) => {
        const CASES: &[(&str, &[&str])] = &[$(($case, &[$($problem),*])),*];
        $(
            #[test]
            fn $test() {
                let expected: &[&str] = &[$($problem),*];
                assert_eq!(problems($case), expected);
            }
        )*
    };
}

cases! {
load_only_on_path_questions_inside_the_folder_and_never_in_output_paths: "load-misused" => [
    r#"<pack>/skills/base.yaml: question `notes`: `load` reads files, so it needs a path question, not a text one: make it `kind: path` or remove `load`"#,
    r#"<pack>/skills/base.yaml: question `runs`: load.files entry `../secrets.json` must be a relative path inside the answered folder"#,
    r#"<pack>/skills/base.yaml: output `base/{{ loaded.base.runs | length }}.txt`: path refers to `loaded`: which files are generated must not depend on loaded file content (`skillchain validate` checks a tree without reading it); use `loaded` inside the template instead"#,
    r#"<pack>/skills/base.yaml: output `base/{{ loaded.base.runs | length }}.txt`: condition refers to `loaded`: which files are generated must not depend on loaded file content (`skillchain validate` checks a tree without reading it); use `loaded` inside the template instead"#,
    r#"<pack>/templates/base.txt.j2:4: refers to `loaded.base.name`, but only path questions with `load:` are loaded (`base` has: notes, runs)"#,
];
unknown_load_format_suggests_the_format_it_resembles: "load-unknown-format" => [
    r#"<pack>/skills/base.yaml:29:21: questions[3].load.format: unknown variant `jsn`, expected one of `json`, `yaml`, `text` (did you mean `json`?)"#,
];
bad_indentation_is_invalid_yaml_at_file_line_and_column: "yaml-bad-indentation" => [
    r#"<pack>/skills/stream.yaml:22:4: not valid YAML: did not find expected '-' indicator, while parsing a block collection; check the indentation and quoting on this line and the lines above it"#,
];
unknown_field_in_a_skill_suggests_the_field_it_resembles: "skill-unknown-field" => [
    r#"<pack>/skills/tune.yaml:10:5: questions[0]: unknown field `promt`, expected one of `id`, `prompt`, `help`, `kind`, `options`, `default`, `smart_defaults`, `when`, `validate`, `load` (did you mean `prompt`?)"#,
];
unknown_field_in_pack_yaml_suggests_the_field_it_resembles: "manifest-unknown-field" => [
    r#"<pack>/pack.yaml:5:1: unknown field `trigers`, expected one of `id`, `title`, `description`, `version`, `output_root`, `triggers`, `synonyms`, `examples`, `conflicts`, `jinja_files`, `makes` (did you mean `triggers`?)"#,
];
unknown_question_kind_suggests_the_kind_it_resembles: "unknown-question-kind" => [
    r#"<pack>/skills/tune.yaml:11:11: questions[0].kind: unknown variant `choise`, expected one of `choice`, `multi-choice`, `text`, `multiline`, `bool`, `integer`, `number`, `path`, `secret` (did you mean `choice`?)"#,
];
unknown_tier_suggests_the_tier_it_resembles: "unknown-tier" => [
    r#"<pack>/skills/tune.yaml:3:7: tier: unknown variant `foundatoin`, expected one of `foundation`, `component`, `integration`, `assembly` (did you mean `foundation`?)"#,
];
missing_prompt_names_the_question_and_what_to_add: "missing-required-field" => [
    r#"<pack>/skills/tune.yaml:9:5: questions[0]: question `engine` is missing the required field `prompt`; add `prompt: …`"#,
];
missing_skill_title_names_the_skill_and_what_to_add: "missing-skill-title" => [
    r#"<pack>/skills/tune.yaml:1:1: skill `tune` is missing the required field `title`; add `title: …`"#,
];
empty_skill_file_is_named_instead_of_reported_as_a_missing_id: "empty-skill-file" => [
    r#"<pack>/skills/extra.yaml: the file is empty: write a skill here or delete the file"#,
];
duplicate_key_in_a_mapping_says_to_keep_one: "duplicate-key" => [
    r#"<pack>/skills/stream.yaml:19:5: questions[1]: key `prompt` appears twice in the same mapping; keep one"#,
];
value_of_the_wrong_shape_names_the_question_and_the_shapes_allowed: "value-of-wrong-shape" => [
    r#"<pack>/skills/tune.yaml:9:5: questions[0]: question `engine` has a value of the wrong shape: a value must be text, a number, true/false or a list of texts"#,
];
dependency_on_an_unknown_skill_suggests_the_skill_it_resembles: "unknown-dependency" => [
    r#"<pack>/skills/transform.yaml: dependency `steam` is not a skill of this pack (did you mean `stream`?)"#,
];
place_word_that_is_no_primary_keyword_says_where_to_list_it: "place-not-a-keyword" => [
    r#"<pack>/skills/transform.yaml: keywords.places: `staging` is not a primary keyword of `transform`: a place word must also be listed under keywords.primary"#,
];
makes_with_a_phrase_or_an_unknown_skill_says_which: "makes-wrong-noun-and-skill" => [
    r#"<pack>/pack.yaml: makes: noun `data model` must be one word, such as `table`"#,
    r#"<pack>/pack.yaml: makes: skill `trasnform` is not a skill of this pack (did you mean `transform`?)"#,
];
dependency_cycle_names_every_skill_on_it: "dependency-cycle" => [
    r#"<pack>/skills/stream.yaml: dependency cycle stream → transform → stream: no order can run each skill after its dependencies; remove one of these dependencies"#,
];
skill_depending_on_itself_is_reported_once_not_also_as_a_cycle: "self-dependency" => [
    r#"<pack>/skills/tune.yaml: skill `tune` depends on itself: remove `tune` from its dependencies"#,
];
duplicate_skill_id_names_both_files_and_nothing_else: "duplicate-skill-id" => [
    r#"<pack>/skills/tune.yaml: skill id `stream` is already defined in skills/stream.yaml; give each skill its own id"#,
];
duplicate_question_id_is_reported_on_the_question: "duplicate-question-id" => [
    r#"<pack>/skills/tune.yaml: question `engine`: question id `engine` is used twice in skill `tune`; give each question its own id (answers files and expressions refer to it)"#,
];
choice_default_outside_its_options_suggests_the_option_it_resembles: "choice-default-not-an-option" => [
    r#"<pack>/skills/stream.yaml: question `platform`: default is invalid: `kafak` is not one of: kafka, kinesis, pubsub (did you mean `kafka`?)"#,
];
choice_question_without_options_is_one_problem_not_one_per_value: "choice-without-options" => [
    r#"<pack>/skills/base.yaml: question `scale`: a choice question needs options: add `options: [{ value: … }, …]`"#,
];
condition_naming_an_unknown_question_suggests_the_question_it_resembles: "condition-unknown-question" => [
    r#"<pack>/skills/stream.yaml: question `registry`: condition `stream.platfrom == 'kafka'` refers to `stream.platfrom`, but skill `stream` has no question `platfrom` (did you mean `platform`?)"#,
];
condition_on_a_later_question_of_the_same_skill_says_to_move_it: "condition-later-question" => [
    r#"<pack>/skills/stream.yaml: question `format`: condition `stream.partitions > 1` refers to `stream.partitions`, but question `partitions` is asked after `format`: move `partitions` above `format` or refer to an earlier question"#,
];
template_syntax_error_names_the_template_and_line: "template-syntax-error" => [
    r#"<pack>/templates/stream.yaml.j2:2: does not parse: syntax error: unexpected `}`, expected end of variable block"#,
];
unknown_names_in_a_template_are_reported_at_their_line_with_suggestions: "template-unknown-variable" => [
    r#"<pack>/templates/base.txt.j2:2: refers to `base.clod`, but skill `base` has no question `clod` (did you mean `cloud`?)"#,
    r#"<pack>/templates/base.txt.j2:2: refers to unknown name `bsae` (did you mean `base`?)"#,
];
unknown_filters_and_tests_are_found_before_anything_is_rendered: "template-unknown-filter" => [
    r#"<pack>/skills/stream.yaml: output `stream/{{ stream.platform | kebap }}.yaml`: path `stream/{{ stream.platform | kebap }}.yaml` uses unknown filter `kebap` (did you mean `kebab`?)"#,
    r#"<pack>/templates/base.txt.j2:1: uses unknown filter `snkae` (did you mean `snake`?)"#,
    r#"<pack>/templates/base.txt.j2:2: uses unknown test `definedd` (did you mean `defined`?)"#,
];
template_that_is_not_utf8_is_reported_with_the_other_problems: "template-not-utf8" => [
    r#"<pack>/templates/registry.txt.j2: not UTF-8 text: save it as UTF-8 (pack files are read as text)"#,
];
output_with_a_missing_template_suggests_the_template_it_resembles: "output-template-missing" => [
    r#"<pack>/skills/transform.yaml: output `models/main.sql`: template `models.sql.j2` does not exist under templates/ (did you mean `model.sql.j2`?)"#,
];
output_paths_that_leave_the_output_folder_are_refused: "output-path-escapes" => [
    r#"<pack>/skills/transform.yaml: output `../models/main.sql`: path could leave the output folder (`../models/main.sql` climbs out with `..`); write it relative to the output folder"#,
    r#"<pack>/skills/transform.yaml: output `/etc/main.sql`: path could leave the output folder (`/etc/main.sql` is absolute); write it relative to the output folder"#,
    r#"<pack>/skills/transform.yaml: output `models/{{ transform.tool }}/../../../x.sql`: path could leave the output folder (`models/x/../../../x.sql` climbs out with `..`); write it relative to the output folder"#,
];
blueprint_naming_an_unknown_skill_suggests_the_skill_it_resembles: "blueprint-unknown-skill" => [
    r#"<pack>/blueprints/pipe.yaml: skills: `transfrom` is not a skill of this pack (did you mean `transform`?)"#,
];
blueprint_presets_for_unknown_questions_or_with_invalid_values_are_each_reported: "blueprint-bad-presets" => [
    r#"<pack>/blueprints/pipe.yaml: presets: `baes.name` names unknown skill `baes` (did you mean `base`?)"#,
    r#"<pack>/blueprints/pipe.yaml: presets: `base.cloud`: `azure` is not one of: aws, gcp"#,
    r#"<pack>/blueprints/pipe.yaml: presets: `base.scael`: skill `base` has no question `scael` (did you mean `scale`?)"#,
    r#"<pack>/blueprints/pipe.yaml: presets: `name` must be `skill-id.question-id`"#,
    r#"<pack>/blueprints/pipe.yaml: presets: `stream.partitions`: 100 is not a whole number from 1 to 64"#,
];
deliverable_with_an_invalid_glob_and_regex_reports_both_on_one_line_each: "deliverable-bad-glob-and-regex" => [
    r#"<pack>/blueprints/pipe.yaml: deliverable `stream-config`: file glob `stream/[*.yaml` is not a valid glob: unclosed character class; missing ']'"#,
    r#"<pack>/blueprints/pipe.yaml: deliverable `stream-config`: check pattern `platform:(` is not a valid regex: unclosed group; escape characters meant literally, such as `(` or `[`, with `\`"#,
];
conflict_resolution_setting_an_unknown_question_suggests_the_question: "conflict-resolution-unknown-question" => [
    r#"<pack>/pack.yaml: conflict `json-with-dbt`: resolution `use-avro`: `stream.fromat`: skill `stream` has no question `fromat` (did you mean `format`?)"#,
];
secret_question_with_a_default_is_refused: "secret-with-default" => [
    r#"<pack>/skills/tune.yaml: question `engine`: a secret question cannot have a default or smart defaults (the value would be stored in the pack in plain text): remove them"#,
];
pack_without_skills_says_where_to_add_one: "no-skills" => [
    r#"<pack>: the pack has no skills: add at least one skill file, skills/<id>.yaml"#,
];
folder_without_pack_yaml_says_to_create_it: "missing-manifest" => [
    r#"<pack>: no pack.yaml: a pack folder needs a manifest with id, title, version and output_root; create pack.yaml in this folder"#,
];
broken_pack_yaml_does_not_hide_the_problems_of_the_skills: "broken-manifest-still-checks-skills" => [
    r#"<pack>/pack.yaml:5:1: unknown field `trigers`, expected one of `id`, `title`, `description`, `version`, `output_root`, `triggers`, `synonyms`, `examples`, `conflicts`, `jinja_files`, `makes` (did you mean `triggers`?)"#,
    r#"<pack>/skills/transform.yaml: dependency `steam` is not a skill of this pack (did you mean `stream`?)"#,
];
every_problem_of_a_pack_is_reported_in_one_run: "many-problems" => [
    r#"<pack>/skills/tune.yaml:11:11: questions[0].kind: unknown variant `txt`, expected one of `choice`, `multi-choice`, `text`, `multiline`, `bool`, `integer`, `number`, `path`, `secret` (did you mean `text`?)"#,
    r#"<pack>/pack.yaml: output_root `../out` must be a plain folder name, such as `mini-project`"#,
    r#"<pack>/skills/base.yaml: question `cloud`: default is invalid: `azure` is not one of: aws, gcp"#,
    r#"<pack>/skills/stream.yaml: question `registry`: condition `stream.platfrom == 'kafka'` refers to `stream.platfrom`, but skill `stream` has no question `platfrom` (did you mean `platform`?)"#,
    r#"<pack>/skills/transform.yaml: dependency `bsae` is not a skill of this pack (did you mean `base`?)"#,
    r#"<pack>/templates/model.sql.j2:1: refers to `transform.tol`, but skill `transform` has no question `tol` (did you mean `tool`?)"#,
    r#"<pack>/blueprints/pipe.yaml: skills: `tuning` is not a skill of this pack (did you mean `tune`?)"#,
    r#"<pack>/blueprints/pipe.yaml: deliverable `stream-config`: check pattern `platform:(` is not a valid regex: unclosed group; escape characters meant literally, such as `(` or `[`, with `\`"#,
];}

#[test]
fn every_invalid_pack_folder_has_a_case() {
    let mut folders: Vec<String> = std::fs::read_dir(repo().join(INVALID))
        .expect("fixture folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut cases: Vec<String> = CASES.iter().map(|(c, _)| c.to_string()).collect();
    cases.sort();
    assert_eq!(folders, cases);
}

#[test]
fn lint_of_each_broken_pack_exits_2_and_lists_exactly_its_problems() {
    for (case, expected) in CASES {
        let rel = format!("{INVALID}/{case}");
        let out = skillchain(&["lint", &rel]);
        assert_eq!(out.status.code(), Some(2), "{case}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "", "{case}");
        let expected: Vec<String> = expected.iter().map(|p| p.replace("<pack>", &rel)).collect();
        assert_eq!(listed(&text(&out.stderr)), expected, "{case}");
    }
}

#[test]
fn lint_prints_the_pack_and_the_number_of_problems_above_the_list() {
    let out = skillchain(&["lint", "tests/fixtures/invalid_packs/dependency-cycle"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: pack `mini` (tests/fixtures/invalid_packs/dependency-cycle):\n  \
         - tests/fixtures/invalid_packs/dependency-cycle/skills/stream.yaml: dependency cycle \
         stream → transform → stream: no order can run each skill after its dependencies; \
         remove one of these dependencies\n"
    );
    let out = skillchain(&["lint", "tests/fixtures/invalid_packs/many-problems"]);
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr.lines().next(),
        Some("error: pack `mini` (tests/fixtures/invalid_packs/many-problems) (8 problems):")
    );
}

#[test]
fn lint_of_a_valid_pack_exits_0() {
    let out = skillchain(&["lint", "tests/fixtures/packs/mini"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "✓ mini (tests/fixtures/packs/mini): 4 skills, 1 blueprints, 4 templates, 1 conflict rules: no problems\n"
    );
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn a_broken_pack_passed_with_skillchains_stops_every_command_with_its_problems() {
    let out = skillchain(&[
        "--skillchains",
        "tests/fixtures/invalid_packs/many-problems",
        "list",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(text(&out.stdout), "");
    let stderr = text(&out.stderr);
    assert_eq!(
        stderr.lines().next(),
        Some("error: packs from --skillchains (8 problems):")
    );
    let (_, expected) = CASES
        .iter()
        .find(|(c, _)| *c == "many-problems")
        .expect("case");
    let expected: Vec<String> = expected
        .iter()
        .map(|p| p.replace("<pack>", "tests/fixtures/invalid_packs/many-problems"))
        .collect();
    assert_eq!(listed(&stderr), expected);
}

#[test]
fn a_folder_without_pack_yaml_passed_with_skillchains_says_what_to_pass() {
    let out = skillchain(&[
        "--skillchains",
        "tests/fixtures/invalid_packs/missing-manifest",
        "list",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "error: packs from --skillchains:\n  - tests/fixtures/invalid_packs/missing-manifest: no pack \
         here: neither it nor any sub-folder has a pack.yaml; pass a pack folder (one with \
         pack.yaml) or a folder of pack folders\n"
    );
}

/// `templating` uses loops, `loop.*`, `set`, namespaces, macros with
/// `caller`, `with`, `raw`, filter blocks, tests, `extends`/`super()`,
/// imports, dict literals and the product's `has_skill`/`goal_has`/`snake`/
/// `kebab`: none of it may be mistaken for an unknown name.
#[test]
fn templates_using_loops_set_macros_filters_and_helper_functions_are_not_flagged() {
    let pack = load_dir(&repo().join("tests/fixtures/packs/templating"))
        .unwrap_or_else(|e| panic!("valid pack refused:\n{e}"));
    let templates: Vec<&str> = pack.templates.keys().map(String::as_str).collect();
    assert_eq!(
        templates,
        [
            "base.txt.j2",
            "features.md.j2",
            "layout.j2",
            "macros.j2",
            "model.sql.j2",
            "registry.txt.j2",
            "stream.yaml.j2"
        ]
    );
    let out = skillchain(&["lint", "tests/fixtures/packs/templating"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// What lint accepts must also render: the same template through `run`.
#[test]
fn the_template_lint_accepts_renders_at_generation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().join("out");
    let out = skillchain(&[
        "--skillchains",
        "tests/fixtures/packs/templating",
        "run",
        "kafka pipeline with dbt",
        // The bundled data-engineering pack matches this goal too.
        "--pack",
        "templating",
        "--defaults",
        "--out",
        out_dir.to_str().expect("utf-8 temp path"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let doc = std::fs::read_to_string(out_dir.join("docs/demo-large.md")).expect("rendered");
    assert_eq!(
        doc,
        "generated by skillchain from templating 1.0.0\n\
         # Mini pack for tests for demo\n\
         | cloud | aws | DEMO |1/3. base2/3. stream3/3. transform (last)- Cloud: aws\n\
         - Scale: large\n\
         1total: 3stream: kafka (6 partitions)\n\
         team: soloKAFKA PIPELINE WITH DBT{{ not_a_variable | not_a_filter }}{\"a\":1} 3 pipe\n\
         [demo]\n"
    );
}

#[test]
fn hidden_entries_and_binary_files_the_pack_does_not_use_are_skipped() {
    let files = PackFiles::from_dir(Path::new(&repo().join("tests/fixtures/packs/templating")))
        .expect("readable");
    assert!(files.unreadable.is_empty(), "{:?}", files.unreadable);
    let names: Vec<&str> = files.files.keys().map(String::as_str).collect();
    assert!(!names.iter().any(|n| n.starts_with(".cache/")), "{names:?}");
    assert!(!names.contains(&"docs/logo.png"), "{names:?}");
    assert!(names.contains(&"README.md"), "{names:?}");
}
