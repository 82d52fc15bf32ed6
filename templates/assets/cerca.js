// The search page: Pagefind's JS API and a light result list, nothing from another host.
// A territory page searches its own bundle (../pagefind/); the network page merges every
// territory bundle (Pagefind multisite). The query, filters and sort live in the address
// (?q=...&tipo=...&ordine=data), so a search can be shared as a link and survives "back".
// Without JavaScript (or on a browser too old for this module) the page keeps its plain
// message with links to the lists; this script hides it once search actually works.

const PER_PAGE = 10;
const MAX_SORTED = 300; // results put in date order across bundles; the rest follow
// The page's words, in its language (the template writes them from the gettext catalogues).
const T = JSON.parse(document.getElementById("cerca").dataset.testi);
const FILTERS = ["tipo", "territorio", "categoria", "sapere", "tag"].map((key) => [key, T[key]]);
const KIND_NAMES = { storia: T.storia, persona: T.persona, bisogno: T.bisogno, sapere: T.sapere_tipo, parola: T.parola, azione: T.azione, servizio: T.servizio };
const LANGUAGE = document.documentElement.lang || "it";
const say = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => values[key]);

const form = document.getElementById("cerca");
const input = document.getElementById("cerca-q");
const options = document.getElementById("cerca-opzioni");
const fields = document.getElementById("cerca-campi");
const status = document.getElementById("cerca-stato");
const list = document.getElementById("cerca-risultati");
const more = document.getElementById("cerca-altri");
const noScript = document.getElementById("cerca-senza-js");

let pagefind = null;
let bundleCount = 0;
let territoryNames = [];
let current = { results: [], shown: 0 };
let generation = 0;
let typingTimer = null;

// The index reads elisions with a straight apostrophe (l'archivio) so that "archivio" is a word
// of its own: queries typed with the typographic one (phones write it) get the same treatment,
// and readers get the typographic one back in titles and excerpts.
const typographic = (text) => text.replace(/(\p{L})'(?=\p{L})/gu, "$1\u2019");
const straight = (text) => text.replace(/(\p{L})[\u2019\u2018\u02bc](?=\p{L})/gu, "$1'");
const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
const words = (text) => fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function sharedPrefix(a, b) {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n += 1;
  return n;
}

// When a word is nowhere in an index, Pagefind 1.5 falls back to the longest piece of it that
// is (Pagefind issue #793): "esempio" finds every page with "e", "lavatrice" every "la". In
// Italian those are everywhere, so a word must share most of its beginning with a word the top
// result really contains (stems and plurals do: bicicletta/biciclette), or that index found
// nothing. Each territory has its own index, so each is checked on its own top result.
async function reallyMatches(query, top) {
  // Only for words written in the Latin alphabet: Arabic joins articles and prepositions to the word that
  // follows (السوق, بالسوق) and Chinese has no spaces, so their words cannot be compared this way.
  if (!/^[\p{Script=Latin}\p{N}\p{P}\s]*$/u.test(query)) return true;
  const data = await top.data();
  const content = (data.raw_content || data.content || "").split(/[\r\n\s]+/g);
  const matched = (data.locations || []).flatMap((at) => words(content[at] || ""));
  return words(query).every((term) => term.length < 3 || matched.some((word) => sharedPrefix(word, term) >= Math.max(3, Math.ceil(term.length * 0.6))));
}

function absolute(path) {
  return new URL(path, document.baseURI).href;
}

async function loadBundles() {
  const bundles = JSON.parse(form.dataset.indici || "[]");
  let loaded = 0;
  for (const bundle of bundles) {
    try {
      if (!pagefind) {
        const module = await import(absolute(bundle + "pagefind.js"));
        await module.options({ excerptLength: 24 });
        await module.init();
        await module.filters(); // fails here when the bundle is missing
        pagefind = module;
      } else {
        await pagefind.mergeIndex(absolute(bundle));
      }
      loaded += 1;
    } catch (error) {
      console.warn("Indice di ricerca non disponibile:", bundle, error);
    }
  }
  return loaded;
}

function readAddress() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const [key] of FILTERS) {
    if (params.get(key)) filters[key] = params.get(key);
  }
  return { q: (params.get("q") || "").trim(), filters, sort: params.get("ordine") === "data" ? "data" : "" };
}

function writeAddress(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const [key, value] of Object.entries(state.filters)) params.set(key, value);
  if (state.sort) params.set("ordine", state.sort);
  const query = params.toString();
  history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  // the same words, searched in another language's texts
  for (const link of document.querySelectorAll("a[data-mantieni-ricerca]")) link.search = state.q ? "?" + new URLSearchParams({ q: state.q }) : "";
}

function formState() {
  const filters = {};
  for (const select of options.querySelectorAll("select[data-filtro]")) {
    if (select.value) filters[select.name] = select.value;
  }
  const sort = options.querySelector("select[name=ordine]");
  return { q: input.value.trim(), filters, sort: sort && sort.value === "data" ? "data" : "" };
}

function field(labelText, name, id) {
  const wrapper = document.createElement("div");
  wrapper.className = "filtro";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = labelText;
  const select = document.createElement("select");
  select.name = name;
  select.id = id;
  wrapper.append(label, select);
  return [wrapper, select];
}

function option(value, text, selected) {
  const element = document.createElement("option");
  element.value = value;
  element.textContent = text;
  element.selected = selected;
  return element;
}

async function buildOptions(state) {
  const available = await pagefind.filters();
  territoryNames = Object.keys(available.territorio || {});
  fields.replaceChildren();
  for (const [key, labelText] of FILTERS) {
    const values = Object.keys(available[key] || {}).sort((a, b) => a.localeCompare(b, LANGUAGE));
    if (values.length < 2 && !state.filters[key]) continue; // nothing to choose between
    const [wrapper, select] = field(labelText, key, "filtro-" + key);
    select.dataset.filtro = "";
    select.append(option("", T.tutti, !state.filters[key]));
    for (const value of values) {
      const text = key === "tipo" ? KIND_NAMES[value] || value : value;
      select.append(option(value, text, state.filters[key] === value));
    }
    fields.append(wrapper);
  }
  const [wrapper, sort] = field(T.ordina, "ordine", "filtro-ordine");
  sort.append(option("", T.pertinenza, state.sort !== "data"), option("data", T.recenti, state.sort === "data"));
  fields.append(wrapper);
  options.hidden = false;
  options.open = Object.keys(state.filters).length > 0 || state.sort === "data"; // closed: results first on a phone
  options.addEventListener("change", () => run(formState()));
}

function excerptNodes(html) {
  // Pagefind's excerpt is escaped text with <mark> around the matches: keep only those.
  const template = document.createElement("template");
  template.innerHTML = html;
  const nodes = [];
  for (const node of template.content.childNodes) {
    const text = typographic(node.textContent);
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = text;
      nodes.push(mark);
    } else {
      nodes.push(document.createTextNode(text));
    }
  }
  return nodes;
}

function resultItem(data) {
  const meta = data.meta || {};
  const url = data.url;
  const item = document.createElement("li");
  item.className = "scheda risultato";
  if (meta.image) {
    const image = document.createElement("img");
    const source = new URL(meta.image, new URL(url, location.href));
    if (source.origin === location.origin) {
      image.src = source.href;
      image.alt = meta.image_alt || "";
      image.loading = "lazy";
      image.width = 96;
      image.height = 72;
      item.append(image);
    }
  }
  const heading = document.createElement("h2");
  heading.className = "h3";
  const link = document.createElement("a");
  link.href = url;
  link.textContent = typographic(meta.title || url);
  heading.append(link);
  const details = document.createElement("p");
  details.className = "dati";
  details.textContent = [meta.tipo, meta.data, meta.territorio].filter(Boolean).join(T.separatore);
  const excerpt = document.createElement("p");
  excerpt.className = "estratto";
  excerpt.append(...excerptNodes(data.excerpt || ""));
  item.append(heading, details, excerpt);
  return item;
}

async function genuineResults(query, options) {
  const search = await pagefind.search(query, options);
  if (!search.results.length) return [];
  const names = options.filters.territorio ? [options.filters.territorio] : territoryNames;
  if (names.length < 2) return (await reallyMatches(query, search.results[0])) ? search.results : [];
  const genuine = new Set();
  await Promise.all(names.map(async (name) => {
    const part = await pagefind.search(query, { filters: { ...options.filters, territorio: name } });
    if (part.results.length && (await reallyMatches(query, part.results[0]))) part.results.forEach((result) => genuine.add(result.id));
  }));
  return search.results.filter((result) => genuine.has(result.id));
}

async function byDate(results) {
  // Pagefind sorts each merged bundle on its own: put the network's results in one date order.
  if (bundleCount < 2) return results;
  const dated = await Promise.all(results.slice(0, MAX_SORTED).map(async (result, position) => {
    const data = await result.data();
    return { result: { ...result, data: async () => data }, date: (data.meta && data.meta.data_iso) || "", position };
  }));
  dated.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.position - b.position));
  return dated.map((entry) => entry.result).concat(results.slice(MAX_SORTED));
}

async function showMore(mine) {
  const slice = current.results.slice(current.shown, current.shown + PER_PAGE);
  const data = await Promise.all(slice.map((result) => result.data()));
  if (mine !== generation) return;
  list.append(...data.map(resultItem));
  current.shown += slice.length;
  more.hidden = current.shown >= current.results.length;
}

async function run(state) {
  const mine = ++generation;
  writeAddress(state);
  if (!state.q) {
    list.replaceChildren();
    more.hidden = true;
    status.textContent = T.scrivi;
    list.setAttribute("aria-busy", "false");
    return;
  }
  status.textContent = T.cerco;
  list.setAttribute("aria-busy", "true");
  const query = straight(state.q);
  let results = await genuineResults(query, { filters: state.filters, sort: state.sort ? { data: "desc" } : undefined });
  if (state.sort) results = await byDate(results);
  if (mine !== generation) return;
  current = { results, shown: 0 };
  list.replaceChildren();
  await showMore(mine);
  if (mine !== generation) return;
  const count = results.length;
  const quoted = "«" + state.q + "»";
  status.textContent = say(count === 0 ? T.nessuno : count === 1 ? T.uno : T.molti, { q: quoted, n: count.toLocaleString(LANGUAGE) });
  list.setAttribute("aria-busy", "false");
}

async function start() {
  const state = readAddress();
  input.value = state.q;
  status.textContent = T.preparo;
  bundleCount = await loadBundles();
  noScript.hidden = true; // JavaScript works: the message about it would mislead
  if (!bundleCount) {
    status.textContent = T.niente;
    return;
  }
  await buildOptions(state);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run(formState());
  });
  input.addEventListener("input", () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => run(formState()), 350);
  });
  more.addEventListener("click", async () => {
    const first = current.shown;
    await showMore(generation);
    const link = list.children[first] && list.children[first].querySelector("a");
    if (link) link.focus(); // the next result, not a button that may have just disappeared
  });
  await run(state);
}

start();
