//! `site serve [--bind 127.0.0.1] [--port 1111]`: build, watch, serve with live reload.
//!
//! The server binds first (a port in use fails at once, before a long build), then the
//! authoring session builds and rebuilds while the server answers requests and tells open
//! pages about every build.
//!
//! The served site is built into its own folder (by default a temporary one, removed on
//! exit), with the server's address as base URL, so that `public/` never holds a site whose
//! links point at this machine.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use super::{Cli, Outcome};
use crate::build::BuildOptions;
use crate::serve::{ServeOptions, Server};
use crate::watch::session::{self, Event, Rebuild};

/// Arguments of `site serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The address to listen on (0.0.0.0 lets other devices on the network connect)
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// The port to listen on
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Build the served site into this folder (default: a temporary folder)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also publish pages marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
}

/// What `serve` asks of the build: a builder for the output folder and base URL.
pub type MakeBuilder<'a> = &'a mut dyn FnMut(&Path, &str) -> Box<dyn Rebuild>;

/// Runs `site serve` until Ctrl-C, building with the incremental site builder.
pub fn run(cli: &Cli, args: &Args) -> Outcome {
    let stop = session::stop_on_ctrl_c();
    let mut make = |out: &Path, base_url: &str| -> Box<dyn Rebuild> {
        Box::new(super::build::SiteBuilder::new(BuildOptions {
            out: Some(out.to_path_buf()),
            base_url: Some(base_url.to_string()),
            drafts: args.drafts,
            ..BuildOptions::new(cli.root.clone())
        }))
    };
    serve(&cli.root, cli.quiet, args, &mut make, &stop, |_| {})
}

/// Serves until `stop` is set; `on_ready` gets the address once the server listens.
pub fn serve(
    root: &Path,
    quiet: bool,
    args: &Args,
    make_builder: MakeBuilder<'_>,
    stop: &AtomicBool,
    on_ready: impl FnOnce(SocketAddr),
) -> Outcome {
    // A temporary output goes in a folder of its own, with the folders a build keeps beside
    // its output (`.public.site-prev`), and all of it is removed at the end.
    let (out, temporary) = match &args.out {
        Some(out) => (root.join(out), None),
        None => {
            let folder = std::env::temp_dir().join(format!(
                "site-serve-{}-{}",
                std::process::id(),
                args.port
            ));
            (folder.join("public"), Some(folder))
        }
    };
    let code = serve_into(root, quiet, args, &out, make_builder, stop, on_ready);
    if let Some(folder) = temporary {
        let _ = std::fs::remove_dir_all(&folder);
    }
    code
}

fn serve_into(
    root: &Path,
    quiet: bool,
    args: &Args,
    out: &Path,
    make_builder: MakeBuilder<'_>,
    stop: &AtomicBool,
    on_ready: impl FnOnce(SocketAddr),
) -> Outcome {
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("error: cannot create the folder {}: {e}", out.display());
        return Outcome::Failed;
    }
    let options = ServeOptions {
        bind: args.bind,
        port: args.port,
        dir: out.to_path_buf(),
    };
    let server = match Server::start(&options) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("{e}");
            return Outcome::Failed;
        }
    };
    let url = page_url(server.addr());
    let mut builder = make_builder(out, &url);
    let live = server.live_reload();
    if !quiet {
        println!("serving the site at {url} (open it in a browser)");
    }
    on_ready(server.addr());
    let result = session::run(root, Some(out), builder.as_mut(), stop, |event| {
        session::print_event(&event, quiet);
        match event {
            Event::Built(..) => live.built(),
            Event::Failed(failed) => live.failed(&failed.message),
            _ => {}
        }
    });
    server.shutdown();
    match result {
        Ok(()) => Outcome::Ok,
        Err(e) => {
            eprintln!("error: {e}");
            Outcome::Failed
        }
    }
}

/// The address to open in a browser: a wildcard bind is reached through 127.0.0.1.
fn page_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            page_url("127.0.0.1:1111".parse().unwrap()),
            "http://127.0.0.1:1111/"
        );
        assert_eq!(
            page_url("0.0.0.0:8080".parse().unwrap()),
            "http://127.0.0.1:8080/"
        );
        assert_eq!(page_url("[::]:1111".parse().unwrap()), "http://[::1]:1111/");
    }
}
