//! What a round trip changed: JSON values compared the way the model reads
//! them (`1` and `1.0` are the same number: Single and Double are `f64`),
//! but an integer an `f64` cannot hold exactly is a change.

use serde_json::Value;

/// Whether two values are the same payload.
pub fn equivalent(a: &Value, b: &Value) -> bool {
    differences(a, b, "$").is_empty()
}

/// One place where `after` differs from `before`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    pub path: String,
    pub what: String,
}

/// Every place where `after` differs from `before`, in `before`'s order
/// (then keys only `after` has).
pub fn differences(before: &Value, after: &Value, path: &str) -> Vec<Difference> {
    let mut out = Vec::new();
    walk(before, after, path, &mut out);
    out
}

fn walk(a: &Value, b: &Value, path: &str, out: &mut Vec<Difference>) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if same_number(x, y) => {}
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (x, y)) in x.iter().zip(y).enumerate() {
                walk(x, y, &format!("{path}[{i}]"), out);
            }
        }
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                let p = format!("{path}.{k}");
                match y.get(k) {
                    Some(w) => walk(v, w, &p, out),
                    None => out.push(Difference {
                        path: p,
                        what: "lost by the round trip".into(),
                    }),
                }
            }
            for k in y.keys().filter(|k| !x.contains_key(*k)) {
                out.push(Difference {
                    path: format!("{path}.{k}"),
                    what: "added by the round trip".into(),
                });
            }
        }
        _ if a == b => {}
        _ => out.push(Difference {
            path: path.to_owned(),
            what: format!("changed by the round trip: {} became {}", short(a), short(b)),
        }),
    }
}

/// Integers compare exactly, floats as `f64`, an integer and a float when
/// the float is exactly that integer (`2^53 + 1` read into an `f64` is not).
fn same_number(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    let int = |n: &serde_json::Number| n.as_i64().map(i128::from).or(n.as_u64().map(i128::from));
    match (int(x), int(y)) {
        (Some(a), Some(b)) => a == b,
        (Some(i), None) => y.as_f64().is_some_and(|f| exactly(f, i)),
        (None, Some(i)) => x.as_f64().is_some_and(|f| exactly(f, i)),
        (None, None) => x.as_f64() == y.as_f64(),
    }
}

fn exactly(f: f64, i: i128) -> bool {
    f.fract() == 0.0 && f == i as f64 && f as i128 == i
}

/// A value for a message, cut short.
fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_compare_by_value() {
        assert!(equivalent(&json!({"a": 1}), &json!({"a": 1.0})));
        assert!(!equivalent(&json!({"a": 1}), &json!({"a": 2})));
        assert!(equivalent(&json!(2.5), &json!(2.5)));
        assert!(!equivalent(&json!(9007199254740993u64), &json!(9007199254740992.0)));
        assert!(equivalent(&json!(9007199254740992u64), &json!(9007199254740992.0)));
    }

    #[test]
    fn paths_of_lost_added_and_changed() {
        let d = differences(
            &json!({"a": [1, {"b": null}], "c": "x"}),
            &json!({"a": [1, {}], "c": "y", "d": true}),
            "$",
        );
        let paths: Vec<(&str, &str)> = d.iter().map(|d| (d.path.as_str(), &d.what[..10])).collect();
        assert_eq!(
            paths,
            [("$.a[1].b", "lost by th"), ("$.c", "changed by"), ("$.d", "added by t")]
        );
    }
}
