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
    // A value that is 待核实 is null in the data: name it, at its line, whatever the filter said.
    let json = context.map(|c| c.clone().into_json());
    let is_own_null = chain.iter().any(|m| m.contains(NULL_INPUT));
    if let Some(json) = &json {
        let named = chain.iter().rev().find_map(|m| quoted(m, "Variable ", '`'));
        let null_var = match named {
            Some(var) if lookup(json, var).is_some_and(serde_json::Value::is_null) => Some((var.to_owned(), None)),
            Some(_) => None,
            None if is_own_null => null_in_filter(text, json).map(|(v, at)| (v, Some(at))),
            None => None,
        };
        if let Some((var, at)) = null_var {
            return Explained {
                at: at.or_else(|| find_in_tags(text, &var)),
                message: format!("数据项“{var}”没有值（数据待核实时为空），无法按模板写出"),
                hint: format!(
                    "写成 {{{{ {var} | default(value=\"—\") }}}} 在没有值时印“—”（可接在 fixed 等过滤器前），\
                     或用 {{% if {var} %}}…{{% endif %}} 只在有值时写这句"
                ),
            };
        }
    }
    for msg in chain.iter().rev() {
        if let Some(var) = quoted(msg, "Variable ", '`') {
            let mut known = vec![];
            if let Some(json) = &json {
                paths(json, "", 0, &mut known);
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
    // Messages of our own filters are Chinese already; Tera's English wrappers are not, though
    // they quote the (Chinese) file name: ignore what they quote.
    if let Some(own) = chain
        .iter()
        .find(|m| unquoted(m).chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
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

/// `msg` without the parts Tera quotes ('…' and `…`: file, template and variable names).
fn unquoted(msg: &str) -> String {
    let mut out = String::new();
    let mut quote = None;
    for c in msg.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '\'' || c == '`' => quote = Some(c),
            None => out.push(c),
        }
    }
    out
}

/// The value at a dotted path (`resource.primary.cv.building_area`, `schools.0.name`).
fn lookup<'a>(v: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    path.split('.').try_fold(v, |v, key| match v {
        serde_json::Value::Object(m) => m.get(key),
        serde_json::Value::Array(a) => a.get(key.parse::<usize>().ok()?),
        _ => None,
    })
}

/// The first `{{ x | filter }}` of `text` whose `x` is null in `json` and has no default:
/// its name and 1-based (line, column).
fn null_in_filter(text: &str, json: &serde_json::Value) -> Option<(String, (usize, usize))> {
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| from + i + 2) {
        let close = text[open..].find("}}").map_or(text.len(), |i| open + i);
        let inner = &text[open..close];
        from = close;
        let Some((head, filters)) = inner.split_once('|') else {
            continue;
        };
        let var = head.trim();
        let plain = !var.is_empty() && var.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '.');
        if plain && !filters.contains("default") && lookup(json, var).is_some_and(serde_json::Value::is_null) {
            let start = open + (inner.len() - inner.trim_start().len());
            let line = text[..start].matches('\n').count() + 1;
            let col = text[..start].rsplit('\n').next().unwrap_or("").chars().count() + 1;
            return Some((var.to_owned(), (line, col)));
        }
    }
    None
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
/// Text passes through unchanged: `{{ x | default(value="—") | fixed(digits=3) }}` prints the
/// dash when `x` is 待核实 (Tera puts the default in before any filter).
fn fixed(value: &tera::Value, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    let digits = args.get("digits").and_then(|d| d.as_u64()).unwrap_or(2) as usize;
    match value {
        tera::Value::Number(n) => Ok(tera::Value::String(format!(
            "{:.digits$}",
            n.as_f64().unwrap_or(f64::NAN)
        ))),
        tera::Value::String(_) => Ok(value.clone()),
        tera::Value::Null => Err(tera::Error::msg(NULL_INPUT)),
        _ => Err(tera::Error::msg(format!("fixed 只能用于数字，得到的是 {value}"))),
    }
}

/// What `fixed` says of a null: the value is 待核实 (explained with its name by `explain`).
const NULL_INPUT: &str = "fixed 用在了没有值的数据项上";

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> tera::Context {
        tera::Context::from_value(serde_json::json!({"cv": {"a": null, "b": 0.21}, "list": [1]})).unwrap()
    }

    #[test]
    fn a_pending_value_is_named_at_its_line() {
        // Line 2, column 9: 差 异 系 数 and a space are 5 characters, "{{ " 3 more.
        let text = "第一段。\n差异系数 {{ cv.a | fixed(digits=3) }}。\n";
        let e = render("content/report/资源配置.md", text, &context()).unwrap_err();
        let x = explain(text, &e, Some(&context()));
        assert_eq!(x.at, Some((2, 9)));
        assert_eq!(x.message, "数据项“cv.a”没有值（数据待核实时为空），无法按模板写出");
        assert!(x.hint.contains(r#"{{ cv.a | default(value="—") }}"#), "{}", x.hint);
        // With a default: the dash (or any text) passes through fixed; a number is fixed as before.
        let ok = "{{ cv.a | default(value=\"待核实\") | fixed(digits=3) }}、{{ cv.b | default(value=\"—\") | fixed(digits=3) }}";
        assert_eq!(render("x.md", ok, &context()).unwrap(), "待核实、0.210");
    }

    #[test]
    fn our_own_message_is_not_mistaken_for_teras_wrapper() {
        // Tera's "Failed to render '资源配置.md'" quotes a Chinese name: not ours to show.
        let text = "{{ list | fixed }}";
        let e = render("content/report/资源配置.md", text, &context()).unwrap_err();
        let x = explain(text, &e, Some(&context()));
        assert_eq!(x.message, "fixed 只能用于数字，得到的是 [1]");
        assert!(!x.message.contains("Failed"));
    }

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
