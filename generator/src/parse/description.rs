//! What a description cell states in words: "Read-only.", "Nullable." /
//! "Not nullable.", or nothing at all (a TODO marker). Read from the
//! description text the IR keeps, so the facts and the description agree.
//! Each regex runs only on text holding a word every match of it contains
//! ([`may_contain_ci`]).

use super::prefilter::may_contain_ci;

// "Read-only" as a clause of its own ("Read-only.", "Read-only, Key", "is
// read-only", "Read-only and …"), not as an adjective ("read-only access to").
regex!(
    read_only_re,
    r"(?i)(?:^|[.;,(|]\s*|\bis\s+|\s)read[- ]?only(?:\s*(?:[.,;:)|]|$)|\s+and\b)"
);
regex!(not_nullable_re, r"(?i)\b(?:not|non)[- ]?nullable\b");
regex!(
    nullable_re,
    r"(?i)(?:^|[.;,(|]\s*|\bis\s+)nullable(?:\s*(?:[.,;:)|]|$))"
);

// A value naming several members: "The Windows architecture(s) for which
// …" (a plural "(s)" in the first sentence, the property's subject), "If
// selecting more than one value", "one or more of", "a combination of",
// "flags", "Multiple values can be combined", "A comma-separated list of".
regex!(plural_subject_re, r"^[^.]*?\w\(s\)");
regex!(
    multi_value_re,
    r"(?i)\b(?:more than one value|one or more of the (?:values|members|following)|combination of (?:the )?(?:values|members|flags)|(?:enumeration|set|combination) of flags|values (?:can|may) be combined|comma[- ]separated list)\b"
);

/// Whether a description says the value may name several members at once.
pub fn multi_valued(description: Option<&str>) -> bool {
    description.is_some_and(|d| {
        (d.contains("(s)") && plural_subject_re().is_match(d))
            // No word test here: "one" is in too many cells to pay for itself.
            || multi_value_re().is_match(d)
    })
}

/// Whether a member description speaks of flags ("No flags set.").
pub fn mentions_flags(description: &str) -> bool {
    may_contain_ci(description, &["flag"]) && flags_word_re().is_match(description)
}
regex!(flags_word_re, r"(?i)\bflags?\b");

/// Whether a description says the property is read-only.
pub fn read_only(description: Option<&str>) -> bool {
    description
        .is_some_and(|d| may_contain_ci(d, &["read"]) && may_contain_ci(d, &["only"]) && read_only_re().is_match(d))
}

/// `Some(false)` for "Not nullable" / "non-nullable", `Some(true)` for a
/// "Nullable." clause, `None` when the description says neither.
pub fn nullable(description: Option<&str>) -> Option<bool> {
    let d = description.filter(|d| may_contain_ci(d, &["nullable"]))?;
    if not_nullable_re().is_match(d) {
        Some(false)
    } else if nullable_re().is_match(d) {
        Some(true)
    } else {
        None
    }
}

/// Descriptions that say nothing: TODO markers, "Not yet documented", and a
/// bare "Inherited from x".
pub fn is_placeholder(d: &str) -> bool {
    let l = d.trim().to_ascii_lowercase();
    l.is_empty()
        || l.starts_with("todo")
        || l.contains("todo:")
        || l.trim_end_matches('.') == "not yet documented"
        || (l.starts_with("inherited from") && l.split_whitespace().count() <= 3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multi_valued_wording() {
        for d in [
            "The Windows architecture(s) for which this app can run on. Possible values are: `none`, `x86`.",
            "Indicates in which managed browser(s) that internet links should be opened.",
            "Possible values are: `none`, `shift`. If selecting more than one value, all values must start with the first letter in uppercase.",
            "A enumeration of flags that represents the requested mailtips.",
            "The supported values are: `created`, `updated`. Multiple values can be combined using a comma-separated list.",
            "A comma-separated list of the parts to clone.",
        ] {
            assert!(multi_valued(Some(d)), "{d:?}");
        }
        for d in [
            "Controls the ability to use lowercase letters. Allowed permits the use of lowercase letter(s).",
            "The status of the operation.",
            "Flags the item for follow-up.",
            "Separate the values with a comma.",
        ] {
            assert!(!multi_valued(Some(d)), "{d:?}");
        }
        assert!(mentions_flags("No flags set."));
        assert!(!mentions_flags("Flagged items."));
    }

    #[test]
    fn placeholder_descriptions() {
        for d in [
            "",
            " ",
            "TODO",
            "todo: describe",
            "Not yet documented.",
            "Inherited from entity.",
        ] {
            assert!(is_placeholder(d), "{d:?}");
        }
        for d in ["The id.", "Inherited from entity. The id of the user.", "Photos to do"] {
            assert!(!is_placeholder(d), "{d:?}");
        }
    }

    #[test]
    fn read_only_clauses() {
        for d in [
            "Read-only.",
            "The id. Read-only. Nullable.",
            "Identifier. Read-only, Key, Not nullable",
            "This property is read-only.",
            "Read only.",
            "Readonly",
            "Read-only and automatically set.",
        ] {
            assert!(read_only(Some(d)), "{d}");
        }
        for d in [
            "Gives read-only access to the mailbox.",
            "Nothing here.",
            "readonlyMode value",
        ] {
            assert!(!read_only(Some(d)), "{d}");
        }
        assert!(!read_only(None));
    }

    #[test]
    fn nullable_clauses() {
        assert_eq!(nullable(Some("Read-only. Nullable.")), Some(true));
        assert_eq!(nullable(Some("Key. Not nullable. Read-only.")), Some(false));
        assert_eq!(nullable(Some("A non-nullable value")), Some(false));
        assert_eq!(nullable(Some("Read-only, Not nullable")), Some(false));
        assert_eq!(nullable(Some("Whether nullable values are kept")), None);
        assert_eq!(nullable(Some("Nothing")), None);
        assert_eq!(nullable(None), None);
    }
}
