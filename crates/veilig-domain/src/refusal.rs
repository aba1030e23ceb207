//! A check's refusal, said twice: in English for the command line and the logs, and as a
//! translation key with its arguments, so a page says it in the reader's language and no
//! English reason reaches a Dutch page.

use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// The translation key (`refusal-…` in the locales).
    pub key: &'static str,
    /// The key's arguments, by name.
    pub args: Vec<(&'static str, String)>,
    /// The reason in English.
    pub en: String,
}

impl Refusal {
    pub fn new(key: &'static str, args: &[(&'static str, String)], en: impl Into<String>) -> Self {
        Refusal {
            key,
            args: args.to_vec(),
            en: en.into(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}

impl std::error::Error for Refusal {}
