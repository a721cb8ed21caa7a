// broadsheet search client: reads the static index under /search/ (see
// src/search/encode.rs and layout.rs for the formats). Loaded when a reader
// focuses the search box or opens /search/; no framework, no server.
(function () {
  "use strict";
  if (window.__broadsheetSearch) return;
  window.__broadsheetSearch = true;
  var me = document.currentScript;
  var BASE = (me && me.src ? new URL(".", me.src).pathname : "/search/");
  var PER_PAGE = 10;
  var PHRASE_CHECKS = 30;
  var stats = { bytes: 0, files: [] };
  window.__broadsheetSearchStats = stats;

  // ---- folding: the same rules as src/search/text.rs -------------------
  var SPELT = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ł": "l", "ı": "i", "ς": "σ" };
  function foldText(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[ßæœøđðþłıς]/g, function (c) { return SPELT[c]; })
      .replace(/(\p{Alphabetic})['\u2019](?=\p{Alphabetic})/gu, "$1");
  }
  var enc = new TextEncoder();
  function words(text) {
    return (foldText(text).match(/[\p{Alphabetic}\p{N}]+/gu) || []).filter(function (w) {
      return enc.encode(w).length <= 40;
    });
  }
  // Byte order of UTF-8, as the index sorts words.
  function cmp(a, b) {
    var x = enc.encode(a), y = enc.encode(b), n = Math.min(x.length, y.length);
    for (var i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  }

  // ---- fetching, with a count of bytes --------------------------------
  var cache = new Map();
  function get(path, kind) {
    if (!cache.has(path)) {
      cache.set(path, fetch(BASE + path).then(function (r) {
        if (!r.ok) throw new Error(path + ": " + r.status);
        return kind === "json" ? r.text() : r.arrayBuffer();
      }).then(function (body) {
        var n = kind === "json" ? enc.encode(body).length : body.byteLength;
        stats.bytes += n;
        stats.files.push(path);
        return kind === "json" ? JSON.parse(body) : decodeShard(new Uint8Array(body));
      }));
    }
    return cache.get(path);
  }

  // ---- the shard format (encode.rs) ------------------------------------
  var dec = new TextDecoder();
  function decodeShard(b) {
    var at = 4;
    function v() {
      var n = 0, s = 1, x;
      do { x = b[at++]; n += (x & 127) * s; s *= 128; } while (x >= 128);
      return n;
    }
    function str() { var n = v(); var s = dec.decode(b.subarray(at, at + n)); at += n; return s; }
    var stems = [], ns = v();
    for (var i = 0; i < ns; i++) {
      var st = { stem: str(), df: v(), docs: [], impacts: null, sections: [], tags: [] };
      var n = v(), last = 0, k;
      for (k = 0; k < n; k++) { last += v(); st.docs.push(last); }
      st.impacts = b.subarray(at, at + n); at += n;
      for (k = 0; k < n; k++) st.sections.push(v());
      for (k = 0; k < n; k++) {
        var t = [], m = v();
        while (m--) t.push(v());
        st.tags.push(t);
      }
      stems.push(st);
    }
    var ws = [], nw = v(), prev = "";
    for (i = 0; i < nw; i++) {
      var shared = v(), rest = str();
      var bytes = enc.encode(prev).subarray(0, shared);
      var w = dec.decode(bytes) + rest;
      ws.push([w, v()]);
      prev = w;
    }
    return { stems: stems, words: ws };
  }

  // ---- looking words up -------------------------------------------------
  function shardFor(meta, word) {
    var s = meta.shards, lo = 0, hi = s.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (cmp(s[mid][0], word) <= 0) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  // A query word -> { word, prefix, stems: [stem objects], forms: Set of words }
  function lookup(meta, word, prefix) {
    var first = shardFor(meta, word);
    var last = prefix ? Math.min(shardFor(meta, word + "\uffff"), first + 2) : first;
    var loads = [];
    for (var k = first; k <= last; k++) loads.push(get(meta.shards[k][1], "bin"));
    return Promise.all(loads).then(function (shards) {
      var found = new Map(), forms = new Set();
      shards.forEach(function (sh) {
        sh.words.forEach(function (e) {
          if (e[0] === word || (prefix && e[0].startsWith(word))) {
            var st = sh.stems[e[1]];
            found.set(st.stem, st);
            forms.add(e[0]);
          }
        });
        // Every form of a found stem, for highlighting.
        sh.words.forEach(function (e) { if (found.get(sh.stems[e[1]].stem) === sh.stems[e[1]]) forms.add(e[0]); });
      });
      var stems = Array.from(found.values()).sort(function (a, b) { return b.df - a.df; }).slice(0, 12);
      return { word: word, prefix: prefix, stems: stems, forms: forms };
    });
  }

  // ---- the query --------------------------------------------------------
  function parse(q) {
    var groups = [], re = /"([^"]*)"?|[^\s"]+/g, m;
    while ((m = re.exec(q))) {
      var ws = words(m[1] !== undefined ? m[1] : m[0]);
      if (ws.length) groups.push({ words: ws, phrase: m[1] !== undefined && ws.length > 1 });
    }
    var all = [];
    groups.forEach(function (g) { g.words.forEach(function (w) { all.push(w); }); });
    // The last word is being typed: match it as a prefix (not in a phrase).
    var typing = /[\p{Alphabetic}\p{N}]$/u.test(q) && groups.length && !groups[groups.length - 1].phrase;
    return { groups: groups, words: all, prefixLast: !!typing, phrases: groups.filter(function (g) { return g.phrase; }) };
  }

  function idf(meta, df) { return Math.log(1 + (meta.docs - df + 0.5) / (df + 0.5)); }

  // Every article with any query word: score per word (best stem), facets.
  function gather(meta, terms) {
    var docs = new Map();
    terms.forEach(function (t, ti) {
      t.stems.forEach(function (st) {
        var w = idf(meta, st.df);
        for (var k = 0; k < st.docs.length; k++) {
          var d = st.docs[k], e = docs.get(d);
          if (!e) { e = { doc: d, scores: new Array(terms.length).fill(0), section: st.sections[k], tags: st.tags[k] }; docs.set(d, e); }
          e.scores[ti] = Math.max(e.scores[ti], w * st.impacts[k] / 255);
        }
      });
    });
    var list = [];
    docs.forEach(function (e) {
      e.matched = e.scores.filter(function (s) { return s > 0; }).length;
      e.score = e.scores.reduce(function (a, b) { return a + b; }, 0);
      e.year = yearOf(meta, e.doc);
      list.push(e);
    });
    return list;
  }
  function yearOf(meta, doc) {
    var y = meta.years, lo = 0, hi = y.length - 1, found = null;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (y[mid][1] <= doc) { found = y[mid][0]; lo = mid + 1; } else hi = mid - 1;
    }
    return found;
  }

  // ---- state in the URL ------------------------------------------------
  function readState() {
    var p = new URLSearchParams(location.search);
    return { q: p.get("q") || "", sort: p.get("sort") === "newest" ? "newest" : "", section: p.get("section") || "", year: p.get("year") || "", tag: p.get("tag") || "", page: Math.max(1, parseInt(p.get("page") || "1", 10) || 1) };
  }
  function writeState(s) {
    var p = new URLSearchParams();
    ["q", "sort", "section", "year", "tag"].forEach(function (k) { if (s[k]) p.set(k, s[k]); });
    if (s.page > 1) p.set("page", s.page);
    var url = location.pathname + (p.toString() ? "?" + p : "");
    if (url !== location.pathname + location.search) history.replaceState(null, "", url);
  }

  // ---- tag names ------------------------------------------------------
  function tagNames(meta, slots) {
    var blocks = Array.from(new Set(slots.map(function (s) { return Math.floor(s / meta.tagBlock); })));
    return Promise.all(blocks.map(function (b) { return get("g/" + b + ".json", "json"); })).then(function (files) {
      var names = new Map();
      files.forEach(function (f) { f.forEach(function (t) { names.set(t[0], { name: t[1], slug: t[2] }); }); });
      return names;
    });
  }

  // ---- the search page ------------------------------------------------
  var ui = null, meta = null, seq = 0;
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function run() {
    var s = readState(), my = ++seq;
    ui.input.value !== s.q && document.activeElement !== ui.input && (ui.input.value = s.q);
    ui.newest.checked = s.sort === "newest";
    var parsed = parse(s.q);
    if (!parsed.words.length) { show(my, s, null); return Promise.resolve(); }
    var t0 = performance.now();
    return get("meta.json", "json").then(function (m) {
      meta = m;
      var n = parsed.words.length;
      return Promise.all(parsed.words.map(function (w, i) { return lookup(m, w, parsed.prefixLast && i === n - 1); }));
    }).then(function (terms) {
      if (my !== seq) return;
      var all = gather(meta, terms);
      var full = all.filter(function (e) { return e.matched === terms.length; });
      var partial = !full.length && all.length > 0 && terms.length > 1;
      var pool = partial ? all : full;
      return filterAndShow(my, s, parsed, terms, pool, partial, t0);
    }).catch(function (e) {
      if (my === seq) ui.status.textContent = "Search failed: " + e.message;
    });
  }

  function sectionOf(slug) {
    for (var i = 0; i < meta.sections.length; i++) if (meta.sections[i][2] === slug) return meta.sections[i][0];
    return null;
  }

  // The tag slot of a slug: names are fetched for the most frequent tags
  // first, and for every tag of the results only when that is not enough.
  function resolveTag(pool, slug) {
    if (!slug) return Promise.resolve(null);
    var top = count(pool, function (e) { return e.tags; });
    function find(slots) {
      return tagNames(meta, slots).then(function (names) {
        var slot = null;
        names.forEach(function (v, k) { if (v.slug === slug) slot = k; });
        return slot;
      });
    }
    return find(top.slice(0, 15).map(function (c) { return c[0]; })).then(function (slot) {
      return slot !== null ? slot : find(top.map(function (c) { return c[0]; }));
    });
  }

  function filterAndShow(my, s, parsed, terms, pool, partial, t0) {
    return resolveTag(pool, s.tag).then(function (tagSlot) {
      if (my !== seq) return;
      var secSlot = s.section ? sectionOf(s.section) : null;
      var keep = function (e, skip) {
        return (skip === "section" || !s.section || e.section === secSlot) &&
          (skip === "year" || !s.year || String(e.year) === s.year) &&
          (skip === "tag" || !s.tag || e.tags.indexOf(tagSlot) >= 0);
      };
      var results = pool.filter(function (e) { return keep(e); });
      results.sort(s.sort === "newest"
        ? function (a, b) { return b.doc - a.doc; }
        : function (a, b) { return b.matched - a.matched || b.score - a.score || b.doc - a.doc; });
      var facets = {
        section: count(pool, function (e) { return keep(e, "section") ? [e.section] : []; }),
        year: count(pool, function (e) { return keep(e, "year") && e.year !== null ? [e.year] : []; }),
        tag: count(pool, function (e) { return keep(e, "tag") ? e.tags : []; }).slice(0, 15)
      };
      var shownTags = facets.tag.map(function (c) { return c[0]; });
      if (tagSlot !== null) shownTags.push(tagSlot);
      var ctx = { state: s, parsed: parsed, terms: terms, results: results, partial: partial, facets: facets, t0: t0 };
      return Promise.all([
        tagNames(meta, shownTags),
        parsed.phrases.length ? checkPhrases(my, ctx) : Promise.resolve(ctx)
      ]).then(function (done) {
        ctx.names = done[0];
        if (done[1]) return page(my, ctx);
      });
    });
  }

  function count(list, keys) {
    var m = new Map();
    list.forEach(function (e) { keys(e).forEach(function (k) { m.set(k, (m.get(k) || 0) + 1); }); });
    return Array.from(m.entries()).sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); });
  }

  // ---- phrases: checked in the text of the article pages -----------------
  function pageText(url) {
    if (!cache.has(url)) {
      cache.set(url, fetch(url).then(function (r) { return r.text(); }).then(function (html) {
        stats.bytes += enc.encode(html).length;
        stats.files.push(url);
        var d = new DOMParser().parseFromString(html, "text/html");
        var main = d.querySelector("article") || d.querySelector("main") || d.body;
        return main ? main.textContent : "";
      }));
    }
    return cache.get(url);
  }
  function hasPhrase(text, phrase) {
    var ws = words(text), p = phrase.words;
    outer: for (var i = 0; i + p.length <= ws.length; i++) {
      for (var j = 0; j < p.length; j++) if (ws[i + j] !== p[j]) continue outer;
      return true;
    }
    return false;
  }
  function checkPhrases(my, ctx) {
    var candidates = ctx.results.slice(0, PHRASE_CHECKS);
    return records(candidates.map(function (e) { return e.doc; })).then(function (recs) {
      return Promise.all(candidates.map(function (e, i) {
        return pageText(recs[i][1]).then(function (text) {
          e.phraseOk = ctx.parsed.phrases.every(function (p) { return hasPhrase(text, p); });
          e.text = text;
        });
      }));
    }).then(function () {
      if (my !== seq) return null;
      ctx.checked = candidates.length;
      ctx.results = candidates.filter(function (e) { return e.phraseOk; });
      return ctx;
    });
  }

  function records(docs) {
    var per = meta.records;
    return Promise.all(docs.map(function (d) {
      return get("r/" + Math.floor(d / per) + ".json", "json").then(function (f) { return f[d % per]; });
    }));
  }

  function page(my, ctx) {
    var s = ctx.state, start = (s.page - 1) * PER_PAGE, shown = ctx.results.slice(0, start + PER_PAGE);
    return records(shown.map(function (e) { return e.doc; })).then(function (recs) {
      if (my !== seq) return;
      show(my, s, ctx, recs);
    });
  }

  // ---- drawing ----------------------------------------------------------
  function show(my, s, ctx, recs) {
    if (my !== seq) return;
    writeState(s);
    ui.results.textContent = "";
    ui.filters.textContent = "";
    ui.moreWrap.hidden = true;
    if (!ctx) { ui.status.textContent = ""; return; }
    var n = ctx.results.length, keep = meta.keep[0] + meta.keep[1];
    var pruned = ctx.terms.some(function (t) { return t.stems.some(function (st) { return st.df > st.docs.length; }); });
    var msg = n === 0 ? "No articles found" : (n === 1 ? "1 article" : n.toLocaleString() + " articles");
    if (n && pruned) msg = "Best " + msg + " (common words: the " + keep.toLocaleString() + " best and newest articles for each are searched)";
    if (ctx.partial && n) msg += " with some of the words (none has all)";
    if (ctx.checked) msg += "; phrase checked in the " + ctx.checked + " best matches";
    ui.status.textContent = msg + ".";
    drawFilters(s, ctx);
    var forms = new Set();
    ctx.terms.forEach(function (t) { t.forms.forEach(function (f) { forms.add(f); }); });
    (recs || []).forEach(function (r, i) {
      var li = el("li", { "class": "search-result" });
      var h = el("h2");
      h.appendChild(el("a", { href: r[1] }, r[0]));
      li.appendChild(h);
      var meta2 = el("p", { "class": "search-meta" });
      if (r[2]) meta2.appendChild(el("time", { datetime: r[2] }, r[2]));
      if (r[3]) meta2.appendChild(document.createTextNode((r[2] ? " · " : "") + r[3]));
      li.appendChild(meta2);
      var e = ctx.results[i];
      li.appendChild(snippet(e && e.text ? around(e.text, ctx.parsed.phrases[0]) : r[4], forms, ctx));
      ui.results.appendChild(li);
    });
    if (ctx.results.length > (recs || []).length) {
      ui.moreWrap.hidden = false;
    }
    window.__broadsheetSearchDone = { q: s.q, ms: performance.now() - ctx.t0, results: n };
  }

  function around(text, phrase) {
    var t = text.replace(/\s+/g, " ");
    var first = phrase.words[0], lower = foldText(t), at = lower.indexOf(first);
    if (at < 0) return t.slice(0, 240);
    var from = Math.max(0, at - 100);
    return (from ? "…" : "") + t.slice(from, from + 260) + "…";
  }

  function snippet(text, forms, ctx) {
    var p = el("p", { "class": "search-snippet" });
    var prefix = ctx.parsed.prefixLast ? ctx.parsed.words[ctx.parsed.words.length - 1] : null;
    var re = /[\p{Alphabetic}\p{N}'’]+|[^\p{Alphabetic}\p{N}'’]+/gu, m, plain = "";
    while ((m = re.exec(text || ""))) {
      var w = words(m[0])[0];
      if (w && (forms.has(w) || (prefix && w.startsWith(prefix)))) {
        if (plain) { p.appendChild(document.createTextNode(plain)); plain = ""; }
        p.appendChild(el("mark", null, m[0]));
      } else plain += m[0];
    }
    if (plain) p.appendChild(document.createTextNode(plain));
    return p;
  }

  function drawFilters(s, ctx) {
    var f = ctx.facets;
    var sectionName = new Map(meta.sections.map(function (x) { return [x[0], x]; }));
    group("section", "Section", f.section.map(function (c) {
      var x = sectionName.get(c[0]); return x ? [x[2], x[1], c[1]] : null;
    }));
    group("year", "Year", f.year.slice().sort(function (a, b) { return b[0] - a[0]; }).map(function (c) { return [String(c[0]), String(c[0]), c[1]]; }));
    group("tag", "Tag", f.tag.map(function (c) {
      var x = ctx.names.get(c[0]); return x ? [x.slug, x.name, c[1]] : null;
    }));
    function group(key, label, values) {
      values = values.filter(Boolean);
      if (!values.length && !s[key]) return;
      var fs = el("fieldset", { "class": "search-facet" });
      fs.appendChild(el("legend", null, label));
      var sel = el("select", { name: key, id: "search-" + key, "aria-label": label });
      sel.appendChild(el("option", { value: "" }, "Any " + label.toLowerCase()));
      var seen = false;
      values.forEach(function (v) {
        var o = el("option", { value: v[0] }, v[1] + " (" + v[2].toLocaleString() + ")");
        if (v[0] === s[key]) { o.selected = true; seen = true; }
        sel.appendChild(o);
      });
      if (s[key] && !seen) { var o = el("option", { value: s[key] }, s[key] + " (0)"); o.selected = true; sel.appendChild(o); }
      sel.addEventListener("change", function () { update({ [key]: sel.value, page: 1 }); });
      fs.appendChild(sel);
      ui.filters.appendChild(fs);
    }
  }

  function update(change) {
    var s = readState();
    Object.keys(change).forEach(function (k) { s[k] = change[k]; });
    writeState(s);
    return run();
  }

  function setupPage(form) {
    ui = {
      form: form,
      input: form.querySelector("input[type=search]"),
      newest: document.getElementById("search-newest"),
      filters: document.getElementById("search-filters"),
      status: document.getElementById("search-status"),
      results: document.getElementById("search-results"),
      moreWrap: document.getElementById("search-more-wrap")
    };
    form.setAttribute("action", location.pathname);
    var timer = null;
    ui.input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { update({ q: ui.input.value, page: 1 }); }, 60);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); update({ q: ui.input.value, page: 1 }); });
    ui.newest.addEventListener("change", function () { update({ sort: ui.newest.checked ? "newest" : "", page: 1 }); });
    document.getElementById("search-more").addEventListener("click", function () { update({ page: readState().page + 1 }); });
    var s = readState();
    ui.input.value = s.q;
    get("meta.json", "json");
    run();
  }

  window.broadsheetSearch = { words: words, parse: parse, decodeShard: decodeShard, stats: stats, run: function () { return run(); } };

  var form = document.getElementById("search");
  if (form) setupPage(form);
  // The masthead box: with the script here, it searches on this site's
  // page (not a fallback), and warms the manifest.
  document.querySelectorAll("form.search-box").forEach(function (f) {
    f.setAttribute("action", f.getAttribute("data-search-page") || BASE);
  });
  if (!form) get("meta.json", "json");
})();
