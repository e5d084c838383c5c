//! `site`: a static site generator for public science-literacy policy plans.
//!
//! The pipeline is the architecture: [`load`] (walk `content/`, parse front matter) →
//! model (the site graph) → render (Markdown, templates) → write (atomic output). Commands
//! live in [`cmd`], one file each. Beside the pipeline, [`watch`] and [`serve`] make up the
//! authoring room (`site build --watch`, `site serve`).

pub mod cmd;
pub mod load;
pub mod serve;
pub mod text;
pub mod watch;
