//! Downloads over HTTPS (reqwest, blocking, rustls): timeouts, one retry for
//! transient failures, a size cap, a progress bar on a terminal, and a
//! message that names the URL and what to do for every way it can fail.
//!
//! Blocking, not async: the pack commands are one-shot command-line steps
//! outside the app's event loop; a blocking client keeps the download a
//! plain read loop (progress, cap, checksum) and reuses the tokio already
//! built for the app inside reqwest.

use std::io::{IsTerminal, Read};
use std::time::Duration;

use super::url::check_url;

/// The largest download accepted: packs are text, far below this.
pub const MAX_DOWNLOAD: u64 = 64 * 1024 * 1024;

/// Connect and read timeouts. `SKILLCHAIN_CONNECT_TIMEOUT_MS` and
/// `SKILLCHAIN_READ_TIMEOUT_MS` override the defaults (10 s, 30 s).
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    /// Longest wait for the answer or for the next piece of the body.
    pub read: Duration,
}

impl Timeouts {
    pub fn from_env() -> Timeouts {
        let ms = |var: &str, default: u64| {
            std::env::var(var)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|v| *v > 0)
                .unwrap_or(default)
        };
        Timeouts {
            connect: Duration::from_millis(ms("SKILLCHAIN_CONNECT_TIMEOUT_MS", 10_000)),
            read: Duration::from_millis(ms("SKILLCHAIN_READ_TIMEOUT_MS", 30_000)),
        }
    }
}

/// One HTTP client for a command.
pub struct Fetcher {
    client: reqwest::blocking::Client,
    timeouts: Timeouts,
    /// Draw a progress bar (stderr is a terminal) instead of plain lines.
    bar: bool,
    /// Print "downloading …" lines (off for `--json`).
    pub quiet: bool,
}

enum Failure {
    /// Worth one more try: the connection failed, stalled or was cut, or
    /// the server said it is busy.
    Transient(String),
    Final(String),
}

impl Fetcher {
    pub fn new() -> Result<Fetcher, String> {
        let timeouts = Timeouts::from_env();
        let policy = reqwest::redirect::Policy::custom(|attempt| {
            if attempt.previous().len() >= 10 {
                attempt.error("more than 10 redirects")
            } else if let Err(e) = check_url(attempt.url().as_str()) {
                attempt.error(format!("redirected to a refused URL: {e}"))
            } else {
                attempt.follow()
            }
        });
        // Proxies come from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (reqwest's default).
        let client = reqwest::blocking::Client::builder()
            .user_agent(concat!("skillchain/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(timeouts.connect)
            // The blocking client applies this to the answer and to each read.
            .timeout(timeouts.read)
            .redirect(policy)
            .build()
            .map_err(|e| format!("cannot set up the HTTPS client: {}", chain(&e)))?;
        Ok(Fetcher {
            client,
            timeouts,
            bar: std::io::stderr().is_terminal(),
            quiet: false,
        })
    }

    /// Downloads `url` (checked by [`check_url`]) into memory, retrying once
    /// after a transient failure.
    pub fn get(&self, url: &str) -> Result<Vec<u8>, String> {
        let parsed = check_url(url)?;
        match self.attempt(&parsed) {
            Ok(bytes) => Ok(bytes),
            Err(Failure::Final(m)) => Err(m),
            Err(Failure::Transient(m)) => {
                if !self.quiet {
                    eprintln!("{m}\n  trying once more");
                }
                match self.attempt(&parsed) {
                    Ok(bytes) => Ok(bytes),
                    Err(Failure::Final(m) | Failure::Transient(m)) => Err(m),
                }
            }
        }
    }

    fn attempt(&self, url: &reqwest::Url) -> Result<Vec<u8>, Failure> {
        let mut resp = self
            .client
            .get(url.clone())
            .send()
            .map_err(|e| self.classify(url, &e))?;
        let status = resp.status();
        if !status.is_success() {
            return Err(status_failure(url, status));
        }
        let expected = resp.content_length();
        if let Some(n) = expected.filter(|n| *n > MAX_DOWNLOAD) {
            return Err(Failure::Final(format!(
                "{url}: the file is {n} bytes, over the {MAX_DOWNLOAD}-byte limit for a pack; check that the URL points at a pack archive"
            )));
        }
        let bar = self.progress(url, expected);
        let mut body = Vec::with_capacity(expected.unwrap_or(0).min(MAX_DOWNLOAD) as usize);
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match resp.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    bar.abandon();
                    return Err(self.body_failure(url, body.len(), expected, &e));
                }
            };
            body.extend_from_slice(&buf[..n]);
            if body.len() as u64 > MAX_DOWNLOAD {
                bar.abandon();
                return Err(Failure::Final(format!(
                    "{url}: the download passed the {MAX_DOWNLOAD}-byte limit for a pack; check that the URL points at a pack archive"
                )));
            }
            bar.set_position(body.len() as u64);
        }
        bar.finish_and_clear();
        if let Some(n) = expected {
            if body.len() as u64 != n {
                return Err(Failure::Transient(truncated(url, body.len(), expected)));
            }
        }
        if !self.bar && !self.quiet {
            eprintln!("downloaded {} bytes", body.len());
        }
        Ok(body)
    }

    fn progress(&self, url: &reqwest::Url, len: Option<u64>) -> indicatif::ProgressBar {
        if !self.bar || self.quiet {
            if !self.quiet {
                eprintln!("downloading {url}");
            }
            return indicatif::ProgressBar::hidden();
        }
        let bar = match len {
            Some(n) => indicatif::ProgressBar::new(n),
            None => indicatif::ProgressBar::no_length(),
        };
        let style = indicatif::ProgressStyle::with_template(
            "{msg} {bar:30} {bytes}/{total_bytes} {bytes_per_sec}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(url.to_string());
        bar
    }

    fn classify(&self, url: &reqwest::Url, e: &reqwest::Error) -> Failure {
        let kind = if e.is_timeout() {
            SendError::Timeout
        } else if e.is_redirect() {
            SendError::Redirect
        } else if e.is_connect() {
            SendError::Connect
        } else {
            SendError::Other
        };
        classify(url, self.timeouts, kind, &chain(e))
    }

    fn body_failure(
        &self,
        url: &reqwest::Url,
        got: usize,
        expected: Option<u64>,
        e: &std::io::Error,
    ) -> Failure {
        // The blocking client reports a read timeout as a decode error
        // whose source is the timeout.
        let timed_out = e.kind() == std::io::ErrorKind::TimedOut
            || chain(e).to_lowercase().contains("timed out");
        if timed_out {
            return Failure::Transient(format!(
                "{url}: the server stopped sending after {got} bytes (nothing for {} s); try again later; nothing was installed",
                secs(self.timeouts.read)
            ));
        }
        Failure::Transient(truncated(url, got, expected))
    }
}

/// What reqwest says went wrong before an answer arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SendError {
    Timeout,
    Redirect,
    Connect,
    Other,
}

/// The message and retry class of a failed request, from reqwest's kind and
/// the text of the error and its sources (DNS and TLS failures are told
/// apart only by that text).
fn classify(url: &reqwest::Url, timeouts: Timeouts, kind: SendError, detail: &str) -> Failure {
    let lower = detail.to_lowercase();
    let host = url.host_str().unwrap_or_default();
    if kind == SendError::Timeout {
        return Failure::Transient(format!(
            "{url}: no answer within {} s (connect limit {} s); the server is down or slow, or a proxy holds the request; try again later, or check HTTPS_PROXY and NO_PROXY",
            secs(timeouts.read),
            secs(timeouts.connect)
        ));
    }
    if kind == SendError::Redirect {
        return Failure::Final(format!("{url}: {detail}; use the final https:// URL"));
    }
    if lower.contains("dns error")
        || lower.contains("failed to lookup address")
        || lower.contains("name or service not known")
        || lower.contains("no address associated")
    {
        return Failure::Final(format!(
            "{url}: cannot find the host `{host}` ({detail}); check the URL's spelling and your network or DNS (behind a proxy, set HTTPS_PROXY)"
        ));
    }
    if [
        "certificate",
        "tls",
        "handshake",
        "rustls",
        "corrupt message",
        "invalidcontenttype",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return Failure::Final(format!(
            "{url}: the secure connection failed ({detail}); the server's certificate is not valid for `{host}` or not trusted, or the server does not speak HTTPS on this port; check the URL, or ask the server's owner to fix its certificate"
        ));
    }
    if kind == SendError::Connect {
        return Failure::Transient(format!(
            "{url}: cannot connect ({detail}); check the host and port in the URL and that the server is up (behind a proxy, set HTTPS_PROXY)"
        ));
    }
    Failure::Final(format!(
        "{url}: the request failed ({detail}); check the URL and try again"
    ))
}

fn truncated(url: &reqwest::Url, got: usize, expected: Option<u64>) -> String {
    let of = expected.map(|n| format!(" of {n}")).unwrap_or_default();
    format!(
        "{url}: the download was cut short ({got}{of} bytes arrived); try again; nothing was installed"
    )
}

fn status_failure(url: &reqwest::Url, status: reqwest::StatusCode) -> Failure {
    let code = status.as_u16();
    match code {
        404 | 410 => Failure::Final(format!(
            "{url}: not found (HTTP {code}); check the URL; if it came from a pack index, the index lists a file that is not there: tell the index's maintainer"
        )),
        401 | 403 => Failure::Final(format!(
            "{url}: access denied (HTTP {code}); skillchain sends no credentials: download the file yourself and run `skillchain pack add FILE --sha256 HEX`"
        )),
        408 | 429 | 500..=599 => Failure::Transient(format!(
            "{url}: the server failed (HTTP {status}); try again later"
        )),
        _ => Failure::Final(format!(
            "{url}: the server answered HTTP {status} instead of the file; check the URL"
        )),
    }
}

fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s:.1}")
    }
}

/// An error and its sources, "a: b: c", for messages.
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: SendError, detail: &str) -> (bool, String) {
        let url = reqwest::Url::parse("https://packs.example.com/p.tar.gz").expect("url");
        let t = Timeouts {
            connect: Duration::from_millis(1500),
            read: Duration::from_secs(30),
        };
        match classify(&url, t, kind, detail) {
            Failure::Transient(m) => (true, m),
            Failure::Final(m) => (false, m),
        }
    }

    #[test]
    fn failures_are_told_apart_and_name_the_url() {
        let cases = [
            (SendError::Connect, "error sending request: client error (Connect): dns error: failed to lookup address information: Name or service not known", false, "cannot find the host `packs.example.com`"),
            (SendError::Connect, "error sending request: client error (Connect): invalid peer certificate: UnknownIssuer", false, "secure connection failed"),
            (SendError::Connect, "error sending request: client error (Connect): received corrupt message of type InvalidContentType", false, "does not speak HTTPS"),
            (SendError::Connect, "error sending request: client error (Connect): tcp connect error: Connection refused (os error 111)", true, "cannot connect"),
            (SendError::Timeout, "operation timed out", true, "no answer within 30 s (connect limit 1.5 s)"),
            (SendError::Redirect, "error following redirect: redirected to a refused URL", false, "use the final https:// URL"),
            (SendError::Other, "builder error", false, "the request failed"),
        ];
        for (kind, detail, transient, needle) in cases {
            let (t, m) = message(kind, detail);
            assert_eq!(t, transient, "{detail}");
            assert!(m.starts_with("https://packs.example.com/p.tar.gz: "), "{m}");
            assert!(m.contains(needle), "{m}");
        }
    }
}
