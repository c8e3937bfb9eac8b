//! A tiny HTTP/1.1 server on 127.0.0.1 for the remote-pack tests: each
//! path answers with a file, a 404, a body cut short, or a stall. Routes
//! can change while it runs (a pack update); stopping it closes the port.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone)]
pub enum Route {
    File(Vec<u8>),
    Status(u16),
    /// Announces the full length, sends `sent` bytes, closes.
    Truncate(Vec<u8>, usize),
    /// Sends the head and a few bytes, then nothing for this long.
    Stall(Duration),
    /// Reads the request and answers nothing for this long.
    Silent(Duration),
    /// 302 to this location.
    Redirect(String),
}

pub struct Server {
    pub port: u16,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    stop: Arc<AtomicBool>,
    pub hits: Arc<AtomicUsize>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("addr").port();
        let routes: Arc<Mutex<HashMap<String, Route>>> = Arc::default();
        let stop = Arc::new(AtomicBool::new(false));
        let hits = Arc::new(AtomicUsize::new(0));
        let (r, s, h) = (routes.clone(), stop.clone(), hits.clone());
        let handle = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(conn) = conn else { continue };
                let r = r.clone();
                h.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || serve(conn, &r));
            }
        });
        Server {
            port,
            routes,
            stop,
            hits,
            handle: Some(handle),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!(
            "http://127.0.0.1:{}/{}",
            self.port,
            path.trim_start_matches('/')
        )
    }

    /// `path` is served at `/path`; an absolute URL is the request target a
    /// client sends to a proxy.
    pub fn set(&self, path: &str, route: Route) {
        let key = if path.starts_with("http://") {
            path.to_string()
        } else {
            format!("/{}", path.trim_start_matches('/'))
        };
        self.routes.lock().expect("routes").insert(key, route);
    }

    /// Stops accepting and closes the port.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

fn serve(mut conn: TcpStream, routes: &Mutex<HashMap<String, Route>>) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match conn.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
        // A TLS ClientHello: answer in plain HTTP, as a misconfigured
        // server would, so the client's handshake fails at once.
        if head == [0x16] {
            let _ = conn.write_all(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
            return;
        }
        if head.len() > 16 * 1024 {
            return;
        }
    }
    let text = String::from_utf8_lossy(&head);
    let path = text.split_whitespace().nth(1).unwrap_or("/").to_string();
    let route = routes.lock().expect("routes").get(&path).cloned();
    let ok = |len: usize| {
        format!("HTTP/1.1 200 OK\r\nContent-Length: {len}\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n\r\n")
    };
    match route {
        Some(Route::File(body)) => {
            let _ = conn.write_all(ok(body.len()).as_bytes());
            let _ = conn.write_all(&body);
        }
        Some(Route::Truncate(body, sent)) => {
            let _ = conn.write_all(ok(body.len()).as_bytes());
            let _ = conn.write_all(&body[..sent]);
        }
        Some(Route::Stall(d)) => {
            let _ = conn.write_all(ok(100_000).as_bytes());
            let _ = conn.write_all(&[0x1f, 0x8b, 8]);
            let _ = conn.flush();
            std::thread::sleep(d);
        }
        Some(Route::Silent(d)) => std::thread::sleep(d),
        Some(Route::Redirect(to)) => {
            let _ = conn.write_all(
                format!("HTTP/1.1 302 Found\r\nLocation: {to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
        }
        Some(Route::Status(code)) => {
            let _ = conn.write_all(
                format!("HTTP/1.1 {code} Nope\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            );
        }
        None => {
            let _ = conn.write_all(
                b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found",
            );
        }
    }
    let _ = conn.flush();
}
