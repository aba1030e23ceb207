//! Small helpers for terminal output: JSON, progress bars.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};
use veilig_import::Progress;

pub fn json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// Import progress on stderr: a bar on a terminal, plain `progress DONE/TOTAL` lines when
/// `VEILIG_PROGRESS=plain` (for scripts that drive the importer), silent otherwise.
pub struct Bar(Option<ProgressBar>, bool);

impl Bar {
    pub fn new(label: &str) -> Bar {
        if std::env::var("VEILIG_PROGRESS").as_deref() == Ok("plain") {
            return Bar(None, true);
        }
        if !std::io::stderr().is_terminal() {
            return Bar(None, false);
        }
        let pb = ProgressBar::new(0);
        pb.set_style(
            ProgressStyle::with_template("{msg} [{bar:40}] {bytes}/{total_bytes} ({eta})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        pb.set_message(label.to_string());
        Bar(Some(pb), false)
    }

    pub fn finish(&self) {
        if let Some(pb) = &self.0 {
            pb.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn advance(&self, done: u64, total: u64) {
        if self.1 {
            eprintln!("progress {done}/{total}");
        }
        if let Some(pb) = &self.0 {
            pb.set_length(total);
            pb.set_position(done);
        }
    }
}

/// A command's answer: pretty JSON with `--json`, else the command's own text.
pub fn emit<T: serde::Serialize>(
    value: &T,
    as_json: bool,
    text: impl FnOnce(&T),
) -> anyhow::Result<std::process::ExitCode> {
    if as_json {
        json(value)?;
    } else {
        text(value);
    }
    Ok(std::process::ExitCode::SUCCESS)
}
