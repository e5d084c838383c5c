//! Measures the watcher's own latency: from a file write to the batch in hand.
use std::time::{Duration, Instant};
fn main() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("content/a")).unwrap();
    let mut w = site::watch::SiteWatcher::start(root, None).unwrap();
    let mut times = Vec::new();
    for i in 0..40 {
        std::thread::sleep(Duration::from_millis(50));
        let t = Instant::now();
        std::fs::write(root.join("content/a/p.md"), format!("{i}")).unwrap();
        w.next_batch_within(Duration::from_secs(5)).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "median {:.1} ms, min {:.1}, max {:.1}",
        times[20], times[0], times[39]
    );
}
