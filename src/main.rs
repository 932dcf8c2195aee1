use std::process::ExitCode;

use clap::Parser;

/// Ingestion makes and drops many small strings and vectors per sentence; mimalloc serves
/// them about a quarter faster than the system allocator (see benches/ingest.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = match skein::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout and are a success; a bad command line is the
            // user's error (exit 1), like any other bad input.
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(skein::EXIT_USER)
            } else {
                ExitCode::from(skein::EXIT_OK)
            };
        }
    };
    match skein::cli::run(cli) {
        Ok(()) => ExitCode::from(skein::EXIT_OK),
        Err(err) if err.is_broken_pipe() => ExitCode::from(skein::EXIT_OK),
        Err(err) => {
            eprintln!("error: {}", err.render());
            ExitCode::from(err.exit_code())
        }
    }
}
