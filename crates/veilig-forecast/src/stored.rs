//! Reading a stored forecast back (the server computes forecasts when the data change and
//! keeps them as JSON): the names that are `&'static str` in memory come back as the same
//! static names, and a name this version does not know is an error, not a guess.

use serde::de::{Deserialize, Deserializer, Error};

use crate::Method;

/// A name that is one of a fixed list, read back with [`method_name`] or [`verdict`]. Spelled
/// as an alias because serde's derive borrows every field written `&str` from its input,
/// which a stored forecast (read from an owned string) cannot lend.
pub type StaticName = &'static str;

/// A method's name, as [`Method::name`] gives it.
pub fn method_name<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let s = String::deserialize(d)?;
    Method::parse(&s)
        .map(Method::name)
        .ok_or_else(|| D::Error::custom(format!("unknown forecast method {s:?}")))
}

/// The verdicts of a paired comparison with the naive count.
pub const VERDICTS: &[&str] = &["better", "worse", "no difference"];

/// One of [`VERDICTS`].
pub fn verdict<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let s = String::deserialize(d)?;
    VERDICTS
        .iter()
        .find(|v| **v == s)
        .copied()
        .ok_or_else(|| D::Error::custom(format!("unknown verdict {s:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Named {
        #[serde(deserialize_with = "method_name")]
        m: StaticName,
        #[serde(deserialize_with = "verdict")]
        v: StaticName,
    }

    #[test]
    fn static_names_come_back_and_unknown_ones_are_refused() {
        // Read from an owned string, as a stored forecast is.
        let stored = String::from(r#"{"m":"poisson-glm","v":"better"}"#);
        let n: Named = serde_json::from_str(&stored).unwrap();
        drop(stored);
        assert_eq!((n.m, n.v), ("poisson-glm", "better"));
        assert!(serde_json::from_str::<Named>(r#"{"m":"crystal-ball","v":"better"}"#).is_err());
        assert!(serde_json::from_str::<Named>(r#"{"m":"naive","v":"great"}"#).is_err());
    }
}
