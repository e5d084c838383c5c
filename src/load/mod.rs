//! Load stage: walks `content/`, splits and parses front matter, reads `units.yaml`.
//! Knows nothing of the site graph, templates or output.

pub mod front_matter;
pub mod locate;
pub mod units;
