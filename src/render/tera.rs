//! Tera, for the two kinds of text templates: the narrative Markdown (placeholders filled from
//! the assessment) and the overview page.

use std::collections::HashMap;

/// Renders `text` (named `name` in messages) with `context`.
pub fn render(name: &str, text: &str, context: &tera::Context) -> Result<String, tera::Error> {
    let mut tera = engine();
    tera.add_raw_template(name, text)?;
    tera.render(name, context)
}

/// Whether `text` parses as a template.
pub fn parse(name: &str, text: &str) -> Result<(), tera::Error> {
    engine().add_raw_template(name, text)
}

/// The only Tera functions a template may call: neither reaches the process or the file
/// system. Tera registers `get_env` whatever its features (tera 1.20 src/tera.rs,
/// register_tera_functions); `now`, `get_random` and the `date` filter come with the
/// `builtins` feature, left off, and `load_data` only with Tera's file-loading engine.
const FUNCTIONS: [&str; 2] = ["range", "throw"];

fn engine() -> tera::Tera {
    let mut tera = tera::Tera::default();
    tera.functions.retain(|name, _| FUNCTIONS.contains(&name.as_str()));
    tera.register_filter("fixed", fixed);
    tera
}

/// A Tera error in Chinese: where in the template (1-based line and column, when it can be
/// told) and what to write instead. Tera's English never reaches the user.
pub struct Explained {
    pub at: Option<(usize, usize)>,
    pub message: String,
    pub hint: String,
}

/// Tera's filters (and ours) that a template may use.
const FILTERS: &[&str] = &[
    "fixed",
    "round",
    "default",
    "upper",
    "lower",
    "trim",
    "truncate",
    "replace",
    "length",
    "first",
    "last",
    "nth",
    "join",
    "date",
    "abs",
    "title",
    "capitalize",
    "wordcount",
    "slice",
    "sort",
    "unique",
    "map",
    "filter",
    "concat",
    "get",
    "split",
    "int",
    "float",
    "json_encode",
    "as_str",
    "striptags",
    "linebreaksbr",
    "indent",
    "reverse",
    "group_by",
    "safe",
    "escape",
    "pluralize",
    "filesizeformat",
    "spaceless",
    "urlencode",
    "center",
];

/// The part of a message between the first pair of `open`/`close` after `after`.
fn quoted<'a>(msg: &'a str, after: &str, q: char) -> Option<&'a str> {
    let rest = &msg[msg.find(after)? + after.len()..];
    let rest = rest.strip_prefix(q)?;
    rest.split(q).next()
}

/// 1-based (line, column) of the first `needle` in `text` inside `{{ … }}` or `{% … %}`.
fn find_in_tags(text: &str, needle: &str) -> Option<(usize, usize)> {
    let mut in_tag = false;
    for (n, line) in text.lines().enumerate() {
        let mut i = 0;
        while i < line.len() {
            let rest = &line[i..];
            if rest.starts_with("{{") || rest.starts_with("{%") {
                in_tag = true;
            } else if rest.starts_with("}}") || rest.starts_with("%}") {
                in_tag = false;
            } else if in_tag && rest.starts_with(needle) {
                return Some((n + 1, line[..i].chars().count() + 1));
            }
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    None
}

/// Dotted paths of the objects in `v` (not into lists), for suggesting a misspelt variable.
fn paths(v: &serde_json::Value, prefix: &str, depth: usize, out: &mut Vec<String>) {
    if let serde_json::Value::Object(map) = v {
        for (k, child) in map {
            let p = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if depth < 6 {
                paths(child, &p, depth + 1, out);
            }
            out.push(p);
        }
    }
}

pub fn explain(text: &str, e: &tera::Error, context: Option<&tera::Context>) -> Explained {
    let mut chain = vec![e.to_string()];
    let mut src = std::error::Error::source(e);
    while let Some(x) = src {
        chain.push(x.to_string());
        src = x.source();
    }
    let data_hint =
        "数据引用写成 {{ resource.junior.cv.sports_area | fixed(digits=3) }}；可用的数据项见 docs/assessment-json.md";
    for msg in chain.iter().rev() {
        if let Some(var) = quoted(msg, "Variable ", '`') {
            let mut known = vec![];
            if let Some(c) = context {
                paths(&c.clone().into_json(), "", 0, &mut known);
            }
            let hint = match crate::suggest::did_you_mean(var, known.iter().map(String::as_str)) {
                Some(m) => format!("是否想写“{m}”？可用的数据项见 docs/assessment-json.md"),
                None => data_hint.to_owned(),
            };
            return Explained {
                at: find_in_tags(text, var),
                message: format!("模板引用的数据项“{var}”不存在"),
                hint,
            };
        }
        for (what, word) in [("Filter ", "过滤器"), ("Function ", "函数"), ("Test ", "测试")] {
            if msg.ends_with("not found")
                && let Some(name) = quoted(msg, what, '\'')
            {
                let hint = match crate::suggest::did_you_mean(name, FILTERS.iter().copied()).filter(|_| word == "过滤器") {
                    _ if word == "函数" => {
                        "模板只能引用评估数据（见 docs/assessment-json.md），不能读取环境变量或文件；可用的函数只有 range".to_owned()
                    }
                        Some(m) => format!(
                            "是否想写“{m}”？常用过滤器：fixed(digits=3)、round(precision=2)、default(value=\"—\")"
                        ),
                        None => "常用过滤器：fixed(digits=3)、round(precision=2)、default(value=\"—\")".to_owned(),
                    };
                return Explained {
                    at: find_in_tags(text, name),
                    message: format!("模板中没有名为“{name}”的{word}"),
                    hint,
                };
            }
        }
        // A syntax error: pest's report starts " --> line:column".
        if let Some(pos) = msg.split(" --> ").nth(1).and_then(|r| r.lines().next()) {
            let at = pos
                .split_once(':')
                .and_then(|(l, c)| Some((l.trim().parse().ok()?, c.trim().parse().ok()?)));
            return Explained {
                at,
                message: "模板语法有误".into(),
                hint: "检查 {{ }}、{% %} 是否成对，括号和引号是否成对；数据项名只能用字母、数字、下划线和点".into(),
            };
        }
    }
    // Messages of our own filters are Chinese already.
    if let Some(own) = chain
        .iter()
        .find(|m| m.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
    {
        return Explained {
            at: None,
            message: own.clone(),
            hint: data_hint.to_owned(),
        };
    }
    let filter = chain.iter().find_map(|m| quoted(m, "Filter ", '`'));
    Explained {
        at: filter.and_then(|f| find_in_tags(text, f)),
        message: match filter {
            Some(f) => format!("过滤器“{f}”用在了不合适的值上"),
            None => "模板无法生成".into(),
        },
        hint: data_hint.to_owned(),
    }
}

/// The error in Chinese, with its place in the template when known ("第 3 行第 5 列").
pub fn describe(e: &tera::Error) -> String {
    let x = explain("", e, None);
    match x.at {
        Some((l, c)) => format!("{}（第 {l} 行第 {c} 列）", x.message),
        None => x.message,
    }
}

/// `{{ x | fixed(digits=3) }}`: a number with exactly that many decimals ("0.210", not "0.21"),
/// as coefficients are quoted.
fn fixed(value: &tera::Value, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let digits = args.get("digits").and_then(|d| d.as_u64()).unwrap_or(2) as usize;
    let v = value
        .as_f64()
        .ok_or_else(|| tera::Error::msg(format!("fixed 只能用于数字，得到的是 {value}")))?;
    Ok(tera::Value::String(format!("{v:.digits$}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_function_reaches_the_environment_or_the_files() {
        // Exactly the allowed functions: a Tera upgrade adding one fails here.
        let mut names: Vec<String> = engine().functions.keys().cloned().collect();
        names.sort();
        assert_eq!(names, ["range", "throw"]);
        let ctx = tera::Context::new();
        assert!(std::env::var("PATH").is_ok(), "the test needs a variable that is set");
        let text = "路径：{{ get_env(name=\"PATH\") }}";
        let x = explain(text, &render("前言.md", text, &ctx).unwrap_err(), None);
        // Column 7: 路 径 ： { { and a space come before it.
        assert_eq!(
            (x.at, x.message.as_str()),
            (Some((1, 7)), "模板中没有名为“get_env”的函数")
        );
        for text in [
            "{{ load_data(path=\"/etc/passwd\") }}",
            "{{ now() }}",
            "{{ get_random(end=9) }}",
            "{% include \"/etc/passwd\" %}",
        ] {
            let out = render("前言.md", text, &ctx);
            assert!(out.is_err(), "{text} rendered: {out:?}");
        }
    }
}
