//! Dutch first (nl-BE), then French (fr-BE) and English: every string a page shows comes
//! from `locales/{nl,fr,en}.ftl` (fluent), for the pages and the reports. Numbers are written the way each language writes
//! them (12.345,6 in Dutch, 12 345,6 in French, 12,345.6 in English).

use anyhow::{Result, anyhow};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::Serialize;

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Lang {
    Nl,
    Fr,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Nl, Lang::Fr, Lang::En];

    /// The `lang` attribute of the page.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Nl => "nl-BE",
            Lang::Fr => "fr-BE",
            Lang::En => "en",
        }
    }

    /// The short code used in links and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s.get(..2).map(|p| p.to_ascii_lowercase()).as_deref() {
            Some("nl") => Some(Lang::Nl),
            Some("fr") => Some(Lang::Fr),
            Some("en") => Some(Lang::En),
            _ => None,
        }
    }

    fn source(self) -> &'static str {
        match self {
            Lang::Nl => include_str!("../locales/nl.ftl"),
            Lang::Fr => include_str!("../locales/fr.ftl"),
            Lang::En => include_str!("../locales/en.ftl"),
        }
    }
}

/// The three bundles, loaded once.
pub struct I18n {
    bundles: Vec<FluentBundle<FluentResource>>,
}

impl I18n {
    pub fn load() -> Result<I18n> {
        let mut bundles = Vec::new();
        for lang in Lang::ALL {
            let res = FluentResource::try_new(lang.source().to_string())
                .map_err(|(_, e)| anyhow!("locales/{}.ftl does not parse: {e:?}", lang.code()))?;
            let id: unic_langid::LanguageIdentifier = lang.tag().parse()?;
            let mut b = FluentBundle::new_concurrent(vec![id]);
            // No Unicode isolation marks around arguments: the pages are left-to-right only.
            b.set_use_isolating(false);
            b.add_resource(res)
                .map_err(|e| anyhow!("locales/{}.ftl: {e:?}", lang.code()))?;
            bundles.push(b);
        }
        Ok(I18n { bundles })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        &self.bundles[Lang::ALL.iter().position(|l| *l == lang).expect("known")]
    }

    /// The message ids of one language (for the completeness test).
    pub fn keys(lang: Lang) -> Vec<String> {
        let res = FluentResource::try_new(lang.source().to_string()).unwrap_or_else(|(r, _)| r);
        res.entries()
            .filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            })
            .collect()
    }

    pub fn tr(&self, lang: Lang) -> Tr<'_> {
        Tr { i18n: self, lang }
    }
}

/// Translations in one language, as pages use them.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    i18n: &'a I18n,
    pub lang: Lang,
}

impl Tr<'_> {
    /// The message `key`; a missing key shows itself (and the completeness test fails).
    pub fn t(&self, key: &str) -> String {
        self.args(key, &[])
    }

    /// The message `key` with named arguments.
    pub fn args(&self, key: &str, args: &[(&str, String)]) -> String {
        let b = self.i18n.bundle(self.lang);
        let Some(pattern) = b.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, FluentValue::from(v.clone()));
        }
        let mut errors = Vec::new();
        b.format_pattern(pattern, Some(&fa), &mut errors)
            .into_owned()
    }

    /// The message `key` with one argument (templates call this).
    pub fn arg(&self, key: &str, name: &str, value: impl std::fmt::Display) -> String {
        self.args(key, &[(name, value.to_string())])
    }

    /// The message `key` with two arguments.
    pub fn arg2(
        &self,
        key: &str,
        n1: &str,
        v1: impl std::fmt::Display,
        n2: &str,
        v2: impl std::fmt::Display,
    ) -> String {
        self.args(key, &[(n1, v1.to_string()), (n2, v2.to_string())])
    }

    /// A day as people write it: 31/10/2026 in nl and fr, 31 Oct 2026 in en.
    pub fn date(&self, d: chrono::NaiveDate) -> String {
        match self.lang {
            Lang::Nl | Lang::Fr => d.format("%d/%m/%Y").to_string(),
            Lang::En => d.format("%-d %b %Y").to_string(),
        }
    }

    /// A day given as an ISO date (a form's value, `2025-12-31`) as people write it; the
    /// text unchanged when it is not one.
    pub fn iso_date(&self, iso: &str) -> String {
        iso.parse::<chrono::NaiveDate>()
            .map_or_else(|_| iso.to_string(), |d| self.date(d))
    }

    /// A text (a stored note, a time stamp, a sentence made elsewhere) with every day in it
    /// written as people write it: `2026-12-08 03:42:59.18` becomes `08/12/2026 03:42` (a
    /// time keeps its hours and minutes); the rest unchanged.
    pub fn written(&self, text: impl std::fmt::Display) -> String {
        let text = text.to_string();
        let text = text.as_str();
        let b = text.as_bytes();
        let digit = |k: usize| b.get(k).is_some_and(u8::is_ascii_digit);
        let mut out = String::with_capacity(text.len());
        let (mut i, mut copied) = (0, 0);
        while i + 10 <= b.len() {
            let starts = (i == 0 || !b[i - 1].is_ascii_alphanumeric())
                && (!b.get(i + 10).is_some_and(u8::is_ascii_alphanumeric)
                    || (b[i + 10] == b'T' && digit(i + 11)))
                && [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&k| digit(i + k))
                && b[i + 4] == b'-'
                && b[i + 7] == b'-';
            let day = if starts {
                text[i..i + 10].parse::<chrono::NaiveDate>().ok()
            } else {
                None
            };
            let Some(day) = day else {
                i += 1;
                continue;
            };
            out.push_str(&text[copied..i]);
            out.push_str(&self.date(day));
            i += 10;
            // A time after it (` 03:42` or `T03:42`) keeps its hours and minutes only.
            if matches!(b.get(i), Some(b' ' | b'T'))
                && digit(i + 1)
                && digit(i + 2)
                && b.get(i + 3) == Some(&b':')
                && digit(i + 4)
                && digit(i + 5)
            {
                out.push(' ');
                out.push_str(&text[i + 1..i + 6]);
                i += 6;
                while i < b.len() && (b[i] == b':' || b[i] == b'.' || b[i].is_ascii_digit()) {
                    i += 1;
                }
            }
            copied = i;
        }
        out.push_str(&text[copied..]);
        out
    }

    /// A whole number with the language's thousands separator.
    pub fn int(&self, v: u64) -> String {
        let digits = v.to_string();
        let sep = match self.lang {
            Lang::Nl => '.',
            Lang::Fr => '\u{202f}',
            Lang::En => ',',
        };
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// The language's decimal mark: a comma in Dutch and French, a point in English.
    pub fn decimal_mark(&self) -> char {
        if self.lang == Lang::En { '.' } else { ',' }
    }

    /// A decimal number with `decimals` places, the language's decimal mark and separators.
    pub fn dec(&self, v: f64, decimals: usize) -> String {
        if !v.is_finite() {
            return "–".into();
        }
        let s = format!("{:.*}", decimals, v.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let mut out = String::new();
        if v < 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.push('−');
        }
        out.push_str(&self.int(int.parse().unwrap_or(0)));
        if !frac.is_empty() {
            out.push(self.decimal_mark());
            out.push_str(frac);
        }
        out
    }

    /// A p-value: three decimals, or "< 0,001".
    pub fn p(&self, p: f64) -> String {
        if p < 0.001 {
            format!("< {}", self.dec(0.001, 3))
        } else {
            self.dec(p, 3)
        }
    }

    /// A signed percentage: +12,3 %.
    pub fn pct(&self, v: f64) -> String {
        let sign = if v > 0.0 { "+" } else { "" };
        let space = if self.lang == Lang::En { "" } else { "\u{a0}" };
        format!("{sign}{}{space}%", self.dec(v, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_per_language() {
        let i = I18n::load().unwrap();
        assert_eq!(i.tr(Lang::Nl).int(1234567), "1.234.567");
        assert_eq!(i.tr(Lang::En).dec(1234.56, 1), "1,234.6");
        assert_eq!(i.tr(Lang::Nl).dec(-0.04, 1), "0,0");
        assert_eq!(i.tr(Lang::Nl).pct(12.34), "+12,3\u{a0}%");
        assert_eq!(i.tr(Lang::Fr).int(12345), "12\u{202f}345");
        assert_eq!(i.tr(Lang::Nl).p(0.0004), "< 0,001");
        assert_eq!(Lang::parse("fr-BE"), Some(Lang::Fr));
    }

    #[test]
    fn days_inside_a_text_are_written_as_people_write_them() {
        let i = I18n::load().unwrap();
        let nl = i.tr(Lang::Nl);
        assert_eq!(
            nl.written("Extractie: 2026-12-08 03:42:59.187320801 (één batch)."),
            "Extractie: 08/12/2026 03:42 (één batch)."
        );
        assert_eq!(
            nl.written("tegen 2031-12-31; 2025-06-12T10:00"),
            "tegen 31/12/2031; 12/06/2025 10:00"
        );
        assert_eq!(i.tr(Lang::En).written("from 2025-01-01"), "from 1 Jan 2025");
        // Not a day: codes, numbers and impossible dates stay as they are.
        for t in [
            "zvp-2020-2025-06",
            "2025-13-01",
            "12025-01-011",
            "nr 2025-01-0",
            "—",
        ] {
            assert_eq!(nl.written(t), t);
        }
    }
}
