//! `veilig`: the command-line entry point. Thin: parse, open the store, dispatch.

use std::process::ExitCode;

use clap::Parser;

mod cmd;

fn main() -> ExitCode {
    // Like any Unix filter: when the reader of our output goes away (`veilig status | head`),
    // end quietly instead of panicking on EPIPE.
    #[cfg(unix)]
    // SAFETY: setting a signal disposition to the default before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args = veilig_cli::args::Cli::parse();
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
    let code = match rt.block_on(cmd::run(args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("veilig: {e:#}");
            ExitCode::FAILURE
        }
    };
    // A server's background computation may still run on a blocking thread when it stops:
    // its job's heartbeat stops with it and another worker takes it over, so do not wait.
    rt.shutdown_timeout(std::time::Duration::from_secs(1));
    code
}
