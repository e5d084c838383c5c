//! `site`: a static site generator for public science-literacy policy plans.
//!
//! The pipeline is the architecture: [`load`] (walk `content/`, parse front matter) →
//! [`model`] (the site graph) → [`render`] (Markdown via [`markdown`], templates) →
//! [`output`] (atomic writer). [`build`] runs the pipeline and is the library API that the
//! command line, the watcher and the server call. Commands live in [`cmd`], one file each.
//! Beside the pipeline, [`watch`] and [`serve`] make up the authoring room
//! (`site build --watch`, `site serve`).

pub mod build;
pub mod cmd;
pub mod config;
pub mod diagnostic;
pub mod import;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod overview;
pub mod render;
pub mod search;
pub mod serve;
pub mod text;
pub mod theme;
pub mod watch;
