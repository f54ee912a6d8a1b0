#!/usr/bin/env python3
"""Edit-to-reload benchmark for `chorus serve` (issue 6's target: < 100 ms on
the 10,000-page corpus for a one-page edit, from the file event to the reload
message).

    bench/serve.py                       # 10,000 pages, 20 edits of each kind
    bench/serve.py --pages 1000 --edits 10

It generates the build benchmark's corpus (bench/gen_corpus.py) when missing,
starts `chorus serve --no-tracker` on it, connects to the live-reload
websocket like a browser tab, then edits pages one at a time and measures,
for each edit, the time from the moment the file is written and closed to the
moment the reload message arrives. That includes the watcher (inotify), the
debounce, the incremental rebuild and the websocket push. It also reads
chorus's own "Rebuilt N pages (M files) in X ms" line for the rebuild alone.

Edits alternate between a body edit (a paragraph appended) and a front-matter
edit (the title changed), on pages spread over every section. Only the Python
standard library is used. Writes bench/results/serve.md.
"""

import argparse
import base64
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


class LiveReload:
    """A minimal websocket client (RFC 6455) for the live-reload endpoint."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET /__chorus/livereload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise RuntimeError("the websocket handshake failed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(f"no websocket: {head[:80]!r}")
        self.buffer = b""

    def _read(self, n):
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("the websocket closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def drain(self):
        """Discards messages already sent (a save seen as two changes gives two reloads)."""
        self.sock.setblocking(False)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                self.buffer += chunk
        except BlockingIOError:
            pass
        finally:
            self.sock.setblocking(True)
            self.sock.settimeout(60)
        self.buffer = b""

    def message(self):
        """The next text message (server frames are not masked)."""
        while True:
            b0, b1 = self._read(2)
            length = b1 & 0x7F
            if length == 126:
                length = int.from_bytes(self._read(2), "big")
            elif length == 127:
                length = int.from_bytes(self._read(8), "big")
            payload = self._read(length)
            opcode = b0 & 0x0F
            if opcode == 1:
                return payload.decode()
            if opcode == 8:
                raise RuntimeError("the websocket closed")


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=20, help="edits of each kind (body, title)")
    ap.add_argument("--chorus", default=str(REPO / "target/release/chorus"))
    ap.add_argument("--corpus", type=Path, default=None, help="default: a temporary folder")
    args = ap.parse_args()

    chorus = Path(args.chorus)
    if not chorus.is_file():
        subprocess.run(["cargo", "build", "--release"], cwd=REPO, check=True)
    work = Path(tempfile.mkdtemp(prefix="chorus-serve-bench-"))
    corpus = args.corpus or work / "corpus"
    if not (corpus / "chorus" / "hub.yaml").is_file():
        subprocess.run([sys.executable, str(BENCH / "gen_corpus.py"), "--pages", str(args.pages), "--out", str(corpus)], check=True)
    hub = work / "hub"
    shutil.copytree(corpus / "chorus", hub)
    pages = sorted(p for p in (hub / "content").rglob("*.md") if not p.name.startswith("_index") and ".en." not in p.name)

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(chorus), "serve", "--root", str(hub), "--port", str(port), "--no-tracker", "--color", "never"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
    )
    lines = []
    ready = threading.Event()
    rebuilt = []

    def pump():
        for line in proc.stdout:
            lines.append(line.rstrip())
            if line.startswith("Serving "):
                ready.set()
            m = re.match(r"Rebuilt .* in (\d+) ms", line)
            if m:
                rebuilt.append(int(m.group(1)))

    threading.Thread(target=pump, daemon=True).start()
    if not ready.wait(600):
        proc.kill()
        sys.exit("chorus serve did not start:\n" + "\n".join(lines[-20:]))
    first_build = next((l for l in lines if l.startswith("Built ")), "")
    startup = time.perf_counter() - started
    live = LiveReload(port)
    greeting = json.loads(live.message())
    assert greeting["kind"] == "ok", greeting

    results = {"body": [], "title": []}
    step = max(1, len(pages) // (args.edits * 2))
    targets = pages[::step][: args.edits * 2]
    for i, page in enumerate(targets):
        kind = "body" if i % 2 == 0 else "title"
        text = page.read_text(encoding="utf-8")
        if kind == "body":
            text += f"\nUn paragraphe ajouté pendant la mesure {i}.\n"
        else:
            text = re.sub(r'^title: "(.*)"$', lambda m: f'title: "{m.group(1)} (modifié {i})"', text, count=1, flags=re.M)
        before = len(rebuilt)
        live.drain()
        with open(page, "w", encoding="utf-8") as f:
            f.write(text)
        t0 = time.perf_counter()
        message = json.loads(live.message())
        elapsed = (time.perf_counter() - t0) * 1000
        if message["kind"] != "reload":
            proc.kill()
            sys.exit(f"edit {i} of {page}: {message}")
        results[kind].append(elapsed)
        deadline = time.time() + 10
        while len(rebuilt) == before and time.time() < deadline:
            time.sleep(0.001)
        time.sleep(0.2)  # let the watcher settle before the next edit

    rss = 0
    try:
        for line in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                rss = int(line.split()[1]) / 1024
    except OSError:
        pass
    proc.terminate()
    proc.wait(20)

    cpu = os.cpu_count()
    model = ""
    try:
        model = next(l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    version = subprocess.run([str(chorus), "--version"], capture_output=True, text=True).stdout.strip()
    out = [
        "# `chorus serve`: from a saved file to the reload message",
        "",
        f"Corpus: `bench/gen_corpus.py --pages {args.pages}` ({len(pages)} pages in the default language, "
        f"{sum(1 for _ in (hub / 'content').rglob('*.md'))} content files). {args.edits} edits of each kind, one at a time, "
        "on pages spread over every section; each measured from the file written and closed to the websocket's reload "
        "message (inotify, 20 ms debounce, incremental rebuild, push). \"rebuild\" is chorus's own figure for the rebuild alone.",
        "",
        "| edit | edits | p50 | p95 | max | rebuild p50 (chorus's figure) |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    per_edit = rebuilt[-len(targets):] if len(rebuilt) >= len(targets) else rebuilt
    for kind in ("body", "title"):
        xs = results[kind]
        mine = per_edit[0 if kind == "body" else 1::2]
        out.append(
            f"| {'a paragraph added' if kind == 'body' else 'the title changed'} | {len(xs)} | {percentile(xs, 50):.0f} ms | "
            f"{percentile(xs, 95):.0f} ms | {max(xs):.0f} ms | {statistics.median(mine) if mine else 0:.0f} ms |"
        )
    out += [
        "",
        f"- first build in memory: {first_build.strip()} (serve up after {startup:.1f} s); peak RSS {rss:.0f} MiB",
        f"- machine: {cpu} CPUs, {model}, {platform.system()} {platform.release()}; {version}",
        f"- date: {time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())}",
    ]
    report = "\n".join(out) + "\n"
    (BENCH / "results").mkdir(exist_ok=True)
    (BENCH / "results" / "serve.md").write_text(report)
    print(report)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
