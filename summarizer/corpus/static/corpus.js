"use strict";
(async () => {
  const $ = (id) => document.getElementById(id);
  // Every text goes in through textContent: the article text is untrusted.
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  const fold = (s) => (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
    .replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  // The review page opens an article at #/a/<stem>/<fact id>, with that fact's quote shown.
  function reviewLink(article, factId) {
    const a = el("a", "open", "open in review");
    a.href = "/#/a/" + encodeURIComponent(article) + "/" + encodeURIComponent(factId);
    a.dataset.article = article;
    a.dataset.fact = factId;
    return a;
  }

  let data;
  try {
    const r = await fetch("corpus.json", { headers: { Accept: "application/json" } });
    data = await r.json();
    if (!r.ok || data.error) throw new Error(data.error || r.statusText);
  } catch (e) {
    $("status").textContent = "Cannot load the corpus: " + e.message;
    return;
  }
  $("status").textContent = "";
  $("count").textContent = `${data.articles} article(s), ${data.people.length} people`;

  function personCard(p) {
    const card = el("article", "card person");
    card.dataset.key = fold(p.name + " " + p.name_en);
    card.dataset.name = p.name;
    const h = el("h2", null, p.name);
    h.append(" ", el("span", "en", "(" + p.name_en + ")"));
    card.append(h, el("div", "orgs", p.organizations.join(" · ")));
    const ol = el("ol", "timeline");
    for (const a of p.appearances) {
      const li = el("li", a.role_change ? "appearance changed" : "appearance");
      li.append(el("span", "date", a.date || "undated"));
      li.append(el("span", "role", a.role_vi || "(no role stated)"));
      if (a.role_en) li.append(" ", el("span", "en", "— " + a.role_en));
      if (a.role_change) {
        li.append(el("span", "role-change", a.role_change.from.join(", ") + " → " + a.role_change.to.join(", ")));
      }
      li.append(el("span", "src", a.title + " · " + (a.date_source === "published" ? "publication date" : a.date_source)));
      li.append(el("blockquote", null, a.evidence), reviewLink(a.article, a.fact_id));
      ol.append(li);
    }
    card.append(ol);
    if (p.possibly_same.length) {
      const links = el("div", "links");
      for (const l of p.possibly_same) links.append(el("div", null, "Possibly the same as " + l.name + ": " + l.reason));
      card.append(links);
    }
    return card;
  }

  function eventCard(g) {
    const card = el("article", "card event");
    card.dataset.key = fold([g.what_vi, g.what_en, ...g.people, ...g.places].join(" "));
    card.dataset.articles = String(g.articles.length);
    const h = el("h2", null, (g.date || "undated") + " · " + g.what_vi);
    card.append(h, el("div", "en", g.what_en));
    const ol = el("ol", "timeline");
    for (const a of g.articles) {
      const li = el("li", "told");
      li.append(el("span", "date", a.date || "no date given"), el("span", null, a.title));
      li.append(el("span", "src", "published " + (a.published || "?")));
      li.append(el("blockquote", null, a.evidence), reviewLink(a.article, a.fact_id));
      ol.append(li);
    }
    card.append(ol);
    if (g.reasons.length) {
      const ul = el("ul", "reasons");
      for (const r of g.reasons) ul.append(el("li", null, r));
      card.append(ul);
    }
    return card;
  }

  $("people").replaceChildren(...data.people.map(personCard));
  $("event-list").replaceChildren(...data.events.map(eventCard));

  function applyFilter() {
    const q = fold($("filter").value.trim());
    const all = $("all-events").checked;
    for (const c of document.querySelectorAll(".person")) c.hidden = !!q && !c.dataset.key.includes(q);
    for (const c of document.querySelectorAll(".event")) {
      c.hidden = (!all && c.dataset.articles === "1") || (!!q && !c.dataset.key.includes(q));
    }
  }
  function showTab(name) {
    for (const t of document.querySelectorAll(".tab")) t.classList.toggle("active", t.dataset.tab === name);
    $("people").hidden = name !== "people";
    $("events").hidden = name !== "events";
  }
  for (const t of document.querySelectorAll(".tab")) t.addEventListener("click", () => showTab(t.dataset.tab));
  $("filter").addEventListener("input", applyFilter);
  $("all-events").addEventListener("change", applyFilter);
  applyFilter();
})();
