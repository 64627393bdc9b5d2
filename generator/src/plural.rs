//! The English plural rule on identifiers (`secureScores` → `secureScore`),
//! for type names and path segments written in the plural. Words of names,
//! not doc prose: lower may use it.

/// What one member of a collection segment is called: `classes` → `class`,
/// `policies` → `policy`, `users` → `user`, `settings` → `settings`.
pub(crate) fn member_of(segment: &str) -> String {
    for sibilant in ["sses", "ches", "shes", "xes"] {
        if segment.ends_with(sibilant) {
            return segment[..segment.len() - 2].to_owned();
        }
    }
    singular(segment).unwrap_or_else(|| segment.to_owned())
}

/// The singular of a name written in the plural (`secureScores`,
/// `policies`); `None` for words that end in s but are singular (`status`,
/// `address`, `analytics`, `settings`, `series`, `news`).
pub(crate) fn singular(word: &str) -> Option<String> {
    let lower = word.to_ascii_lowercase();
    if ["ss", "us", "ics", "settings", "series", "news"]
        .iter()
        .any(|x| lower.ends_with(x))
    {
        return None;
    }
    word.strip_suffix("ies")
        .map(|s| format!("{s}y"))
        .or_else(|| word.strip_suffix('s').map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::singular;

    #[test]
    fn singulars() {
        assert_eq!(singular("secureScores").as_deref(), Some("secureScore"));
        assert_eq!(singular("policies").as_deref(), Some("policy"));
        assert_eq!(singular("status"), None);
        assert_eq!(singular("analytics"), None);
        assert_eq!(singular("user"), None);
    }
}
