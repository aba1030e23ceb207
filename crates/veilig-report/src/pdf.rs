//! Typesets a [`Doc`] as PDF with typst, inside this process: no fonts from the machine (only
//! those typst ships), no clock, no file system. The same document therefore gives the same
//! bytes on every machine and every run: the PDF carries no creation date and its identifier
//! is derived from the document's content hash.
//!
//! Text from the caller never becomes typst markup: every string is written as a typst
//! string literal, so a name with `#`, `*` or `]` in it is printed, not interpreted.

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::LazyLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::doc::{Align, Block, Doc};

/// The fonts typst ships (Libertinus Serif for text, DejaVu Sans Mono), loaded once.
static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

fn file_id(path: &str) -> FileId {
    FileId::new(RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(path).expect("a plain file name"),
    ))
}

/// One document's sources: the markup and its figures, in memory.
struct ReportWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    /// No clock: a report that asked for today's date would not be reproducible.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// A typst string literal of `s`.
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Content from a string: `[#"…"]`.
fn content(s: &str) -> String {
    format!("[#{}]", lit(s))
}

/// The typst markup of a document and its figure files.
pub fn markup(doc: &Doc) -> (String, Vec<(String, Vec<u8>)>) {
    let mut s = String::new();
    let mut files = Vec::new();
    let banner = doc.banner.as_deref().unwrap_or("");
    let _ = writeln!(
        s,
        r##"#set document(title: {title}, date: none)
#set text(font: "Libertinus Serif", size: 10.5pt, lang: {lang}, hyphenate: false)
#set par(justify: false, leading: 0.6em)
#set heading(numbering: "1.1")
#show heading.where(level: 1): it => {{ pagebreak(weak: true); it; v(0.4em) }}
#show heading: set text(fill: rgb("#1d4f91"))
#set table(stroke: 0.4pt + luma(180), inset: 4pt)
#show table.cell.where(y: 0): set text(weight: "bold")
#set page(paper: "a4", margin: (x: 2cm, top: 2.4cm, bottom: 2.2cm),
  header: context {{ if counter(page).get().first() > 1 {{ set text(size: 8pt, fill: luma(90)); {title_c} ; h(1fr); text(fill: rgb("#b00020"), weight: "bold", {mark_c}) }} }},
  footer: context {{ set text(size: 8pt, fill: luma(90)); {footer_c}; h(1fr); counter(page).display("1 / 1", both: true) }})
"##,
        title = lit(&doc.title),
        lang = lit(&doc.lang),
        title_c = content(&doc.title),
        mark_c = content(doc.header_mark.as_deref().unwrap_or("")),
        footer_c = content(&doc.footer),
    );
    // The cover.
    let _ = writeln!(
        s,
        "#v(3cm)\n#text(size: 24pt, weight: \"bold\", fill: rgb(\"#1d4f91\"), {})\n#v(0.4cm)\n#text(size: 14pt, {})\n#v(0.8cm)",
        content(&doc.title),
        content(&doc.subtitle)
    );
    if !banner.is_empty() {
        let _ = writeln!(
            s,
            "#block(fill: rgb(\"#fde8ea\"), stroke: 1pt + rgb(\"#b00020\"), inset: 8pt, width: 100%, text(weight: \"bold\", fill: rgb(\"#b00020\"), {}))",
            content(banner)
        );
    }
    let _ = writeln!(s, "#v(1fr)");
    facts(&mut s, &doc.colophon);
    if !doc.contents.is_empty() {
        let _ = writeln!(
            s,
            "#pagebreak()\n#outline(title: {}, depth: 2)",
            content(&doc.contents)
        );
    }
    for b in &doc.blocks {
        match b {
            Block::Heading { level, text } => {
                let _ = writeln!(
                    s,
                    "#heading(level: {}, {})",
                    level.clamp(&1, &4),
                    content(text)
                );
            }
            Block::Para(t) => {
                let _ = writeln!(s, "#par({})\n", content(t));
            }
            Block::Strong(t) => {
                let _ = writeln!(s, "#par(strong({}))\n", content(t));
            }
            Block::Note(t) => {
                let _ = writeln!(
                    s,
                    "#par(text(size: 8.5pt, fill: luma(70), {}))\n",
                    content(t)
                );
            }
            Block::List(items) => {
                let items: Vec<String> = items.iter().map(|i| content(i)).collect();
                let _ = writeln!(s, "#list({})", items.join(", "));
            }
            Block::Table { columns, rows } => {
                let widths: Vec<String> = columns
                    .iter()
                    .map(|c| format!("{}fr", c.width.max(1)))
                    .collect();
                let aligns: Vec<&str> = columns
                    .iter()
                    .map(|c| match c.align {
                        Align::Left => "left",
                        Align::Right => "right",
                    })
                    .collect();
                let _ = write!(
                    s,
                    "#text(size: 8.5pt, table(columns: ({},), align: ({},), table.header(",
                    widths.join(", "),
                    aligns.join(", ")
                );
                let headers: Vec<String> = columns.iter().map(|c| content(&c.header)).collect();
                let _ = write!(s, "{}),", headers.join(", "));
                for r in rows {
                    for (i, cell) in r.iter().enumerate().take(columns.len()) {
                        let _ = write!(s, "{}{}", if i == 0 { "\n" } else { ", " }, content(cell));
                    }
                    // A short row is filled with empty cells.
                    for _ in r.len()..columns.len() {
                        s.push_str(", []");
                    }
                    s.push(',');
                }
                let _ = writeln!(s, "))\n");
            }
            Block::Figure {
                svg,
                caption,
                width_pct,
            } => {
                let name = format!("figure-{}.svg", files.len() + 1);
                let _ = writeln!(
                    s,
                    "#figure(image({}, width: {}%), caption: {})\n",
                    lit(&name),
                    width_pct.clamp(&10, &100),
                    content(caption)
                );
                files.push((name, svg.clone().into_bytes()));
            }
            Block::Facts(f) => facts(&mut s, f),
            Block::PageBreak => {
                let _ = writeln!(s, "#pagebreak()");
            }
        }
    }
    (s, files)
}

fn facts(s: &mut String, f: &[(String, String)]) {
    if f.is_empty() {
        return;
    }
    let _ = write!(
        s,
        "#text(size: 9pt, grid(columns: (auto, 1fr), column-gutter: 1em, row-gutter: 0.5em,"
    );
    for (k, v) in f {
        let _ = write!(
            s,
            "\n text(weight: \"bold\", {}), {},",
            content(k),
            content(v)
        );
    }
    let _ = writeln!(s, "))\n");
}

/// Why a document could not be typeset (a defect of the generator, never of the data: the
/// data only ever enters as string literals).
#[derive(Debug)]
pub struct TypesetError(pub String);

impl std::fmt::Display for TypesetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the report could not be typeset: {}", self.0)
    }
}

impl std::error::Error for TypesetError {}

fn describe(errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The document as PDF bytes: the same document gives the same bytes.
pub fn pdf(doc: &Doc) -> Result<Vec<u8>, TypesetError> {
    let (text, figures) = markup(doc);
    let world = ReportWorld {
        main: Source::new(file_id("report.typ"), text),
        files: figures
            .into_iter()
            .map(|(name, bytes)| (file_id(&name), Bytes::new(bytes)))
            .collect(),
    };
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|e| TypesetError(describe(&e)))?;
    let options = typst_pdf::PdfOptions {
        ident: Smart::Custom(doc.content_sha256()),
        timestamp: None,
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|e| TypesetError(describe(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Column;

    fn sample() -> Doc {
        Doc {
            lang: "nl".into(),
            title: "Jaarverslag 2025 #1 *test* [x]".into(),
            subtitle: "Politiezone \"Demo\"".into(),
            banner: Some("SYNTHETISCHE GEGEVENS".into()),
            header_mark: Some("SYNTHETISCH".into()),
            footer: "demo — data-versie 3".into(),
            colophon: vec![("Bron".into(), "demo\\import".into())],
            contents: "Inhoud".into(),
            blocks: vec![
                Block::Heading {
                    level: 1,
                    text: "Cijfers".into(),
                },
                Block::Para("Een zin met $ en @ en = en <b>.".into()),
                Block::Table {
                    columns: vec![Column::text("Fenomeen", 3), Column::number("Aantal", 1)],
                    rows: vec![vec!["Woninginbraak".into(), "1.234".into()], vec!["x".into()]],
                },
                Block::Figure {
                    svg: r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="5" height="5"/><text x="1" y="9">a</text></svg>"#.into(),
                    caption: "Een figuur".into(),
                    width_pct: 50,
                },
            ],
        }
    }

    #[test]
    fn a_document_typesets_and_gives_the_same_bytes_twice() {
        let d = sample();
        let a = pdf(&d).unwrap();
        let b = pdf(&d).unwrap();
        assert!(a.starts_with(b"%PDF-"));
        assert_eq!(a, b);
        let mut other = d.clone();
        other.blocks.push(Block::Para("meer".into()));
        assert_ne!(pdf(&other).unwrap(), a);
    }

    #[test]
    fn text_is_never_read_as_markup() {
        let (m, _) = markup(&sample());
        assert!(m.contains(r#"[#"Jaarverslag 2025 #1 *test* [x]"]"#));
        assert!(m.contains(r#"[#"Politiezone \"Demo\""]"#));
        assert!(m.contains(r#"[#"demo\\import"]"#));
    }
}
