//! `veilig dev load`: many zones' users at once against a running server (issue 11's scale
//! benchmark and its isolation test). Every zone's first answer is timed cold and kept as
//! the zone's reference; then N clients, each on its own keep-alive connection, ask zones in
//! turn for a stated time. Every answer is checked: it must be the asking zone's own
//! reference, byte for byte, and every attempt with one zone's token on another zone must be
//! refused. The references must name their zone and differ pairwise, so that one zone's
//! figures served for another could not pass unseen.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::Serialize;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// What the command was asked to do (the CLI's `dev load` flags).
pub struct LoadArgs<'a> {
    pub base: &'a str,
    pub tokens: &'a Path,
    pub path: &'a str,
    pub clients: usize,
    pub seconds: f64,
    pub cross_every: u64,
    pub json: bool,
}

/// One zone and the API token of one of its users.
struct Zone {
    code: String,
    token: String,
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Serialize)]
struct Latency {
    requests: usize,
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

impl Latency {
    fn of(mut micros: Vec<u64>) -> Latency {
        micros.sort_unstable();
        let at = |q: f64| -> f64 {
            if micros.is_empty() {
                return 0.0;
            }
            // Nearest rank: the smallest value with at least q of the sample at or below it.
            let rank = ((q * micros.len() as f64).ceil() as usize).clamp(1, micros.len());
            micros[rank - 1] as f64 / 1000.0
        };
        Latency {
            requests: micros.len(),
            p50_ms: at(0.50),
            p90_ms: at(0.90),
            p99_ms: at(0.99),
            max_ms: at(1.0),
        }
    }
}

#[derive(Debug, Serialize)]
struct Report {
    zones: usize,
    clients: usize,
    seconds: f64,
    path: String,
    /// Each zone's first request after the server started (its figures computed).
    cold: Latency,
    /// Requests under load, all clients together, answered from computed figures.
    warm: Latency,
    requests_per_second: f64,
    /// Answers that were not the asking zone's own reference (must be 0).
    mismatches: u64,
    /// Attempts with one zone's token on another zone, and how many were refused (must
    /// be all).
    cross_zone_attempts: u64,
    cross_zone_refused: u64,
    errors: u64,
}

/// A minimal HTTP/1.1 client on one keep-alive connection: GET with a bearer token, the
/// answer's status and body (Content-Length or chunked).
struct Conn {
    host: String,
    stream: BufReader<TcpStream>,
}

impl Conn {
    async fn open(host: &str) -> Result<Conn> {
        let stream = TcpStream::connect(host)
            .await
            .with_context(|| format!("connecting to {host}"))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            host: host.to_string(),
            stream: BufReader::new(stream),
        })
    }

    async fn get(&mut self, path: &str, token: &str) -> Result<(u16, Vec<u8>)> {
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nAccept: application/json\r\n\r\n",
            self.host
        );
        self.stream.get_mut().write_all(req.as_bytes()).await?;
        let mut line = String::new();
        self.stream.read_line(&mut line).await?;
        let status: u16 = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .with_context(|| format!("not an HTTP status line: {line:?}"))?;
        let (mut length, mut chunked) = (None, false);
        loop {
            line.clear();
            if self.stream.read_line(&mut line).await? == 0 {
                bail!("the server closed the connection mid-answer");
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
                if k == "content-length" {
                    length = Some(v.parse::<usize>()?);
                } else if k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked") {
                    chunked = true;
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                line.clear();
                self.stream.read_line(&mut line).await?;
                let size = usize::from_str_radix(line.trim().split(';').next().unwrap_or(""), 16)
                    .with_context(|| format!("bad chunk size {line:?}"))?;
                let start = body.len();
                body.resize(start + size + 2, 0);
                self.stream.read_exact(&mut body[start..]).await?;
                body.truncate(start + size);
                if size == 0 {
                    break;
                }
            }
        } else if let Some(n) = length {
            body.resize(n, 0);
            self.stream.read_exact(&mut body).await?;
        }
        Ok((status, body))
    }
}

fn read_tokens(path: &Path) -> Result<Vec<Zone>> {
    let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    let mut zones = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        match (parts.next(), parts.next(), parts.next()) {
            (Some(code), Some(token), None) => zones.push(Zone {
                code: code.to_string(),
                token: token.to_string(),
            }),
            _ => bail!(
                "{}: line {}: expected \"ZONE TOKEN\", got {line:?}",
                path.display(),
                i + 1
            ),
        }
    }
    if zones.len() < 2 {
        bail!(
            "{}: needs at least two zones to test their isolation",
            path.display()
        );
    }
    Ok(zones)
}

/// The zone code a JSON answer names (`source.zone`, or `zone` at the top).
fn named_zone(body: &[u8]) -> Option<String> {
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    v.pointer("/source/zone")
        .or_else(|| v.get("zone"))
        .and_then(|z| z.as_str())
        .map(str::to_string)
}

/// An answer without its `source` (provenance, which names the zone): the figures.
fn figures_only(body: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(mut m)) => {
            m.remove("source");
            serde_json::Value::Object(m).to_string()
        }
        _ => String::from_utf8_lossy(body).into_owned(),
    }
}

pub async fn run(a: LoadArgs<'_>) -> Result<ExitCode> {
    let host = a
        .base
        .strip_prefix("http://")
        .context("--base must be an http:// URL (the load runs beside the server)")?
        .trim_end_matches('/')
        .to_string();
    if !a.path.contains("{zone}") {
        bail!("--path must contain {{zone}}");
    }
    let zones = Arc::new(read_tokens(a.tokens)?);
    let url = |code: &str| a.path.replace("{zone}", code);

    // Cold: each zone's first answer, one at a time, kept as its reference.
    let mut conn = Conn::open(&host).await?;
    let mut cold = Vec::with_capacity(zones.len());
    let mut references: Vec<Vec<u8>> = Vec::with_capacity(zones.len());
    for z in zones.iter() {
        let t = Instant::now();
        let (status, body) = conn.get(&url(&z.code), &z.token).await?;
        cold.push(t.elapsed().as_micros() as u64);
        if status != 200 {
            bail!(
                "zone {}: the first answer was {status}: {}",
                z.code,
                String::from_utf8_lossy(&body)
            );
        }
        match named_zone(&body) {
            Some(named) if named == z.code => {}
            other => bail!(
                "zone {}: the answer names zone {other:?}, not its own",
                z.code
            ),
        }
        references.push(body);
    }
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (z, r) in zones.iter().zip(&references) {
        // Provenance aside (it names the zone), two zones' figures must differ, or one
        // zone's served for another could pass unseen.
        if let Some(other) = seen.insert(figures_only(r), &z.code) {
            bail!(
                "zones {other} and {} have identical figures: the isolation check needs data that tells zones apart",
                z.code
            );
        }
    }
    let references = Arc::new(references);

    // Warm: every client on its own connection, zones in turn, for the stated time.
    let deadline = Instant::now() + Duration::from_secs_f64(a.seconds);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..a.clients {
        let (zones, references, host) = (zones.clone(), references.clone(), host.clone());
        let path = a.path.to_string();
        let cross_every = a.cross_every;
        tasks.push(tokio::spawn(async move {
            let mut out = ClientTally::default();
            let mut conn = match Conn::open(&host).await {
                Ok(c) => c,
                Err(_) => {
                    out.errors += 1;
                    return out;
                }
            };
            let n = zones.len();
            let mut k = c as u64;
            while Instant::now() < deadline {
                k += 1;
                let zi = (c + k as usize * 7) % n;
                let z = &zones[zi];
                if cross_every > 0 && k.is_multiple_of(cross_every) {
                    // Another zone's figures with this zone's token: must be refused.
                    let oi = (zi + 1 + (k as usize % (n - 1))) % n;
                    let p = path.replace("{zone}", &zones[oi].code);
                    out.cross += 1;
                    match conn.get(&p, &z.token).await {
                        Ok((status, body)) => {
                            if (400..500).contains(&status) && body != references[oi] {
                                out.cross_refused += 1;
                            }
                        }
                        Err(_) => {
                            out.errors += 1;
                            match Conn::open(&host).await {
                                Ok(c2) => conn = c2,
                                Err(_) => return out,
                            }
                        }
                    }
                    continue;
                }
                let p = path.replace("{zone}", &z.code);
                let t = Instant::now();
                match conn.get(&p, &z.token).await {
                    Ok((200, body)) => {
                        out.micros.push(t.elapsed().as_micros() as u64);
                        if body != references[zi] {
                            out.mismatches += 1;
                        }
                    }
                    Ok(_) => out.errors += 1,
                    Err(_) => {
                        out.errors += 1;
                        match Conn::open(&host).await {
                            Ok(c2) => conn = c2,
                            Err(_) => return out,
                        }
                    }
                }
            }
            out
        }));
    }
    let mut all = ClientTally::default();
    for t in tasks {
        let r = t.await?;
        all.micros.extend(r.micros);
        all.mismatches += r.mismatches;
        all.cross += r.cross;
        all.cross_refused += r.cross_refused;
        all.errors += r.errors;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let report = Report {
        zones: zones.len(),
        clients: a.clients,
        seconds: elapsed,
        path: a.path.to_string(),
        cold: Latency::of(cold),
        requests_per_second: (all.micros.len() as u64 + all.cross) as f64 / elapsed,
        warm: Latency::of(all.micros),
        mismatches: all.mismatches,
        cross_zone_attempts: all.cross,
        cross_zone_refused: all.cross_refused,
        errors: all.errors,
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let l = |x: &Latency| {
            format!(
                "{} requests, p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
                x.requests, x.p50_ms, x.p90_ms, x.p99_ms, x.max_ms
            )
        };
        println!(
            "{} zones, {} clients, {:.1} s",
            report.zones, report.clients, report.seconds
        );
        println!("cold (each zone's first answer): {}", l(&report.cold));
        println!(
            "warm: {}; {:.0} requests/s",
            l(&report.warm),
            report.requests_per_second
        );
        println!(
            "isolation: {} answers not the zone's own, {}/{} cross-zone attempts refused, {} errors",
            report.mismatches, report.cross_zone_refused, report.cross_zone_attempts, report.errors
        );
    }
    let clean = report.mismatches == 0
        && report.cross_zone_refused == report.cross_zone_attempts
        && report.errors == 0;
    Ok(if clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[derive(Default)]
struct ClientTally {
    micros: Vec<u64>,
    mismatches: u64,
    cross: u64,
    cross_refused: u64,
    errors: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let l = Latency::of((1..=100).map(|ms| ms * 1000).collect());
        assert_eq!(
            (l.p50_ms, l.p90_ms, l.p99_ms, l.max_ms),
            (50.0, 90.0, 99.0, 100.0)
        );
        let one = Latency::of(vec![7000]);
        assert_eq!((one.p50_ms, one.p99_ms), (7.0, 7.0));
    }

    #[test]
    fn an_answer_names_its_zone() {
        assert_eq!(
            named_zone(br#"{"source": {"zone": "z001"}, "phenomena": []}"#).as_deref(),
            Some("z001")
        );
        assert_eq!(named_zone(b"not json"), None);
        assert_eq!(
            figures_only(br#"{"source": {"zone": "a"}, "phenomena": [1]}"#),
            figures_only(br#"{"source": {"zone": "b"}, "phenomena": [1]}"#)
        );
    }
}
