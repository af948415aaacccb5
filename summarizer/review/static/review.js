"use strict";
(() => {
  const boot = JSON.parse(document.getElementById("review-data").textContent);
  const STATIC = boot.mode === "static";
  const KINDS = boot.kinds;
  const STATUS = {
    verified: "verified", evidence_not_found: "evidence not found",
    value_mismatch: "value mismatch", implausible_value: "implausible value", outside_body: "outside body",
  };
  const RANK = { verified: 0, outside_body: 1, value_mismatch: 2, implausible_value: 3, evidence_not_found: 4 };
  const DECIDED = { accepted: "✓ Accepted", rejected: "✗ Rejected", corrected: "✎ Corrected" };
  const LABELS = {
    name: "Name", role_vi: "Role (vi)", role_en: "Role (en)", organization: "Organisation",
    name_en: "Name (en)", country: "Country", text: "Text as written", value: "Value",
    unit: "Unit", measure_vi: "Measure (vi)", measure_en: "Measure (en)", period: "Period",
    what_vi: "What (vi)", what_en: "What (en)", date: "Date (YYYY-MM-DD)", where: "Where",
    speaker: "Speaker", kind: "Kind", content_vi: "Content (vi)", content_en: "Content (en)",
    addressee: "Addressee",
  };
  const FILTERS = [["all", "All"], ["todo", "To review"], ["unverified", "Not verified"],
    ["decided", "Decided"]];
  const S = {
    articles: boot.articles, stem: null, view: null, sel: -1, filter: "all", editing: -1,
    marks: new Map(), allMarks: [], numMarks: new Map(), cards: new Map(), seq: 0,
  };
  const $ = (id) => document.getElementById(id);

  // Every element is built here; text always goes in as text nodes, never as HTML.
  function el(tag, props, ...kids) {
    const e = document.createElement(tag);
    if (props) {
      for (const [k, v] of Object.entries(props)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === "class") e.className = v;
        else if (k.startsWith("on") && typeof v === "function") e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? "" : String(v));
      }
    }
    for (const c of kids.flat()) {
      if (c === null || c === undefined || c === false) continue;
      e.append(typeof c === "string" ? document.createTextNode(c) : c);
    }
    return e;
  }
  // append() would write null as the text "null": skip empty children.
  const put = (node, ...kids) => { for (const c of kids.flat()) if (c !== null && c !== undefined && c !== false) node.append(c); return node; };
  const push = (map, key, value) => { if (!map.has(key)) map.set(key, []); map.get(key).push(value); };

  // ---- data -----------------------------------------------------------------------------
  async function request(path, init) {
    const res = await fetch(path, init);
    let body = null;
    try { body = await res.json(); } catch (e) { body = null; }
    if (!res.ok) throw new Error((body && body.error) || res.status + " " + res.statusText);
    return body;
  }
  function getArticle(stem) {
    if (STATIC) {
      const v = boot.views[stem];
      return v ? Promise.resolve(v) : Promise.reject(new Error("no such article"));
    }
    return request("/api/article/" + encodeURIComponent(stem), { headers: { Accept: "application/json" } });
  }
  function post(stem, action, payload) {
    return request("/api/article/" + encodeURIComponent(stem) + "/" + action, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Review-Token": boot.token },
      body: JSON.stringify(payload),
    });
  }

  // ---- feedback -------------------------------------------------------------------------
  let toastTimer = 0;
  function toast(message, kind) {
    const t = $("toast");
    t.textContent = message;
    t.className = "show " + (kind || "");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { t.className = ""; }, kind === "error" ? 6000 : 1400);
  }
  function saved(text, error) {
    const s = $("saved");
    s.textContent = text;
    s.classList.toggle("err", !!error);
  }

  // ---- article list ---------------------------------------------------------------------
  function bar(p) {
    const b = el("div", { class: "bar", title: `${p.accepted} accepted, ${p.corrected} corrected, ${p.rejected} rejected, ${p.stale} changed since review` });
    for (const [key, cls] of [["accepted", "a"], ["corrected", "c"], ["rejected", "r"], ["stale", "s"]]) {
      const s = el("span", { class: cls });
      s.style.width = (p.total ? (100 * p[key]) / p.total : 0) + "%";
      b.append(s);
    }
    return b;
  }
  function renderList() {
    const ul = $("articles");
    ul.replaceChildren();
    let total = 0, reviewed = 0;
    for (const a of S.articles) {
      if (a.status !== "done") {
        ul.append(el("li", { class: "art failed", title: a.error || "" },
          el("div", { class: "t" }, a.file || a.stem),
          el("div", { class: "meta" }, "failed: " + (a.error || "unknown error"))));
        continue;
      }
      const p = a.progress;
      total += p.total;
      reviewed += p.reviewed;
      const active = a.stem === S.stem;
      const li = el("li", { class: "art" + (active ? " active" : ""), tabindex: "0",
        "aria-current": active ? "true" : null, "data-stem": a.stem });
      li.addEventListener("click", () => openArticle(a.stem));
      li.addEventListener("keydown", (e) => { if (e.key === "Enter") openArticle(a.stem); });
      const chips = [];
      if (p.stale) chips.push(el("span", { class: "chip warn" }, `${p.stale} changed`));
      if (p.orphaned) chips.push(el("span", { class: "chip orphan" }, `${p.orphaned} orphaned`));
      if (a.summary_unsupported) chips.push(el("span", { class: "chip bad" }, `${a.summary_unsupported} summary number(s) unsupported`));
      if (a.error) chips.push(el("span", { class: "chip bad", title: a.error }, "review file unreadable"));
      put(li,
        el("div", { class: "t", title: a.title, lang: "vi" }, a.title || a.stem),
        el("div", { class: "meta" },
          el("span", { class: "rate " + (a.verified === a.facts ? "good" : "poor") },
            `${a.verified}/${a.facts} verified`),
          el("span", null, `${p.reviewed}/${p.total} reviewed`)),
        bar(p),
        chips.length ? el("div", { class: "chips" }, chips) : null);
      ul.append(li);
    }
    const failed = S.articles.filter((a) => a.status !== "done").length;
    $("overall").replaceChildren();
    put($("overall"), el("b", null, `${reviewed}/${total}`), " facts reviewed · ",
      el("b", null, String(S.articles.length - failed)), " articles",
      failed ? el("span", { class: "failed-count" }, ` · ${failed} failed`) : null);
  }

  // ---- one article ----------------------------------------------------------------------
  async function openArticle(stem, fid) {
    const seq = ++S.seq;
    let v;
    try { v = await getArticle(stem); } catch (e) { toast("Cannot open: " + e.message, "error"); return; }
    if (seq !== S.seq) return;
    S.stem = stem; S.view = v; S.sel = -1; S.editing = -1;
    renderHead(); renderPage(); renderFacts(); renderList();
    $("page-body").scrollTop = 0;
    $("facts-body").scrollTop = 0;
    const f = (fid && v.facts.find((x) => x.id === fid)) || v.facts[0];
    if (f) select(f.n, { page: !!fid, card: !!fid }); else writeHash();
    const li = document.querySelector(".art.active");
    if (li) li.scrollIntoView({ block: "nearest" });
  }

  function renderHead() {
    const v = S.view, vv = v.verification, h = $("art-head");
    const file = v.source_path ? v.source_path.split(/[\\/]/).pop() : null;
    const meta = [v.published ? "published " + v.published : "date unknown", v.byline, v.source,
      file, `${v.model}, ${v.chunks} chunk(s)`].filter(Boolean);
    const stats = [];
    for (const st of Object.keys(STATUS)) {
      const n = vv.by_status[st] || 0;
      if (n || st === "verified") stats.push(el("span", { class: "pill st-" + st }, `${n} ${STATUS[st]}`));
    }
    if (v.uncovered.length) {
      stats.push(el("span", { class: "chip warn", title: "Money and percent quantities of the body that no figure states: " + v.uncovered.join(", ") },
        `${v.uncovered.length} figure(s) not extracted`));
    }
    h.replaceChildren();
    put(h,
      el("h1", { lang: "vi" }, v.title || v.stem),
      el("div", { class: "meta" }, meta.map((m) => el("span", { title: m === file ? v.source_path : null }, m))),
      el("div", { class: "stats" }, stats),
      el("div", { class: "progress", id: "art-progress" }),
      el("div", { class: "filters", id: "filters", role: "toolbar", "aria-label": "Filter facts" }),
      v.error ? el("div", { class: "notice bad" }, v.error) : null,
      v.gaps.length ? el("div", { class: "notice bad" }, `${v.gaps.length} part(s) of the article could not be processed; no facts come from them.`) : null);
    renderProgress();
  }

  function renderProgress() {
    const p = S.view.progress;
    const parts = [el("b", null, `${p.reviewed}/${p.total}`), " reviewed"];
    for (const [k, label] of [["accepted", "accepted"], ["corrected", "corrected"], ["rejected", "rejected"], ["stale", "changed since review"], ["orphaned", "orphaned"]]) {
      if (p[k]) parts.push(" · " + p[k] + " " + label);
    }
    $("art-progress").replaceChildren(bar(p), el("span", null, parts));
    const f = $("filters");
    f.replaceChildren(...FILTERS.map(([key, label]) => el("button", {
      type: "button", class: "chip", "aria-pressed": String(S.filter === key),
      onclick: () => setFilter(key),
    }, label, el("span", { class: "n" }, String(S.view.facts.filter((x) => matches(x, key)).length)))));
  }

  // The original page, cut (server side) into pieces that each list the marks over them.
  function renderPage() {
    const v = S.view, box = $("page");
    S.marks = new Map(); S.allMarks = []; S.numMarks = new Map();
    const frag = document.createDocumentFragment();
    for (const seg of v.page) {
      if (!seg.f && !seg.c && !seg.u && !seg.n) { frag.append(document.createTextNode(seg.t)); continue; }
      const span = el("span", null, seg.t);
      const cls = [];
      if (seg.c) { cls.push("clutter"); span.title = "Removed by the cleaner: " + seg.c[0]; }
      if (seg.u) { cls.push("unc"); span.title = "A money or percent quantity that no figure states"; }
      if (seg.n) { for (const i of seg.n) push(S.numMarks, i, span); }
      span.className = cls.join(" ");
      if (seg.f) {
        span.dataset.f = seg.f.join(" ");
        span._facts = seg.f;
        span._base = cls.concat("hl").join(" ");
        S.allMarks.push(span);
        for (const n of seg.f) push(S.marks, n, span);
      }
      frag.append(span);
    }
    box.replaceChildren(frag);
    paintMarks();
  }

  function decisionOf(f) { return (S.view && S.view.decisions[f.id]) || null; }
  function decided(f) { const d = decisionOf(f); return !!(d && d.decision && !d.stale); }

  function paintMarks() {
    for (const m of S.allMarks) {
      const facts = m._facts.map((n) => S.view.facts[n]);
      let worst = facts[0];
      for (const f of facts) if (RANK[f.status] > RANK[worst.status]) worst = f;
      const cls = [m._base, "st-" + worst.status];
      if (facts.length > 1) cls.push("multi");
      const ds = facts.map(decisionOf);
      if (ds.every((d) => d && !d.stale && d.decision === "rejected")) cls.push("rej");
      else if (ds.every((d) => d && !d.stale && d.decision)) cls.push("done");
      if (m._facts.includes(S.sel)) cls.push("current");
      m.className = cls.join(" ");
      m.title = facts.map((f) => `${KINDS[f.kind]} · ${STATUS[f.status]}: ${f.en}`).join("\n");
    }
  }

  function flash(node) {
    node.classList.remove("flash");
    void node.offsetWidth;
    node.classList.add("flash");
    setTimeout(() => node.classList.remove("flash"), 1500);
  }

  function renderSummary() {
    const s = S.view.summary;
    if (!s) return el("div", { class: "notice warn" }, "No summary: the summary call failed.");
    const bad = s.checks.filter((c) => !c.supported).length;
    const det = el("details", { class: "summary card", open: true });
    det.append(el("summary", null, el("span", { class: "h" }, "Summary"),
      el("span", { class: "chip " + (bad ? "bad" : "good") },
        `${s.checks.length} number(s) checked · ${bad} unsupported`)));
    const grid = el("div", { class: "sum-grid" });
    for (const lang of ["vi", "en"]) {
      const col = el("div", { class: "sum-col", lang });
      col.append(el("div", { class: "lang-tag" }, lang === "vi" ? "Tiếng Việt" : "English"));
      let ul = null;
      for (const f of s.fields.filter((x) => x.lang === lang)) {
        const node = el(f.role === "headline" ? "h3" : f.role === "summary" ? "p" : "li");
        for (const part of f.parts) node.append(part.k ? numSpan(part, s.checks) : document.createTextNode(part.t));
        if (f.role === "point") {
          if (!ul) { ul = el("ul"); col.append(ul); }
          ul.append(node);
        } else col.append(node);
      }
      grid.append(col);
    }
    det.append(grid);
    return det;
  }
  function numSpan(part, checks) {
    const cs = part.k.map((i) => checks[i]);
    const ok = cs.every((c) => c.supported);
    const title = cs.map((c) => c.supported
      ? `✓ ${c.text}: supported by the ${c.where}` + (c.matched ? ` (“${c.matched}”)` : "")
      : `✗ ${c.problem}`).join("\n");
    const span = el("span", { class: "num " + (ok ? "ok" : "bad"), title, "data-check": part.k.join(" ") }, part.t);
    const target = part.k.find((i) => checks[i].target);
    if (target !== undefined) {
      span.classList.add("link");
      span.addEventListener("click", () => {
        const ms = S.numMarks.get(target) || [];
        if (!ms.length) return;
        ms[0].scrollIntoView({ block: "center" });
        ms.forEach(flash);
      });
    }
    return span;
  }

  function renderFacts() {
    const v = S.view, box = $("facts");
    S.cards = new Map();
    const nodes = [renderSummary()];
    for (const kind of Object.keys(KINDS)) {
      const facts = v.facts.filter((f) => f.kind === kind);
      if (!facts.length) continue;
      nodes.push(el("section", { class: "group", "data-kind": kind },
        el("h2", { class: "group-head" }, KINDS[kind], el("span", { class: "count" }, String(facts.length)),
          el("span", { class: "gprog" })),
        facts.map(renderCard)));
    }
    if (!v.facts.length) nodes.push(el("p", { class: "empty" }, "This article has no facts."));
    nodes.push(el("section", { class: "orphans", id: "orphans" }));
    box.replaceChildren(...nodes);
    renderOrphans();
    applyFilter();
  }

  function renderCard(f) {
    const d = decisionOf(f);
    const corr = d && d.decision === "corrected" && !d.stale ? S.view.corrected[f.id] : null;
    const cls = ["fact", "st-" + f.status];
    if (d && d.decision) cls.push("dec-" + d.decision);
    if (d && d.stale) cls.push("stale");
    if (f.n === S.sel) cls.push("sel");
    const card = el("article", { class: cls.join(" "), "data-n": String(f.n), "data-id": f.id, tabindex: "-1" });
    const top = el("div", { class: "fact-top" }, el("span", { class: "pill st-" + f.status }, STATUS[f.status]));
    if (f.where === "caption") top.append(el("span", { class: "tag" }, "photo caption"));
    if (f.where === "clutter") top.append(el("span", { class: "tag" }, "in removed text: " + (f.reason || "other")));
    if (!f.onpage && f.status !== "evidence_not_found") top.append(el("span", { class: "tag" }, "not on the page"));
    top.append(el("span", { class: "spacer" }));
    if (d && d.decision) top.append(el("span", { class: "decision d-" + d.decision }, DECIDED[d.decision]));
    if (d && d.stale) top.append(el("span", { class: "decision d-stale", title: "The fact changed since it was decided (the batch was re-run): decide again." }, "changed since review"));
    card.append(top);
    card.append(el("div", { class: "lines" + (corr ? " superseded" : "") },
      el("div", { class: "vi", lang: "vi" }, f.vi), el("div", { class: "en", lang: "en" }, f.en)));
    if (corr) {
      card.append(el("div", { class: "corrected" },
        el("div", { class: "corr-head" }, "Corrected", el("span", { class: "pill st-" + corr.status }, STATUS[corr.status])),
        el("div", { class: "vi", lang: "vi" }, corr.vi), el("div", { class: "en", lang: "en" }, corr.en),
        corr.problems.length ? el("ul", { class: "problems" }, corr.problems.map((p) => el("li", null, p))) : null));
    }
    card.append(el("blockquote", { class: "ev", lang: "vi" }, "“" + f.evidence + "”"));
    if (f.matched) card.append(el("div", { class: "small muted" }, "matched in the article as: “" + f.matched + "”"));
    if (f.problems.length) card.append(el("ul", { class: "problems" }, f.problems.map((p) => el("li", null, p))));
    if (f.notes.length) card.append(el("ul", { class: "notes" }, f.notes.map((p) => el("li", null, p))));
    if (d && d.note) card.append(el("div", { class: "note" }, el("b", null, "Note: "), d.note));
    if (!STATIC) card.append(actions(f, d));
    if (!STATIC && S.editing === f.n) card.append(editor(f, d));
    card.addEventListener("click", (e) => {
      if (e.target.closest("button, input, textarea, select, form, summary")) return;
      select(f.n, { page: true, flash: true, card: false });
    });
    S.cards.set(f.n, card);
    return card;
  }

  function actions(f, d) {
    const cur = d && !d.stale ? d.decision : null;
    const b = (label, key, cls, handler, pressed) => el("button", {
      type: "button", class: "btn " + cls, "aria-pressed": pressed === null ? null : String(pressed),
      onclick: handler,
    }, label, el("kbd", null, key));
    return el("div", { class: "actions" },
      b("Accept", "a", "accept", () => decide(f, "accepted", false), cur === "accepted"),
      b("Reject", "r", "reject", () => decide(f, "rejected", false), cur === "rejected"),
      b("Correct", "e", "correct", () => edit(f.n, false), cur === "corrected"),
      b("Note", "n", "", () => edit(f.n, true), null),
      d ? b("Clear", "u", "ghost", () => discard(f.id), null) : null);
  }

  function editor(f, d) {
    const corr = d && d.decision === "corrected" ? d.correction : {};
    const inputs = {};
    const grid = el("div", { class: "edit-grid" });
    for (const [name, orig] of Object.entries(f.fields)) {
      const cur = name in corr ? corr[name] : orig;
      let input;
      if (f.kind === "statements" && name === "kind") {
        input = el("select", { name }, boot.statement_kinds.map((k) => el("option", { value: k }, k)));
        input.value = cur;
      } else {
        input = el("input", { name, type: "text", autocomplete: "off", placeholder: "(empty)",
          inputmode: name === "value" ? "decimal" : null, lang: name.endsWith("_en") ? "en" : "vi" });
        input.value = cur === null || cur === undefined ? "" : String(cur);
      }
      inputs[name] = input;
      grid.append(el("label", null, el("span", null, LABELS[name] || name), input,
        el("small", { class: "orig", title: orig === null ? "" : String(orig) }, "extracted: " + (orig === null ? "—" : String(orig)))));
    }
    const note = el("textarea", { name: "note", rows: "2", placeholder: "A note on this fact (optional)" });
    note.value = d ? d.note : "";
    const err = el("div", { class: "form-error", role: "alert" });
    const form = el("form", { class: "edit", novalidate: true }, grid,
      el("label", { class: "note-label" }, el("span", null, "Note"), note),
      el("div", { class: "edit-help" }, "Change a field to record a correction; save with no change to keep only the note."),
      el("div", { class: "actions" },
        el("button", { type: "submit", class: "btn primary" }, "Save", el("kbd", null, "Ctrl+Enter")),
        el("button", { type: "button", class: "btn", onclick: () => cancelEdit() }, "Cancel", el("kbd", null, "Esc"))),
      err);
    form.addEventListener("submit", (e) => { e.preventDefault(); saveEdit(f, inputs, note, err); });
    form.addEventListener("keydown", (e) => {
      if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); cancelEdit(); }
      else if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); form.requestSubmit(); }
    });
    return form;
  }

  function rerender(n) {
    const f = S.view.facts[n], old = S.cards.get(n);
    if (!f || !old) return null;
    const card = renderCard(f);
    old.replaceWith(card);
    card.hidden = !matches(f, S.filter);
    return card;
  }
  function edit(n, focusNote) {
    if (STATIC || n < 0) return;
    const prev = S.editing;
    S.editing = n;
    if (prev >= 0 && prev !== n) rerender(prev);
    if (S.sel !== n) select(n, { page: true, flash: false });
    const card = rerender(n);
    if (!card) return;
    card.hidden = false;
    const target = focusNote ? card.querySelector("textarea") : card.querySelector("form input, form select");
    if (target) target.focus();
    card.scrollIntoView({ block: "nearest" });
  }
  function cancelEdit() {
    const n = S.editing;
    S.editing = -1;
    const card = rerender(n);
    if (card) card.focus({ preventScroll: true });
  }
  async function saveEdit(f, inputs, note, err) {
    const changed = {};
    for (const [name, input] of Object.entries(inputs)) {
      const orig = f.fields[name];
      const value = input.value.trim();
      if (value !== (orig === null ? "" : String(orig))) changed[name] = value;
    }
    const d = decisionOf(f);
    const payload = Object.keys(changed).length
      ? { fact_id: f.id, decision: "corrected", correction: changed, note: note.value }
      : { fact_id: f.id, decision: d && !d.stale && d.decision !== "corrected" ? d.decision : null, note: note.value };
    if (await send("decision", payload, err)) {
      S.editing = -1;
      const card = rerender(f.n);
      if (card) card.focus({ preventScroll: true });
    }
  }
  async function decide(f, decision, advance) {
    if (STATIC) return;
    if (await send("decision", { fact_id: f.id, decision }, null)) {
      if (S.editing === f.n) S.editing = -1;
      rerender(f.n);
      if (advance) move(1);
    }
  }
  async function discard(fid) {
    if (STATIC) return;
    if (await send("discard", { fact_id: fid }, null)) {
      const f = S.view.facts.find((x) => x.id === fid);
      if (f) rerender(f.n);
    }
  }
  async function send(action, payload, errBox) {
    const stem = S.stem;
    saved("Saving…");
    try {
      const state = await post(stem, action, payload);
      const a = S.articles.find((x) => x.stem === stem);
      if (a) a.progress = state.progress;
      if (S.stem === stem) {
        Object.assign(S.view, state);
        renderProgress(); paintMarks(); renderOrphans(); applyFilter();
      }
      renderList();
      saved("✓ Saved");
      return S.stem === stem;
    } catch (e) {
      saved("Not saved", true);
      if (errBox) errBox.textContent = e.message;
      toast("Not saved: " + e.message, "error");
      return false;
    }
  }

  function renderOrphans() {
    const sec = $("orphans"), list = S.view.orphans;
    if (!sec) return;
    sec.replaceChildren();
    if (!list.length) return;
    sec.append(el("h2", { class: "group-head" }, "Orphaned decisions", el("span", { class: "count" }, String(list.length))),
      el("p", { class: "notice warn" }, "These facts are no longer in the sheet: the batch was re-run and they changed or went away. Their decisions stay in the review file until you discard them."));
    for (const o of list) {
      const card = el("article", { class: "fact orphan" },
        el("div", { class: "fact-top" }, el("span", { class: "tag" }, KINDS[o.fact.kind] || o.fact.kind),
          el("span", { class: "tag", title: o.id }, o.id), el("span", { class: "spacer" }),
          o.decision ? el("span", { class: "decision d-" + o.decision }, DECIDED[o.decision]) : null),
        el("div", { class: "lines" }, el("div", { class: "vi", lang: "vi" }, o.fact.text_vi), el("div", { class: "en", lang: "en" }, o.fact.text_en)),
        el("blockquote", { class: "ev", lang: "vi" }, "“" + o.fact.evidence + "”"),
        o.note ? el("div", { class: "note" }, el("b", null, "Note: "), o.note) : null,
        el("div", { class: "small muted" }, "decided " + o.updated),
        STATIC ? null : el("div", { class: "actions" }, el("button", { type: "button", class: "btn", onclick: () => discard(o.id) }, "Discard")));
      sec.append(card);
    }
  }

  // ---- selection, filters, navigation ---------------------------------------------------
  function matches(f, key) {
    switch (key) {
      case "todo": return !decided(f);
      case "unverified": return f.status !== "verified";
      case "decided": return decided(f);
      default: return true;
    }
  }
  function setFilter(key) {
    S.filter = key;
    applyFilter();
    renderProgress();
    const card = S.cards.get(S.sel);
    if (card && !card.hidden) card.scrollIntoView({ block: "nearest" });
  }
  function applyFilter() {
    if (!S.view) return;
    for (const f of S.view.facts) {
      const card = S.cards.get(f.n);
      if (card) card.hidden = !matches(f, S.filter) && f.n !== S.editing;
    }
    for (const sec of document.querySelectorAll("#facts section.group")) {
      const facts = S.view.facts.filter((f) => f.kind === sec.dataset.kind);
      sec.hidden = facts.every((f) => S.cards.get(f.n).hidden);
      const done = facts.filter(decided).length;
      sec.querySelector(".gprog").textContent = `${done}/${facts.length} reviewed`;
    }
    renderFilterCounts();
  }
  function renderFilterCounts() {
    for (const [i, btn] of Array.from($("filters").children).entries()) {
      const key = FILTERS[i][0];
      btn.setAttribute("aria-pressed", String(S.filter === key));
      btn.lastChild.textContent = String(S.view.facts.filter((x) => matches(x, key)).length);
    }
  }

  function select(n, opts) {
    const o = Object.assign({ page: false, flash: false, card: true }, opts || {});
    const prev = S.cards.get(S.sel);
    if (prev) prev.classList.remove("sel");
    S.sel = n;
    const card = S.cards.get(n);
    if (!card) return;
    if (card.hidden) { S.filter = "all"; applyFilter(); renderProgress(); }
    card.classList.add("sel");
    if (o.card) card.scrollIntoView({ block: "nearest" });
    paintMarks();
    const ms = S.marks.get(n) || [];
    if (o.page && ms.length) {
      ms[0].scrollIntoView({ block: "center" });
      if (o.flash) ms.forEach(flash);
    }
    writeHash();
  }
  function visible() { return S.view ? S.view.facts.filter((f) => !S.cards.get(f.n).hidden) : []; }
  function move(delta) {
    const vis = visible();
    if (!vis.length) return;
    let next;
    if (delta > 0) next = vis.find((f) => f.n > S.sel) || vis[vis.length - 1];
    else next = [...vis].reverse().find((f) => f.n < S.sel) || vis[0];
    select(next.n, { page: true, flash: true });
  }
  function nextArticle(delta) {
    const done = S.articles.filter((a) => a.status === "done");
    const i = done.findIndex((a) => a.stem === S.stem);
    const a = done[i + delta];
    if (a) openArticle(a.stem);
  }
  function writeHash() {
    if (!S.stem) return;
    const f = S.view && S.view.facts[S.sel];
    const h = "#/a/" + encodeURIComponent(S.stem) + (f ? "/" + encodeURIComponent(f.id) : "");
    if (location.hash !== h) {
      try { history.replaceState(null, "", h); } catch (e) { /* some file: URLs refuse */ }
    }
  }
  function readHash() {
    const m = /^#\/a\/([^/]*)(?:\/([^/]*))?$/.exec(location.hash);
    if (!m) return null;
    try { return { stem: decodeURIComponent(m[1]), fid: m[2] ? decodeURIComponent(m[2]) : null }; }
    catch (e) { return null; }
  }
  function toggleHelp(show) {
    $("help").hidden = !show;
    if (show) $("help-close").focus();
  }

  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    if (!$("help").hidden) {
      if (e.key === "Escape" || e.key === "?") { e.preventDefault(); toggleHelp(false); }
      return;
    }
    const t = e.target;
    if (t && t.closest && t.closest("input, textarea, select")) return;
    const f = S.view && S.sel >= 0 ? S.view.facts[S.sel] : null;
    switch (e.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "J": nextArticle(1); break;
      case "K": nextArticle(-1); break;
      case "a": if (f) decide(f, "accepted", true); break;
      case "r": if (f) decide(f, "rejected", true); break;
      case "e": if (f) edit(f.n, false); break;
      case "n": if (f) edit(f.n, true); break;
      case "u": if (f && decisionOf(f)) discard(f.id); break;
      case "f": { const i = FILTERS.findIndex(([k]) => k === S.filter); setFilter(FILTERS[(i + 1) % FILTERS.length][0]); break; }
      case "Enter": if (f && !(t && t.closest && t.closest("button, .art"))) select(f.n, { page: true, flash: true }); else return; break;
      case "?": toggleHelp(true); break;
      case "Escape": if (S.editing >= 0) cancelEdit(); else return; break;
      default: return;
    }
    e.preventDefault();
  });

  $("page").addEventListener("click", (e) => {
    const m = e.target.closest(".hl");
    if (!m || !m._facts) return;
    const list = m._facts;
    const i = list.indexOf(S.sel);
    const n = i >= 0 ? list[(i + 1) % list.length] : list[0];
    select(n, { page: false });
    const card = S.cards.get(n);
    if (card) { card.classList.remove("pulse"); void card.offsetWidth; card.classList.add("pulse"); }
  });
  $("help-btn").addEventListener("click", () => toggleHelp(true));
  $("help-close").addEventListener("click", () => toggleHelp(false));
  $("help").addEventListener("click", (e) => { if (e.target === $("help")) toggleHelp(false); });
  // A batch may have run again while the page was open: refresh the list on coming back.
  window.addEventListener("focus", async () => {
    if (STATIC) return;
    try { S.articles = (await request("/api/articles")).articles; renderList(); } catch (e) { /* offline */ }
  });
  window.addEventListener("hashchange", () => {
    const h = readHash();
    if (h && h.stem !== S.stem) openArticle(h.stem, h.fid);
  });

  document.title = "Fact review · " + boot.folder;
  $("folder").textContent = boot.folder;
  if (STATIC) {
    document.body.classList.add("static");
    $("mode").textContent = "read-only snapshot · " + boot.exported;
  }
  renderList();
  const h = readHash();
  const start = h && S.articles.some((a) => a.stem === h.stem && a.status === "done")
    ? h : (S.articles.find((a) => a.status === "done") || null);
  if (start) openArticle(start.stem, start.fid || null);
  else $("facts").replaceChildren(el("p", { class: "empty" }, "No summarised article in this folder."));
})();
