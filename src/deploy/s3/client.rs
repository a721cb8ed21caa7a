//! A small blocking S3 client: presigned requests (rusty-s3) sent with ureq, retried
//! with bounded exponential backoff, errors turned into one-line `DeployError`s that
//! name the object and never carry a signed URL or a credential.

use std::thread::sleep;
use std::time::Duration;

use rusty_s3::actions::{DeleteObjectsResponse, ListObjectsV2, ObjectIdentifier};
use rusty_s3::{Bucket, Credentials, S3Action as _, UrlStyle};

use crate::deploy::DeployError;
use crate::deploy::config::S3Target;

/// How long a presigned request stays valid; each attempt signs afresh.
const EXPIRY: Duration = Duration::from_secs(15 * 60);
/// Largest response body read (a manifest of a million files is far below this).
const BODY_LIMIT: u64 = 1 << 30;
/// Keys per DeleteObjects request (the S3 maximum).
pub(crate) const DELETE_BATCH: usize = 1000;

/// How often and how patiently to retry a failing request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Retry {
    /// Attempts in all, the first included.
    pub attempts: u32,
    /// Wait after the first failure; doubled after each further one.
    pub first_delay: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        // 0.25 + 0.5 + 1 + 2 s: rides out a throttling burst or a dropped connection
        // and gives up within 4 s on a store that is really down.
        Self {
            attempts: 5,
            first_delay: Duration::from_millis(250),
        }
    }
}

/// One object in a listing.
#[derive(Debug, Clone)]
pub(crate) struct Listed {
    pub key: String,
    pub size: u64,
    /// Unquoted ETag.
    pub etag: String,
}

/// An object's bytes and its unquoted ETag, when the store sent one.
pub(crate) type Tagged = (Vec<u8>, Option<String>);

/// What a conditional upload requires of the key.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Condition<'a> {
    /// No object there yet.
    Absent,
    /// The object there has this (unquoted) ETag.
    Etag(&'a str),
}

/// A file to send in parts.
pub(crate) struct MultipartFile<'a> {
    pub key: &'a str,
    pub path: &'a std::path::Path,
    /// Its MD5 when the plan was made (hex).
    pub md5: &'a str,
    pub part_size: usize,
    pub content_type: &'a str,
    pub cache_control: &'a str,
}

pub(crate) struct Client {
    agent: ureq::Agent,
    bucket: Bucket,
    credentials: Credentials,
    /// Endpoint as configured, for messages.
    endpoint: String,
    retry: Retry,
}

/// What came back from a successful request.
struct Reply {
    etag: Option<String>,
    body: Vec<u8>,
}

impl Client {
    pub(crate) fn new(
        target: &S3Target,
        credentials: Credentials,
        retry: Retry,
    ) -> Result<Self, DeployError> {
        let endpoint = target
            .endpoint
            .clone()
            .unwrap_or_else(|| format!("https://s3.{}.amazonaws.com", target.region));
        let bad = |why: &str| {
            DeployError::Config(format!(
                "target `{}`: endpoint `{endpoint}` {why}",
                target.name
            ))
        };
        let url = url::Url::parse(&endpoint).map_err(|e| bad(&e.to_string()))?;
        let style = if target.path_style.unwrap_or(target.endpoint.is_some()) {
            UrlStyle::Path
        } else {
            UrlStyle::VirtualHost
        };
        let bucket = Bucket::new(url, style, target.bucket.clone(), target.region.clone())
            .map_err(|e| bad(&format!("{e:?}")))?;
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_recv_response(Some(Duration::from_secs(60)))
            .timeout_send_body(Some(Duration::from_secs(300)))
            .timeout_recv_body(Some(Duration::from_secs(300)))
            .build()
            .new_agent();
        Ok(Self {
            agent,
            bucket,
            credentials,
            endpoint,
            retry,
        })
    }

    /// Every object under `prefix` (all pages of ListObjectsV2).
    pub(crate) fn list(&self, prefix: &str) -> Result<Vec<Listed>, DeployError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        let what = if prefix.is_empty() { "/" } else { prefix };
        loop {
            let reply = self
                .call("list", what, false, || {
                    let mut action = self.bucket.list_objects_v2(Some(&self.credentials));
                    if !prefix.is_empty() {
                        action.with_prefix(prefix);
                    }
                    if let Some(token) = &token {
                        action.with_continuation_token(token.as_str());
                    }
                    self.agent.get(action.sign(EXPIRY).as_str()).call()
                })?
                .ok_or_else(|| self.not_found())?;
            let text = String::from_utf8_lossy(&reply.body);
            let page = ListObjectsV2::parse_response(&text).map_err(|e| DeployError::Protocol {
                action: "list",
                key: what.to_owned(),
                message: e.to_string(),
            })?;
            out.extend(page.contents.into_iter().map(|c| Listed {
                etag: unquote(&c.etag).to_owned(),
                key: c.key,
                size: c.size,
            }));
            match page.next_continuation_token {
                Some(next) if !next.is_empty() => token = Some(next),
                _ => return Ok(out),
            }
        }
    }

    /// The object's bytes, `None` when there is no such key.
    pub(crate) fn get(&self, key: &str) -> Result<Option<Vec<u8>>, DeployError> {
        let reply = self.call("get", key, true, || {
            let action = self.bucket.get_object(Some(&self.credentials), key);
            self.agent.get(action.sign(EXPIRY).as_str()).call()
        })?;
        Ok(reply.map(|r| r.body))
    }

    /// The object's bytes and unquoted ETag, `None` when there is no such key.
    pub(crate) fn get_tagged(&self, key: &str) -> Result<Option<Tagged>, DeployError> {
        let reply = self.call("get", key, true, || {
            let action = self.bucket.get_object(Some(&self.credentials), key);
            self.agent.get(action.sign(EXPIRY).as_str()).call()
        })?;
        Ok(reply.map(|r| (r.body, r.etag)))
    }

    /// Uploads `body` (JSON, not cached) to `key` only if `condition` holds there;
    /// `Ok(false)` when the store says it does not (412, or 409 for a conditional
    /// write that raced another). A store that ignores conditions writes anyway:
    /// callers read the object back to be sure.
    pub(crate) fn put_if(
        &self,
        key: &str,
        body: &[u8],
        condition: Condition<'_>,
    ) -> Result<bool, DeployError> {
        let (header, value) = match condition {
            Condition::Absent => ("if-none-match", "*".to_owned()),
            Condition::Etag(etag) => ("if-match", format!("\"{etag}\"")),
        };
        let sent = self.call("upload", key, false, || {
            let action = self.bucket.put_object(Some(&self.credentials), key);
            self.agent
                .put(action.sign(EXPIRY).as_str())
                .header("content-type", "application/json")
                .header("cache-control", "no-store")
                .header(header, &value)
                .send(body)
        });
        match sent {
            Ok(Some(_)) => Ok(true),
            Ok(None) => Err(self.not_found()),
            Err(DeployError::Remote {
                status: 409 | 412, ..
            }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Uploads the file at `path` to `key` in parts of `part_size` bytes (multipart
    /// upload), checking that its MD5 is still `md5` (the file did not change since the
    /// plan); an upload that fails is aborted, so no parts are left to pay for.
    /// Returns the unquoted ETag (not an MD5: `<md5 of the parts' md5s>-<parts>`).
    pub(crate) fn put_multipart(&self, file: &MultipartFile<'_>) -> Result<String, DeployError> {
        let key = file.key;
        let created = self
            .call("upload", key, false, || {
                let mut action = self
                    .bucket
                    .create_multipart_upload(Some(&self.credentials), key);
                action
                    .headers_mut()
                    .insert("content-type", file.content_type);
                action
                    .headers_mut()
                    .insert("cache-control", file.cache_control);
                self.agent
                    .post(action.sign(EXPIRY).as_str())
                    .header("content-type", file.content_type)
                    .header("cache-control", file.cache_control)
                    .send_empty()
            })?
            .ok_or_else(|| self.not_found())?;
        let text = String::from_utf8_lossy(&created.body);
        let created =
            rusty_s3::actions::CreateMultipartUpload::parse_response(&text).map_err(|e| {
                DeployError::Protocol {
                    action: "upload",
                    key: key.to_owned(),
                    message: e.to_string(),
                }
            })?;
        let upload_id = created.upload_id();
        let result = self
            .send_parts(file, upload_id)
            .and_then(|etags| self.complete(key, upload_id, &etags));
        if result.is_err() {
            // Best effort: the store also drops unfinished uploads by its own rules.
            let action =
                self.bucket
                    .abort_multipart_upload(Some(&self.credentials), key, upload_id);
            let _ = self.agent.delete(action.sign(EXPIRY).as_str()).call();
        }
        result
    }

    /// Sends the parts in order; returns their ETags.
    fn send_parts(
        &self,
        file: &MultipartFile<'_>,
        upload_id: &str,
    ) -> Result<Vec<String>, DeployError> {
        use std::io::Read as _;
        let mut reader =
            std::fs::File::open(file.path).map_err(|e| DeployError::io(file.path, e))?;
        let mut md5 = <md5::Md5 as md5::Digest>::new();
        let mut etags = Vec::new();
        let mut part = Vec::with_capacity(file.part_size);
        loop {
            part.clear();
            (&mut reader)
                .take(file.part_size as u64)
                .read_to_end(&mut part)
                .map_err(|e| DeployError::io(file.path, e))?;
            if part.is_empty() && !etags.is_empty() {
                break;
            }
            md5::Digest::update(&mut md5, &part);
            let number = u16::try_from(etags.len() + 1).map_err(|_| DeployError::Protocol {
                action: "upload",
                key: file.key.to_owned(),
                message: "more than 10,000 parts: raise multipart_threshold".to_owned(),
            })?;
            let reply = self
                .call("upload", file.key, false, || {
                    let action = self.bucket.upload_part(
                        Some(&self.credentials),
                        file.key,
                        number,
                        upload_id,
                    );
                    self.agent.put(action.sign(EXPIRY).as_str()).send(&part[..])
                })?
                .ok_or_else(|| self.not_found())?;
            etags.push(reply.etag.unwrap_or_default());
            if part.len() < file.part_size {
                break;
            }
        }
        let sent: String = md5::Digest::finalize(md5)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if sent != file.md5 {
            return Err(DeployError::io(
                file.path,
                std::io::Error::other("changed while deploying; build, then deploy again"),
            ));
        }
        Ok(etags)
    }

    fn complete(
        &self,
        key: &str,
        upload_id: &str,
        etags: &[String],
    ) -> Result<String, DeployError> {
        let reply = self
            .call("upload", key, false, || {
                let action = self.bucket.complete_multipart_upload(
                    Some(&self.credentials),
                    key,
                    upload_id,
                    etags.iter().map(String::as_str),
                );
                let url = action.sign(EXPIRY);
                self.agent
                    .post(url.as_str())
                    .header("content-type", "application/xml")
                    .send(action.body())
            })?
            .ok_or_else(|| self.not_found())?;
        // The ETag is in the XML body; a HEAD-free way to read it is the header some
        // stores also send, else the body's <ETag>.
        let text = String::from_utf8_lossy(&reply.body);
        let etag = reply.etag.or_else(|| {
            let start = text.find("<ETag>")? + "<ETag>".len();
            let end = text[start..].find("</ETag>")? + start;
            Some(unquote(&unescape(&text[start..end])).to_owned())
        });
        Ok(etag.unwrap_or_default())
    }

    /// Uploads `body` to `key` with its headers; returns the unquoted ETag.
    pub(crate) fn put(
        &self,
        key: &str,
        body: &[u8],
        content_type: &str,
        cache_control: &str,
    ) -> Result<String, DeployError> {
        let reply = self
            .call("upload", key, false, || {
                let mut action = self.bucket.put_object(Some(&self.credentials), key);
                // Signed, so a proxy cannot change them.
                action.headers_mut().insert("content-type", content_type);
                action.headers_mut().insert("cache-control", cache_control);
                self.agent
                    .put(action.sign(EXPIRY).as_str())
                    .header("content-type", content_type)
                    .header("cache-control", cache_control)
                    .send(body)
            })?
            .ok_or_else(|| self.not_found())?;
        Ok(reply.etag.unwrap_or_default())
    }

    /// Deletes up to `DELETE_BATCH` keys in one request.
    pub(crate) fn delete(&self, keys: &[String]) -> Result<(), DeployError> {
        let ids: Vec<ObjectIdentifier> = keys.iter().cloned().map(ObjectIdentifier::new).collect();
        let first = keys.first().map_or("", String::as_str);
        let reply = self
            .call("delete", first, false, || {
                let mut action = self
                    .bucket
                    .delete_objects(Some(&self.credentials), ids.iter());
                action.set_quiet(true);
                let url = action.sign(EXPIRY);
                let (body, md5) = action.body_with_md5();
                self.agent
                    .post(url.as_str())
                    .header("content-md5", &md5)
                    .header("content-type", "application/xml")
                    .send(body.as_bytes())
            })?
            .ok_or_else(|| self.not_found())?;
        let text = String::from_utf8_lossy(&reply.body);
        if text.trim().is_empty() {
            return Ok(());
        }
        let parsed = DeleteObjectsResponse::parse(&text).map_err(|e| DeployError::Protocol {
            action: "delete",
            key: first.to_owned(),
            message: e.to_string(),
        })?;
        match parsed.errors.into_iter().next() {
            None => Ok(()),
            Some(e) => Err(DeployError::Remote {
                action: "delete",
                key: e.key,
                attempts: 1,
                status: 200,
                code: e.code,
                message: e.message,
            }),
        }
    }

    fn not_found(&self) -> DeployError {
        DeployError::BucketNotFound {
            bucket: self.bucket.name().to_owned(),
            endpoint: self.endpoint.clone(),
        }
    }

    /// Sends the request `send` makes (signed afresh on each attempt), retrying transport
    /// failures, 5xx and throttling. `Ok(None)` for a missing key when `missing_ok`.
    fn call(
        &self,
        action: &'static str,
        key: &str,
        missing_ok: bool,
        send: impl Fn() -> Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Option<Reply>, DeployError> {
        let mut delay = self.retry.first_delay;
        let mut attempt = 1;
        loop {
            let last = attempt >= self.retry.attempts;
            let failure = match send().and_then(read_reply) {
                Err(e) if last => {
                    return Err(DeployError::Unreachable {
                        endpoint: self.endpoint.clone(),
                        key: key.to_owned(),
                        attempts: attempt,
                        message: describe(&e),
                    });
                }
                Err(_) => None,
                Ok((status, reply)) if (200..300).contains(&status) => return Ok(Some(reply)),
                Ok((status, reply)) => {
                    let (code, message) = error_fields(&reply.body);
                    match classify(status, &code) {
                        Class::Retry if !last => None,
                        Class::Missing if missing_ok => return Ok(None),
                        Class::NoBucket => return Err(self.not_found()),
                        Class::Credentials => {
                            return Err(DeployError::BadCredentials {
                                bucket: self.bucket.name().to_owned(),
                                code,
                                message,
                            });
                        }
                        _ => Some((status, code, message)),
                    }
                }
            };
            if let Some((status, code, message)) = failure {
                return Err(DeployError::Remote {
                    action,
                    key: key.to_owned(),
                    attempts: attempt,
                    status,
                    code,
                    message,
                });
            }
            sleep(delay);
            delay = delay.saturating_mul(2);
            attempt += 1;
        }
    }
}

/// Status, ETag and the whole body (a failure to read it counts as a transport error,
/// so it is retried too).
fn read_reply(mut resp: ureq::http::Response<ureq::Body>) -> Result<(u16, Reply), ureq::Error> {
    let status = resp.status().as_u16();
    let etag = resp
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(|v| unquote(v).to_owned());
    let body = resp
        .body_mut()
        .with_config()
        .limit(BODY_LIMIT)
        .read_to_vec()?;
    Ok((status, Reply { etag, body }))
}

#[derive(Debug, PartialEq, Eq)]
enum Class {
    Retry,
    Missing,
    NoBucket,
    Credentials,
    Fail,
}

fn classify(status: u16, code: &str) -> Class {
    match code {
        "NoSuchBucket" => return Class::NoBucket,
        "NoSuchKey" => return Class::Missing,
        "InvalidAccessKeyId"
        | "SignatureDoesNotMatch"
        | "AccessDenied"
        | "ExpiredToken"
        | "InvalidToken"
        | "TokenRefreshRequired"
        | "InvalidClientTokenId" => {
            return Class::Credentials;
        }
        "SlowDown" | "RequestTimeout" | "InternalError" | "ServiceUnavailable" => {
            return Class::Retry;
        }
        _ => {}
    }
    match status {
        401 | 403 => Class::Credentials,
        404 => Class::Missing,
        429 | 500..=599 => Class::Retry,
        _ => Class::Fail,
    }
}

/// `Code` and `Message` of an S3 XML error body (empty when absent, as for HEAD).
fn error_fields(body: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(body);
    let field = |name: &str| {
        let open = format!("<{name}>");
        let close = format!("</{name}>");
        text.split_once(&open)
            .and_then(|(_, rest)| rest.split_once(&close))
            .map(|(value, _)| unescape(value.trim()))
            .unwrap_or_default()
    };
    (field("Code"), field("Message"))
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

fn unquote(etag: &str) -> &str {
    etag.trim().trim_matches('"')
}

/// A transport error in words, without any URL: presigned URLs carry the access key id,
/// the signature and any session token in their query.
fn describe(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Io(io) => io.to_string(),
        ureq::Error::Timeout(t) => format!("timed out ({t})"),
        ureq::Error::HostNotFound => "host not found".to_owned(),
        ureq::Error::ConnectionFailed => "connection failed".to_owned(),
        ureq::Error::BadUri(_) => "bad URL".to_owned(),
        other => other
            .to_string()
            .split_whitespace()
            .map(|w| {
                if w.contains("X-Amz-") || w.contains("://") {
                    "<url>"
                } else {
                    w
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read as _, Write as _};
    use std::net::TcpListener;

    use super::*;

    #[test]
    fn s3_error_bodies_are_read_and_classified() {
        let body = b"<?xml version=\"1.0\"?><Error><Code>InvalidAccessKeyId</Code>\
            <Message>The AWS Access Key Id you provided does not exist in our records.</Message></Error>";
        let (code, message) = error_fields(body);
        assert_eq!(code, "InvalidAccessKeyId");
        assert_eq!(
            message,
            "The AWS Access Key Id you provided does not exist in our records."
        );
        assert_eq!(classify(403, &code), Class::Credentials);
        assert_eq!(classify(403, ""), Class::Credentials);
        assert_eq!(classify(404, "NoSuchBucket"), Class::NoBucket);
        assert_eq!(classify(404, "NoSuchKey"), Class::Missing);
        assert_eq!(classify(503, "SlowDown"), Class::Retry);
        assert_eq!(classify(500, ""), Class::Retry);
        assert_eq!(classify(400, "InvalidArgument"), Class::Fail);
    }

    fn target(endpoint: &str) -> S3Target {
        let text = format!(
            "[[targets]]\nname = \"t\"\nkind = \"s3\"\nbucket = \"news\"\nendpoint = \"{endpoint}\"\n"
        );
        match crate::deploy::DeployConfig::parse(&text)
            .unwrap()
            .targets
            .remove(0)
        {
            crate::deploy::TargetConfig::S3(s) => s,
            crate::deploy::TargetConfig::Directory(_) => unreachable!(),
        }
    }

    /// A server on loopback giving `answers` times the same HTTP answer, then closing;
    /// returns its endpoint and how many requests it answered.
    fn fake_s3(
        answers: usize,
        status: &'static str,
        body: &'static str,
    ) -> (String, std::thread::JoinHandle<usize>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let mut served = 0;
            for stream in listener.incoming().take(answers) {
                let mut stream = stream.unwrap();
                let mut buf = [0u8; 4096];
                let _ = stream.read(&mut buf);
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                served += 1;
            }
            served
        });
        (endpoint, server)
    }

    fn client(endpoint: &str, attempts: u32) -> Client {
        let retry = Retry {
            attempts,
            first_delay: Duration::from_millis(1),
        };
        let creds = Credentials::new("AKIDEXAMPLE", "secret-never-shown");
        Client::new(&target(endpoint), creds, retry).unwrap()
    }

    #[test]
    fn server_errors_are_retried_a_bounded_number_of_times_and_name_the_file() {
        let (endpoint, server) = fake_s3(
            3,
            "500 Internal Server Error",
            "<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>",
        );
        let e = client(&endpoint, 3)
            .put("2013/a/index.html", b"x", "text/html", "no-cache")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "S3 upload `2013/a/index.html` failed after 3 attempts: HTTP 500 InternalError: \
             We encountered an internal error."
        );
        assert_eq!(server.join().unwrap(), 3);
    }

    #[test]
    fn rejected_credentials_are_one_line_and_not_retried() {
        let (endpoint, server) = fake_s3(
            1,
            "403 Forbidden",
            "<Error><Code>InvalidAccessKeyId</Code><Message>The AWS Access Key Id you provided \
             does not exist in our records.</Message></Error>",
        );
        let e = client(&endpoint, 5).list("").unwrap_err().to_string();
        assert_eq!(
            e,
            "S3 rejected the credentials for bucket `news` (InvalidAccessKeyId): The AWS \
             Access Key Id you provided does not exist in our records."
        );
        assert_eq!(server.join().unwrap(), 1);
    }

    #[test]
    fn an_unreachable_endpoint_is_one_line_without_the_signed_url() {
        // Bind then drop, so the port is very likely closed.
        let addr = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let e = client(&format!("http://{addr}"), 2)
            .get("index.html")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(&format!(
                "cannot reach S3 endpoint http://{addr} for `index.html` after 2 attempts: "
            )),
            "{e}"
        );
        assert!(!e.contains("AKIDEXAMPLE") && !e.contains("X-Amz"), "{e}");
    }
}
