//! Times the wire reader on a folder of `.txt` files, in one process, files read first:
//! `cargo run --release --example time_wire -- DIR [RUNS]`. Prints the fastest of RUNS
//! (default 5) for the furniture pass (sample every file's head and tail, learn) and for
//! parsing every file, so the reader's own cost can be compared between commits without
//! the file system or the rest of the build.
#![allow(clippy::print_stdout, reason = "a measuring tool prints its figures")]

use std::time::{Duration, Instant};

use broadsheet::ingest::{DateOrder, WireOptions, furniture, parse_wire_with};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().ok_or("usage: time_wire DIR [RUNS]")?);
    let runs: usize = args.next().map_or(Ok(5), |r| r.parse())?;
    let mut texts = Vec::new();
    for entry in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_some_and(|x| x == "txt") {
            let rel = entry
                .path()
                .strip_prefix(&dir)?
                .to_string_lossy()
                .into_owned();
            texts.push((rel, std::fs::read_to_string(entry.path())?));
        }
    }
    let opts = WireOptions::new(DateOrder::DayFirst, &[] as &[&str])?;
    let (mut learn_best, mut parse_best) = (Duration::MAX, Duration::MAX);
    let mut paragraphs = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let samples: Vec<_> = texts.iter().map(|(p, t)| furniture::sample(p, t)).collect();
        let learned = furniture::learn(&samples);
        learn_best = learn_best.min(start.elapsed());
        let start = Instant::now();
        paragraphs = 0;
        for (path, text) in &texts {
            paragraphs += parse_wire_with(text, &opts, learned.for_path(path))
                .paragraphs
                .len();
        }
        parse_best = parse_best.min(start.elapsed());
    }
    println!(
        "{} files, {paragraphs} paragraphs; fastest of {runs}: furniture {:.3} s, parse {:.3} s",
        texts.len(),
        learn_best.as_secs_f64(),
        parse_best.as_secs_f64()
    );
    Ok(())
}
