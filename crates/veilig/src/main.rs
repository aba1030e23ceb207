//! `veilig`: the command-line entry point. Thin: parse, open the store, dispatch.

use std::process::ExitCode;

use clap::Parser;

mod cli;
mod cmd;
mod output;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("veilig: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(cmd::run(args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("veilig: {e:#}");
            ExitCode::FAILURE
        }
    }
}
