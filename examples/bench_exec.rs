#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Benchmark runner used by the scripts in bench/: runs a command many times and prints
//! the median and p90 wall time and the peak RSS of one run, as JSON.
//!
//! Usage: bench_exec RUNS [--stdin FILE] [--env K=V]... -- COMMAND [ARGS...]
//!
//! It is a small Rust program rather than Python because a child's peak RSS (from
//! wait4) includes its parent's memory at fork time: spawning from a 2 MB process keeps
//! that floor low and visible (run `true` to see it).

use std::process::{Command, Stdio};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(sep) = args.iter().position(|a| a == "--") else {
        eprintln!("usage: bench_exec RUNS [--stdin FILE] [--env K=V]... -- COMMAND [ARGS...]");
        std::process::exit(2);
    };
    let runs: usize = args[0].parse().expect("RUNS must be a number");
    let mut stdin_file = None;
    let mut envs = Vec::new();
    let mut i = 1;
    while i < sep {
        match args[i].as_str() {
            "--stdin" => {
                stdin_file = Some(args[i + 1].clone());
                i += 2;
            }
            "--env" => {
                let (k, v) = args[i + 1].split_once('=').expect("--env K=V");
                envs.push((k.to_string(), v.to_string()));
                i += 2;
            }
            other => panic!("unknown option {other}"),
        }
    }
    let cmd = &args[sep + 1..];
    let mut times = Vec::with_capacity(runs);
    let mut peak_kib = 0i64;
    for n in 0..runs + 3 {
        let mut c = Command::new(&cmd[0]);
        c.args(&cmd[1..])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (k, v) in &envs {
            c.env(k, v);
        }
        match &stdin_file {
            Some(f) => c.stdin(std::fs::File::open(f).expect("stdin file")),
            None => c.stdin(Stdio::null()),
        };
        let start = Instant::now();
        // Reaped by wait4 below, which also gives its resource usage.
        #[allow(clippy::zombie_processes)]
        let child = c.spawn().expect("spawn");
        let mut status = 0;
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: wait4 on our own child with valid pointers.
        let r = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
        let elapsed = start.elapsed().as_secs_f64() * 1000.0;
        assert!(r > 0, "wait4 failed");
        if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
            eprintln!("{} failed (status {status})", cmd[0]);
            std::process::exit(1);
        }
        if n >= 3 {
            times.push(elapsed);
            peak_kib = peak_kib.max(usage.ru_maxrss);
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    let median = times[times.len() / 2];
    let p90 = times[(times.len() * 9 / 10).saturating_sub(1)];
    println!("{{\"median_ms\": {median:.3}, \"p90_ms\": {p90:.3}, \"peak_rss_kib\": {peak_kib}, \"runs\": {runs}}}");
}
