//! Live reload and the error overlay: the state shared between the rebuild
//! loop and the HTTP handlers, the Server-Sent Events endpoint, and the
//! snippet injected into HTML responses.
//!
//! Owns what the open browser tab is told. It never touches files on disk:
//! injection happens on the bytes of a response, after they were read.

use std::convert::Infallible;
use std::sync::{Arc, PoisonError, RwLock};

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use serde::Serialize;
use tokio::sync::{broadcast, watch};

use super::BuildFailure;
use crate::article::escape;

/// The URL path of the Server-Sent Events endpoint.
pub(crate) const EVENTS_PATH: &str = "/__broadsheet/events";

/// State shared by the rebuild loop (writer) and every request (readers).
pub(crate) struct Live {
    /// Identifies this server process, so a tab left open across a restart
    /// reloads once the new server answers.
    server_id: String,
    status: RwLock<Status>,
    messages: broadcast::Sender<Message>,
    shutdown: watch::Receiver<bool>,
}

/// What the served site currently is, with the snippet made once per change
/// rather than once per request.
#[derive(Clone, Debug)]
struct Status {
    /// Bumped on every rebuild, good or bad; pages carry the token of the
    /// generation they were served at, so a tab that missed an event
    /// notices on reconnect.
    generation: u64,
    token: String,
    /// Whether the last rebuild failed (the overlay is up).
    failed: bool,
    snippet: Arc<str>,
}

impl Status {
    fn new(server_id: &str, generation: u64, failure: Option<&BuildFailure>) -> Self {
        let token = format!("{server_id}:{generation}");
        let mut snippet = String::from(STYLE);
        if let Some(failure) = failure {
            snippet.push_str(&overlay_html(failure));
        }
        snippet.push_str(
            &SCRIPT
                .replace("__TOKEN__", &token)
                .replace("__EVENTS__", EVENTS_PATH),
        );
        Status {
            generation,
            token,
            failed: failure.is_some(),
            snippet: snippet.into(),
        }
    }
}

/// One message to the open tabs.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Message {
    Reload { token: String, css_only: bool },
    Failure { token: String, failure: OverlayText },
}

/// What the overlay shows, as the script receives it.
#[derive(Clone, Debug, Serialize)]
struct OverlayText {
    location: String,
    message: String,
}

impl Live {
    pub(crate) fn new(server_id: String, shutdown: watch::Receiver<bool>) -> Self {
        // Tabs read messages quickly; 64 only matters for a tab that stalls
        // during a burst of rebuilds, and a lagging tab is told to reload.
        let (messages, _) = broadcast::channel(64);
        Live {
            status: RwLock::new(Status::new(&server_id, 0, None)),
            server_id,
            messages,
            shutdown,
        }
    }

    /// Records a good rebuild: clears the overlay and tells tabs to reload
    /// (or only to swap stylesheets, when `css_only` and no overlay is up).
    pub(crate) fn succeeded(&self, css_only: bool) {
        let message = {
            let mut status = self.status.write().unwrap_or_else(PoisonError::into_inner);
            let had_overlay = status.failed;
            *status = Status::new(&self.server_id, status.generation + 1, None);
            Message::Reload {
                token: status.token.clone(),
                css_only: css_only && !had_overlay,
            }
        };
        // An error here only means no tab is connected.
        let _ = self.messages.send(message);
    }

    /// Records a failed rebuild: the last good site stays, with an overlay.
    pub(crate) fn failed(&self, failure: &BuildFailure) {
        let token = {
            let mut status = self.status.write().unwrap_or_else(PoisonError::into_inner);
            *status = Status::new(&self.server_id, status.generation + 1, Some(failure));
            status.token.clone()
        };
        let _ = self.messages.send(Message::Failure {
            token,
            failure: OverlayText {
                location: failure.location(),
                message: failure.message.clone(),
            },
        });
    }

    /// The snippet to insert before `</body>`: the overlay when the last
    /// rebuild failed, then the live-reload script.
    pub(crate) fn snippet(&self) -> Arc<str> {
        let status = self.status.read().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(&status.snippet)
    }

    fn hello(&self) -> Event {
        let status = self.status.read().unwrap_or_else(PoisonError::into_inner);
        Event::default().event("hello").data(status.token.as_str())
    }
}

/// `GET /__broadsheet/events`: a stream that starts with `hello` (the
/// current token) and then carries `reload` and `failure` events. It ends
/// when the server shuts down, so graceful shutdown is not held up by tabs.
pub(crate) async fn events(
    State(live): State<Arc<super::files::Site>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let live = Arc::clone(&live);
    let rx = live.live.messages.subscribe();
    let shutdown = live.live.shutdown.clone();
    let first = Some(live.live.hello());
    let stream = futures_util::stream::unfold(
        (live, rx, shutdown, first),
        |(site, mut rx, mut shutdown, first)| async move {
            if let Some(hello) = first {
                return Some((Ok(hello), (site, rx, shutdown, None)));
            }
            if *shutdown.borrow() {
                return None;
            }
            let event = tokio::select! {
                message = rx.recv() => match message {
                    Ok(message) => to_event(&message),
                    // Missed messages: re-sending `hello` makes the tab
                    // compare tokens and reload if it is behind.
                    Err(broadcast::error::RecvError::Lagged(_)) => site.live.hello(),
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = shutdown.changed() => return None,
            };
            Some((Ok(event), (site, rx, shutdown, None)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn to_event(message: &Message) -> Event {
    let name = match message {
        Message::Reload { .. } => "reload",
        Message::Failure { .. } => "failure",
    };
    // Serializing these plain structs cannot fail; an empty payload would
    // only make the tab reload.
    let data = serde_json::to_string(message).unwrap_or_default();
    Event::default().event(name).data(data)
}

/// Inserts `snippet` before the last `</body>` (any case), or at the end
/// when there is none.
pub(crate) fn inject(html: &[u8], snippet: &str) -> Vec<u8> {
    const CLOSE: &[u8] = b"</body";
    let at = html
        .windows(CLOSE.len())
        .rposition(|w| w.eq_ignore_ascii_case(CLOSE))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn overlay_html(failure: &BuildFailure) -> String {
    let location = failure.location();
    format!(
        "<div id=\"__broadsheet_overlay\" role=\"alert\">\
         <p class=\"__bs_title\">Build failed: showing the last good build</p>\
         <p class=\"__bs_location\">{}</p><pre class=\"__bs_message\">{}</pre></div>",
        escape(&location),
        escape(&failure.message),
    )
}

const STYLE: &str = "<style id=\"__broadsheet_style\">\
#__broadsheet_overlay{position:fixed;inset:0;z-index:2147483647;overflow:auto;\
background:rgba(20,20,20,.92);color:#fafafa;font:15px/1.5 ui-monospace,monospace;padding:2em}\
#__broadsheet_overlay .__bs_title{color:#ff8a80;font-weight:bold;font-size:1.2em;margin:0 0 .5em}\
#__broadsheet_overlay .__bs_location{color:#ffd180;margin:0 0 1em}\
#__broadsheet_overlay .__bs_message{white-space:pre-wrap;margin:0}</style>";

/// The live-reload client. Plain ES5 so it runs in any browser; it builds
/// the overlay with `textContent`, never `innerHTML`, so a message cannot
/// inject markup.
const SCRIPT: &str = r#"<script id="__broadsheet_live">(function () {
  var token = "__TOKEN__";
  function overlay(failure) {
    var old = document.getElementById("__broadsheet_overlay");
    if (old) old.parentNode.removeChild(old);
    var box = document.createElement("div");
    box.id = "__broadsheet_overlay";
    box.setAttribute("role", "alert");
    var parts = [["p", "__bs_title", "Build failed: showing the last good build"],
                 ["p", "__bs_location", failure.location],
                 ["pre", "__bs_message", failure.message]];
    for (var i = 0; i < parts.length; i++) {
      var el = document.createElement(parts[i][0]);
      el.className = parts[i][1];
      el.textContent = parts[i][2];
      box.appendChild(el);
    }
    document.body.appendChild(box);
  }
  function swapStyles() {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      // A fingerprinted name (style.0123456789abcdef.css) is gone once the
      // stylesheet changes; the build also writes it under its plain name.
      url.pathname = url.pathname.replace(/\.[0-9a-f]{16}\.css$/, ".css");
      url.searchParams.set("__broadsheet", String(Date.now()));
      links[i].href = url.toString();
    }
  }
  var source = new EventSource("__EVENTS__");
  source.addEventListener("hello", function (e) {
    if (e.data !== token) location.reload();
  });
  source.addEventListener("reload", function (e) {
    var data = JSON.parse(e.data);
    token = data.token;
    if (data.css_only) swapStyles(); else location.reload();
  });
  source.addEventListener("failure", function (e) {
    var data = JSON.parse(e.data);
    token = data.token;
    overlay(data.failure);
  });
})();</script>"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_goes_before_the_last_closing_body_tag() {
        let html = b"<html><body><p>x</p></BODY></html>";
        assert_eq!(
            inject(html, "<s>"),
            b"<html><body><p>x</p><s></BODY></html>"
        );
    }

    #[test]
    fn a_page_without_body_gets_the_snippet_at_the_end() {
        assert_eq!(inject(b"<p>x</p>", "<s>"), b"<p>x</p><s>");
    }

    #[test]
    fn the_overlay_escapes_the_message() {
        let failure = BuildFailure {
            file: Some("content/a.md".into()),
            line: Some(3),
            message: "unknown field `<script>`".into(),
        };
        assert_eq!(
            overlay_html(&failure),
            "<div id=\"__broadsheet_overlay\" role=\"alert\">\
             <p class=\"__bs_title\">Build failed: showing the last good build</p>\
             <p class=\"__bs_location\">content/a.md:3</p>\
             <pre class=\"__bs_message\">unknown field `&lt;script&gt;`</pre></div>"
        );
    }

    #[test]
    fn a_failure_adds_the_overlay_and_a_success_removes_it() {
        let (_tx, rx) = watch::channel(false);
        let live = Live::new("s".into(), rx);
        assert!(live.snippet().contains("var token = \"s:0\""));
        live.failed(&BuildFailure {
            file: None,
            line: None,
            message: "bad".into(),
        });
        let failed = live.snippet();
        assert!(failed.contains("<pre class=\"__bs_message\">bad</pre>"));
        assert!(failed.contains("var token = \"s:1\""));
        live.succeeded(false);
        let fixed = live.snippet();
        assert!(!fixed.contains("<div id=\"__broadsheet_overlay\""));
        assert!(fixed.contains("var token = \"s:2\""));
    }
}
