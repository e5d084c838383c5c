//! The policy part of a build (issue 4) as generated pages and files: `/units/`, one page
//! per unit and per 人群, `/responsibilities/`, `/targets/` and the open data under
//! `/data/`. The graph itself is built by [`crate::model::policy`]; here it becomes template
//! input (the whole graph once, as the global `policy`, and each target once, for its card),
//! pages, files and diagnostics.

use tera::Value;
use time::Date;

use super::{Fragments, Generated, GeneratedPage};
use crate::model::Site;
use crate::model::policy::{self, PageItem, Period, PolicyGraph};

/// Adds the policy pages and problems to `generated`. `today` is the evaluation date when
/// `site.yaml` sets no `plan.as_of`. Returns the graph and the plan period, for
/// [`write_data`], the generators that read them (the overview) and then
/// [`template_values`].
pub fn generate(site: &Site, today: Date, generated: &mut Generated<'_>) -> (PolicyGraph, Period) {
    let period = policy::period_of(site, today);
    let (graph, problems) = policy::from_site(site, period);
    for d in problems {
        if d.is_error() {
            generated.errors.push(d);
        } else {
            generated.warnings.push(d);
        }
    }
    generated.pages.extend(pages(site, &graph));
    (graph, period)
}

/// Writes the open data of `graph`. Made, written and let go a file at a time on each
/// thread: a large plan's open data is tens of MB.
pub fn write_data(site: &Site, graph: &PolicyGraph, generated: &mut Generated<'_>) {
    let files = policy::data::FILES;
    generated.write_each(files.len(), |i| {
        let (path, make) = files[i];
        (path.to_string(), make(graph, &site.urls))
    });
}

/// The `policy` global: the whole graph as a template value (targets by id only; their
/// values are made with their cards, see [`template_values`]).
pub fn policy_value(graph: &PolicyGraph) -> Value {
    super::value::shared(graph)
}

/// Adds the `policy` global (`policy`, made by [`policy_value`]) and the target cards to
/// `generated`, the last of the graph's products: its targets go to their cards, the rest
/// is let go.
pub fn template_values(mut graph: PolicyGraph, policy: Value, generated: &mut Generated<'_>) {
    generated.globals.push(("policy", policy));
    // Target cards: rendered once, printed wherever a target shows. The template value of
    // each target is made when its card is rendered (the `policy` value lists only ids).
    let targets = std::mem::take(&mut graph.targets);
    drop(graph);
    generated.fragments.push(Fragments {
        name: "target_cards",
        template: "partials/target_card.html",
        item: "t",
        count: targets.len(),
        make: Box::new(move |i| super::value::shared(&targets[i])),
    });
}

/// One generated page per policy page, the item (a unit, an audience) in its context.
fn pages(site: &Site, graph: &PolicyGraph) -> Vec<GeneratedPage> {
    let home = ("/".to_string(), site.pages[site.root].title().to_string());
    policy::pages(graph)
        .into_iter()
        .map(|p| {
            let mut g = GeneratedPage::new(p.url, p.template, p.title);
            if let Some(key) = p.item.context_key() {
                g.context.insert(key, &p.item);
            }
            match p.item {
                PageItem::Unit(u) => {
                    g.ancestors = vec![home.clone(), ("/units/".to_string(), "责任单位".into())];
                    // Unit names, short names and aliases are what readers search for.
                    let mut text = vec![u.name.as_str(), u.short.as_str(), u.kind.as_str()];
                    text.extend(u.aliases.iter().map(String::as_str));
                    text.extend(u.led.iter().map(|&k| graph.tasks[k].title.as_str()));
                    g.search_text = Some(text.join("\n"));
                }
                // An audience page lists the tasks of the action for that 人群, which search
                // already finds (by its title, audience and pinyin): indexing the list again
                // would only push the action down. Not a search document.
                PageItem::Audience(_) => {}
                PageItem::None => {}
            }
            g
        })
        .collect()
}
