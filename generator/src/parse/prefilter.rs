//! A cheap test before a case-insensitive regex: every match of the regex
//! contains one of a few words, so a text without any of them cannot match
//! and the regex is not run. The description rules run their regexes on
//! every table cell; with Unicode word boundaries on text that is not ASCII
//! the regex crate leaves its fast DFA for a backtracker, and most cells
//! hold none of the words.

/// Whether `text` may contain one of `needles` (lower-case ASCII) the way
/// the regex crate's `(?i)` matches it. `(?i)` folds ASCII letters to their
/// ASCII case pair only, except `k` (also U+212A KELVIN SIGN) and `s` (also
/// U+017F LATIN SMALL LETTER LONG S): a needle with either letter rules
/// nothing out in a text that is not ASCII.
pub fn may_contain_ci(text: &str, needles: &[&str]) -> bool {
    let ascii = text.is_ascii();
    needles
        .iter()
        .any(|n| (!ascii && n.bytes().any(|b| b == b'k' || b == b's')) || contains_ci(text.as_bytes(), n.as_bytes()))
}

/// ASCII case-insensitive substring test: candidates found by the first
/// byte (either case, `memchr2`), then the rest compared.
fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    let mut from = 0;
    while let Some(at) = hay.get(from..).and_then(|h| memchr::memchr2(lower, upper, h)) {
        let start = from + at + 1;
        if hay
            .get(start..start + rest.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(rest))
        {
            return true;
        }
        from = start;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The premise: under `(?i)` an ASCII letter matches no character but
    /// its ASCII pair, save `k` and `s`.
    #[test]
    fn only_k_and_s_fold_to_non_ascii() {
        let all: String = (0x80u32..=0x10FFFF).filter_map(char::from_u32).collect();
        let re = regex::Regex::new("(?i)[a-z]").unwrap();
        let found: Vec<char> = re.find_iter(&all).flat_map(|m| m.as_str().chars()).collect();
        assert_eq!(found, ['\u{17F}', '\u{212A}']);
    }

    #[test]
    fn case_insensitive_and_conservative() {
        assert!(may_contain_ci("Not Nullable.", &["nullable"]));
        assert!(may_contain_ci("a NULLABLE b", &["x", "nullable"]));
        assert!(!may_contain_ci("The id of the user.", &["nullable", "flag"]));
        assert!(!may_contain_ci("the “id” of the user", &["nullable"]));
        // `s` may be U+017F in a non-ASCII text: not ruled out there.
        assert!(may_contain_ci("the “id”", &["values"]));
        assert!(!may_contain_ci("the id", &["values"]));
    }

    proptest::proptest! {
        #[test]
        fn contains_ci_is_the_window_test(hay in "[aAbB-]{0,12}", needle in "[ab-]{0,3}") {
            let by_windows = needle.is_empty()
                || hay.as_bytes().windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
            proptest::prop_assert_eq!(contains_ci(hay.as_bytes(), needle.as_bytes()), by_windows);
        }

        /// Never rules out a text the regex matches.
        #[test]
        fn never_rules_out_a_match(text in "[a-zA-Z ſK“]{0,12}") {
            for word in ["nullable", "values", "flag", "kind"] {
                let re = regex::Regex::new(&format!("(?i){word}")).unwrap();
                if re.is_match(&text) {
                    proptest::prop_assert!(may_contain_ci(&text, &[word]));
                }
            }
        }
    }
}
