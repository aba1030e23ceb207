//! Veilig's domain: the types every other crate speaks, and the rules that are data.
//!
//! Nothing here knows SQL, files or the web. Types carry *why* they exist in their docs:
//! a zone has a working CRS because distances (near repeat, hotspots) must be in metres;
//! an incident has an occurrence *window* because offence times are often only known as
//! "between leaving home and coming back"; a published statistic carries its closing date
//! because the federal figures are revised until the year is closed.

pub mod account;
pub mod batch;
pub mod belgium;
pub mod catalogue;
pub mod coverage;
pub mod crs;
pub mod geom;
pub mod model;
pub mod refusal;
pub mod rng;

pub use account::{NewUser, Role, User};
pub use batch::{BatchKind, ImportSummary, Reject};
pub use catalogue::{Catalogue, CategoryMap, PhenomenonDef, valid_phenomenon_code};
pub use crs::{Crs, CrsError, Projector};
pub use geom::{BBox, MultiPolygon, Polygon};
pub use model::*;
pub use refusal::Refusal;

/// Lower-case hexadecimal, as content hashes and keys are written everywhere in Veilig.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

#[cfg(test)]
mod hex_tests {
    #[test]
    fn hex_is_lower_case_and_two_digits_a_byte() {
        assert_eq!(super::hex(&[0x00, 0x0f, 0xa0, 0xff]), "000fa0ff");
        assert_eq!(super::hex(&[]), "");
    }
}
