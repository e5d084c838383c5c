//! Bad input: each case exits 1, names the file and line (where one exists) with a hint,
//! never panics, and leaves the previous output byte for byte as it was.

mod common;

use common::{Site, fails};

#[test]
fn invalid_yaml() {
    fails(
        |s| {
            s.write(
                "content/about.md",
                "---\ntitle: 关于\nunits: [市科协\nkind: page\n---\n正文\n",
            )
        },
        &[
            "error: content/about.md:",
            "invalid YAML in front matter",
            "hint:",
        ],
    );
}

#[test]
fn unclosed_front_matter() {
    fails(
        |s| s.write("content/about.md", "---\ntitle: 关于\n正文\n"),
        &[
            "error: content/about.md:1:1: front matter opened on line 1 is never closed",
            "hint: add a line with only `---`",
        ],
    );
}

#[test]
fn misspelt_key_suggests_the_right_one() {
    fails(
        |s| {
            s.write(
                "content/about.md",
                "---\ntitle: 关于\nlead_unit: [市科协]\n---\n",
            )
        },
        &[
            "error: content/about.md:3:1: unknown key 'lead_unit' in front matter\n  hint: did you mean 'lead_units'?",
        ],
    );
}

#[test]
fn misspelt_nested_key() {
    fails(
        |s| {
            s.write(
                "content/about.md",
                "---\ntitle: 关于\ntargets:\n  - id: a\n    label: b\n    valeu: 3\n---\n",
            )
        },
        &[
            "content/about.md:6:5: unknown key 'valeu' in 'targets[0]' in front matter",
            "did you mean 'value'?",
        ],
    );
}

#[test]
fn wrong_types() {
    fails(
        |s| s.write("content/about.md", "---\ntitle: 关于\norder: 第一\n---\n"),
        &["content/about.md:3:", "expected a whole number", "hint:"],
    );
    fails(
        |s| s.write("content/about.md", "---\ntitle: 关于\nkind: taks\n---\n"),
        &[
            "content/about.md:3:",
            "unknown value 'taks'",
            "did you mean 'task'?",
        ],
    );
}

#[test]
fn missing_title() {
    fails(
        |s| s.write("content/about.md", "---\nkind: page\n---\n正文\n"),
        &["content/about.md:2:", "missing key 'title'"],
    );
}

#[test]
fn invalid_utf8_gives_the_byte_offset() {
    fails(
        |s| {
            let mut bytes = b"---\ntitle: ok\n---\n".to_vec();
            bytes.extend_from_slice(&[0xC4, 0xE3, 0xBA, 0xC3]); // 你好 in GBK
            s.write("content/about.md", bytes)
        },
        &[
            "content/about.md:4: file is not valid UTF-8: invalid byte 0xC4 at byte offset 18",
            "UTF-8",
        ],
    );
}

#[test]
fn empty_file() {
    fails(
        |s| s.write("content/about.md", ""),
        &["content/about.md:1: file is empty", "hint:"],
    );
}

#[test]
fn no_content_folder() {
    fails(
        |s| std::fs::rename(s.path("content"), s.path("content-old")).unwrap(),
        &["no content/ folder", "site init"],
    );
}

#[test]
fn broken_internal_link_names_file_and_line() {
    fails(
        |s| {
            s.write(
                "content/about.md",
                "---\ntitle: 关于\n---\n第一段。\n\n见[任务](@/actions/youth/01-basc.md)。\n",
            )
        },
        &[
            "content/about.md:6:2: broken internal link: no file content/actions/youth/01-basc.md",
            "did you mean @/actions/youth/01-basic.md?",
        ],
    );
}

#[test]
fn link_to_a_draft_is_an_error() {
    fails(
        |s| {
            s.write(
                "content/about.md",
                "---\ntitle: 关于\n---\n[草稿](@/actions/youth/03-draft.md)\n",
            )
        },
        &["content/about.md:4:1: link to a draft page"],
    );
}

#[test]
fn template_syntax_error_names_template_and_line() {
    fails(
        |s| {
            s.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title }\n{% endblock content %}\n")
        },
        &["error: templates/page.html:3:", "template syntax error"],
    );
}

#[test]
fn template_runtime_error_names_template_and_line() {
    fails(
        |s| {
            s.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n<h1>{{ page.no_such_field }}</h1>\n{% endblock content %}\n")
        },
        &[
            "error: templates/page.html:3:",
            "template error",
            "content/about.md",
        ],
    );
}

#[test]
fn site_yaml_errors() {
    fails(
        |s| {
            let text = s
                .read("site.yaml")
                .replace("theme: default", "theem: default");
            s.write("site.yaml", text)
        },
        &["error: site.yaml:5:1: unknown key 'theem' in site.yaml\n  hint: did you mean 'theme'?"],
    );
    fails(
        |s| {
            let text = s.read("site.yaml").replace(
                "base_url: https://kepu.example.gov.cn/",
                "base_url: kepu.example.gov.cn",
            );
            s.write("site.yaml", text)
        },
        &["error: site.yaml:3: invalid base_url"],
    );
    fails(
        |s| std::fs::remove_file(s.path("site.yaml")).unwrap(),
        &["no site.yaml"],
    );
}

#[test]
fn bad_units_yaml() {
    fails(
        |s| {
            s.write(
                "content/units.yaml",
                "units:\n  - name: 市科协\n    shortname: 科协\n",
            )
        },
        &[
            "content/units.yaml:3:5: unknown key 'shortname'",
            "did you mean 'short'?",
        ],
    );
}

#[test]
fn duplicate_urls_name_both_files() {
    fails(
        |s| s.write("content/about/_index.md", "---\ntitle: 另一个关于\n---\n"),
        &[
            "content/about.md",
            "content/about/_index.md",
            "would both publish to /about/",
        ],
    );
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let r = fails(
        |s| {
            s.write("content/about.md", "---\ntitle: 关于\ntitel: x\n---\n");
            s.write("content/projects/p.md", "");
            s.write(
                "content/actions/x.md",
                "---\ntitle: x\n---\n[a](@/none.md)\n",
            );
        },
        &["content/about.md:3:1", "content/projects/p.md:1"],
    );
    assert!(r.stderr.contains("2 errors found"), "{}", r.stderr);
}

#[test]
fn out_pointing_at_sources_is_refused() {
    for target in ["content", "themes", ".", "content/public"] {
        let r = fails(
            |s| {
                // Build into the source folder instead of public/.
                let out = s.path(target);
                let r = s.run(&["build", "--out", out.to_str().unwrap()]);
                assert_eq!(r.code, 1, "{}", r.stderr);
                assert!(r.stderr.contains("refusing to build into"), "{}", r.stderr);
                // Break the site too, so the helper's build fails as well.
                s.write("content/about.md", "");
            },
            &["file is empty"],
        );
        drop(r);
    }
    // The sources are untouched after a refused --out.
    let site = Site::fixture("basic");
    let before = common::tree(&site.path("content"));
    let r = site.run(&["build", "--out", site.path("content").to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("refusing to build into"));
    assert!(r.stderr.contains("hint: choose a separate output folder"));
    assert!(common::tree(&site.path("content")) == before);
    let parent = site.tmp.path();
    let r = site.run(&["build", "--out", parent.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(site.path("site.yaml").exists());
}

#[test]
fn unknown_theme() {
    fails(
        |s| {
            let text = s
                .read("site.yaml")
                .replace("theme: default", "theme: fancy");
            s.write("site.yaml", text)
        },
        &["theme 'fancy' not found"],
    );
}

#[test]
fn missing_template() {
    fails(
        |s| std::fs::remove_file(s.path("themes/default/templates/section.html")).unwrap(),
        &["template 'section.html' not found"],
    );
}

#[cfg(unix)]
#[test]
fn symlink_loop_is_an_error_not_a_hang() {
    fails(
        |s| std::os::unix::fs::symlink(s.path("content"), s.path("content/actions/loop")).unwrap(),
        &["content/actions/loop", "symbolic link loop"],
    );
}

#[test]
fn invalid_date() {
    fails(
        |s| {
            s.write(
                "content/about.md",
                "---\ntitle: 关于\ndate: 2023年1月7日\n---\n",
            )
        },
        &[
            "content/about.md:3: invalid date '2023年1月7日'",
            "YYYY-MM-DD",
        ],
    );
}

#[test]
fn broken_anchor_in_internal_link() {
    fails(
        |s| {
            s.write(
                "content/about.md",
                "---\ntitle: 关于\n---\n见[要求](@/actions/youth/01-basic.md#总体要求)。\n",
            )
        },
        &[
            "content/about.md:4:2: broken internal link: no heading #总体要求 in content/actions/youth/01-basic.md",
            "hint: did you mean #一-总体要求?",
        ],
    );
}
