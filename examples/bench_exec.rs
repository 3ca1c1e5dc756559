#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Benchmark runner used by the scripts in bench/: runs a command many times and prints
//! the median and p90 wall time and the peak RSS of one run, as JSON.
//!
//! Usage: bench_exec RUNS [--stdin FILE] [--env K=V]... -- COMMAND [ARGS...]
//!        bench_exec --spec FILE
//!
//! With `--spec`, FILE is JSON: `{"runs": N, "warmup": W, "commands": [{"label": …,
//! "argv": […], "env": {…}, "stdin": FILE?}, …]}`. The commands run round-robin (one run
//! of each per round, in a new shuffled order every round), W rounds unmeasured then N measured,
//! so a change of load on the machine weighs on every command alike. It prints one JSON
//! array, a `{"label", "median_ms", "p90_ms", "peak_rss_kib", "runs"}` per command.
//!
//! It is a small Rust program rather than Python because a child's peak RSS (from
//! wait4) includes its parent's memory at fork time: spawning from a 2 MB process keeps
//! that floor low and visible (run `true` to see it).

use std::process::{Command, Stdio};
use std::time::Instant;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde_json::{json, Value};

struct Spec {
    label: String,
    argv: Vec<String>,
    env: Vec<(String, String)>,
    stdin: Option<String>,
}

/// One run of `s`: wall time in ms and peak RSS in KiB; exits when it fails.
fn run_once(s: &Spec) -> (f64, i64) {
    let mut c = Command::new(&s.argv[0]);
    c.args(&s.argv[1..])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    for (k, v) in &s.env {
        c.env(k, v);
    }
    match &s.stdin {
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
        eprintln!("{} ({}) failed (status {status})", s.label, s.argv[0]);
        std::process::exit(1);
    }
    (elapsed, usage.ru_maxrss)
}

fn summary(label: &str, mut times: Vec<f64>, peak_kib: i64) -> Value {
    times.sort_by(|a, b| a.total_cmp(b));
    let median = times[times.len() / 2];
    let p90 = times[(times.len() * 9 / 10).saturating_sub(1)];
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    json!({"label": label, "median_ms": round(median), "p90_ms": round(p90),
           "peak_rss_kib": peak_kib, "runs": times.len()})
}

fn round_robin(file: &str) {
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(file).expect("spec file"))
        .expect("spec JSON");
    let runs = spec["runs"].as_u64().expect("runs") as usize;
    let warmup = spec["warmup"].as_u64().unwrap_or(3) as usize;
    let specs: Vec<Spec> = spec["commands"]
        .as_array()
        .expect("commands")
        .iter()
        .map(|c| Spec {
            label: c["label"].as_str().expect("label").to_string(),
            argv: c["argv"]
                .as_array()
                .expect("argv")
                .iter()
                .map(|a| a.as_str().expect("argv strings").to_string())
                .collect(),
            env: c["env"]
                .as_object()
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().expect("env strings").to_string()))
                        .collect()
                })
                .unwrap_or_default(),
            stdin: c["stdin"].as_str().map(str::to_string),
        })
        .collect();
    let n = specs.len();
    let mut times = vec![Vec::with_capacity(runs); n];
    let mut peaks = vec![0i64; n];
    // A fresh order every round (seeded, so runs repeat): with a fixed cyclic order, the
    // command after a heavy one (gh starts a dozen threads) would always pay its wake.
    let mut rng = StdRng::seed_from_u64(19);
    let mut order: Vec<usize> = (0..n).collect();
    for round in 0..warmup + runs {
        order.shuffle(&mut rng);
        for &i in &order {
            let (ms, kib) = run_once(&specs[i]);
            if round >= warmup {
                times[i].push(ms);
                peaks[i] = peaks[i].max(kib);
            }
        }
    }
    let out: Vec<Value> = specs
        .iter()
        .zip(times)
        .zip(peaks)
        .map(|((s, t), p)| summary(&s.label, t, p))
        .collect();
    println!("{}", Value::Array(out));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--spec") {
        return round_robin(args.get(1).expect("--spec FILE"));
    }
    let Some(sep) = args.iter().position(|a| a == "--") else {
        eprintln!("usage: bench_exec RUNS [--stdin FILE] [--env K=V]... -- COMMAND [ARGS...]\n       bench_exec --spec FILE");
        std::process::exit(2);
    };
    let runs: usize = args[0].parse().expect("RUNS must be a number");
    let mut stdin = None;
    let mut env = Vec::new();
    let mut i = 1;
    while i < sep {
        match args[i].as_str() {
            "--stdin" => {
                stdin = Some(args[i + 1].clone());
                i += 2;
            }
            "--env" => {
                let (k, v) = args[i + 1].split_once('=').expect("--env K=V");
                env.push((k.to_string(), v.to_string()));
                i += 2;
            }
            other => panic!("unknown option {other}"),
        }
    }
    let s = Spec {
        label: args[sep + 1].clone(),
        argv: args[sep + 1..].to_vec(),
        env,
        stdin,
    };
    let mut times = Vec::with_capacity(runs);
    let mut peak_kib = 0i64;
    for n in 0..runs + 3 {
        let (ms, kib) = run_once(&s);
        if n >= 3 {
            times.push(ms);
            peak_kib = peak_kib.max(kib);
        }
    }
    let r = summary(&s.label, times, peak_kib);
    println!(
        "{{\"median_ms\": {:.3}, \"p90_ms\": {:.3}, \"peak_rss_kib\": {}, \"runs\": {runs}}}",
        r["median_ms"].as_f64().unwrap_or(0.0),
        r["p90_ms"].as_f64().unwrap_or(0.0),
        peak_kib
    );
}
