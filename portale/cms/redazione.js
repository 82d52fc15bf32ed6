/* The web editor's own front-matter format, "portale-md": YAML between --- lines, then the Markdown body, as the
   build reads it (content/frontmatter.py). Decap's built-in format cannot open a list whose items are sometimes a
   plain slug and sometimes a group of keys: `saperi: [sartoria, {sapere: cucina, descrizione: ...}]`, which the
   build allows. Here a plain slug is read as {sapere: slug}, and written back as a plain slug when it has no
   descrizione, so a file written by hand keeps its short form. YAML 1.2 core schema (js-yaml): dates and times
   such as 2026-03-14 and 19:00 stay text, as the build's validation expects. A reference picked from a bundle
   (Decap's slug "il-banco/index") is written as the build names it ("il-banco"). */
(function () {
  "use strict";
  var FENCE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
  var SHORT = { saperi: "sapere" };  // in a person's file: list key -> the key a plain item stands for
  // keys whose values name another file by slug; Decap's slug of a bundle is "<slug>/index", the build's "<slug>"
  var REFERENCES = ["persone", "azione", "bisogni", "chi"];

  function bare(value) {
    return typeof value === "string" ? value.replace(/\/index$/, "") : value;
  }

  function unbundle(data) {
    if (Array.isArray(data)) return data.map(unbundle);
    if (!data || typeof data !== "object") return data;
    var out = {};
    Object.keys(data).forEach(function (key) {
      var value = data[key];
      if (REFERENCES.indexOf(key) >= 0) {
        out[key] = Array.isArray(value) ? value.map(bare) : bare(value);
      } else {
        out[key] = unbundle(value);
      }
    });
    return out;
  }

  function empty(value) {
    return value === null || value === undefined || value === "" ||
      (Array.isArray(value) && value.length === 0) ||
      (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);
  }

  function read(short) { return function (text) { return fromFile(text, short); }; }
  function write(short) { return function (data, sortedKeys) { return toFile(data, sortedKeys, short); }; }

  function fromFile(text, short) {
    var match = FENCE.exec(text);
    var data = match ? jsyaml.load(match[1], { schema: jsyaml.CORE_SCHEMA }) || {} : {};
    Object.keys(short).forEach(function (key) {
      if (Array.isArray(data[key])) {
        data[key] = data[key].map(function (item) {
          var long = {};
          if (typeof item !== "string") return item;
          long[short[key]] = item;
          return long;
        });
      }
    });
    data.body = match ? text.slice(match[0].length) : text;
    return data;
  }

  function toFile(data, sortedKeys, short) {
    var out = {};
    var order = (sortedKeys || []).concat(Object.keys(data));
    order.forEach(function (key) {
      if (key === "body" || key in out || empty(data[key])) return;
      out[key] = data[key];
    });
    Object.keys(short).forEach(function (key) {
      if (Array.isArray(out[key])) {
        out[key] = out[key].map(function (item) {
          var rest = Object.keys(item || {}).filter(function (k) { return k !== short[key] && !empty(item[k]); });
          return item && typeof item === "object" && rest.length === 0 ? item[short[key]] : item;
        });
      }
    });
    out = unbundle(out);
    var body = data.body || "";
    return "---\n" + jsyaml.dump(out, { schema: jsyaml.CORE_SCHEMA, lineWidth: -1 }) + "---\n" + body;
  }

  // people's files: saperi may be plain slugs; elsewhere (a need's saperi) a list of plain slugs stays as it is
  CMS.registerCustomFormat("portale-md", "md", { fromFile: read({}), toFile: write({}) });
  CMS.registerCustomFormat("portale-md-saperi", "md", { fromFile: read(SHORT), toFile: write(SHORT) });
})();
