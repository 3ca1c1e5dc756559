//! Benchmark of `oauthctl mock`: start-to-ready time and token-endpoint throughput on
//! loopback. Run it through `bench/mock-throughput.sh` (release build); it prints
//! figures and asserts nothing.
//!
//! Usage: mock_throughput BINARY [REQUESTS] [CONNECTIONS] [STARTS]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Mock {
    child: Child,
    host: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the mock; returns it with the time until its address was printed.
fn start(bin: &str, args: &[&str]) -> Result<(Mock, Duration), String> {
    let t0 = Instant::now();
    let mut child = Command::new(bin)
        .args(["mock", "--port", "0", "--quiet", "--json"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {bin}: {e}"))?;
    let out = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(out)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let printed = t0.elapsed();
    let host = line
        .split("\"base_url\":\"http://")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .ok_or_else(|| format!("no address in {line:?}"))?
        .to_string();
    Ok((Mock { child, host }, printed))
}

/// Reads one HTTP/1.1 response (Content-Length framed) from a keep-alive stream.
fn read_response(s: &mut TcpStream, buf: &mut Vec<u8>) -> Result<u16, String> {
    buf.clear();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let status: u16 = head
                .split(' ')
                .nth(1)
                .and_then(|x| x.parse().ok())
                .ok_or("bad status line")?;
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = s.read(&mut chunk).map_err(|e| e.to_string())?;
                if n == 0 {
                    return Err("connection closed".into());
                }
                buf.extend_from_slice(&chunk[..n]);
            }
            return Ok(status);
        }
        let n = s.read(&mut chunk).map_err(|e| e.to_string())?;
        if n == 0 {
            return Err("connection closed".into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// `requests` client_credentials requests over `connections` keep-alive connections.
fn hammer(host: &str, requests: usize, connections: usize) -> Result<(Duration, usize), String> {
    let body = "grant_type=client_credentials";
    // base64("oauthctl-mock:mock-client-secret")
    let req = format!(
        "POST /token HTTP/1.1\r\nHost: {host}\r\nAuthorization: Basic b2F1dGhjdGwtbW9jazptb2NrLWNsaWVudC1zZWNyZXQ=\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let per = requests / connections;
    let t0 = Instant::now();
    let handles: Vec<_> = (0..connections)
        .map(|_| {
            let host = host.to_string();
            let req = req.clone();
            std::thread::spawn(move || -> Result<usize, String> {
                let mut s = TcpStream::connect(&host).map_err(|e| e.to_string())?;
                s.set_nodelay(true).map_err(|e| e.to_string())?;
                s.set_read_timeout(Some(Duration::from_secs(10)))
                    .map_err(|e| e.to_string())?;
                let mut buf = Vec::with_capacity(8192);
                let mut ok = 0;
                for _ in 0..per {
                    s.write_all(req.as_bytes()).map_err(|e| e.to_string())?;
                    if read_response(&mut s, &mut buf)? == 200 {
                        ok += 1;
                    }
                }
                Ok(ok)
            })
        })
        .collect();
    let mut ok = 0;
    for h in handles {
        ok += h.join().map_err(|_| "a client thread panicked")??;
    }
    Ok((t0.elapsed(), ok))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let bin = args
        .get(1)
        .ok_or("usage: mock_throughput BINARY [REQUESTS] [CONNECTIONS] [STARTS]")?;
    let num = |i: usize, d: usize| args.get(i).and_then(|s| s.parse().ok()).unwrap_or(d);
    let requests = num(2, 20_000);
    let connections = num(3, 4).max(1);
    let starts = num(4, 20).max(1);

    // Start to ready: until the address is printed (the listener is bound before), and
    // until a first request is answered.
    let mut printed = Vec::new();
    let mut answered = Vec::new();
    for _ in 0..starts {
        let t0 = Instant::now();
        let (m, p) = start(bin, &["-p", "oidc"])?;
        let mut s = TcpStream::connect(&m.host).map_err(|e| e.to_string())?;
        s.write_all(format!("GET /jwks.json HTTP/1.1\r\nHost: {}\r\n\r\n", m.host).as_bytes())
            .map_err(|e| e.to_string())?;
        let mut buf = Vec::new();
        read_response(&mut s, &mut buf)?;
        answered.push(t0.elapsed());
        printed.push(p);
    }
    printed.sort();
    answered.sort();
    let med = |v: &[Duration]| v[v.len() / 2];
    println!("start to ready over {starts} starts (-p oidc):");
    println!(
        "  address printed: median {}, min {}, max {}",
        ms(med(&printed)),
        ms(printed[0]),
        ms(printed[printed.len() - 1])
    );
    println!(
        "  first answer:    median {}, min {}, max {}",
        ms(med(&answered)),
        ms(answered[0]),
        ms(answered[answered.len() - 1])
    );

    for (label, extra) in [
        (
            "opaque tokens",
            &["-p", "oidc", "--token-format", "opaque"][..],
        ),
        (
            "RS256 JWT tokens",
            &["-p", "oidc", "--token-format", "jwt"][..],
        ),
    ] {
        let (m, _) = start(bin, extra)?;
        // Warm up, then measure.
        hammer(&m.host, 200.min(requests), 1)?;
        let n = if label.starts_with("RS256") {
            (requests / 5).max(connections)
        } else {
            requests
        };
        let (took, ok) = hammer(&m.host, n, connections)?;
        let done = (n / connections) * connections;
        println!(
            "token endpoint, client_credentials, {label}: {done} requests over {connections} keep-alive connections in {:.2} s = {:.0} requests/s ({ok} answered 200)",
            took.as_secs_f64(),
            done as f64 / took.as_secs_f64()
        );
    }
    Ok(())
}

fn main() {
    if let Err(e) = run() {
        eprintln!("mock_throughput: {e}");
        std::process::exit(1);
    }
}
