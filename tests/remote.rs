//! Packs from anywhere, end to end through the real binary: install from a
//! local HTTP server on 127.0.0.1 (started here; no other host is ever
//! contacted), pin, offline use, update with a diff, removal, every way a
//! download fails, hostile archives, lint failures, indexes and upstream
//! registry import.

#[path = "remote/fixtures.rs"]
mod fixtures;
#[path = "remote/server.rs"]
mod server;

use fixtures::*;
use server::{Route, Server};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// A user with empty config and data dirs.
struct User {
    _tmp: tempfile::TempDir,
    home: PathBuf,
}

impl User {
    fn new() -> User {
        let tmp = tempfile::tempdir().expect("tempdir");
        let home = tmp.path().to_path_buf();
        User { _tmp: tmp, home }
    }
    fn config(&self) -> PathBuf {
        self.home.join("config/skillchain")
    }
    fn packs_dir(&self) -> PathBuf {
        self.home.join("data/skillchain/packs")
    }
    fn lock(&self) -> String {
        std::fs::read_to_string(self.config().join("packs.lock")).unwrap_or_default()
    }
    /// Installed pack folders (hidden staging folders included, so a
    /// left-over is seen).
    fn installed_dirs(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.packs_dir())
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    }
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_skillchain"));
        c.args(args)
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("XDG_DATA_HOME", self.home.join("data"))
            .env("NO_COLOR", "1")
            .env("SKILLCHAIN_CONNECT_TIMEOUT_MS", "300")
            .env("SKILLCHAIN_READ_TIMEOUT_MS", "300")
            .current_dir(&self.home);
        for v in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            c.env_remove(v);
        }
        c
    }
    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run skillchain")
    }
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

/// Asserts the command failed with exit 2, nothing got installed, and the
/// output says every one of `needles`.
fn refused(user: &User, o: &Output, needles: &[&str]) {
    let t = text(o);
    assert_eq!(code(o), 2, "{t}");
    for n in needles {
        assert!(t.contains(n), "missing `{n}` in:\n{t}");
    }
    assert_eq!(user.lock(), "", "lock written after a refusal:\n{t}");
    assert!(
        user.installed_dirs().is_empty(),
        "left in the data dir: {:?}\n{t}",
        user.installed_dirs()
    );
}

fn detect_pack(user: &User, goal: &str) -> String {
    let o = user.run(&["detect", goal, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    v["pack"].as_str().unwrap_or_default().to_string()
}

const GOAL: &str = "weekly churn scorecard for the sales team";

#[test]
fn install_pin_offline_update_remove() {
    let server = Server::start();
    let v1 = tar_gz("team-pack", &team_pack(1));
    let v2 = tar_gz("team-pack", &team_pack(2));
    let index = |archive: &str, sha: &str, version: &str| {
        format!(
            "index_version: 1\ntitle: Team\npacks:\n  - id: team-pack\n    title: Team churn scorecards\n    version: {version}\n    archive: {archive}\n    sha256: {sha}\n    triggers: [churn scorecard]\n"
        )
    };
    server.set("team-pack-0.1.0.tar.gz", Route::File(v1.clone()));
    server.set(
        "index.yaml",
        Route::File(index("team-pack-0.1.0.tar.gz", &sha256(&v1), "0.1.0").into_bytes()),
    );
    let user = User::new();
    assert_ne!(detect_pack(&user, GOAL), "team-pack");

    // Install from the index; the lock pins id, version, source, sha256, time.
    let o = user.run(&["pack", "add", &server.url("index.yaml")]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let lock = user.lock();
    for want in [
        "id: team-pack",
        "version: 0.1.0",
        &format!("source: {}", server.url("team-pack-0.1.0.tar.gz")),
        &format!("sha256: {}", sha256(&v1)),
        &format!("index: {}", server.url("index.yaml")),
        "installed_at: 20",
    ] {
        assert!(lock.contains(want), "lock lacks `{want}`:\n{lock}");
    }
    assert_eq!(
        user.installed_dirs(),
        vec![format!("team-pack-{}", &sha256(&v1)[..12])]
    );
    let list = user.run(&["pack", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).expect("json");
    let team = v["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .find(|p| p["id"] == "team-pack")
        .expect("listed")
        .clone();
    assert_eq!(team["source"], "installed");
    assert_eq!(team["sha256"], sha256(&v1).as_str());
    assert_eq!(team["url"], server.url("team-pack-0.1.0.tar.gz").as_str());
    assert!(v["packs"]
        .as_array()
        .expect("packs")
        .iter()
        .any(|p| p["id"] == "data-engineering" && p["source"] == "bundled"));

    // Offline: the server is gone; detect and run work like a bundled pack.
    let hits = server.hits.load(std::sync::atomic::Ordering::SeqCst);
    server.stop();
    assert_eq!(detect_pack(&user, GOAL), "team-pack");
    let out = user.home.join("out");
    let o = user.run(&[
        "run",
        GOAL,
        "--defaults",
        "--out",
        out.to_str().expect("utf8"),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_eq!(
        std::fs::read_to_string(out.join("scorecard.md")).expect("generated"),
        "# Churn scorecard v1\n\nRegion: emea, 12 weeks.\n"
    );
    assert!(hits >= 2);

    // Update: a new server serves version 2 with a renamed question.
    let server = Server::start();
    server.set("team-pack-0.1.0.tar.gz", Route::File(v1.clone()));
    server.set("team-pack-0.2.0.tar.gz", Route::File(v2.clone()));
    // The lock names the old port: point it at the new server.
    let old_port = user
        .lock()
        .split("127.0.0.1:")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .expect("port")
        .to_string();
    let lock = user.lock().replace(
        &format!("127.0.0.1:{old_port}"),
        &format!("127.0.0.1:{}", server.port),
    );
    std::fs::write(user.config().join("packs.lock"), &lock).expect("lock");
    server.set(
        "index.yaml",
        Route::File(index("team-pack-0.1.0.tar.gz", &sha256(&v1), "0.1.0").into_bytes()),
    );
    let o = user.run(&["pack", "update"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        text(&o).contains("team-pack 0.1.0 is up to date"),
        "{}",
        text(&o)
    );

    server.set(
        "index.yaml",
        Route::File(index("team-pack-0.2.0.tar.gz", &sha256(&v2), "0.2.0").into_bytes()),
    );
    let before = user.lock();
    let o = user.run(&["pack", "update", "team-pack"]);
    let t = text(&o);
    assert_eq!(code(&o), 0, "{t}");
    for want in [
        "team-pack 0.1.0 → 0.2.0",
        "skill `scorecard`: question `region` renamed to `market`",
        "templates changed: scorecard.md.j2",
        "nothing installed; team-pack 0.1.0 stays",
        "pack update team-pack --yes",
    ] {
        assert!(t.contains(want), "missing `{want}`:\n{t}");
    }
    assert_eq!(user.lock(), before, "replaced without --yes");
    assert_eq!(
        user.installed_dirs(),
        vec![format!("team-pack-{}", &sha256(&v1)[..12])]
    );

    let o = user.run(&["pack", "update", "team-pack", "--yes"]);
    let t = text(&o);
    assert_eq!(code(&o), 0, "{t}");
    assert!(t.contains("updated team-pack to 0.2.0"), "{t}");
    assert!(user.lock().contains(&sha256(&v2)));
    assert_eq!(
        user.installed_dirs(),
        vec![format!("team-pack-{}", &sha256(&v2)[..12])]
    );
    server.stop();
    let o = user.run(&[
        "run",
        GOAL,
        "--defaults",
        "--out",
        user.home.join("out2").to_str().expect("utf8"),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(std::fs::read_to_string(user.home.join("out2/scorecard.md"))
        .expect("v2")
        .starts_with("# Churn scorecard v2"));

    // Remove.
    let o = user.run(&["pack", "remove", "team-pack"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(!user.lock().contains("team-pack"));
    assert!(user.installed_dirs().is_empty());
    assert_ne!(detect_pack(&user, GOAL), "team-pack");
    let o = user.run(&["pack", "remove", "team-pack"]);
    assert_eq!(code(&o), 2);
    assert!(text(&o).contains("no installed pack `team-pack`"));
}

#[test]
fn direct_archives_need_a_checksum_and_must_match_it() {
    let server = Server::start();
    let good = tar_gz("team-pack", &team_pack(1));
    let sha = sha256(&good);
    server.set("p.tar.gz", Route::File(good.clone()));
    server.set("p.zip", Route::File(zip("team-pack", &team_pack(1))));
    let url = server.url("p.tar.gz");
    let user = User::new();

    let o = user.run(&["pack", "add", &url]);
    refused(&user, &o, &[&url, "no checksum given", &sha, "--sha256"]);

    let wrong = "0".repeat(64);
    let o = user.run(&["pack", "add", &url, "--sha256", &wrong]);
    refused(
        &user,
        &o,
        &[
            &url,
            "checksum mismatch",
            &wrong,
            &sha,
            "Nothing was installed",
        ],
    );

    let o = user.run(&["pack", "add", &url, "--sha256", "abc"]);
    refused(&user, &o, &["64 hexadecimal digits"]);

    // Upper-case hex is the same checksum; a zip works like a tar.gz.
    let o = user.run(&["pack", "add", &url, "--sha256", &sha.to_uppercase()]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let zip_url = server.url("p.zip");
    let zip_sha = sha256(&zip("team-pack", &team_pack(1)));
    let o = user.run(&["pack", "add", &zip_url, "--sha256", &zip_sha]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        text(&o).contains(&format!("replaces team-pack 0.1.0 from {url}")),
        "{}",
        text(&o)
    );
    assert!(
        user.lock().contains(&zip_sha) && !user.lock().contains(&sha),
        "{}",
        user.lock()
    );
    assert_eq!(
        user.installed_dirs().len(),
        1,
        "{:?}",
        user.installed_dirs()
    );
    assert_eq!(detect_pack(&user, GOAL), "team-pack");

    // What a killed install leaves behind (a staging folder) is never loaded.
    let mut other = team_pack(1);
    let m = other["pack.yaml"]
        .replace("id: team-pack", "id: half-pack")
        .replace("churn scorecard: 10", "zebra ledger: 10");
    other.insert("pack.yaml".to_string(), m);
    write_tree(&user.packs_dir().join(".staging-1-abc"), &other);
    assert_ne!(detect_pack(&user, "zebra ledger"), "half-pack");
    let o = user.run(&["list", "--json"]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("half-pack"));
}

#[test]
fn every_download_failure_names_the_url_and_what_to_do() {
    let server = Server::start();
    let body = tar_gz("team-pack", &team_pack(1));
    let sha = sha256(&body);
    server.set("gone.tar.gz", Route::Status(404));
    server.set("busy.tar.gz", Route::Status(503));
    server.set("cut.tar.gz", Route::Truncate(body.clone(), body.len() / 2));
    server.set("stall.tar.gz", Route::Stall(Duration::from_secs(5)));
    server.set("silent.tar.gz", Route::Silent(Duration::from_secs(5)));
    let user = User::new();
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            server.url("gone.tar.gz"),
            vec!["not found (HTTP 404)", "check the URL"],
        ),
        (
            server.url("busy.tar.gz"),
            vec!["HTTP 503", "try again later", "trying once more"],
        ),
        (
            server.url("cut.tar.gz"),
            vec!["cut short", "try again", "trying once more"],
        ),
        (
            server.url("stall.tar.gz"),
            vec![
                "the server stopped sending after 3 bytes",
                "nothing for 0.3 s",
                "try again later",
                "trying once more",
            ],
        ),
        (
            server.url("silent.tar.gz"),
            vec![
                "no answer within 0.3 s",
                "try again later",
                "trying once more",
            ],
        ),
        // TLS spoken to a plain HTTP server: the handshake fails.
        (
            format!("https://127.0.0.1:{}/p.tar.gz", server.port),
            vec!["secure connection failed", "check the URL"],
        ),
        // Nothing listens on port 9 of loopback (discard is never run in CI).
        (
            "http://127.0.0.1:9/p.tar.gz".to_string(),
            vec!["cannot connect", "server is up"],
        ),
        (
            "http://example.com/p.tar.gz".to_string(),
            vec!["plain http:// is refused", "use https://"],
        ),
        (
            "ftp://127.0.0.1/p.tar.gz".to_string(),
            vec!["not supported"],
        ),
    ];
    for (url, needles) in cases {
        let start = Instant::now();
        let o = user.run(&["pack", "add", &url, "--sha256", &sha]);
        let took = start.elapsed();
        let mut all = needles.clone();
        all.push(&url);
        refused(&user, &o, &all);
        assert!(took < Duration::from_secs(2), "{url} took {took:?}");
    }
}

#[test]
fn hostile_archives_are_refused_and_nothing_is_written_outside() {
    let server = Server::start();
    let user = User::new();
    let pack = team_pack(1);
    let mut base: Vec<RawEntry> = pack
        .iter()
        .map(|(rel, t)| RawEntry::file(&format!("team-pack/{rel}"), t.as_bytes()))
        .collect();
    let escape = user.home.join("escaped.txt");
    let with = |extra: RawEntry| {
        let mut v: Vec<RawEntry> = pack
            .iter()
            .map(|(rel, t)| RawEntry::file(&format!("team-pack/{rel}"), t.as_bytes()))
            .collect();
        v.push(extra);
        raw_tar_gz(&v)
    };
    let many: Vec<RawEntry> = (0..2_001)
        .map(|i| RawEntry::file(&format!("team-pack/templates/f{i}"), b"x"))
        .collect();
    // 40 MiB of zeros in about 40 KB: once with honest sizes, once
    // claiming 1 KB (only the bytes really inflated can tell).
    let (data, crc) = deflated_zeros(40);
    let bomb = |declared: Option<u32>| {
        let data = data.clone();
        let mut entries: Vec<ZipEntry> = pack
            .iter()
            .map(|(rel, t)| ZipEntry::stored(&format!("team-pack/{rel}"), t.as_bytes()))
            .collect();
        entries.push(ZipEntry {
            name: "team-pack/templates/zeros.txt".to_string(),
            method: 8,
            data,
            crc,
            declared: declared.unwrap_or(40 << 20),
        });
        raw_zip(&entries)
    };
    let bomb_zip = bomb(None);
    let lying_bomb = bomb(Some(1024));
    assert!(bomb_zip.len() < 400_000, "{}", bomb_zip.len());
    base.push(RawEntry {
        declared: Some(40 << 20),
        ..RawEntry::file("team-pack/templates/big", b"")
    });
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        (
            "traversal.tar.gz",
            with(RawEntry::file(
                &format!("team-pack/../../{}", "escaped.txt"),
                b"x",
            )),
            vec!["`..` would leave the pack folder"],
        ),
        (
            "absolute.tar.gz",
            with(RawEntry::file(escape.to_str().expect("utf8"), b"x")),
            vec!["absolute paths are not allowed"],
        ),
        (
            "symlink.tar.gz",
            with(RawEntry::typed(
                "team-pack/templates/passwd",
                b'2',
                "/etc/passwd",
            )),
            vec!["links are not allowed"],
        ),
        (
            "hardlink.tar.gz",
            with(RawEntry::typed(
                "team-pack/templates/h",
                b'1',
                "team-pack/pack.yaml",
            )),
            vec!["links are not allowed"],
        ),
        (
            "device.tar.gz",
            with(RawEntry::typed("team-pack/templates/null", b'3', "")),
            vec!["devices and pipes are not allowed"],
        ),
        (
            "fifo.tar.gz",
            with(RawEntry::typed("team-pack/templates/pipe", b'6', "")),
            vec!["devices and pipes are not allowed"],
        ),
        (
            "many.tar.gz",
            raw_tar_gz(&many),
            vec!["more than 2000 entries"],
        ),
        ("big.tar.gz", raw_tar_gz(&base), vec!["compression bomb"]),
        ("bomb.zip", bomb_zip, vec!["compression bomb"]),
        ("lying-bomb.zip", lying_bomb, vec!["zeros.txt"]),
        (
            "garbage.tar.gz",
            vec![0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5],
            vec!["not a readable .tar.gz"],
        ),
        (
            "traversal.zip",
            zip_with(&pack, |w, o| w.start_file("team-pack/../../escaped.txt", o)),
            vec!["`..` would leave the pack folder"],
        ),
        (
            "absolute.zip",
            zip_with(&pack, |w, o| {
                w.start_file(escape.to_str().expect("utf8"), o)
            }),
            vec!["absolute paths are not allowed"],
        ),
        (
            "symlink.zip",
            zip_with(&pack, |w, o| {
                w.add_symlink("team-pack/templates/passwd", "/etc/passwd", o)
            }),
            vec!["links are not allowed"],
        ),
        (
            "many.zip",
            raw_zip(
                &(0..2_001)
                    .map(|i| ZipEntry::stored(&format!("team-pack/templates/f{i}"), b""))
                    .collect::<Vec<_>>(),
            ),
            vec!["more than 2000"],
        ),
    ];
    for (name, bytes, needles) in cases {
        server.set(name, Route::File(bytes.clone()));
        let url = server.url(name);
        let start = Instant::now();
        let o = user.run(&["pack", "add", &url, "--sha256", &sha256(&bytes)]);
        let mut all = needles.clone();
        all.push(&url);
        refused(&user, &o, &all);
        assert!(!escape.exists(), "{name} wrote outside the staging folder");
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{name} took {:?}",
            start.elapsed()
        );
    }
}

/// The team pack as a zip, plus whatever `extra` adds.
fn zip_with(
    pack: &std::collections::BTreeMap<String, String>,
    extra: impl FnOnce(
        &mut zip::ZipWriter<std::io::Cursor<Vec<u8>>>,
        zip::write::SimpleFileOptions,
    ) -> zip::result::ZipResult<()>,
) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (rel, t) in pack {
        w.start_file(format!("team-pack/{rel}"), opts)
            .expect("entry");
        w.write_all(t.as_bytes()).expect("write");
    }
    extra(&mut w, opts).expect("hostile entry");
    w.finish().expect("zip").into_inner()
}

/// Seeded random entry names built from hostile pieces: an archive is
/// either refused or unpacks entirely inside the staging folder.
#[test]
fn random_hostile_names_never_escape() {
    let pieces = [
        "..", ".", "", "a", "b.yaml", "/", "\\", "C:", "..a", "~", "%2e%2e", " ", "\u{2215}",
    ];
    let mut seed: u64 = 0x5eed_cafe;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    let root = tempfile::tempdir().expect("tmp");
    for case in 0..400 {
        let parts = 1 + next(5);
        let name: String = (0..parts)
            .map(|_| pieces[next(pieces.len())])
            .collect::<Vec<_>>()
            .join(if next(2) == 0 { "/" } else { "" });
        let dest = root.path().join(format!("case{case}/stage"));
        std::fs::create_dir_all(&dest).expect("mkdir");
        let bytes = raw_tar_gz(&[RawEntry::file(&name, b"x")]);
        let result = skillchain::remote::unpack(
            &bytes,
            skillchain::remote::ArchiveKind::TarGz,
            &dest,
            &Default::default(),
            "t",
        );
        let outside: Vec<PathBuf> = walkdir::WalkDir::new(root.path().join(format!("case{case}")))
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().to_path_buf())
            .filter(|p| !p.starts_with(&dest))
            .collect();
        assert!(outside.is_empty(), "{name:?} wrote {outside:?}");
        if name.split('/').any(|s| s == "..") || name.starts_with('/') || name.contains('\\') {
            assert!(result.is_err(), "{name:?} accepted");
        }
    }
}

#[test]
fn a_pack_that_fails_lint_lists_every_problem_and_installs_nothing() {
    let user = User::new();
    let mut files = team_pack(1);
    files.insert(
        "skills/broken.yaml".to_string(),
        "id: broken\ntitle: Broken\ntier: component\ndependencies:\n  hard: [nowhere]\nquestions:\n  - id: mode\n    prompt: Mode\n    kind: choice\n".to_string(),
    );
    files.insert(
        "blueprints/b.yaml".to_string(),
        "id: b\ntitle: B\ntriggers: {x: 1}\nskills: [ghost]\n".to_string(),
    );
    let archive = user.home.join("broken.tar.gz");
    std::fs::write(&archive, tar_gz("team-pack", &files)).expect("write");
    let o = user.run(&["pack", "add", archive.to_str().expect("utf8")]);
    refused(
        &user,
        &o,
        &[
            "fails lint",
            "nothing was installed",
            "nowhere",
            "options",
            "ghost",
        ],
    );

    // A local folder goes through the same checks, and installs when clean.
    let folder = user.home.join("team-pack-src");
    write_tree(&folder, &files);
    let o = user.run(&["pack", "add", folder.to_str().expect("utf8")]);
    refused(&user, &o, &["fails lint", "nowhere"]);
    std::fs::remove_file(folder.join("skills/broken.yaml")).expect("rm");
    std::fs::remove_file(folder.join("blueprints/b.yaml")).expect("rm");
    let o = user.run(&["pack", "add", folder.to_str().expect("utf8")]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        user.lock()
            .contains(&format!("source: {}", folder.display())),
        "{}",
        user.lock()
    );
    assert_eq!(detect_pack(&user, GOAL), "team-pack");

    // Installed files deleted behind skillchain's back: every run says
    // which pack and what to do.
    std::fs::remove_dir_all(user.packs_dir()).expect("rm");
    let o = user.run(&["detect", GOAL]);
    assert_eq!(code(&o), 2);
    for want in [
        "installed packs",
        "installed pack `team-pack` is missing its files",
        "skillchain pack remove team-pack",
    ] {
        assert!(text(&o).contains(want), "missing `{want}`:\n{}", text(&o));
    }
    let o = user.run(&["pack", "remove", "team-pack"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert_ne!(detect_pack(&user, GOAL), "team-pack");
}

#[test]
fn indexes_search_and_bad_entries() {
    let server = Server::start();
    let v1 = tar_gz("team-pack", &team_pack(1));
    server.set("packs/team.tar.gz", Route::File(v1.clone()));
    let index = format!(
        "index_version: 1\ntitle: Team\npacks:\n  - id: team-pack\n    title: Team churn scorecards\n    description: Weekly churn scorecards.\n    version: 0.1.0\n    archive: packs/team.tar.gz\n    sha256: {}\n    triggers: [churn scorecard]\n  - id: Bad_Pack\n    title: Broken entry\n    version: ''\n    archive: http://example.com/x.tar.gz\n    sha256: xyz\n  - id: lost-pack\n    title: Points nowhere\n    version: 1.0.0\n    archive: packs/lost.tar.gz\n    sha256: {}\n  - title: no id\n",
        sha256(&v1),
        "ab".repeat(32)
    );
    server.set("index.yaml", Route::File(index.into_bytes()));
    let user = User::new();

    let o = user.run(&["pack", "search", "churn"]);
    assert_eq!(code(&o), 2);
    assert!(text(&o).contains("indexes.yaml"), "{}", text(&o));

    std::fs::create_dir_all(user.config()).expect("mkdir");
    std::fs::write(
        user.config().join("indexes.yaml"),
        format!("indexes:\n  - {}\n", server.url("index.yaml")),
    )
    .expect("write");
    let o = user.run(&["pack", "search", "churn", "--json"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let ids: Vec<&str> = v["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ids, vec!["team-pack"]);
    let problems = v["problems"].to_string();
    for want in [
        "packs[1] (`Bad_Pack`)",
        "sha256 must be 64 hexadecimal digits",
        "version is empty",
        "plain http:// is refused",
        "packs[3]",
        "missing field `id`",
    ] {
        assert!(problems.contains(want), "missing `{want}` in {problems}");
    }
    let o = user.run(&["pack", "search", "nothing-matches-this"]);
    assert_eq!(code(&o), 1, "{}", text(&o));

    let o = user.run(&["pack", "add", &server.url("index.yaml")]);
    refused(
        &user,
        &o,
        &[
            "lists 4 packs",
            "choose one with --name",
            "team-pack, lost-pack",
        ],
    );
    let o = user.run(&[
        "pack",
        "add",
        &server.url("index.yaml"),
        "--name",
        "Bad_Pack",
    ]);
    refused(
        &user,
        &o,
        &["no usable pack `Bad_Pack`", "its entry is broken"],
    );
    let o = user.run(&[
        "pack",
        "add",
        &server.url("index.yaml"),
        "--name",
        "lost-pack",
    ]);
    refused(
        &user,
        &o,
        &[&server.url("packs/lost.tar.gz"), "HTTP 404", "index"],
    );
    // By id, through the configured index.
    let o = user.run(&["pack", "add", "team-pack"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(user
        .lock()
        .contains(&format!("index: {}", server.url("index.yaml"))));
}

#[test]
fn the_published_index_of_bundled_packs_is_up_to_date_and_installs() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let user = User::new();
    let o = user
        .cmd(&["pack", "index", "skillchains", "--out", "index", "--check"])
        .current_dir(repo)
        .output()
        .expect("run");
    assert_eq!(
        code(&o),
        0,
        "run scripts/build-index and commit index/:\n{}",
        text(&o)
    );
    let server = Server::start();
    for e in std::fs::read_dir(repo.join("index"))
        .expect("index/")
        .flatten()
    {
        let name = e.file_name().to_string_lossy().into_owned();
        server.set(&name, Route::File(std::fs::read(e.path()).expect("read")));
    }
    let o = user.run(&[
        "pack",
        "add",
        &server.url("index.yaml"),
        "--name",
        "pipeline-analysis",
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        text(&o).contains("replaces the bundled pack `pipeline-analysis`"),
        "{}",
        text(&o)
    );
    let list = user.run(&["pack", "list"]);
    assert!(text(&list).contains("pipeline-analysis"), "{}", text(&list));
    assert!(text(&list).contains("[installed]"), "{}", text(&list));
}

const REGISTRY: &str = r#"
registry_version: "2.3"
name: Clickstream Team
description: Our clickstream skills.
maintainer: data-platform
categories:
  ingestion: {name: Ingestion}
  modeling: {name: Modeling}
blueprints:
  sessionized-clickstream:
    name: Sessionized clickstream
    triggers: [sessionize clickstream, clickstream sessions]
    skill_chain: [capturing-changes, modeling-tables, ghost-skill]
  empty-one:
    skill_chain: [modeling-tables]
skills:
  capturing-changes:
    category: ingestion
    priority: 1
    description: Reads the source database's change log.
    keywords:
      primary: [clickstream, snowplow]
      secondary: [event tracking]
      exclusions: [batch only]
    questions:
      defaults:
        source_db: postgres
        slot_count: 2
        snapshot_first: true
        lag_alert_minutes: 7.5
        tables: [orders, customers]
        connector_settings: {heartbeat: 10}
        db_password: hunter2
    invocation: "/lakehouse:capturing-changes"
  modeling-tables:
    category: modeling
    priority: 2
    keywords:
      primary: [sessionize, session window]
      secondary: [sessions]
    dependencies: [capturing-changes, not-a-skill]
    questions:
      defaults:
        table_format: iceberg
        "Partition By": event_date
    invocation: "Skill(modeling-tables) {{ do not render }}"
    owner: someone
"#;

#[test]
fn an_upstream_registry_converts_into_a_pack_that_detects_and_hands_off() {
    let user = User::new();
    let reg = user.home.join("_registry.yaml");
    std::fs::write(&reg, REGISTRY).expect("write");
    let out = user.home.join("clickstream");
    let o = user.run(&[
        "pack",
        "import-registry",
        reg.to_str().expect("utf8"),
        "--out",
        out.to_str().expect("utf8"),
    ]);
    let t = text(&o);
    assert_eq!(code(&o), 0, "{t}");
    for want in [
        "wrote pack `clickstream-team`",
        "2 skills, 1 blueprints, 8 questions",
        "top-level `maintainer`",
        "questions.defaults.connector_settings: a map of settings has no question kind",
        "default of `db_password` not kept",
        "dependency `not-a-skill` is not a skill of the registry",
        "skill_chain names `ghost-skill`",
        "blueprint `empty-one`: no triggers",
        "skill `modeling-tables`: `owner`",
    ] {
        assert!(t.contains(want), "missing `{want}`:\n{t}");
    }
    assert!(std::fs::read_to_string(out.join("IMPORT.md"))
        .expect("notes")
        .contains("ghost-skill"));
    let skill = std::fs::read_to_string(out.join("skills/capturing-changes.yaml")).expect("skill");
    for want in [
        "kind: bool",
        "kind: integer",
        "kind: number",
        "kind: multi-choice",
        "kind: secret",
        "exclusions:",
        "Category: Ingestion.",
    ] {
        assert!(skill.contains(want), "missing `{want}`:\n{skill}");
    }

    let dir = out.to_str().expect("utf8");
    let goal = "sessionize clickstream events from snowplow into session windows";
    let o = user.run(&["--skillchains", dir, "detect", goal, "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["pack"], "clickstream-team", "{}", text(&o));
    let offered = [&v["blueprint"], &v["offer"]];
    assert!(
        offered.iter().any(|b| *b == "sessionized-clickstream"),
        "{}",
        text(&o)
    );

    let gen = user.home.join("gen");
    let o = user.run(&[
        "--skillchains",
        dir,
        "run",
        goal,
        "--defaults",
        "--blueprint",
        "sessionized-clickstream",
        "--out",
        gen.to_str().expect("utf8"),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let plan = std::fs::read_to_string(gen.join("plan.md")).expect("plan.md");
    let first = plan.find("## 1. Capturing changes").expect(&plan);
    let second = plan.find("## 2. Modeling tables").expect(&plan);
    assert!(first < second, "{plan}");
    for want in [
        "- Invocation: `/lakehouse:capturing-changes`",
        "- Invocation: `Skill(modeling-tables) {{ do not render }}`",
        "  - `source_db`: postgres",
        "  - `slot_count`: 2",
        "  - `snapshot_first`: true",
        "  - `lag_alert_minutes`: 7.5",
        "  - `tables`: orders, customers",
        "  - `db_password`: (a secret",
        "  - `table_format`: iceberg",
        "  - `Partition By`: event_date",
    ] {
        assert!(plan.contains(want), "missing `{want}`:\n{plan}");
    }
    assert!(!plan.contains("hunter2"));

    // A registry of another major version is refused, naming the version.
    std::fs::write(&reg, "registry_version: \"1.0\"\nskills: {}\n").expect("write");
    let o = user.run(&[
        "pack",
        "import-registry",
        reg.to_str().expect("utf8"),
        "--out",
        user.home.join("x").to_str().expect("utf8"),
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        text(&o).contains("registry_version 1.0 is not supported"),
        "{}",
        text(&o)
    );
}

#[test]
fn updates_from_a_url_and_a_folder_and_where_each_pack_comes_from() {
    let server = Server::start();
    let v1 = tar_gz("team-pack", &team_pack(1));
    let v2 = tar_gz("team-pack", &team_pack(2));
    server.set("p.tar.gz", Route::File(v1.clone()));
    let user = User::new();
    let url = server.url("p.tar.gz");
    let o = user.run(&["pack", "add", &url, "--sha256", &sha256(&v1)]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    let o = user.run(&["pack", "update", "team-pack"]);
    assert!(
        text(&o).contains("team-pack 0.1.0 is up to date"),
        "{}",
        text(&o)
    );

    // The archive at the same URL changed: shown, installed only with --yes.
    server.set("p.tar.gz", Route::File(v2.clone()));
    let o = user.run(&["pack", "update"]);
    let t = text(&o);
    assert!(
        t.contains("question `region` renamed to `market`") && t.contains("nothing installed"),
        "{t}"
    );
    assert!(user.lock().contains(&sha256(&v1)));
    let o = user.run(&["pack", "update", "--yes"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(user.lock().contains(&sha256(&v2)) && user.lock().contains("version: 0.2.0"));
    assert_eq!(
        user.installed_dirs(),
        vec![format!("team-pack-{}", &sha256(&v2)[..12])]
    );
    let o = user.run(&["pack", "update", "ghost"]);
    assert_eq!(code(&o), 2);
    assert!(
        text(&o).contains("no installed pack `ghost`"),
        "{}",
        text(&o)
    );

    // A folder source: edited in place, then updated.
    let other = User::new();
    let src = other.home.join("src/team-pack");
    write_tree(&src, &team_pack(1));
    let o = other.run(&["pack", "add", src.to_str().expect("utf8")]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    write_tree(&src, &team_pack(2));
    let o = other.run(&["pack", "update", "team-pack", "--yes"]);
    assert!(
        text(&o).contains("updated team-pack to 0.2.0"),
        "{}",
        text(&o)
    );

    // Sources in pack list: a config-dir pack with the same id replaces
    // the installed one, a --skillchains pack is labelled as such.
    let mut renamed = team_pack(1);
    let manifest = renamed["pack.yaml"].replace("id: team-pack", "id: flag-pack");
    renamed.insert("pack.yaml".to_string(), manifest);
    let flag = other.home.join("flag-pack");
    write_tree(&flag, &renamed);
    write_tree(&other.config().join("skillchains/team-pack"), &team_pack(1));
    let o = other.run(&[
        "--skillchains",
        flag.to_str().expect("utf8"),
        "pack",
        "list",
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let source = |id: &str| {
        v["packs"]
            .as_array()
            .expect("packs")
            .iter()
            .find(|p| p["id"] == id)
            .map(|p| p["source"].clone())
    };
    assert_eq!(
        source("team-pack"),
        Some(serde_json::json!("config dir")),
        "{v}"
    );
    assert_eq!(
        source("flag-pack"),
        Some(serde_json::json!("--skillchains")),
        "{v}"
    );
    assert_eq!(
        source("dbt-workflows"),
        Some(serde_json::json!("bundled")),
        "{v}"
    );
    assert_eq!(v["installed_but_replaced"][0]["id"], "team-pack", "{v}");
}

/// HTTP_PROXY is honoured: the request for a loopback URL goes to the
/// proxy (the test server), which answers for it.
#[test]
fn proxies_come_from_the_environment() {
    let proxy = Server::start();
    let body = tar_gz("team-pack", &team_pack(1));
    // Port 1 on loopback has no server: only the proxy can answer.
    proxy.set("http://localhost:1/p.tar.gz", Route::File(body.clone()));
    let user = User::new();
    let o = user
        .cmd(&[
            "pack",
            "add",
            "http://localhost:1/p.tar.gz",
            "--sha256",
            &sha256(&body),
        ])
        .env("HTTP_PROXY", proxy.url(""))
        .output()
        .expect("run");
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(
        user.lock().contains("source: http://localhost:1/p.tar.gz"),
        "{}",
        user.lock()
    );
}

/// An archive holding two packs: `--name` picks one; without it the
/// refusal lists both. A registry is imported from a URL as from a file.
#[test]
fn archives_with_several_packs_and_registries_over_http() {
    let user = User::new();
    let mut files = std::collections::BTreeMap::new();
    for (rel, t) in team_pack(1) {
        files.insert(format!("team-pack/{rel}"), t);
    }
    for (rel, t) in team_pack(1) {
        let t = t.replace("id: team-pack", "id: other-pack");
        files.insert(format!("other-pack/{rel}"), t);
    }
    let archive = user.home.join("two.tgz");
    std::fs::write(&archive, tar_gz("packs", &files)).expect("write");
    let path = archive.to_str().expect("utf8");
    let o = user.run(&["pack", "add", path]);
    refused(
        &user,
        &o,
        &["holds several packs", "other-pack, team-pack", "--name"],
    );
    let o = user.run(&["pack", "add", path, "--name", "nope"]);
    refused(&user, &o, &["none has the id `nope`"]);
    let o = user.run(&["pack", "add", path, "--name", "other-pack"]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(user.lock().contains("id: other-pack") && !user.lock().contains("id: team-pack"));

    let server = Server::start();
    server.set("_registry.yaml", Route::File(REGISTRY.as_bytes().to_vec()));
    let out = user.home.join("from-url");
    let o = user.run(&[
        "pack",
        "import-registry",
        &server.url("_registry.yaml"),
        "--out",
        out.to_str().expect("utf8"),
        "--id",
        "clicks",
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(out.join("skills/capturing-changes.yaml").is_file());
    let o = user.run(&["pack", "add", out.to_str().expect("utf8")]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    assert!(user.lock().contains("id: clicks"), "{}", user.lock());
}

/// Redirects are followed only to URLs that could be fetched directly.
#[test]
fn redirects_are_checked_like_urls() {
    let server = Server::start();
    let body = tar_gz("team-pack", &team_pack(1));
    let sha = sha256(&body);
    server.set("p.tar.gz", Route::File(body));
    server.set("moved.tar.gz", Route::Redirect(server.url("p.tar.gz")));
    server.set(
        "downgrade.tar.gz",
        Route::Redirect("http://example.com/p.tar.gz".to_string()),
    );
    let user = User::new();
    let url = server.url("downgrade.tar.gz");
    let o = user.run(&["pack", "add", &url, "--sha256", &sha]);
    refused(
        &user,
        &o,
        &[
            &url,
            "redirected to a refused URL",
            "plain http:// is refused",
        ],
    );
    let o = user.run(&["pack", "add", &server.url("moved.tar.gz"), "--sha256", &sha]);
    assert_eq!(code(&o), 0, "{}", text(&o));
}

/// On a terminal, `pack update` asks before installing; only "y" installs.
#[test]
fn update_asks_on_a_terminal() {
    use std::io::{Read, Write};
    let server = Server::start();
    let v1 = tar_gz("team-pack", &team_pack(1));
    let v2 = tar_gz("team-pack", &team_pack(2));
    server.set("p.tar.gz", Route::File(v1.clone()));
    let user = User::new();
    let o = user.run(&[
        "pack",
        "add",
        &server.url("p.tar.gz"),
        "--sha256",
        &sha256(&v1),
    ]);
    assert_eq!(code(&o), 0, "{}", text(&o));
    server.set("p.tar.gz", Route::File(v2.clone()));
    for (answer, installs) in [("n", false), ("", false), ("y", true)] {
        let pair = portable_pty::native_pty_system()
            .openpty(portable_pty::PtySize {
                rows: 40,
                cols: 160,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = portable_pty::CommandBuilder::new(env!("CARGO_BIN_EXE_skillchain"));
        cmd.args(["pack", "update", "team-pack"]);
        cmd.cwd(&user.home);
        cmd.env("XDG_CONFIG_HOME", user.home.join("config"));
        cmd.env("XDG_DATA_HOME", user.home.join("data"));
        cmd.env("HOME", &user.home);
        cmd.env("NO_COLOR", "1");
        for v in [
            "HTTP_PROXY",
            "HTTPS_PROXY",
            "ALL_PROXY",
            "http_proxy",
            "https_proxy",
            "all_proxy",
        ] {
            cmd.env_remove(v);
        }
        let mut child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let mut writer = pair.master.take_writer().expect("writer");
        let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        let mut seen = String::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while !seen.contains("[y/N]") {
            assert!(Instant::now() < deadline, "no question:\n{seen}");
            if let Ok(chunk) = rx.recv_timeout(Duration::from_millis(100)) {
                seen.push_str(&String::from_utf8_lossy(&chunk));
            }
        }
        assert!(seen.contains("Install team-pack 0.2.0? [y/N]"), "{seen}");
        assert!(
            seen.contains("question `region` renamed to `market`"),
            "{seen}"
        );
        assert!(
            !seen.contains("downloading http"),
            "a terminal gets a progress bar, not lines:\n{seen}"
        );
        writer
            .write_all(format!("{answer}\r").as_bytes())
            .expect("answer");
        let status = child.wait().expect("exit");
        assert!(status.success(), "{seen}");
        while let Ok(chunk) = rx.recv_timeout(Duration::from_millis(200)) {
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
        assert_eq!(
            user.lock().contains(&sha256(&v2)),
            installs,
            "answer {answer:?}:\n{seen}"
        );
    }
}
