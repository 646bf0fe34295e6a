// TeX to SVG with MathJax, for the print edition (WeasyPrint has no MathML).
//
// Reads one JSON request per line on stdin: [[tex, display], ...]; writes one JSON line
// per request: [{svg} or {error}, ...] in the same order. Runs until stdin closes, so one
// process serves a whole galley run. Packages that load files, link or style
// (require, autoload, html) and those that hide errors (noerrors, noundefined) are left out:
// the TeX comes from untrusted source, and a formula MathJax cannot read must be an error.
"use strict";
const readline = require("readline");
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { SVG } = require("mathjax-full/js/output/svg.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

const LEFT_OUT = new Set(["require", "autoload", "html", "noerrors", "noundefined"]);
const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
const tex = new TeX({
  packages: AllPackages.filter((name) => !LEFT_OUT.has(name)),
  formatError: (jax, err) => {
    throw err;
  },
});
const svg = new SVG({ fontCache: "none" });
const html = mathjax.document("", { InputJax: tex, OutputJax: svg });

// MathJax's TeX glyphs are drawn lighter than the print face (EB Garamond): a thin outline
// stroke, in the glyphs' units of 1/1000 em, gives them the weight of the text around them.
const STROKE = "8";

function convert(source, display) {
  try {
    const node = html.convert(source, { display: display });
    const inner = adaptor.firstChild(node);
    const svg = adaptor.outerHTML(inner).replace('stroke-width="0"', `stroke-width="${STROKE}"`);
    return { svg: svg };
  } catch (err) {
    return { error: String(err && err.message ? err.message : err) };
  }
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  let request;
  try {
    request = JSON.parse(line);
  } catch (err) {
    process.stdout.write(JSON.stringify({ error: "bad request" }) + "\n");
    return;
  }
  const answer = request.map(([source, display]) => convert(source, Boolean(display)));
  process.stdout.write(JSON.stringify(answer) + "\n");
});
