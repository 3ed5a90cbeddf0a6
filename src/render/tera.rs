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

fn engine() -> tera::Tera {
    let mut tera = tera::Tera::default();
    tera.register_filter("fixed", fixed);
    tera
}

/// "error：cause：cause of the cause", where Tera says what went wrong.
pub fn describe(e: &tera::Error) -> String {
    let mut s = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(x) = src {
        s.push('：');
        s.push_str(&x.to_string());
        src = x.source();
    }
    s
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
