//! Filling a request line's holes, each value percent-encoded by the kind
//! of hole it fills.

use super::literal::{escaped, Literal};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Characters kept as they are in a path value (RFC 3986 unreserved).
/// Everything else, `/ ? # % '` and all non-ASCII included, is encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The value for one hole of a request line.
#[derive(Clone, Debug, PartialEq)]
pub enum Hole<'a> {
    /// A key or other text: one segment, fully encoded.
    Key(&'a str),
    /// A drive item path (`root:/{itemPath}:`): `/` kept between segments,
    /// each segment encoded.
    ItemPath(&'a str),
    /// A function argument the template does not quote: an OData literal.
    Arg(Literal),
    /// A function argument between quotes in the template (`='{period}'`):
    /// `'` doubled, then encoded.
    Quoted(&'a str),
}

/// Fills `template`'s `{…}` holes, in order, with `holes`. The generated
/// constructors always pass one value per hole; a missing value is written
/// as an empty segment rather than leaving a `{` in the output.
pub fn fill(template: &str, holes: &[Hole<'_>]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut values = holes.iter();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            rest = &rest[open + 1..];
            continue;
        };
        if let Some(v) = values.next() {
            write_hole(&mut out, v);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn write_hole(out: &mut String, hole: &Hole<'_>) {
    match hole {
        Hole::Key(v) => out.extend(utf8_percent_encode(v, SEGMENT)),
        Hole::ItemPath(v) => {
            for (i, seg) in v.trim_start_matches('/').split('/').enumerate() {
                if i > 0 {
                    out.push('/');
                }
                out.extend(utf8_percent_encode(seg, SEGMENT));
            }
        }
        // A string literal keeps its quotes as the docs write them.
        Hole::Arg(l) => match l.as_str().strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
            Some(inner) => {
                out.push('\'');
                out.extend(utf8_percent_encode(inner, SEGMENT));
                out.push('\'');
            }
            None => out.extend(utf8_percent_encode(l.as_str(), SEGMENT)),
        },
        Hole::Quoted(v) => out.extend(utf8_percent_encode(&escaped(v), SEGMENT)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_hole() {
        assert_eq!(
            fill("/users/{userId}/x", &[Hole::Key("a/b?c#d%e'f é")]),
            "/users/a%2Fb%3Fc%23d%25e%27f%20%C3%A9/x"
        );
        assert_eq!(fill("/root:/{itemPath}:/content", &[Hole::ItemPath("/a b/c.txt")]), "/root:/a%20b/c.txt:/content");
        assert_eq!(fill("/cell(row={row})", &[Hole::Arg(2.into())]), "/cell(row=2)");
        assert_eq!(fill("/range(address={address})", &[Hole::Arg("A1".into())]), "/range(address='A1')");
        assert_eq!(fill("/f(period='{period}')", &[Hole::Quoted("D'7")]), "/f(period='D%27%277')");
        assert_eq!(fill("/a/{x}", &[]), "/a/");
    }
}
