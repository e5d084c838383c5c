//! Model stage: the site graph built from loaded pages: pages, sections, and the policy
//! data (units, audiences, targets, responsibilities). Knows nothing of templates or output.

pub mod policy;
