use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = skein::cli::Cli::parse();
    match skein::cli::run(cli) {
        Ok(()) => ExitCode::from(skein::EXIT_OK),
        Err(err) if err.is_broken_pipe() => ExitCode::from(skein::EXIT_OK),
        Err(err) => {
            eprintln!("error: {}", err.render());
            ExitCode::from(err.exit_code())
        }
    }
}
