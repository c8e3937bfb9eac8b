//! `run` takes shortcuts to stay fast: the plan looks up each output folder
//! once instead of opening every planned file, and the report of a run
//! takes the files it has just written from memory instead of reading them
//! back. These tests hold both to what the disk says, over seeded random
//! output folders (files absent, identical, edited, emptied, a file where a
//! folder should be, the user's own files beside the generated ones).

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

use common::{bin, code, isolated, stderr, stdout, tree};
use serde_json::Value;

const GOAL: &str = "streaming pipeline from kafka to snowflake with dbt tests";

/// A seeded xorshift, so a failure names the seed that shows it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn sc(args: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(bin());
    isolated(&mut cmd);
    cmd.args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("skillchain runs")
}

fn json(o: &std::process::Output) -> Value {
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", stdout(o), stderr(o)))
}

/// The files a fresh run writes (path → content), `.skillchain/` left out.
fn reference(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let out = dir.join("reference");
    let o = sc(&["run", GOAL, "--defaults", "--out", out.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    tree(&out)
}

fn write(path: &Path, content: &[u8]) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
}

/// What a planned file finds on disk before the run.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Before {
    Absent,
    Identical,
    Edited,
    Emptied,
    /// A regular file stands where the file's folder should be.
    FileForFolder,
}

/// Lays out `out` from `reference` by seed: each planned file gets a
/// `Before`, and some folders get files of the user's own (a non-empty SQL
/// file, an empty one, a `.gitkeep`). Returns each planned path's `Before`.
fn lay_out(
    rng: &mut Rng,
    out: &Path,
    reference: &BTreeMap<String, Vec<u8>>,
    allow_file_for_folder: bool,
) -> BTreeMap<String, Before> {
    let mut before = BTreeMap::new();
    let mut blocked: Vec<String> = Vec::new();
    for (path, content) in reference {
        let target = out.join(path);
        if blocked.iter().any(|b| path.starts_with(&format!("{b}/"))) {
            before.insert(path.clone(), Before::FileForFolder);
            continue;
        }
        let kind = match rng.below(20) {
            0..=8 => Before::Absent,
            9..=12 => Before::Identical,
            13..=16 => Before::Edited,
            17..=18 => Before::Emptied,
            _ if allow_file_for_folder && path.contains('/') => Before::FileForFolder,
            _ => Before::Absent,
        };
        match kind {
            Before::Absent => {}
            Before::Identical => write(&target, content),
            Before::Edited => write(&target, b"edited by hand\n"),
            Before::Emptied => write(&target, b""),
            Before::FileForFolder => {
                let folder = path.rsplit_once('/').map(|(d, _)| d).unwrap();
                let at = out.join(folder);
                if !at.exists() {
                    write(&at, b"a file, not a folder\n");
                }
                if at.is_file() {
                    // Files planned there earlier (all absent, or the
                    // folder would exist) now stand below a file too.
                    let below = format!("{folder}/");
                    for (p, b) in before.iter_mut() {
                        if p.starts_with(&below) {
                            *b = Before::FileForFolder;
                        }
                    }
                    blocked.push(folder.to_string());
                } else {
                    // The folder holds files already: this one stays absent.
                    before.insert(path.clone(), Before::Absent);
                    continue;
                }
            }
        }
        before.insert(path.clone(), kind);
    }
    // Files of the user's own beside the generated ones.
    for path in reference.keys() {
        if rng.below(6) != 0 {
            continue;
        }
        let Some((folder, _)) = path.rsplit_once('/') else {
            continue;
        };
        if blocked
            .iter()
            .any(|b| folder == b || folder.starts_with(&format!("{b}/")))
        {
            continue;
        }
        let n = rng.below(1000);
        match rng.below(3) {
            0 => write(
                &out.join(folder).join(format!("mine_{n}.sql")),
                b"select 1\n",
            ),
            1 => write(&out.join(folder).join(format!("mine_{n}.yml")), b""),
            _ => write(&out.join(folder).join(".gitkeep"), b""),
        }
    }
    before
}

#[test]
fn the_plan_sees_every_file_on_disk_whether_its_folders_exist_or_not() {
    let dir = tempfile::tempdir().unwrap();
    let reference = reference(dir.path());
    for seed in 1..=6u64 {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed.wrapping_mul(0x2545_f491_4f6c_dd1d));
        let out = dir.path().join(format!("out-{seed}"));
        fs::create_dir_all(&out).unwrap();
        let before = lay_out(&mut rng, &out, &reference, true);
        let o = sc(&[
            "run",
            GOAL,
            "--defaults",
            "--pretend",
            "--json",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code(&o), 0, "seed {seed}: {}", stderr(&o));
        let plan = json(&o);
        let mut planned = 0;
        for f in plan["files"].as_array().unwrap() {
            let path = f["path"].as_str().unwrap();
            let status = f["status"].as_str().unwrap();
            if status == "skipped" {
                continue;
            }
            planned += 1;
            let expected = match before[path] {
                Before::Absent => "new",
                Before::Identical => "identical",
                Before::Edited | Before::Emptied | Before::FileForFolder => "conflict",
            };
            assert_eq!(
                status, expected,
                "seed {seed}: {path} was {:?}",
                before[path]
            );
        }
        assert_eq!(planned, reference.len(), "seed {seed}");
    }
}

#[test]
fn a_runs_report_is_the_report_validate_reads_from_disk() {
    let dir = tempfile::tempdir().unwrap();
    let reference = reference(dir.path());
    for seed in 1..=5u64 {
        let mut rng = Rng(0x243f_6a88_85a3_08d3 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        let out = dir.path().join(format!("out-{seed}"));
        fs::create_dir_all(&out).unwrap();
        // A file where a folder should be is refused by the write; this
        // test is about what a finished write reports.
        lay_out(&mut rng, &out, &reference, false);
        let out_s = out.to_str().unwrap();
        let o = sc(&[
            "run",
            GOAL,
            "--defaults",
            "--force",
            "--json",
            "--out",
            out_s,
        ]);
        assert_eq!(code(&o), 0, "seed {seed}: {}", stderr(&o));
        let run = json(&o);
        assert_eq!(run["written"], Value::Bool(true), "seed {seed}");
        // Every planned file is on disk as the reference has it.
        let now = tree(&out);
        for (path, content) in &reference {
            assert_eq!(now.get(path), Some(content), "seed {seed}: {path}");
        }
        let v = sc(&["validate", out_s, "--json"]);
        let validated = json(&v);
        assert_eq!(
            run["report"], validated,
            "seed {seed}: run and validate disagree"
        );
    }
}

/// Copies the `mini` fixture pack to `to`, with the base skill writing
/// `count` files from templates `t<k>.txt.j2`, those in `broken` failing
/// when rendered (an answer that is not a number piped to `int`).
fn pack_with_outputs(to: &Path, count: usize, broken: &[usize]) {
    for e in walkdir::WalkDir::new(common::mini()).into_iter().flatten() {
        let rel = e.path().strip_prefix(common::mini()).unwrap();
        let target = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(e.path(), &target).unwrap();
        }
    }
    let skill = to.join("skills/base.yaml");
    let text = fs::read_to_string(&skill).unwrap();
    let (head, _) = text.split_once("outputs:").unwrap();
    let mut outputs = String::from("outputs:\n");
    for k in 0..count {
        outputs.push_str(&format!(
            "  - {{ template: t{k}.txt.j2, path: \"base/f{k}.txt\" }}\n"
        ));
        let body = if broken.contains(&k) {
            format!("file {k}: {{{{ base.name | int }}}}\n")
        } else {
            format!("file {k}: {{{{ base.name }}}}\n")
        };
        fs::write(to.join(format!("templates/t{k}.txt.j2")), body).unwrap();
    }
    fs::write(&skill, format!("{head}{outputs}")).unwrap();
}

#[test]
fn template_failures_are_listed_in_the_plans_order_however_many_files() {
    let dir = tempfile::tempdir().unwrap();
    for seed in 1..=4u64 {
        let mut rng = Rng(0x5851_f42d_4c95_7f2d ^ seed.wrapping_mul(0x1405_7b7e_f767_814f));
        // Below and above the count where templates compile on two threads.
        let count = [3usize, 9, 17, 40][seed as usize - 1];
        let mut broken: Vec<usize> = (0..count).filter(|_| rng.below(3) == 0).collect();
        if broken.is_empty() {
            broken.push(count - 1);
        }
        let pack = dir.path().join(format!("pack-{seed}"));
        pack_with_outputs(&pack, count, &broken);
        let out = dir.path().join(format!("out-{seed}"));
        let o = sc(&[
            "--skillchains",
            pack.to_str().unwrap(),
            "run",
            "kafka pipeline with dbt",
            "--pack",
            "mini",
            "--defaults",
            "--pretend",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_ne!(code(&o), 0, "seed {seed}: {}", stdout(&o));
        let err = stderr(&o);
        let named: Vec<usize> = err
            .lines()
            .filter_map(|l| {
                let at = l.find("output base/f")? + "output base/f".len();
                let k = &l[at..];
                k[..k.find('.')?].parse().ok()
            })
            .collect();
        assert_eq!(named, broken, "seed {seed}: {err}");
        for k in &broken {
            assert!(
                err.contains(&format!(
                    "base: output base/f{k}.txt: template t{k}.txt.j2 failed"
                )),
                "seed {seed}: {err}"
            );
        }
    }
}
