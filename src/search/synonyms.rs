//! Synonyms: words citizens type that the plan writes differently (农民 → 农牧民).
//!
//! A query containing a key also searches for each of its values. The default list below
//! covers this domain; `search.synonyms` in `site.yaml` adds keys or extends their values.

use std::collections::BTreeMap;

/// The default list: colloquial or short word → the words the plan uses.
pub const DEFAULT: &[(&str, &[&str])] = &[
    ("农民", &["农牧民"]),
    ("老人", &["老年人"]),
    ("老龄", &["老年人"]),
    ("银发", &["老年人"]),
    ("长者", &["老年人"]),
    ("学生", &["青少年", "中小学"]),
    ("小学生", &["青少年", "中小学"]),
    ("中学生", &["青少年", "中小学"]),
    ("孩子", &["青少年", "儿童"]),
    ("小孩", &["青少年", "儿童"]),
    ("娃", &["儿童"]),
    ("学校", &["中小学", "高校"]),
    ("大学", &["高校"]),
    ("大学生", &["高校"]),
    ("老师", &["教师"]),
    ("职工", &["产业工人"]),
    ("农民工", &["产业工人"]),
    ("官员", &["领导干部", "公务员"]),
    ("公务员", &["领导干部"]),
    ("科协", &["科学技术协会"]),
    ("科技局", &["科学技术局"]),
    ("教育局", &["教育体育局"]),
    ("卫健委", &["卫生健康委员会"]),
    ("发改委", &["发展和改革委员会"]),
    ("人社局", &["人力资源和社会保障局"]),
    ("妇联", &["妇女联合会"]),
    ("团市委", &["共青团"]),
    ("网信办", &["网络安全和信息化委员会办公室"]),
    ("文旅局", &["文化和旅游局"]),
    ("工信局", &["工业和信息化局"]),
    ("市监局", &["市场监督管理局"]),
    ("国资委", &["国有资产监督管理委员会"]),
    ("工商联", &["工商业联合会"]),
    ("科技馆", &["科普场馆"]),
    ("博物馆", &["科普场馆"]),
    ("手机", &["智能技术", "数字鸿沟"]),
    ("上网", &["数字鸿沟", "网上办事"]),
    ("智能手机", &["智能技术", "数字鸿沟"]),
    ("看病", &["就医"]),
    ("健康知识", &["健康科普"]),
    ("志愿者", &["志愿服务"]),
    ("钱", &["经费"]),
    ("资金", &["经费"]),
    ("网络", &["信息化", "互联网"]),
    ("互联网", &["信息化"]),
    ("网上", &["信息化", "互联网"]),
    ("数字化", &["信息化"]),
    ("应急", &["防灾减灾"]),
    ("地震", &["防灾减灾"]),
    ("考核", &["评估"]),
    ("检查", &["监督评估"]),
    ("目标", &["指标"]),
    ("指标", &["目标"]),
    ("科学素养", &["科学素质"]),
    ("素养", &["素质"]),
    ("宣传", &["宣教", "传播"]),
    ("讲座", &["报告"]),
    ("比赛", &["竞赛", "大赛"]),
    ("竞赛", &["大赛"]),
    ("乡村", &["农村牧区"]),
    ("农业", &["农牧业"]),
    ("幼儿园", &["学龄前", "幼儿"]),
    ("妇女", &["妈妈"]),
];

/// The default list merged with the configured one (configured values are added to the
/// default values of the same key, without duplicates), sorted by key.
pub fn merged(
    extra: &BTreeMap<String, Vec<String>>,
    with_defaults: bool,
) -> BTreeMap<String, Vec<String>> {
    let mut map: BTreeMap<String, Vec<String>> = BTreeMap::new();
    if with_defaults {
        for (k, vs) in DEFAULT {
            map.insert(k.to_string(), vs.iter().map(|v| v.to_string()).collect());
        }
    }
    for (k, vs) in extra {
        let key = k.trim();
        if key.is_empty() {
            continue;
        }
        let entry = map.entry(key.to_string()).or_default();
        for v in vs {
            let v = v.trim();
            if !v.is_empty() && v != key && !entry.iter().any(|e| e == v) {
                entry.push(v.to_string());
            }
        }
    }
    map.retain(|_, vs| !vs.is_empty());
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_cover_the_domain_words() {
        let m = merged(&BTreeMap::new(), true);
        assert_eq!(m["农民"], ["农牧民"]);
        assert_eq!(m["老人"], ["老年人"]);
        assert_eq!(m["科协"], ["科学技术协会"]);
        assert!(m["学生"].contains(&"青少年".to_string()));
        for (k, vs) in DEFAULT {
            for v in *vs {
                // a value containing its key adds nothing: the key already matches it
                assert!(!v.contains(k), "{k} → {v}");
            }
        }
    }

    #[test]
    fn configured_synonyms_extend_and_add() {
        let mut extra = BTreeMap::new();
        extra.insert(
            "老人".to_string(),
            vec!["长者".to_string(), "老年人".to_string()],
        );
        extra.insert("鄂市".to_string(), vec!["鄂尔多斯市".to_string()]);
        extra.insert("空".to_string(), vec![" ".to_string()]);
        let m = merged(&extra, true);
        assert_eq!(
            m["老人"],
            ["老年人", "长者"],
            "no duplicate, configured value appended"
        );
        assert_eq!(m["鄂市"], ["鄂尔多斯市"]);
        assert!(
            !m.contains_key("空"),
            "a key with no usable value is dropped"
        );
        let only = merged(&extra, false);
        assert_eq!(only["老人"], ["长者", "老年人"]);
        assert!(!only.contains_key("农民"));
    }
}
