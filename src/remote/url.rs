//! Which URLs may be fetched: HTTPS anywhere, plain HTTP only on the
//! loopback interface (tests and local mirrors).

use std::net::IpAddr;

/// Checks a URL before anything is sent; the error says what to do.
pub fn check_url(raw: &str) -> Result<reqwest::Url, String> {
    let url = reqwest::Url::parse(raw).map_err(|e| {
        format!("{raw}: not a valid URL ({e}); write it in full, e.g. https://example.com/packs/team-pack.tar.gz")
    })?;
    match url.scheme() {
        "https" => {}
        "http" if url.host_str().is_some_and(is_loopback_host) => {}
        "http" => {
            return Err(format!(
                "{raw}: plain http:// is refused (anyone on the way could change the pack); use https:// (http:// is allowed only for 127.0.0.1, ::1 and localhost)"
            ))
        }
        other => {
            return Err(format!(
                "{raw}: `{other}:` URLs are not supported; use an https:// URL, or a local path for a file or folder"
            ))
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("{raw}: the URL has no host; write it in full"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!(
            "{raw}: credentials in the URL would be recorded in packs.lock; serve the pack without them"
        ));
    }
    Ok(url)
}

/// `localhost`, `127.0.0.0/8` and `::1` (with or without brackets).
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        for ok in [
            "https://example.com/a.tar.gz",
            "http://127.0.0.1:8080/a.tgz",
            "http://127.9.3.1/a.zip",
            "http://localhost/x",
            "http://LOCALHOST:1/x",
            "http://[::1]:99/x",
        ] {
            assert!(check_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/a.tar.gz",
            "http://128.0.0.1/a",
            "http://10.0.0.1/a",
            "http://localhost.example.com/a",
            "http://[::2]/a",
            "ftp://example.com/a",
            "file:///etc/passwd",
            "https://user:pw@example.com/a",
            "not a url",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
