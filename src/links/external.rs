//! Outside links (`check --links --external`): each distinct URL asked once
//! (HEAD, then GET when a server refuses HEAD), by a few threads, never more
//! than `per_host` at a time to one host; failures that may pass (timeouts,
//! 429, 5xx) are tried again after a pause that doubles. Answers are
//! remembered (`memo`) so a check soon after asks again only what is new.
//! Blocking ureq on scoped threads: no async runtime for a few hundred URLs.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

use serde::Serialize;

use super::memo::Memo;
pub use super::memo::Outcome;
use crate::build::Progress;

/// How outside links are checked.
#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// Requests in flight at once, over all hosts (default 8).
    pub threads: usize,
    /// Requests in flight at once to one host (default 2).
    pub per_host: usize,
    /// Longest wait for one answer, redirects included (default 10 s).
    pub timeout: Duration,
    /// Further tries after a failure that may pass (default 2).
    pub retries: u32,
    /// Pause before the first retry, doubled for each next one (default 1 s);
    /// a 429's `Retry-After` (up to 60 s) wins.
    pub backoff: Duration,
    /// How long an answer is remembered (default a day; failures that may
    /// pass, an hour at most).
    pub max_age: Duration,
    /// Where answers are remembered; default `.broadsheet-cache/links.tsv`.
    pub cache_file: Option<PathBuf>,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            threads: 8,
            per_host: 2,
            timeout: Duration::from_secs(10),
            retries: 2,
            backoff: Duration::from_secs(1),
            max_age: Duration::from_secs(86_400),
            cache_file: None,
        }
    }
}

/// The figures of an outside check.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Summary {
    /// Distinct URLs, and the hosts they are on.
    pub urls: usize,
    pub hosts: usize,
    /// Answers taken from the cache, and URLs asked this time.
    pub from_cache: usize,
    pub fetched: usize,
    pub ok: usize,
    /// Error statuses, and URLs that gave no answer.
    pub broken: usize,
    pub unreachable: usize,
    /// Requests made again after a failure that may pass.
    pub retries: usize,
    /// Why the answers could not be remembered, if they could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_note: Option<String>,
}

/// Checks `urls`, answers remembered in `cache` first; returns an outcome per
/// URL, in order, and the figures.
pub fn check_urls(
    urls: &[&str],
    opts: &ExternalOptions,
    cache: &Path,
    progress: &dyn Progress,
) -> (Vec<Outcome>, Summary) {
    let now = unix_now();
    let mut memo = Memo::load(cache);
    let mut outcomes: Vec<Option<Outcome>> = urls
        .iter()
        .map(|u| memo.fresh(u, now, opts.max_age).cloned())
        .collect();
    let mut summary = Summary {
        urls: urls.len(),
        from_cache: outcomes.iter().filter(|o| o.is_some()).count(),
        ..Summary::default()
    };
    let mut queue = Queue::default();
    let mut hosts = std::collections::HashSet::new();
    for (i, url) in urls.iter().enumerate() {
        let host = host_of(url);
        if let Some(h) = &host {
            hosts.insert(h.clone());
        }
        match (host, &outcomes[i]) {
            (_, Some(_)) => {}
            (Some(h), None) => queue.add(h, i),
            (None, None) => outcomes[i] = Some(Outcome::Unreachable("not a valid URL".into())),
        }
    }
    summary.hosts = hosts.len();
    summary.fetched = queue.left;
    progress.phase("external links", queue.left as u64);
    for (i, outcome, retries) in fetch_all(urls, queue, opts, progress) {
        summary.retries += retries as usize;
        memo.record(urls[i], now, outcome.clone());
        outcomes[i] = Some(outcome);
    }
    if let Err(e) = memo.save(cache, now, opts.max_age) {
        summary.cache_note = Some(format!("cannot save {}: {e}", cache.display()));
    }
    let outcomes: Vec<Outcome> = outcomes
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Outcome::Unreachable("not checked".into())))
        .collect();
    for o in &outcomes {
        match o {
            Outcome::Ok(_) => summary.ok += 1,
            Outcome::Status(_) => summary.broken += 1,
            Outcome::Unreachable(_) => summary.unreachable += 1,
        }
    }
    (outcomes, summary)
}

/// `host:port` of an http(s) URL, lowercased.
fn host_of(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    Some(match parsed.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    })
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// URLs waiting, by host, and how many requests each host has in flight.
#[derive(Default)]
struct Queue {
    hosts: Vec<(VecDeque<usize>, usize)>,
    slot_of: HashMap<String, usize>,
    /// URLs not yet taken.
    left: usize,
    /// Where the next search for work starts, so hosts take turns.
    next: usize,
}

impl Queue {
    fn add(&mut self, host: String, url: usize) {
        let slot = *self.slot_of.entry(host).or_insert_with(|| {
            self.hosts.push((VecDeque::new(), 0));
            self.hosts.len() - 1
        });
        self.hosts[slot].0.push_back(url);
        self.left += 1;
    }

    /// The next URL of a host with room: its host slot and index.
    fn take(&mut self, per_host: usize) -> Option<(usize, usize)> {
        let (n, start) = (self.hosts.len(), self.next);
        (0..n).map(|k| (start + k) % n).find_map(|slot| {
            let (waiting, in_flight) = &mut self.hosts[slot];
            if *in_flight >= per_host {
                return None;
            }
            let url = waiting.pop_front()?;
            *in_flight += 1;
            self.left -= 1;
            self.next = slot + 1;
            Some((slot, url))
        })
    }
}

/// Fetches every queued URL on a few threads: (index, outcome, retries).
fn fetch_all(
    urls: &[&str],
    queue: Queue,
    opts: &ExternalOptions,
    progress: &dyn Progress,
) -> Vec<(usize, Outcome, u32)> {
    let threads = opts.threads.max(1).min(queue.left);
    let per_host = opts.per_host.max(1);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(opts.timeout))
        .max_redirects(10)
        .user_agent(concat!(
            "broadsheet/",
            env!("CARGO_PKG_VERSION"),
            " (link check)"
        ))
        .build()
        .into();
    let queue = Mutex::new(queue);
    let turn = Condvar::new();
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some((slot, i)) = next_job(&queue, &turn, per_host) {
                    let (outcome, retries) = fetch(&agent, urls[i], opts);
                    lock(&results).push((i, outcome, retries));
                    progress.advance(1);
                    lock(&queue).hosts[slot].1 -= 1;
                    turn.notify_all();
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Waits for a URL whose host has room; `None` when none is left.
fn next_job(queue: &Mutex<Queue>, turn: &Condvar, per_host: usize) -> Option<(usize, usize)> {
    let mut q = lock(queue);
    loop {
        if let Some(job) = q.take(per_host) {
            return Some(job);
        }
        if q.left == 0 {
            return None;
        }
        q = turn
            .wait(q)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
    }
}

/// One URL, tried again while its failure may pass: the outcome and the
/// number of retries.
fn fetch(agent: &ureq::Agent, url: &str, opts: &ExternalOptions) -> (Outcome, u32) {
    let mut pause = opts.backoff;
    let mut attempt = 0;
    loop {
        let (outcome, retry_after) = ask(agent, url);
        if !outcome.may_pass() || attempt >= opts.retries {
            return (outcome, attempt);
        }
        std::thread::sleep(retry_after.unwrap_or(pause));
        pause *= 2;
        attempt += 1;
    }
}

/// HEAD, then GET when the server answers HEAD with an error other than
/// "not found" (many refuse or mishandle HEAD). The body is never read.
fn ask(agent: &ureq::Agent, url: &str) -> (Outcome, Option<Duration>) {
    let answer = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match r {
        Ok(resp) => {
            let retry_after = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(|s| Duration::from_secs(s.min(60)));
            (Outcome::of_status(resp.status().as_u16()), retry_after)
        }
        Err(e) => (Outcome::Unreachable(describe(&e)), None),
    };
    let head = answer(agent.head(url).call());
    match head.0 {
        Outcome::Status(s) if !matches!(s, 404 | 410 | 429) => answer(agent.get(url).call()),
        _ => head,
    }
}

fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Timeout(_) => "timed out".to_string(),
        ureq::Error::HostNotFound => "host not found".to_string(),
        ureq::Error::ConnectionFailed => "connection failed".to_string(),
        ureq::Error::TooManyRedirects => "too many redirects".to_string(),
        ureq::Error::BadUri(_) => "not a valid URL".to_string(),
        ureq::Error::Io(io) => io.to_string(),
        other => other.to_string(),
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
