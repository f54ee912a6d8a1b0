// chorus serve: live reload. Injected into served pages only, never into
// `chorus build` output. Messages (JSON): {"kind":"reload"}, {"kind":"css"},
// {"kind":"error","errors":[{location,message,help}]}, {"kind":"ok","build":N}.
(() => {
  "use strict";
  const OVERLAY_ID = "chorus-error-overlay";
  // The build that served this page: if the site changed while it loaded, the
  // greeting says so and the page reloads.
  const servedBuild = Number(document.currentScript?.dataset.build ?? -1);
  let retry = 250;

  function showErrors(errors) {
    hideErrors();
    const box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alertdialog");
    box.setAttribute("aria-labelledby", OVERLAY_ID + "-title");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;" +
      "background:rgba(20,22,26,.94);color:#f5f5f5;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
    const title = document.createElement("h2");
    title.id = OVERLAY_ID + "-title";
    title.textContent = errors.length === 1 ? "chorus: the build failed" : `chorus: the build failed (${errors.length} errors)`;
    title.style.cssText = "margin:0 0 1rem;color:#ff8a80;font-size:1.2rem";
    box.append(title);
    for (const e of errors) {
      const item = document.createElement("section");
      item.style.cssText = "margin:0 0 1.25rem;padding:0 0 0 1rem;border-left:3px solid #ff8a80";
      const where = document.createElement("div");
      where.className = "chorus-error-location";
      where.textContent = e.location || "";
      where.style.cssText = "color:#9ecbff";
      const what = document.createElement("pre");
      what.className = "chorus-error-message";
      what.textContent = e.message;
      what.style.cssText = "margin:.25rem 0;white-space:pre-wrap";
      item.append(where, what);
      if (e.help) {
        const help = document.createElement("div");
        help.textContent = "help: " + e.help;
        help.style.cssText = "color:#c3e88d";
        item.append(help);
      }
      box.append(item);
    }
    const note = document.createElement("p");
    note.textContent = "The last good version of the site is still served. Fix the file and save: this page reloads.";
    note.style.cssText = "color:#bbb";
    box.append(note);
    document.body.append(box);
  }

  function hideErrors() {
    document.getElementById(OVERLAY_ID)?.remove();
  }

  function reloadStyles() {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("reload", Date.now().toString(36));
      link.href = url.toString();
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${location.host}/__chorus/livereload`);
    socket.addEventListener("open", () => {
      retry = 250;
    });
    socket.addEventListener("message", (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.kind === "reload") return location.reload();
      else if (message.kind === "css") { hideErrors(); reloadStyles(); }
      else if (message.kind === "error") showErrors(message.errors || []);
      else if (message.kind === "ok") {
        if (servedBuild >= 0 && message.build !== servedBuild) return location.reload();
        hideErrors();
      }
      // Connected, and this page is the latest build (the greeting said so):
      // "connected" is set only then, never before a pending reload.
      document.documentElement.dataset.chorusLive = "connected";
    });
    socket.addEventListener("close", () => {
      delete document.documentElement.dataset.chorusLive;
      // The server restarted or went away: try again, more slowly each time.
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 5000);
    });
  }

  connect();
})();
