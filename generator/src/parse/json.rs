//! JSON as the docs write it: strict first, then a lenient pass that drops
//! `//` comments, `...` lines and trailing commas (the common doc slips).

/// Nesting deeper than this is refused before serde_json sees it, so a hostile
/// page cannot overflow the stack (serde_json also stops at 128).
const MAX_DEPTH: usize = 128;

pub fn parse_lenient(text: &str) -> Result<serde_json::Value, String> {
    parse_noting_strict(text).map(|(v, _)| v)
}

/// [`parse_lenient`], and whether the strict pass read it: then
/// [`is_strict`] holds, and only then (a value serde_json refuses but skips,
/// such as a lone surrogate escape, is refused by the lenient pass too), so
/// callers need not parse again to ask.
pub fn parse_noting_strict(text: &str) -> Result<(serde_json::Value, bool), String> {
    if nesting_depth(text) > MAX_DEPTH {
        return Err(format!("nested deeper than {MAX_DEPTH} levels"));
    }
    match serde_json::from_str(text) {
        Ok(v) => Ok((v, true)),
        Err(strict) => {
            let cleaned = clean(text);
            serde_json::from_str(&cleaned)
                .map(|v| (v, false))
                .map_err(|_| strict.to_string())
        }
    }
}

/// Whether the text parses without the lenient pass.
pub fn is_strict(text: &str) -> bool {
    nesting_depth(text) <= MAX_DEPTH && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

fn nesting_depth(text: &str) -> usize {
    // Byte by byte, as `Strings` reads characters: every byte it looks at
    // (quote, backslash, brackets) is ASCII, and the bytes of a multi-byte
    // character after an escaping backslash change nothing inside a string.
    let (mut in_str, mut esc, mut depth, mut max) = (false, false, 0usize, 0usize);
    for &b in text.as_bytes() {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// Tracks whether a scan over JSON text is inside a string literal, so
/// brackets, commas and slashes inside strings are not mistaken for syntax.
#[derive(Default)]
pub struct Strings {
    in_str: bool,
    esc: bool,
}

impl Strings {
    /// Feeds the next character; true when it is syntax (outside every
    /// string and not a quote).
    pub fn outside(&mut self, c: char) -> bool {
        if self.in_str {
            match (self.esc, c) {
                (true, _) => self.esc = false,
                (false, '\\') => self.esc = true,
                (false, '"') => self.in_str = false,
                _ => {}
            }
            return false;
        }
        if c == '"' {
            self.in_str = true;
            return false;
        }
        true
    }
}

/// Removes comments outside strings, lines that are only `...`, and commas
/// directly before a closing bracket.
fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let t = line.trim();
        if t == "..." || t == "…" || t == "...," {
            continue;
        }
        out.push_str(strip_comment(line));
        out.push('\n');
    }
    // Drop trailing commas.
    let chars: Vec<char> = out.chars().collect();
    let mut res = String::with_capacity(out.len());
    let mut strings = Strings::default();
    for (i, &c) in chars.iter().enumerate() {
        if strings.outside(c) && c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']')) {
                continue;
            }
        }
        res.push(c);
    }
    res
}

fn strip_comment(line: &str) -> &str {
    let mut strings = Strings::default();
    let mut prev_slash = false;
    for (i, c) in line.char_indices() {
        let syntax = strings.outside(c);
        if syntax && c == '/' && prev_slash {
            return &line[..i - 1];
        }
        prev_slash = syntax && c == '/';
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_forms() {
        assert!(parse_lenient("{\"a\": 1,}").is_ok());
        assert!(parse_lenient("{\"a\": \"http://x\", // c\n \"b\": [1,2,],\n ...\n}").is_ok());
        assert!(parse_lenient("{\"a\": }").is_err());
        assert!(is_strict("{\"a\": 1}"));
        assert!(!is_strict("{\"a\": 1,}"));
        let deep = "[".repeat(100_000);
        assert!(parse_lenient(&deep).is_err());
    }

    proptest::proptest! {
        /// A value read notes strictness exactly as `is_strict` says it,
        /// over the forms where serde_json's value parse and its skipping
        /// parse differ (lone surrogates, out-of-range numbers) and the slips
        /// the lenient pass mends.
        #[test]
        fn noted_strictness_is_is_strict(text in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::strategy::Just("\"\\uD800\"".to_string()),
                proptest::strategy::Just("1e400".to_string()),
                proptest::strategy::Just("// c\n".to_string()),
                proptest::strategy::Just("\n...\n".to_string()),
                "[\\[\\]{}\",:1a ]{1,3}",
            ],
            0..12,
        )) {
            let text: String = text.concat();
            if let Ok((_, strict)) = parse_noting_strict(&text) {
                proptest::prop_assert_eq!(strict, is_strict(&text), "{:?}", text);
            }
        }
    }
}

#[cfg(test)]
mod depth_tests {
    /// `nesting_depth` over characters through `Strings`, as it once was.
    fn by_chars(text: &str) -> usize {
        let (mut strings, mut depth, mut max) = (super::Strings::default(), 0usize, 0usize);
        for c in text.chars() {
            if !strings.outside(c) {
                continue;
            }
            match c {
                '{' | '[' => {
                    depth += 1;
                    max = max.max(depth);
                }
                '}' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        max
    }

    proptest::proptest! {
        #[test]
        fn bytes_are_chars(text in "([\\[\\]{}\"\\\\a ]|é|\\\\é){0,30}") {
            proptest::prop_assert_eq!(super::nesting_depth(&text), by_chars(&text));
        }
    }
}
