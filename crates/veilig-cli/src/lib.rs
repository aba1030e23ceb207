//! The command line's language, apart from its wiring (the way ripgrep keeps its printer in a
//! crate of its own):
//!
//! - [`args`]: every command and flag as clap reads them, one file per part of the product,
//!   shared groups (`--zone`, `--json`, the plan a command works on) flattened in;
//! - [`print`]: the text a command prints for an answer of the application layer
//!   (`veilig_query`), one file per part; `--json` prints the answer itself ([`output::emit`]);
//! - [`output`]: JSON, the import progress bar.
//!
//! The `veilig` binary parses with [`args::Cli`], calls one function of the application layer
//! and hands the answer to a printer here. Nothing here opens a store or decides anything.

pub mod args;
pub mod output;
pub mod print;
