//! Live reload over server-sent events: open pages subscribe to `/__site/events` and hear
//! `reload` after each good build and `error` (with the build's message) after a failed one.
//! A page that subscribes while the site is broken hears the `error` at once.
//!
//! One hub thread owns every subscriber's connection, so that a build never waits on a slow
//! browser, and the number of subscribers is capped.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::thread::JoinHandle;
use std::time::Duration;

/// At most this many open pages listen at once; more get 503 (their script retries).
pub const MAX_SUBSCRIBERS: usize = 64;
/// A comment line keeps idle connections open and finds closed ones.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// How long a browser waits before reconnecting after the server went away.
const RETRY_MS: u32 = 1000;

enum Message {
    Subscribe(Box<dyn Write + Send>),
    Built(u64),
    Failed(String),
    Stop,
}

/// The sending side, cheap to clone: tells open pages about builds.
#[derive(Clone)]
pub struct LiveReload {
    tx: SyncSender<Message>,
    subscribers: Arc<AtomicUsize>,
    /// Good builds so far; pages are stamped with it.
    builds: Arc<AtomicU64>,
}

impl LiveReload {
    /// Tells open pages that a build succeeded: they reload.
    pub fn built(&self) {
        let n = self.builds.fetch_add(1, Ordering::AcqRel) + 1;
        let _ = self.tx.send(Message::Built(n));
    }

    /// The number of good builds so far.
    pub fn builds(&self) -> u64 {
        self.builds.load(Ordering::Acquire)
    }

    /// Tells open pages that a build failed: they show `message` in an overlay.
    pub fn failed(&self, message: &str) {
        let _ = self.tx.send(Message::Failed(message.to_string()));
    }

    /// Reserves a place for one more subscriber; false when the cap is reached.
    pub(crate) fn reserve(&self) -> bool {
        self.subscribers
            .fetch_update(Ordering::AcqRel, Ordering::Relaxed, |n| {
                (n < MAX_SUBSCRIBERS).then_some(n + 1)
            })
            .is_ok()
    }

    /// Hands a client connection whose place was reserved (its request already read) to the
    /// hub, which writes the response header, the current state and then every event.
    pub(crate) fn subscribe(&self, conn: Box<dyn Write + Send>) {
        let _ = self.tx.send(Message::Subscribe(conn));
    }

    pub(crate) fn stop(&self) {
        let _ = self.tx.send(Message::Stop);
    }
}

/// Starts the hub thread.
pub(crate) fn start() -> std::io::Result<(LiveReload, JoinHandle<()>)> {
    // Bounded; builds come far apart, so the queue never fills in practice.
    let (tx, rx) = sync_channel(256);
    let subscribers = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&subscribers);
    let handle = std::thread::Builder::new()
        .name("site-live-reload".into())
        .spawn(move || hub(rx, &count))?;
    let builds = Arc::new(AtomicU64::new(0));
    Ok((
        LiveReload {
            tx,
            subscribers,
            builds,
        },
        handle,
    ))
}

/// Formats one server-sent event; every line of `data` becomes a `data:` line.
pub fn sse_event(name: &str, data: &str) -> String {
    let mut out = format!("event: {name}\n");
    let mut lines = data.lines().peekable();
    if lines.peek().is_none() {
        out.push_str("data:\n");
    }
    for line in lines {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

fn hub(rx: Receiver<Message>, subscribers: &AtomicUsize) {
    let mut clients: Vec<Box<dyn Write + Send>> = Vec::new();
    let mut good_builds: u64 = 0;
    let mut failure: Option<String> = None;
    let send = |conn: &mut Box<dyn Write + Send>, text: &str| {
        conn.write_all(text.as_bytes())
            .and_then(|()| conn.flush())
            .is_ok()
    };
    loop {
        let event = match rx.recv_timeout(KEEPALIVE) {
            Ok(Message::Subscribe(mut conn)) => {
                let state = match &failure {
                    Some(message) => sse_event("error", message),
                    None => sse_event("ok", &good_builds.to_string()),
                };
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                     Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
                     Connection: keep-alive\r\n\r\nretry: {RETRY_MS}\n\n{state}"
                );
                if send(&mut conn, &head) {
                    clients.push(conn);
                } else {
                    subscribers.fetch_sub(1, Ordering::AcqRel);
                }
                continue;
            }
            Ok(Message::Built(n)) => {
                good_builds = n;
                failure = None;
                sse_event("reload", &good_builds.to_string())
            }
            Ok(Message::Failed(message)) => {
                let event = sse_event("error", &message);
                failure = Some(message);
                event
            }
            Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
        };
        clients.retain_mut(|conn| {
            let ok = send(conn, &event);
            if !ok {
                subscribers.fetch_sub(1, Ordering::AcqRel);
            }
            ok
        });
    }
    subscribers.fetch_sub(clients.len(), Ordering::AcqRel);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_format() {
        assert_eq!(sse_event("reload", "3"), "event: reload\ndata: 3\n\n");
        assert_eq!(
            sse_event("error", "error: a.md:3:1: bad\nhint: fix"),
            "event: error\ndata: error: a.md:3:1: bad\ndata: hint: fix\n\n"
        );
        assert_eq!(sse_event("ok", ""), "event: ok\ndata:\n\n");
    }
}
