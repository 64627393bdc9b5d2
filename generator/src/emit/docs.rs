//! Doc text for rustdoc. Descriptions are page text: they go into `#[doc]`
//! string literals (so they can never become code) and are escaped so rustdoc
//! does not read them as HTML or intra-doc links.

use proc_macro2::TokenStream;
use quote::quote;

/// Escapes one paragraph of description text for rustdoc markdown; bare URLs
/// become autolinks (rustdoc warns on bare URLs).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, word) in text.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        // `(https://…).`, `"https://…"`: punctuation around the URL stays text.
        let lead = word.len() - word.trim_start_matches(['(', '"', '\'']).len();
        let body = &word[lead..];
        let url = body.trim_end_matches(['.', ',', ';', ':', ')', '\'', '"']);
        let is_url = (url.starts_with("https://") || url.starts_with("http://"))
            && url.len() > 8
            && !url.contains(['<', '>', '[', ']', '`', '"', '(', ')']);
        if is_url {
            escape_chars(&word[..lead], &mut out);
            out.push('<');
            out.push_str(url);
            out.push('>');
            escape_chars(&body[url.len()..], &mut out);
        } else {
            escape_chars(word, &mut out);
        }
    }
    out
}

fn escape_chars(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '\r' | '\n' | '\t' => out.push(' '),
            // Bidi controls and other invisible formatting characters.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{feff}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// `#[doc = "…"]` attributes, one per line, from paragraphs (already plain).
pub fn attrs(paragraphs: &[String]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for (i, p) in paragraphs.iter().filter(|p| !p.trim().is_empty()).enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        lines.push(format!(" {}", p.trim()));
    }
    quote! { #( #[doc = #lines] )* }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_text_stays_text() {
        let s = escape("*/ #[cfg(x)] <script> \"quote\" \\ \u{202e}rtl\u{0007}");
        assert!(!s.contains('<') && !s.contains('\u{202e}') && !s.contains('\u{7}'));
        let t = attrs(&[s]).to_string();
        assert!(t.starts_with("# [doc ="));
        assert_eq!(
            escape("see https://x.example/a_b. Then"),
            "see <https://x.example/a_b>. Then"
        );
        assert_eq!(escape("(\"https://x.example/\")."), "(\"<https://x.example/>\").");
    }
}

#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any description text stays documentation: the item parses, keeps
        /// only `doc` attributes, and nothing else appears.
        #[test]
        fn any_text_is_only_a_doc_comment(text in prop_oneof![
            "\\PC{0,200}",
            ".{0,200}",
            Just("*/ #[cfg(any())] fn evil() {} /*".to_string()),
            Just("\"; } fn x() { \"".to_string()),
            Just("\\\\ \\\" \u{202e}\u{2066} \u{0} \r\n".to_string()),
            "[a-z]{5000}",
        ]) {
            let doc = attrs(&[escape(&text)]);
            let tokens = quote! { #doc pub struct S; };
            let file: syn::File = syn::parse2(tokens).expect("parses");
            prop_assert_eq!(file.items.len(), 1);
            let syn::Item::Struct(s) = &file.items[0] else { panic!("not a struct") };
            prop_assert!(s.attrs.iter().all(|a| a.path().is_ident("doc")));
            let printed = prettyplease::unparse(&file);
            prop_assert!(syn::parse_file(&printed).is_ok());
            prop_assert_eq!(syn::parse_file(&printed).map(|f| f.items.len()).unwrap_or(0), 1);
        }
    }
}
