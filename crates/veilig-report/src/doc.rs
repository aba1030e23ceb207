//! A report as plain data: headings, paragraphs, tables and vector figures, in one language,
//! with the banner and the colophon every page carries. The query layer fills it from the
//! store; [`crate::pdf`] typesets it. Being plain data, it can be hashed: the hash of its
//! canonical JSON names exactly the content a PDF was made from.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// How a table column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Align {
    Left,
    Right,
}

/// One column of a table: its header, relative width and alignment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub header: String,
    /// Relative width (fractions of the free width).
    pub width: u8,
    pub align: Align,
}

impl Column {
    pub fn text(header: impl Into<String>, width: u8) -> Column {
        Column {
            header: header.into(),
            width,
            align: Align::Left,
        }
    }

    pub fn number(header: impl Into<String>, width: u8) -> Column {
        Column {
            header: header.into(),
            width,
            align: Align::Right,
        }
    }
}

/// One block of a report's body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Block {
    /// A numbered heading; level 1 starts a new page.
    Heading {
        level: u8,
        text: String,
    },
    Para(String),
    /// A paragraph in bold (a headline sentence).
    Strong(String),
    /// Small print under a figure or table: source, period, method.
    Note(String),
    List(Vec<String>),
    Table {
        columns: Vec<Column>,
        rows: Vec<Vec<String>>,
    },
    /// A vector chart (SVG) with its caption, at a share of the text width.
    Figure {
        svg: String,
        caption: String,
        width_pct: u8,
    },
    /// Label: value lines (the colophon, a figure's provenance).
    Facts(Vec<(String, String)>),
    PageBreak,
}

/// A report: what its cover says and its body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Doc {
    /// The language code of the text ("nl", "fr", "en"): hyphenation and typst's own words
    /// (the table of contents' title).
    pub lang: String,
    pub title: String,
    pub subtitle: String,
    /// Shown on the cover (synthetic data, the edition).
    pub banner: Option<String>,
    /// A short mark in every page's header after the cover (synthetic data).
    pub header_mark: Option<String>,
    /// Every page's footer (zone, report, edition and data version).
    pub footer: String,
    /// The cover's label: value lines (issuer, data version, batches, method).
    pub colophon: Vec<(String, String)>,
    /// The title of the table of contents (empty: none).
    pub contents: String,
    pub blocks: Vec<Block>,
}

impl Doc {
    /// The SHA-256 of the document's canonical JSON: equal documents, equal hashes.
    pub fn content_sha256(&self) -> String {
        let json = serde_json::to_vec(self).expect("a document serialises");
        hex(&Sha256::digest(&json))
    }

    /// The text of the document in reading order (headings, paragraphs, table cells,
    /// captions), one item per line: what a reader of the PDF can find in it.
    pub fn plain_text(&self) -> String {
        let mut out = vec![self.title.clone(), self.subtitle.clone()];
        for b in &self.blocks {
            match b {
                Block::Heading { text, .. }
                | Block::Para(text)
                | Block::Strong(text)
                | Block::Note(text) => out.push(text.clone()),
                Block::List(items) => out.extend(items.iter().cloned()),
                Block::Table { columns, rows } => {
                    out.push(
                        columns
                            .iter()
                            .map(|c| c.header.as_str())
                            .collect::<Vec<_>>()
                            .join(" | "),
                    );
                    out.extend(rows.iter().map(|r| r.join(" | ")));
                }
                Block::Figure { caption, .. } => out.push(caption.clone()),
                Block::Facts(f) => out.extend(f.iter().map(|(k, v)| format!("{k}: {v}"))),
                Block::PageBreak => {}
            }
        }
        out.join("\n")
    }
}

pub use veilig_domain::hex;
