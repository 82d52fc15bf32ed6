// Live preview helper: added by `python build.py serve` to the HTML it serves, never written
// into a built site. It listens to the preview server; when a build succeeds the tab reloads,
// when the content has errors it shows them above the page (the page itself stays the last
// good one). Text from the content is only ever set with textContent.
(function () {
  "use strict";
  var script = document.currentScript;
  var generation = script ? script.getAttribute("data-generazione") : "";
  var base = "/__anteprima/";
  var box = null;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs) { node.setAttribute(key, attrs[key]); }
    if (text) { node.textContent = text; }
    return node;
  }

  // A "Nascondi" button at the top of a floating box; `forget` clears the variable that holds the box.
  function closable(node, forget) {
    var hide = el("button", { type: "button", style: "float:right;font:inherit;padding:.2rem .6rem;cursor:pointer" }, "Nascondi");
    hide.addEventListener("click", function () { node.remove(); forget(); });
    node.appendChild(hide);
    return node;
  }

  function show(state) {
    var errors = state.problemi.filter(function (p) { return !p.avviso; });
    if (box) { box.remove(); box = null; }
    if (!errors.length) { return; }
    box = el("section", {
      id: "anteprima-errori", role: "alert", "aria-labelledby": "anteprima-errori-titolo",
      style: "position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:70vh;overflow:auto;" +
        "background:#fff4f4;color:#1a1a1a;border-bottom:4px solid #b00020;padding:1rem 1.25rem;" +
        "font:16px/1.45 system-ui,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.25)"
    });
    closable(box, function () { box = null; });
    var title = errors.length === 1 ? "1 errore nei contenuti" : errors.length + " errori nei contenuti";
    box.appendChild(el("h2", { id: "anteprima-errori-titolo", style: "margin:0 0 .5rem;font-size:1.2rem;color:#b00020" }, title));
    box.appendChild(el("p", { style: "margin:0 0 .75rem" },
      "Stai vedendo l'ultima versione buona. Correggi e salva: la pagina si aggiorna da sola."));
    var list = el("ul", { style: "margin:0;padding-left:1.2rem" });
    errors.forEach(function (p) {
      var item = el("li", { style: "margin:.4rem 0" });
      item.appendChild(el("code", { style: "font-weight:bold;word-break:break-all" }, p.dove));
      item.appendChild(document.createTextNode(": " + p.messaggio + " "));
      if (p.guida) {
        item.appendChild(el("a", { href: base + "guida#" + p.guida, target: "_blank", style: "color:#0b57d0" }, "(guida: " + p.guida + ")"));
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    document.body.appendChild(box);
  }

  var hints = null;

  // The dictionary words that the texts saved last use but do not tag (python build.py parole suggerisci).
  function suggest(state) {
    if (hints) { hints.remove(); hints = null; }
    var found = (state.suggerimenti || []).filter(function (s) { return s.dal_dizionario.length; });
    if (!found.length || box) { return; }
    hints = el("aside", {
      id: "anteprima-parole", role: "status", "aria-label": "Parole suggerite",
      style: "position:fixed;inset:auto 0 0 auto;z-index:2147483646;max-width:28rem;max-height:40vh;overflow:auto;" +
        "background:#f4f8ff;color:#1a1a1a;border:2px solid #0b57d0;margin:.75rem;padding:.75rem 1rem;" +
        "font:15px/1.4 system-ui,sans-serif;box-shadow:0 4px 16px rgba(0,0,0,.2)"
    });
    closable(hints, function () { hints = null; });
    found.forEach(function (s) {
      hints.appendChild(el("p", { style: "margin:0 0 .35rem;font-weight:bold" }, "Parole del dizionario in " + s.file + ":"));
      var list = el("ul", { style: "margin:0 0 .5rem;padding-left:1.2rem" });
      s.dal_dizionario.forEach(function (k) {
        list.appendChild(el("li", {}, "riga " + k.riga + ": «" + k.forma + "» → tag " + k.slug));
      });
      hints.appendChild(list);
    });
    document.body.appendChild(hints);
  }

  function apply(state) {
    if (state.generazione && state.generazione !== generation) {  // a newer good build is on disk
      location.reload();
      return;
    }
    show(state);
    suggest(state);
  }

  if (window.EventSource) {
    var source = new EventSource(base + "eventi");
    source.onmessage = function (event) { apply(JSON.parse(event.data)); };
  } else {
    setInterval(function () {
      fetch(base + "stato", { cache: "no-store" }).then(function (r) { return r.json(); }).then(apply, function () {});
    }, 1000);
  }
})();
