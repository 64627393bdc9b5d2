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
    let set = |l: &[String]| -> std::collections::BTreeSet<String> {
        l.iter()
            .map(|m| m.to_ascii_lowercase())
            .filter(|m| m != "unknownfuturevalue")
            .collect()
    };
    let listed = set(listed);
    !listed.is_empty() && listed == set(members)
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
