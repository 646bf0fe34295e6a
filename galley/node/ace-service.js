// Ace by DAISY (EPUB accessibility checker) for a whole galley run, in one Node process.
//
// Reads lines "REPORT_DIR<TAB>BOOK.epub" on stdin; checks the book with Ace's own core and
// its Puppeteer runner, writes report.json into REPORT_DIR, then answers "done" (or
// "error<TAB>message") on stdout. The headless browser is started once and kept for the
// life of the process (Ace's core would start and stop it for every book). Ends when stdin
// closes.
"use strict";
const readline = require("readline");
const ace = require("@daisy/ace-core");
const axeRunner = require("@daisy/ace-axe-runner-puppeteer");
const winston = require("winston");

// Ace logs through winston; its own logger would write files under ~/.local/state: silence.
winston.add(new winston.transports.Console({ silent: true }));

let started = null;
const runner = Object.assign({}, axeRunner, {
  launch: () => {
    if (started === null) started = axeRunner.launch();
    return started;
  },
  close: () => Promise.resolve(),
});

// The browser starts now, while galley is still laying the books out; a failure to start
// is answered for each book that needs it.
started = runner.launch();
started.catch(() => {});

const queue = [];
let busy = false;

async function next() {
  if (busy || queue.length === 0) return;
  busy = true;
  const [outdir, book] = queue.shift();
  try {
    const options = { cwd: process.cwd(), outdir: outdir, silent: true, lang: "en", jobid: "" };
    await ace(book, options, runner);
    process.stdout.write("done\n");
  } catch (err) {
    const message = err && err.message ? err.message : String(err);
    process.stdout.write("error\t" + message.replace(/\s+/g, " ") + "\n");
  }
  busy = false;
  next();
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  const [outdir, book] = line.split("\t");
  queue.push([outdir, book]);
  next();
});
lines.on("close", async () => {
  const wait = () => (busy || queue.length ? setTimeout(wait, 50) : finish());
  const finish = async () => {
    if (started !== null) {
      try {
        await started;
        await axeRunner.close();
      } catch (err) {
        // the browser is gone already
      }
    }
    process.exit(0);
  };
  wait();
});
