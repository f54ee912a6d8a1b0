//! `chorus build`: the hub into its output folder, then a summary line.

use crate::build::{self, BuildOptions, Progress};
use crate::cli::{BuildArgs, Cli};
use crate::diagnostics::Errors;
use crate::hub::HubOptions;

use super::output::{group_thousands, print_warnings};

/// Builds the hub; prints its warnings, the summary and (with `-v`) each stage's time.
pub fn run(cli: &Cli, args: &BuildArgs) -> Result<(), Errors> {
    let root = super::root(cli);
    let output = if args.output.is_absolute() { args.output.clone() } else { root.join(&args.output) };
    let options = BuildOptions {
        hub: HubOptions { drafts: args.drafts, base_url: args.base_url.clone(), now: args.now, tracker_url: None },
        output: Some(output),
        no_minify: args.no_minify,
        force: args.force,
    };
    let progress = if cli.quiet { Progress::hidden() } else { Progress::new(true) };
    let result = build::build(&root, &options, &progress);
    progress.finish();
    let summary = result?;
    if !cli.quiet {
        print_warnings(summary.warnings);
        let shown = summary.output.strip_prefix(&root).unwrap_or(&summary.output);
        println!(
            "Built {} pages ({} files) in {:.2} s into {}",
            group_thousands(summary.pages),
            group_thousands(summary.files),
            summary.elapsed.as_secs_f64(),
            shown.display()
        );
        if let Some(day) = summary.next_change {
            // The day a scheduled build next has something new to publish (README, "Daily scheduled build").
            println!("next change: {}", day.format("%Y-%m-%d"));
        }
        if cli.verbose > 0 {
            for (stage, took) in &summary.stages {
                println!("  {stage:<26} {:>8.3} s", took.as_secs_f64());
            }
            if let Some(index) = &summary.search {
                println!(
                    "  search index: {} pages, {} words, {} files, {:.1} MB",
                    group_thousands(index.pages),
                    group_thousands(index.words),
                    group_thousands(index.files),
                    index.bytes as f64 / 1e6
                );
            }
        }
    }
    Ok(())
}
