//! The development server of `site serve`: serves the output folder over HTTP with live
//! reload.
//!
//! Files get their content type with charset, folders their `index.html` (`/dir` redirects
//! to `/dir/`), missing paths the site's `404.html` with status 404, and hostile paths 400
//! or 404 ([`files`]). HTML responses get a script tag for `/__site/reload.js`, which
//! listens on `/__site/events` ([`live`]); both exist only in the server, never on disk, so
//! they never reach `site build` output. A fixed pool of worker threads answers requests,
//! so the server stays responsive while a build runs elsewhere.

pub mod files;
pub mod live;

use std::fmt;
use std::io::{self, Read};
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, ResponseBox, StatusCode};

pub use live::LiveReload;

use files::Resolved;

/// The live-reload script, served at `/__site/reload.js`.
const RELOAD_JS: &str = include_str!("reload.js");
/// The error overlay's style, served at `/__site/reload.css`.
const RELOAD_CSS: &str = include_str!("reload.css");
/// Worker threads answering requests.
const WORKERS: usize = 4;
/// How often an idle worker looks at the stop flag.
const POLL: Duration = Duration::from_millis(200);

/// Where to listen and what to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: IpAddr,
    /// 0 picks a free port (tests).
    pub port: u16,
    /// The output folder.
    pub dir: PathBuf,
}

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// Another program listens on the port.
    PortInUse(SocketAddr),
    /// The address cannot be used (not an address of this machine, no permission...).
    Bind(SocketAddr, io::Error),
    /// The server's threads could not be started.
    Start(String),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::PortInUse(addr) => write!(
                f,
                "error: port {port} on {ip} is already in use (is another `site serve` running?)\n\
                 hint: stop the other program, or choose another port: `site serve --port {next}`",
                port = addr.port(),
                ip = addr.ip(),
                next = addr.port().checked_add(1).unwrap_or(1111),
            ),
            ServeError::Bind(addr, e) => write!(
                f,
                "error: cannot listen on {addr}: {e}\n\
                 hint: use an address of this machine, e.g. `--bind 127.0.0.1`, and a port \
                 above 1023, e.g. `--port 1111`"
            ),
            ServeError::Start(e) => write!(f, "error: cannot start the server: {e}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// A running server. Stops when [`Server::shutdown`] is called or when dropped.
pub struct Server {
    addr: SocketAddr,
    live: LiveReload,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Server {
    /// Binds the address and starts answering requests.
    pub fn start(options: &ServeOptions) -> Result<Server, ServeError> {
        let wanted = SocketAddr::new(options.bind, options.port);
        let listener = TcpListener::bind(wanted).map_err(|e| match e.kind() {
            io::ErrorKind::AddrInUse => ServeError::PortInUse(wanted),
            _ => ServeError::Bind(wanted, e),
        })?;
        let addr = listener
            .local_addr()
            .map_err(|e| ServeError::Bind(wanted, e))?;
        let http = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| ServeError::Start(e.to_string()))?;
        let http = Arc::new(http);
        let (live, hub) = live::start().map_err(|e| ServeError::Start(e.to_string()))?;
        let stop = Arc::new(AtomicBool::new(false));
        let mut threads = vec![hub];
        for n in 0..WORKERS {
            let worker = Worker {
                http: Arc::clone(&http),
                dir: options.dir.clone(),
                live: live.clone(),
                stop: Arc::clone(&stop),
            };
            let spawned = std::thread::Builder::new()
                .name(format!("site-serve-{n}"))
                .spawn(move || worker.run());
            match spawned {
                Ok(handle) => threads.push(handle),
                Err(e) => {
                    stop.store(true, Ordering::Relaxed);
                    live.stop();
                    return Err(ServeError::Start(e.to_string()));
                }
            }
        }
        Ok(Server {
            addr,
            live,
            stop,
            threads,
        })
    }

    /// The address the server listens on (with the real port when 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The handle that tells open pages about builds.
    pub fn live_reload(&self) -> LiveReload {
        self.live.clone()
    }

    /// Stops answering requests and waits for the worker threads.
    pub fn shutdown(mut self) {
        self.stop_threads();
    }

    fn stop_threads(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        self.live.stop();
        for handle in self.threads.drain(..) {
            let _ = handle.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop_threads();
    }
}

struct Worker {
    http: Arc<tiny_http::Server>,
    dir: PathBuf,
    live: LiveReload,
    stop: Arc<AtomicBool>,
}

impl Worker {
    fn run(self) {
        while !self.stop.load(Ordering::Relaxed) {
            match self.http.recv_timeout(POLL) {
                Ok(Some(request)) => self.answer(request),
                Ok(None) => {}
                Err(_) => std::thread::sleep(POLL),
            }
        }
    }

    fn answer(&self, request: Request) {
        if !matches!(request.method(), Method::Get | Method::Head) {
            let response =
                text(405, "405 Method Not Allowed\n").with_header(header("Allow", "GET, HEAD"));
            let _ = request.respond(response);
            return;
        }
        let url = request.url().to_string();
        let path = url.split(['?', '#']).next().unwrap_or("");
        match path {
            "/__site/reload.js" => {
                let _ = request.respond(body(
                    200,
                    RELOAD_JS.as_bytes().to_vec(),
                    "text/javascript; charset=utf-8",
                ));
            }
            "/__site/reload.css" => {
                let _ = request.respond(body(
                    200,
                    RELOAD_CSS.as_bytes().to_vec(),
                    "text/css; charset=utf-8",
                ));
            }
            "/__site/events" => {
                if self.live.reserve() {
                    self.live.subscribe(request.into_writer());
                } else {
                    let _ = request.respond(text(503, "503 Too many open pages\n"));
                }
            }
            _ => {
                let response = self.file_response(&url);
                let _ = request.respond(response);
            }
        }
    }

    fn file_response(&self, url: &str) -> ResponseBox {
        match files::resolve(&self.dir, url) {
            Resolved::File(path) => match self.file(200, &path) {
                Ok(response) => response,
                Err(_) => self.not_found(),
            },
            Resolved::Redirect(location) => {
                match Header::from_bytes("Location", location.as_bytes()) {
                    Ok(location) => text(301, "301 Moved Permanently\n")
                        .with_header(location)
                        .boxed(),
                    Err(()) => text(400, "400 Bad Request\n").boxed(),
                }
            }
            Resolved::NotFound => self.not_found(),
            Resolved::BadRequest => text(400, "400 Bad Request\n").boxed(),
        }
    }

    /// The site's own `404.html` with status 404, or a plain message when it has none.
    fn not_found(&self) -> ResponseBox {
        self.file(404, &self.dir.join("404.html"))
            .unwrap_or_else(|_| text(404, "404 Not Found\n").boxed())
    }

    /// A file as a response: HTML read whole to add the reload script, anything else
    /// streamed from disk.
    fn file(&self, status: u16, path: &Path) -> io::Result<ResponseBox> {
        let kind = files::content_type(path);
        let mut file = std::fs::File::open(path)?;
        if kind.starts_with("text/html") {
            let mut html = Vec::new();
            file.read_to_end(&mut html)?;
            let html = files::inject_reload(&html, self.live.builds());
            return Ok(body(status, html, &kind).boxed());
        }
        let response = Response::from_file(file)
            .with_status_code(StatusCode(status))
            .with_header(header("Content-Type", &kind));
        Ok(common_headers(response).boxed())
    }
}

/// A header from this file's own ASCII names and values (never from a request).
fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("headers written here are ASCII")
}

fn body(status: u16, bytes: Vec<u8>, content_type: &str) -> Response<io::Cursor<Vec<u8>>> {
    let response = Response::from_data(bytes)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type));
    common_headers(response)
}

/// Headers of every response: never cached (a rebuilt page must show at once), and the
/// content type is final.
fn common_headers<R: Read>(response: Response<R>) -> Response<R> {
    response
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

fn text(status: u16, message: &str) -> Response<io::Cursor<Vec<u8>>> {
    body(
        status,
        message.as_bytes().to_vec(),
        "text/plain; charset=utf-8",
    )
}
