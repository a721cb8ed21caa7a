//! The S3 target's lock: the object `<prefix>.broadsheet-lock`, holding who took it
//! and until when its lease runs. A deploy takes it before it reads the bucket and
//! lets go (deletes it) when done, on every way out; while it runs, a thread renews
//! the lease every third of its length, so only a deploy that died leaves a lock to
//! expire, and an expired lock is taken over.
//!
//! Taking it is a conditional write (`If-None-Match: *` for a new lock, `If-Match`
//! with the expired lock's ETag for a takeover), then a read-back of the token, so
//! two deploys racing for it cannot both win, even on a store that ignores the
//! conditions (one of them reads the other's token and gives up).

use std::sync::mpsc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::client::{Client, Condition};
use crate::deploy::DeployError;
use crate::deploy::lock::{Holder, utc};

/// The lock object's name under the target's prefix.
pub(crate) const LOCK_NAME: &str = ".broadsheet-lock";

/// The lock object's contents.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Body {
    #[serde(flatten)]
    holder: Holder,
    /// When the lease runs out unless renewed, UTC.
    expires: String,
    /// Tells this deploy's lock from another's with the same host and pid.
    token: String,
}

/// A held lock; dropping it deletes the lock object if it is still this deploy's.
pub(crate) struct S3Lock<'a> {
    client: &'a Client,
    key: String,
    body: Body,
    lease: Duration,
}

impl<'a> S3Lock<'a> {
    /// Takes the lock at `key` for target `target`, or says who holds it.
    pub(crate) fn take(
        client: &'a Client,
        target: &str,
        key: &str,
        lease: Duration,
    ) -> Result<Self, DeployError> {
        let now = Utc::now();
        let holder = Holder::me();
        let body = Body {
            token: format!(
                "{}-{}-{}",
                holder.host,
                holder.pid,
                now.timestamp_nanos_opt().unwrap_or_default()
            ),
            expires: utc(now + lease),
            holder,
        };
        // Serializing a struct of strings and a number cannot fail.
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        let written = match client.get_tagged(key)? {
            None => client.put_if(key, &bytes, Condition::Absent)?,
            Some((held, etag)) => match parse(&held) {
                Some(other) if !expired(&other, now) => return Err(busy(target, key, &other)),
                // Expired, or not a lock this program can read: taken over, only if
                // nobody changed it since it was read.
                _ => match &etag {
                    Some(etag) => client.put_if(key, &bytes, Condition::Etag(etag))?,
                    None => client.put_if(key, &bytes, Condition::Absent)?,
                },
            },
        };
        match client.get_tagged(key)?.and_then(|(b, _)| parse(&b)) {
            Some(held) if written && held.token == body.token => Ok(S3Lock {
                client,
                key: key.to_owned(),
                body,
                lease,
            }),
            // Lost a race; the winner's lock stays.
            Some(other) => Err(busy(target, key, &other)),
            None => Err(DeployError::Protocol {
                action: "lock",
                key: key.to_owned(),
                message: "the lock object vanished right after it was written".to_owned(),
            }),
        }
    }

    /// Runs `work` while a thread renews the lease.
    pub(crate) fn while_held<T>(&self, work: impl FnOnce() -> T) -> T {
        let (stop, stopped) = mpsc::channel::<()>();
        let every = self.lease / 3;
        let key = self.key.clone();
        let client = self.client;
        let mut body = self.body.clone();
        let lease = self.lease;
        std::thread::scope(|scope| {
            scope.spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(every) {
                    body.expires = utc(Utc::now() + lease);
                    let bytes = serde_json::to_vec(&body).unwrap_or_default();
                    // A failed renewal is retried at the next tick; the lease is
                    // three ticks long.
                    let _ = client.put(&key, &bytes, "application/json", "no-store");
                }
            });
            let result = work();
            drop(stop);
            result
        })
    }
}

impl Drop for S3Lock<'_> {
    fn drop(&mut self) {
        // Best effort: a lock left behind expires with its lease.
        let ours = self
            .client
            .get_tagged(&self.key)
            .ok()
            .flatten()
            .and_then(|(b, _)| parse(&b))
            .is_some_and(|held| held.token == self.body.token);
        if ours {
            let _ = self.client.delete(std::slice::from_ref(&self.key));
        }
    }
}

fn parse(bytes: &[u8]) -> Option<Body> {
    serde_json::from_slice(bytes).ok()
}

fn expired(body: &Body, now: DateTime<Utc>) -> bool {
    DateTime::parse_from_rfc3339(&body.expires).map_or(true, |t| t.with_timezone(&Utc) <= now)
}

fn busy(target: &str, key: &str, other: &Body) -> DeployError {
    DeployError::Locked {
        target: target.to_owned(),
        holder: other.holder.to_string(),
        lock: format!("lock object `{key}`, lease until {}", other.expires),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_past_its_time_or_unreadable_is_expired() {
        let body = |expires: &str| Body {
            holder: Holder {
                host: "h".into(),
                pid: 1,
                since: "2026-12-03T21:00:00Z".into(),
            },
            expires: expires.into(),
            token: "t".into(),
        };
        let now = DateTime::parse_from_rfc3339("2026-12-03T21:10:00Z")
            .expect("time")
            .with_timezone(&Utc);
        assert!(expired(&body("2026-12-03T21:05:00Z"), now));
        assert!(!expired(&body("2026-12-03T21:15:00Z"), now));
        assert!(expired(&body("soon"), now));
    }
}
