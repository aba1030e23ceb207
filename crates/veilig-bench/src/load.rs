//! `veilig dev bench-load`: many zones' users at once against a running server (issue 11's scale
//! benchmark and its isolation test). Every zone's first answer is timed cold and kept as
//! the zone's reference; then N clients, each on its own keep-alive connection, ask zones in
//! turn for a stated time. Every answer is checked: it must be the asking zone's own
//! reference, byte for byte, and every attempt with one zone's token on another zone must be
//! refused. The references must name their zone and differ pairwise, so that one zone's
//! figures served for another could not pass unseen.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde::Serialize;

use crate::http::Conn;

/// What a load run is asked to do.
pub struct LoadArgs<'a> {
    /// The server, e.g. `http://127.0.0.1:8080`.
    pub base: &'a str,
    /// Lines `ZONE TOKEN`: an API token of a user of each zone.
    pub tokens: &'a Path,
    /// The path asked, with `{zone}` for the zone's code.
    pub path: &'a str,
    pub clients: usize,
    pub seconds: f64,
    /// Every N-th request of a client uses its token on another zone (0: never).
    pub cross_every: u64,
}

/// One zone and the API token of one of its users.
struct Zone {
    code: String,
    token: String,
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Serialize)]
pub struct Latency {
    pub requests: usize,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
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

/// What a load run measured; `clean()` says whether isolation held.
#[derive(Debug, Serialize)]
pub struct LoadReport {
    pub zones: usize,
    pub clients: usize,
    pub seconds: f64,
    pub path: String,
    /// Each zone's first request after the server started (its figures computed).
    pub cold: Latency,
    /// Requests under load, all clients together, answered from computed figures.
    pub warm: Latency,
    pub requests_per_second: f64,
    /// Answers that were not the asking zone's own reference (must be 0).
    pub mismatches: u64,
    /// Attempts with one zone's token on another zone, and how many were refused (must
    /// be all).
    pub cross_zone_attempts: u64,
    pub cross_zone_refused: u64,
    pub errors: u64,
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

impl LoadReport {
    /// Every answer the zone's own, every cross-zone attempt refused, no error.
    pub fn clean(&self) -> bool {
        self.mismatches == 0
            && self.cross_zone_refused == self.cross_zone_attempts
            && self.errors == 0
    }
}

/// Runs the load: each zone's first answer timed cold and kept as its reference, then the
/// clients for the stated time, every answer checked against the asking zone's reference.
pub async fn run(a: LoadArgs<'_>) -> Result<LoadReport> {
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
    let (cold, references) = cold(&host, &zones, a.path).await?;
    let references = Arc::new(references);
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(a.seconds);
    let mut tasks = Vec::new();
    for c in 0..a.clients {
        let client = Client {
            index: c,
            zones: zones.clone(),
            references: references.clone(),
            host: host.clone(),
            path: a.path.to_string(),
            cross_every: a.cross_every,
        };
        tasks.push(tokio::spawn(client.run(deadline)));
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
    Ok(LoadReport {
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
    })
}

/// Each zone's first answer, one at a time: its time, and the answer as the zone's
/// reference (it must name the zone, and no two zones' figures may be the same).
async fn cold(host: &str, zones: &[Zone], path: &str) -> Result<(Vec<u64>, Vec<Vec<u8>>)> {
    let mut conn = Conn::open(host).await?;
    let mut cold = Vec::with_capacity(zones.len());
    let mut references: Vec<Vec<u8>> = Vec::with_capacity(zones.len());
    for z in zones {
        let t = Instant::now();
        let (status, body) = conn.get(&path.replace("{zone}", &z.code), &z.token).await?;
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
    Ok((cold, references))
}

/// One client on its own connection, asking zones in turn.
struct Client {
    index: usize,
    zones: Arc<Vec<Zone>>,
    references: Arc<Vec<Vec<u8>>>,
    host: String,
    path: String,
    cross_every: u64,
}

impl Client {
    async fn run(self, deadline: Instant) -> ClientTally {
        let mut out = ClientTally::default();
        let Ok(mut conn) = Conn::open(&self.host).await else {
            out.errors += 1;
            return out;
        };
        let n = self.zones.len();
        let mut k = self.index as u64;
        while Instant::now() < deadline {
            k += 1;
            let zi = (self.index + k as usize * 7) % n;
            let answer = if self.cross_every > 0 && k.is_multiple_of(self.cross_every) {
                self.cross(&mut conn, &mut out, zi, k).await
            } else {
                self.own(&mut conn, &mut out, zi).await
            };
            if answer.is_err() {
                out.errors += 1;
                match Conn::open(&self.host).await {
                    Ok(c2) => conn = c2,
                    Err(_) => return out,
                }
            }
        }
        out
    }

    /// Another zone's figures with this zone's token: must be refused.
    async fn cross(&self, conn: &mut Conn, out: &mut ClientTally, zi: usize, k: u64) -> Result<()> {
        let n = self.zones.len();
        let oi = (zi + 1 + (k as usize % (n - 1))) % n;
        let p = self.path.replace("{zone}", &self.zones[oi].code);
        out.cross += 1;
        let (status, body) = conn.get(&p, &self.zones[zi].token).await?;
        if (400..500).contains(&status) && body != self.references[oi] {
            out.cross_refused += 1;
        }
        Ok(())
    }

    /// The zone's own figures: timed, and compared with its reference.
    async fn own(&self, conn: &mut Conn, out: &mut ClientTally, zi: usize) -> Result<()> {
        let z = &self.zones[zi];
        let p = self.path.replace("{zone}", &z.code);
        let t = Instant::now();
        match conn.get(&p, &z.token).await? {
            (200, body) => {
                out.micros.push(t.elapsed().as_micros() as u64);
                if body != self.references[zi] {
                    out.mismatches += 1;
                }
            }
            _ => out.errors += 1,
        }
        Ok(())
    }
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
