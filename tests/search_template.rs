//! The search page template renders with a stand-in `base.html`: form, no-JavaScript page
//! list, script tag with its base URL, no inline script or style.

use tera::{Context, Tera};

#[test]
fn search_page_lists_every_page_without_javascript() {
    let mut tera = Tera::default();
    tera.add_raw_templates(vec![
        (
            "base.html",
            "<title>{% block title %}{% endblock %}</title><main>{% block content %}{% endblock %}</main>",
        ),
        ("search.html", include_str!("../themes/default/templates/search.html")),
    ])
    .expect("templates parse");
    let mut ctx = Context::new();
    ctx.insert("base_url", "/plan/");
    ctx.insert(
        "site_pages",
        &serde_json::json!([
            {"url": "/plan/a/", "title": "完善现代科技馆体系", "breadcrumb": ["重点工程", "实施科普基础设施建设工程"]},
            {"url": "/plan/b/", "title": "总体要求<script>", "breadcrumb": []}
        ]),
    );
    let html = tera.render("search.html", &ctx).expect("renders");
    assert!(html.contains("<title>搜索</title>"));
    assert!(html.contains(r#"action="/plan/search/" method="get""#));
    assert!(html.contains(r#"<a href="/plan/a/">完善现代科技馆体系</a>"#));
    assert!(html.contains("重点工程 › 实施科普基础设施建设工程"));
    assert!(
        html.contains("总体要求&lt;script&gt;"),
        "titles are escaped"
    );
    assert!(
        html.contains(r#"<script src="/plan/js/search.js" data-base="/plan/" defer></script>"#)
    );
    assert_eq!(html.matches("<script").count(), 1, "no inline script");
    assert!(!html.contains("style="), "no inline style");
}
