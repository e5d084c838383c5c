//! `site`: a static site generator for public science-literacy policy plans.
//!
//! The pipeline is the architecture: [`load`] (walk `content/`, parse front matter) →
//! model (the site graph) → render (Markdown, templates) → write (atomic output). Commands
//! live in [`cmd`], one file each.

pub mod load;
pub mod overview;
pub mod text;
