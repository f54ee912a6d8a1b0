// Parses each Teams payload written by `chorus digest` with Microsoft's
// Adaptive Cards library and fails on any validation error (tests/digest.rs).
// The library renders to the DOM; parsing and validating need only a
// document, which jsdom provides.
"use strict";
const fs = require("fs");
const { JSDOM } = require("jsdom");
const dom = new JSDOM("<!DOCTYPE html><html><body></body></html>");
global.window = dom.window;
global.document = dom.window.document;
// The renderer checks elements against the DOM's classes (HTMLElement, HTMLButtonElement, Node…).
for (const name of Object.getOwnPropertyNames(dom.window)) {
  if (/^(HTML|SVG|Node|Element|Event|Text|Document|CSS|getComputedStyle|navigator)/.test(name) && !(name in global)) {
    global[name] = dom.window[name];
  }
}
// The UMD bundle: the package's `lib/` is ES modules without extensions, which node cannot load.
const AC = require("adaptivecards/dist/adaptivecards.js");

// Teams renders a subset of Markdown; here text is shown as it is, escaped.
AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  result.didProcess = true;
};

let failed = false;
for (const file of process.argv.slice(2)) {
  const payload = JSON.parse(fs.readFileSync(file, "utf8"));
  const attachment = payload.attachments && payload.attachments[0];
  if (payload.type !== "message" || !attachment || attachment.contentType !== "application/vnd.microsoft.card.adaptive") {
    console.log(`${file}: not a Teams message with an Adaptive Card attachment`);
    failed = true;
    continue;
  }
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext(AC.Versions.v1_5);
  card.parse(attachment.content, context);
  const problems = [];
  for (let i = 0; i < context.eventCount; i++) {
    problems.push(`parse: ${context.getEventAt(i).message}`);
  }
  for (const e of card.validateProperties().validationEvents) {
    problems.push(`validate: ${e.message}`);
  }
  if (card.version.toString() !== "1.5") {
    problems.push(`version ${card.version}`);
  }
  if (!card.render()) {
    problems.push("the card does not render");
  }
  if (problems.length) {
    console.log(`${file}: invalid\n  ${problems.join("\n  ")}`);
    failed = true;
  } else {
    console.log(`${file}: valid (${card.getItemCount()} items)`);
  }
}
process.exit(failed ? 1 : 0);
