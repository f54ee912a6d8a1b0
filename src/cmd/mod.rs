//! The commands: one module each, holding its `run` and what it prints.
//! [`run`] dispatches a parsed [`Cli`] to them; [`crate::cli`] defines the
//! command line itself.

pub mod build;
pub mod check;
pub mod digest;
pub mod init;
pub mod new;
mod output;
pub mod report;
pub mod serve;
pub mod track;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::{Cli, Color, Command};
use crate::diagnostics::{Error, Errors};

/// Runs the parsed command line and returns the process's exit code.
pub fn run(cli: Cli) -> ExitCode {
    install_error_hook(cli.color);
    let result = match &cli.command {
        Command::Build(args) => build::run(&cli, args),
        Command::Check(args) => return check::run(&cli, args),
        Command::Init(args) => init::run(&cli, args),
        Command::Serve(args) => serve::run(&cli, args),
        Command::New(args) => new::run(&cli, args),
        Command::Track(args) => track::run(args),
        Command::Report(args) => report::run(&cli, args),
        Command::Digest(args) => digest::run(&cli, args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) => {
            // `-q` prints only errors: the warnings found with them stay unsaid.
            let errors = if cli.quiet { errors.without_warnings() } else { errors };
            eprintln!("{:?}", miette::Report::new(errors));
            ExitCode::FAILURE
        }
    }
}

fn install_error_hook(color: Color) {
    let colored = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::env::var_os("NO_COLOR").is_none() && std::io::IsTerminal::is_terminal(&std::io::stderr()),
    };
    let _ =
        miette::set_hook(Box::new(move |_| Box::new(miette::MietteHandlerOpts::new().color(colored).unicode(colored).terminal_links(false).build())));
}

/// The hub's root: `--root`, or the nearest folder holding hub.yaml, or the current folder.
fn root(cli: &Cli) -> PathBuf {
    if let Some(root) = &cli.root {
        return root.clone();
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    cwd.ancestors().find(|dir| dir.join(crate::config::FILE_NAME).is_file()).map_or(cwd.clone(), Path::to_path_buf)
}

/// The runtime `track` and `report` run their async work on.
fn runtime() -> Result<tokio::runtime::Runtime, Errors> {
    crate::util::runtime::multi_thread().map_err(|e| Errors::from(Error::new(format!("cannot start the async runtime: {e}"))))
}
