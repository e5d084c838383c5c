//! `site init DIR`: a new site skeleton that builds as it is: site.yaml, a home page, one
//! action with one task, and a unit registry. The default theme is built into the binary, so
//! no theme files are copied; a `templates/` folder can override any of them.

use std::path::{Path, PathBuf};

use super::{Cli, Outcome, print_failure};
use crate::diagnostic::Diagnostic;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to create (must be empty or not exist)
    pub dir: PathBuf,
}

/// The skeleton: (path, text).
pub const FILES: &[(&str, &str)] = &[
    (
        "site.yaml",
        r#"# 站点配置。修改后运行 `site build` 查看效果。
title: 全民科学素质行动规划
description: 全民科学素质行动规划的在线版本
base_url: https://example.gov.cn/
language: zh-CN
theme: default
footer:
  host: 某某市科学技术协会
  site_code: "0000000000"
  icp: 某ICP备00000000号
  police_record: 某公网安备00000000000000号
  address: 某某市某某路1号
  phone: 0000-00000000
  email: kx@example.gov.cn
document:
  doc_number: 某府发〔2022〕1号
  issuer: 某某市人民政府
  written: 2022-01-01
  published: 2022-01-07
"#,
    ),
    (
        "content/_index.md",
        r#"---
title: 全民科学素质行动规划
kind: overview
---
为全面提升全民科学素质，制定本规划。

本站按行动和任务列出规划的全部内容。
"#,
    ),
    (
        "content/actions/_index.md",
        r#"---
title: 青少年科学素质提升行动
kind: action
number: 三(一)
order: 1
audience: [青少年]
---
激发青少年好奇心和想象力，增强科学兴趣、创新意识和创新能力。
"#,
    ),
    (
        "content/actions/01-science-education.md",
        r#"---
title: 提升基础教育阶段科学教育水平
kind: task
number: 三(一)1
order: 1
audience: [青少年]
lead_units: [市教育局]
units: [市科学技术协会]
targets:
  - id: demo-schools
    label: 命名科技教育示范学校
    value: 25
    unit: 所
    by: 2025
    cmp: ">="
---
推进中小学科学教育改革，**注意：**每所学校都要开好科学课。

见[本行动](@/actions/_index.md)。
"#,
    ),
    (
        "content/units.yaml",
        r#"units:
  - name: 市教育局
    short: 教育局
    kind: 政府部门
  - name: 市科学技术协会
    short: 市科协
    kind: 群团组织
"#,
    ),
];

/// Writes the skeleton into `dir`.
pub fn init(dir: &Path) -> Result<(), Diagnostic> {
    let shown = dir.display().to_string();
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(
                Diagnostic::error(format!("{shown} already exists and is not empty"))
                    .with_hint("choose a new folder name; init never overwrites files"),
            );
        }
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(format!("cannot create {}: {e}", parent.display()))
            })?;
        }
        std::fs::write(&path, text)
            .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))?;
    }
    std::fs::write(dir.join(".gitignore"), "/public\n/.public.site-*\n")
        .map_err(|e| Diagnostic::error(format!("cannot write .gitignore: {e}")))?;
    Ok(())
}

pub fn run(cli: &Cli, args: &Args) -> Outcome {
    match init(&args.dir) {
        Ok(()) => {
            if !cli.quiet {
                println!(
                    "created a new site in {}; build it with `site build --root {}`",
                    args.dir.display(),
                    args.dir.display()
                );
            }
            Outcome::Ok
        }
        Err(d) => {
            print_failure(&[d], cli.quiet);
            Outcome::Failed
        }
    }
}
