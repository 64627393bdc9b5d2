//! Enum member lists from several pages: union in a stable order, and the
//! matching of anonymous `Enumeration` lists to named enums.

/// Adds `new` members to `list`, each after its nearest predecessor in `new`
/// that `list` already holds (appending when there is none). Keeps the first
/// page's order and slots later pages' extra members where they belong.
pub fn union_into(list: &mut Vec<String>, new: &[String]) {
    let mut after: Option<usize> = None;
    for m in new {
        if let Some(i) = list.iter().position(|x| x == m) {
            after = Some(i);
            continue;
        }
        let at = after.map_or(list.len(), |i| i + 1);
        list.insert(at, m.clone());
        after = Some(at);
    }
}

/// Whether an anonymous member list denotes `named`: the same set, or a
/// strict subset (a page listing fewer members of a known enum).
pub fn matches(anonymous: &[String], named: &[String]) -> bool {
    !anonymous.is_empty() && anonymous.iter().all(|m| named.contains(m))
}

/// Whether a `String`'s listed values are exactly an enum's members: the
/// same set regardless of case (pages spell members `NotStarted` and
/// `notStarted`) and of `unknownFutureValue`, which pages often leave out.
pub fn same_members(listed: &[String], members: &[String]) -> bool {
    // Most pairs differ in their first listed value: say so before building
    // any set (lowering asks this of every listing against every enum).
    let missing = |v: &String| {
        !v.eq_ignore_ascii_case("unknownFutureValue") && !members.iter().any(|m| m.eq_ignore_ascii_case(v))
    };
    if listed.iter().any(missing) {
        return false;
    }
    let set = |l: &[String]| -> std::collections::BTreeSet<String> {
        l.iter()
            .map(|m| m.to_ascii_lowercase())
            .filter(|m| m != "unknownfuturevalue")
            .collect()
    };
    let listed = set(listed);
    !listed.is_empty() && listed == set(members)
}

/// The name of an anonymous enum no named enum matches: the owner's name
/// followed by the property's words, each capitalized (`deviceOSType` →
/// `DeviceOsType`), as the docs name their enum types.
pub fn synthesized_name(owner: &str, property: &str) -> String {
    let mut out = owner.to_owned();
    for word in words(property) {
        let mut cs = word.chars();
        if let Some(c) = cs.next() {
            out.extend(c.to_uppercase());
            let rest = cs.as_str();
            for (i, c) in rest.char_indices() {
                // A final capital sigma lowercases to the final form.
                if c == 'Σ' && i + c.len_utf8() == rest.len() {
                    out.push('ς');
                } else {
                    out.extend(c.to_lowercase());
                }
            }
        }
    }
    out
}

/// Splits a name into words: at characters that are not alphanumeric, before
/// an upper-case letter that follows a lower-case one (`deviceName`), and
/// before the last capital of a run followed by a lower-case letter
/// (`OSType` → `OS`, `Type`).
fn words(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for word in s.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        let mut start = 0;
        // Case of the last cased character since the last boundary.
        let (mut lower, mut upper) = (false, false);
        for (k, &(i, c)) in chars.iter().enumerate() {
            let Some(&(next_i, next)) = chars.get(k + 1) else {
                out.push(&word[start..]);
                break;
            };
            let (now_lower, now_upper) = if c.is_lowercase() {
                (true, false)
            } else if c.is_uppercase() {
                (false, true)
            } else {
                (lower, upper)
            };
            if now_lower && next.is_uppercase() {
                out.push(&word[start..next_i]);
                start = next_i;
                (lower, upper) = (false, false);
            } else if upper && c.is_uppercase() && next.is_lowercase() {
                out.push(&word[start..i]);
                start = i;
                (lower, upper) = (false, false);
            } else {
                (lower, upper) = (now_lower, now_upper);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn union_keeps_order() {
        let mut l = v(&["a", "b", "d"]);
        union_into(&mut l, &v(&["a", "b", "c", "d", "e"]));
        assert_eq!(l, v(&["a", "b", "c", "d", "e"]));
        let mut l = v(&["a", "b"]);
        union_into(&mut l, &v(&["x", "a"]));
        assert_eq!(l, v(&["a", "b", "x"]));
    }

    #[test]
    fn same_members_ignores_case_and_unknown_future_value() {
        let op = v(&["NotStarted", "Running", "notStarted", "running", "unknownFutureValue"]);
        assert!(same_members(&v(&["notStarted", "running"]), &op));
        assert!(!same_members(&v(&["notStarted"]), &op));
        assert!(!same_members(&v(&["notStarted", "running", "done"]), &op));
        assert!(!same_members(&[], &v(&["unknownFutureValue"])));
    }

    #[test]
    fn matching() {
        assert!(matches(&v(&["a", "b"]), &v(&["a", "b", "c"])));
        assert!(!matches(&v(&["a", "z"]), &v(&["a", "b"])));
        assert!(!matches(&[], &v(&["a"])));
    }
}
