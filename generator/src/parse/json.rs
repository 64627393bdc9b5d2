//! JSON as the docs write it: strict first, then a lenient pass that drops
//! `//` comments, `...` lines and trailing commas (the common doc slips).

/// Nesting deeper than this is refused before serde_json sees it, so a hostile
/// page cannot overflow the stack (serde_json also stops at 128).
const MAX_DEPTH: usize = 128;

pub fn parse_lenient(text: &str) -> Result<serde_json::Value, String> {
    if nesting_depth(text) > MAX_DEPTH {
        return Err(format!("nested deeper than {MAX_DEPTH} levels"));
    }
    match serde_json::from_str(text) {
        Ok(v) => Ok(v),
        Err(strict) => {
            let cleaned = clean(text);
            serde_json::from_str(&cleaned).map_err(|_| strict.to_string())
        }
    }
}

/// Whether the text parses without the lenient pass.
pub fn is_strict(text: &str) -> bool {
    nesting_depth(text) <= MAX_DEPTH && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
}

fn nesting_depth(text: &str) -> usize {
    let (mut depth, mut max, mut in_str, mut esc) = (0usize, 0usize, false, false);
    for c in text.chars() {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, '\\') => esc = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
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
    let mut in_str = false;
    let mut esc = false;
    for (i, &c) in chars.iter().enumerate() {
        if in_str {
            match (esc, c) {
                (true, _) => esc = false,
                (false, '\\') => esc = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            res.push(c);
            continue;
        }
        if c == '"' {
            in_str = true;
        }
        if c == ',' {
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
    let mut in_str = false;
    let mut esc = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if in_str {
            match (esc, b) {
                (true, _) => esc = false,
                (false, b'\\') => esc = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
        } else if b == b'"' {
            in_str = true;
        } else if b == b'/' && bytes.get(i + 1) == Some(&b'/') {
            return &line[..i];
        }
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
}
