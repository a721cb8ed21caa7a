//! The static file responder: GET and HEAD on the built site, with
//! directory indexes, slash redirects, validators and 304s, the site's own
//! 404 page, and the live-reload snippet in HTML responses.
//!
//! Owns HTTP semantics for files. Path safety lives in `path`, the snippet
//! in `live`, Content-Types in `mime::content_type` (shared, so preview
//! sends what the published host will); this module only reads files, never
//! writes them.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::live::{Live, LiveSite, inject};
use super::path::{Target, resolve};
use crate::mime::content_type;

/// What every request handler shares: the canonical site root and the
/// live-reload state.
pub(crate) struct Site {
    pub(crate) root: PathBuf,
    pub(crate) live: Live,
}

impl LiveSite for Site {
    fn live(&self) -> &Live {
        &self.live
    }
}

/// The fallback handler: every request that is not the events endpoint.
pub(crate) async fn handle(State(site): State<Arc<Site>>, request: Request) -> Response {
    let method = request.method();
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            [(header::ALLOW, "GET, HEAD")],
            "405 Method Not Allowed\n",
        )
            .into_response();
    }
    let uri = request.uri();
    let path = uri.path().to_owned();
    let query = uri.query().map(str::to_owned);
    let headers = request.headers().clone();
    // File system calls block; keep them off the async workers. Axum drops
    // the body of HEAD responses after setting Content-Length from it.
    tokio::task::spawn_blocking(move || respond(&site, &path, query.as_deref(), &headers))
        .await
        .unwrap_or_else(|_| {
            plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "500 Internal Server Error\n",
            )
        })
}

fn respond(site: &Site, path: &str, query: Option<&str>, headers: &HeaderMap) -> Response {
    match resolve(&site.root, path) {
        Target::File(file) => match file_response(site, &file, headers) {
            Ok(response) => response,
            // The file went away between resolving and reading: a rebuild
            // swapped the site underneath us.
            Err(e) if e.kind() == io::ErrorKind::NotFound => not_found(site),
            Err(_) => plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "500 Internal Server Error\n",
            ),
        },
        Target::Redirect(location) => {
            let location = match query {
                Some(query) => format!("{location}?{query}"),
                None => location,
            };
            (
                StatusCode::PERMANENT_REDIRECT,
                // A permanent redirect is cached forever unless told not to,
                // and in preview a directory may become a file.
                [
                    (header::LOCATION, location.as_str()),
                    (header::CACHE_CONTROL, "no-store"),
                ],
            )
                .into_response()
        }
        Target::NotFound => not_found(site),
        Target::Outside => plain(
            StatusCode::FORBIDDEN,
            "403 Forbidden: this path leads outside the site\n",
        ),
        Target::Refused(reason) => plain(
            StatusCode::BAD_REQUEST,
            &format!("400 Bad Request: {reason}\n"),
        ),
    }
}

/// A 200 (or 304) for `file`. HTML gets the snippet and an ETag hashed from
/// what is actually sent, since the overlay changes it without touching the
/// file; other files get an ETag and Last-Modified from their metadata.
fn file_response(site: &Site, file: &Path, headers: &HeaderMap) -> io::Result<Response> {
    let content_type = content_type(file);
    let bytes = std::fs::read(file)?;
    let modified = std::fs::metadata(file)?.modified().ok();
    let (body, etag, last_modified) = if content_type.starts_with("text/html") {
        let body = inject(&bytes, &site.live.snippet());
        let hash = blake3::hash(&body).to_hex();
        let etag = format!("\"{}\"", &hash.as_str()[..20]);
        (body, etag, None)
    } else {
        let nanos = modified
            .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let etag = format!("\"{:x}-{nanos:x}\"", bytes.len());
        (bytes, etag, modified)
    };
    let mut response = if not_modified(headers, &etag, last_modified) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = Response::new(Body::from(body));
        let h = response.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        response
    };
    let h = response.headers_mut();
    // Revalidate on every load: the site changes under the browser.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, value);
    }
    if let Some(value) =
        last_modified.and_then(|m| HeaderValue::from_str(&httpdate::fmt_http_date(m)).ok())
    {
        h.insert(header::LAST_MODIFIED, value);
    }
    Ok(response)
}

/// RFC 9110 section 13.2.2: If-None-Match decides when present (weak
/// comparison); otherwise If-Modified-Since, at one-second precision.
fn not_modified(headers: &HeaderMap, etag: &str, modified: Option<SystemTime>) -> bool {
    if let Some(value) = headers.get(header::IF_NONE_MATCH) {
        let Ok(value) = value.to_str() else {
            return false;
        };
        return value
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag);
    }
    let (Some(since), Some(modified)) = (headers.get(header::IF_MODIFIED_SINCE), modified) else {
        return false;
    };
    let Some(since) = since
        .to_str()
        .ok()
        .and_then(|s| httpdate::parse_http_date(s).ok())
    else {
        return false;
    };
    let seconds = |t: SystemTime| t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    seconds(modified) <= seconds(since)
}

/// The site's own `404.html` (with the snippet) and status 404, or a plain
/// text 404 when the site has none.
fn not_found(site: &Site) -> Response {
    // Resolved like any request, so a 404.html symlinked out is not read.
    let page = match resolve(&site.root, "/404.html") {
        Target::File(page) => std::fs::read(&page).ok(),
        _ => None,
    };
    // Without the site's own page (nothing built yet, the first build having
    // failed) a bare one still carries the overlay and the reload script.
    let bytes = page.unwrap_or_else(|| BARE_NOT_FOUND.as_bytes().to_vec());
    let body = inject(&bytes, &site.live.snippet());
    (
        StatusCode::NOT_FOUND,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

/// The 404 page when the site has none.
const BARE_NOT_FOUND: &str = "<!doctype html><html><head><meta charset=\"utf-8\">\
<title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>\n";

fn plain(status: StatusCode, text: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text.to_owned(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(name: header::HeaderName, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).expect("test header"));
        h
    }

    #[test]
    fn if_none_match_matches_weakly_and_in_lists() {
        let tag = "\"abc\"";
        assert!(not_modified(
            &headers(header::IF_NONE_MATCH, "\"abc\""),
            tag,
            None
        ));
        assert!(not_modified(
            &headers(header::IF_NONE_MATCH, "W/\"abc\""),
            tag,
            None
        ));
        assert!(not_modified(
            &headers(header::IF_NONE_MATCH, "\"x\", \"abc\""),
            tag,
            None
        ));
        assert!(not_modified(
            &headers(header::IF_NONE_MATCH, "*"),
            tag,
            None
        ));
        assert!(!not_modified(
            &headers(header::IF_NONE_MATCH, "\"abd\""),
            tag,
            None
        ));
    }

    #[test]
    fn if_modified_since_compares_whole_seconds() {
        let t = UNIX_EPOCH + std::time::Duration::from_millis(1_700_000_000_500);
        let same = headers(header::IF_MODIFIED_SINCE, &httpdate::fmt_http_date(t));
        assert!(not_modified(&same, "\"x\"", Some(t)));
        let earlier = UNIX_EPOCH + std::time::Duration::from_secs(1_600_000_000);
        let old = headers(header::IF_MODIFIED_SINCE, &httpdate::fmt_http_date(earlier));
        assert!(!not_modified(&old, "\"x\"", Some(t)));
    }

    #[test]
    fn if_none_match_wins_over_if_modified_since() {
        let t = UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        let mut h = headers(header::IF_NONE_MATCH, "\"other\"");
        h.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_str(&httpdate::fmt_http_date(t)).expect("test header"),
        );
        assert!(!not_modified(&h, "\"x\"", Some(t)));
    }
}
