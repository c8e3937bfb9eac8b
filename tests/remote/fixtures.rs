//! Packs and archives the remote tests serve, made in the test: a small
//! team pack in two versions, archives of it, and hostile archives built
//! byte by byte (the tar and zip writers refuse to write most of them).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// The files of `team-pack`. Version 2 renames `region` to `market`, adds
/// an option and changes the template.
pub fn team_pack(version: u32) -> BTreeMap<String, String> {
    let mut f = BTreeMap::new();
    f.insert(
        "pack.yaml".to_string(),
        format!(
            "id: team-pack\ntitle: Team churn scorecards\ndescription: Weekly churn scorecards for account teams.\nversion: 0.{version}.0\noutput_root: scorecards\ntriggers:\n  churn scorecard: 10\n  scorecard: 5\nexamples:\n  - weekly churn scorecard for the sales team\n"
        ),
    );
    let (qid, options) = if version == 1 {
        ("region", "      - {value: emea}\n      - {value: apac}\n")
    } else {
        (
            "market",
            "      - {value: emea}\n      - {value: apac}\n      - {value: amer}\n",
        )
    };
    f.insert(
        "skills/scorecard.yaml".to_string(),
        format!(
            "id: scorecard\ntitle: Scorecard\nsummary: The churn scorecard.\ntier: foundation\nrequired: true\nkeywords:\n  primary: [churn scorecard, scorecard]\n  secondary: [weekly]\nquestions:\n  - id: {qid}\n    prompt: Which sales region?\n    kind: choice\n    options:\n{options}    default: emea\n  - id: weeks\n    prompt: Weeks of history\n    kind: integer\n    default: 12\noutputs:\n  - template: scorecard.md.j2\n    path: scorecard.md\nchecks:\n  - path: scorecard.md\n    pattern: 'Churn'\n    description: the scorecard has a churn section\n"
        ),
    );
    f.insert(
        "templates/scorecard.md.j2".to_string(),
        format!("# Churn scorecard v{version}\n\nRegion: {{{{ scorecard.{qid} }}}}, {{{{ scorecard.weeks }}}} weeks.\n"),
    );
    f
}

pub fn write_tree(dir: &Path, files: &BTreeMap<String, String>) {
    for (rel, text) in files {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
}

/// A .tar.gz of the files under `prefix/`.
pub fn tar_gz(prefix: &str, files: &BTreeMap<String, String>) -> Vec<u8> {
    let entries: Vec<RawEntry> = files
        .iter()
        .map(|(rel, text)| RawEntry::file(&format!("{prefix}/{rel}"), text.as_bytes()))
        .collect();
    raw_tar_gz(&entries)
}

pub fn zip(prefix: &str, files: &BTreeMap<String, String>) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (rel, text) in files {
        w.start_file(format!("{prefix}/{rel}"), opts)
            .expect("zip entry");
        w.write_all(text.as_bytes()).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

/// One tar entry with any name and type, written without the tar crate's checks.
pub struct RawEntry {
    pub name: Vec<u8>,
    pub kind: u8,
    pub link: Vec<u8>,
    pub body: Vec<u8>,
    /// The size written in the header (normally `body.len()`).
    pub declared: Option<u64>,
}

impl RawEntry {
    pub fn file(name: &str, body: &[u8]) -> RawEntry {
        RawEntry {
            name: name.as_bytes().to_vec(),
            kind: b'0',
            link: Vec::new(),
            body: body.to_vec(),
            declared: None,
        }
    }
    pub fn typed(name: &str, kind: u8, link: &str) -> RawEntry {
        RawEntry {
            name: name.as_bytes().to_vec(),
            kind,
            link: link.as_bytes().to_vec(),
            body: Vec::new(),
            declared: None,
        }
    }
}

pub fn raw_tar(entries: &[RawEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in entries {
        let mut h = [0u8; 512];
        let n = e.name.len().min(100);
        h[..n].copy_from_slice(&e.name[..n]);
        h[100..107].copy_from_slice(b"0000644");
        h[108..115].copy_from_slice(b"0000000");
        h[116..123].copy_from_slice(b"0000000");
        let size = e.declared.unwrap_or(e.body.len() as u64);
        h[124..135].copy_from_slice(format!("{size:011o}").as_bytes());
        h[136..147].copy_from_slice(b"00000000000");
        h[156] = e.kind;
        let l = e.link.len().min(100);
        h[157..157 + l].copy_from_slice(&e.link[..l]);
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|b| u32::from(*b)).sum();
        h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        out.extend_from_slice(&h);
        out.extend_from_slice(&e.body);
        let pad = (512 - e.body.len() % 512) % 512;
        out.extend(std::iter::repeat_n(0u8, pad));
    }
    out.extend(std::iter::repeat_n(0u8, 1024));
    out
}

pub fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).expect("gz");
    e.finish().expect("gz")
}

pub fn raw_tar_gz(entries: &[RawEntry]) -> Vec<u8> {
    gz(&raw_tar(entries))
}

pub fn sha256(bytes: &[u8]) -> String {
    skillchain::remote::sha256_hex(bytes)
}

/// One zip entry written by hand: `declared` is the uncompressed size the
/// headers claim, whatever `data` inflates to.
pub struct ZipEntry {
    pub name: String,
    /// 0 stored, 8 deflated.
    pub method: u16,
    pub data: Vec<u8>,
    pub crc: u32,
    pub declared: u32,
}

impl ZipEntry {
    pub fn stored(name: &str, body: &[u8]) -> ZipEntry {
        let mut crc = flate2::Crc::new();
        crc.update(body);
        ZipEntry {
            name: name.to_string(),
            method: 0,
            data: body.to_vec(),
            crc: crc.sum(),
            declared: body.len() as u32,
        }
    }
}

/// A raw deflate stream of `mib` MiB of zeros, built from one compressed
/// MiB repeated (each piece ends byte-aligned after a sync flush), so a
/// 40 MiB bomb costs one MiB of compression.
pub fn deflated_zeros(mib: usize) -> (Vec<u8>, u32) {
    let chunk = vec![0u8; 1 << 20];
    let mut c = flate2::Compress::new(flate2::Compression::fast(), false);
    let mut piece = Vec::with_capacity(1 << 16);
    c.compress_vec(&chunk, &mut piece, flate2::FlushCompress::Sync)
        .expect("deflate");
    let mut one = flate2::Crc::new();
    one.update(&chunk);
    let mut out = Vec::new();
    let mut crc = flate2::Crc::new();
    for _ in 0..mib {
        out.extend_from_slice(&piece);
        crc.combine(&one);
    }
    // A final, empty fixed-Huffman block.
    out.extend_from_slice(&[0x03, 0x00]);
    (out, crc.sum())
}

pub fn raw_zip(entries: &[ZipEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = out.len() as u32;
        let head = |sig: u32, central: bool| {
            let mut h = Vec::new();
            h.extend_from_slice(&sig.to_le_bytes());
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            h.extend_from_slice(&20u16.to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h.extend_from_slice(&e.method.to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h.extend_from_slice(&0x21u16.to_le_bytes());
            h.extend_from_slice(&e.crc.to_le_bytes());
            h.extend_from_slice(&(e.data.len() as u32).to_le_bytes());
            h.extend_from_slice(&e.declared.to_le_bytes());
            h.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h
        };
        out.extend(head(0x0403_4b50, false));
        out.extend_from_slice(e.name.as_bytes());
        out.extend_from_slice(&e.data);
        let mut c = head(0x0201_4b50, true);
        c.extend_from_slice(&[0u8; 6]);
        c.extend_from_slice(&0u32.to_le_bytes());
        c.extend_from_slice(&offset.to_le_bytes());
        c.extend_from_slice(e.name.as_bytes());
        central.extend(c);
    }
    let cd_offset = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0u8; 4]);
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}
