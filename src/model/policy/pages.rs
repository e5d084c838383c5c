//! The pages the policy graph adds to the site, with their templates. Rendering is the
//! render stage's job: it gives each template the graph as `policy` and, for a unit or an
//! audience page, that item as `unit` or `audience`.

use serde::Serialize;

use super::graph::{Audience, PolicyGraph, Unit};

/// What a generated page is about, beyond the whole graph.
#[derive(Debug, Clone, Copy, Serialize)]
#[serde(untagged)]
pub enum PageItem<'g> {
    /// A listing of the whole graph.
    None,
    /// `/units/<slug>/`: insert as `unit`.
    Unit(&'g Unit),
    /// `/audiences/<slug>/`: insert as `audience`.
    Audience(&'g Audience),
}

impl PageItem<'_> {
    /// The template variable the item goes into, if any.
    pub fn context_key(&self) -> Option<&'static str> {
        match self {
            PageItem::None => None,
            PageItem::Unit(_) => Some("unit"),
            PageItem::Audience(_) => Some("audience"),
        }
    }
}

/// One page to render.
#[derive(Debug, Clone, Serialize)]
pub struct GeneratedPage<'g> {
    /// URL path, `/units/shijiaoyutiyuju/`.
    pub url: String,
    /// Template name under `themes/<theme>/templates/`.
    pub template: &'static str,
    /// The page title (the text of its `<h1>`).
    pub title: String,
    pub item: PageItem<'g>,
}

/// Every page the policy graph adds: `/units/`, one per unit, one per audience,
/// `/responsibilities/` and `/targets/`, in that order.
pub fn pages(graph: &PolicyGraph) -> Vec<GeneratedPage<'_>> {
    let mut out = vec![GeneratedPage {
        url: "/units/".into(),
        template: "units.html",
        title: "责任单位".into(),
        item: PageItem::None,
    }];
    out.extend(graph.units.iter().map(|u| GeneratedPage {
        url: u.url.clone(),
        template: "unit.html",
        title: u.name.clone(),
        item: PageItem::Unit(u),
    }));
    out.extend(graph.audiences.iter().map(|a| GeneratedPage {
        url: a.url.clone(),
        template: "audience.html",
        title: a.name.clone(),
        item: PageItem::Audience(a),
    }));
    out.push(GeneratedPage {
        url: "/responsibilities/".into(),
        template: "responsibilities.html",
        title: "责任清单".into(),
        item: PageItem::None,
    });
    out.push(GeneratedPage {
        url: "/targets/".into(),
        template: "targets.html",
        title: "目标指标".into(),
        item: PageItem::None,
    });
    out
}
