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
pub mod crs;
pub mod geom;
pub mod model;

pub use account::{NewUser, Role, User};
pub use batch::{BatchKind, ImportSummary, Reject};
pub use catalogue::{Catalogue, CategoryMap, PhenomenonDef};
pub use crs::{Crs, CrsError, Projector};
pub use geom::{BBox, MultiPolygon, Polygon};
pub use model::*;
