/* chorus default theme: progressive enhancements, no dependencies, no network.
   Pages read fully without it. UI strings come from data- attributes. */
(function () {
  'use strict';
  var d = document, root = d.documentElement, body = d.body, path = location.pathname;
  root.classList.add('js');
  function all(sel, el) { return Array.prototype.slice.call((el || d).querySelectorAll(sel)); }
  function get(k) { try { return localStorage.getItem('chorus:' + k); } catch (e) { return null; } }
  function set(k, v) {
    try { if (v) localStorage.setItem('chorus:' + k, v); else localStorage.removeItem('chorus:' + k); } catch (e) { /* storage off */ }
  }
  function randomHex(bytes) {
    var b = new Uint8Array(bytes); crypto.getRandomValues(b);
    return Array.from(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
  }

  // On a phone the menu scrolls sideways: bring the current section into view.
  var nav = d.querySelector('.site-nav'), current = nav && nav.querySelector('[aria-current]');
  if (current && nav.scrollWidth > nav.clientWidth) nav.scrollLeft = current.offsetLeft - nav.offsetLeft - 16;

  // Heading anchors are aria-hidden: keep them out of the tab order.
  all('a.anchor[aria-hidden="true"]').forEach(function (a) { a.tabIndex = -1; });

  // Copy: <button class="copy" data-copy-target data-copy-status data-copied data-copy-failed>
  function say(el, msg) {
    if (!el) return;
    el.textContent = '';
    setTimeout(function () { el.textContent = msg || ''; }, 60);
  }
  d.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('button.copy'), src;
    if (!btn || !(src = d.getElementById(btn.getAttribute('data-copy-target')))) return;
    var text = 'value' in src ? src.value : src.textContent, status = d.getElementById(btn.getAttribute('data-copy-status'));
    function done() {
      btn.classList.add('is-copied');
      setTimeout(function () { btn.classList.remove('is-copied'); }, 2000);
      say(status, btn.getAttribute('data-copied'));
      btn.dispatchEvent(new CustomEvent('chorus:copy', {bubbles: true, detail: {text: text}}));
    }
    function fallback() {
      var r = d.createRange(), s = getSelection(), ok = false;
      if (src.select) src.select(); else { r.selectNodeContents(src); s.removeAllRanges(); s.addRange(r); }
      try { ok = d.execCommand('copy'); } catch (err) { /* unsupported */ }
      if (ok) done(); else say(status, btn.getAttribute('data-copy-failed'));
    }
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  });

  // Quizzes: <form class="quiz" data-quiz="N">; right choices carry data-correct.
  function str(form, name, key) { return form.getAttribute('data-' + name) || body.dataset[key] || ''; }
  all('form.quiz').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var inputs = all('input[type="radio"],input[type="checkbox"]', form), out = form.querySelector('.quiz-feedback');
      var right = true, answers = [], details = form.querySelector('details');
      if (!inputs.some(function (i) { return i.checked; })) {
        if (out) { out.className = 'quiz-feedback'; out.textContent = str(form, 'choose', 'quizChoose'); }
        if (inputs[0]) inputs[0].focus();
        return;
      }
      inputs.forEach(function (i) {
        var label = i.closest('label') || i.parentNode;
        var good = i.hasAttribute('data-correct') || label.hasAttribute('data-correct');
        if (good) answers.push(label.textContent.trim());
        if (good !== i.checked) right = false;
        label.classList.toggle('is-right', good);
        label.classList.toggle('is-wrong', i.checked && !good);
      });
      if (out) {
        out.className = 'quiz-feedback is-' + (right ? 'right' : 'wrong');
        out.textContent = right ? str(form, 'right', 'quizRight')
          : str(form, 'wrong', 'quizWrong') + ' ' + str(form, 'answer', 'quizAnswer') + ' ' + answers.join(' ; ');
      }
      if (details) details.open = true;
      if (right) set('quiz:' + path + '#' + form.getAttribute('data-quiz'), '1');
      checkModule();
    });
  });

  // Task lists: one key per page URL and data-task.
  all('input[type="checkbox"][data-task]').forEach(function (cb) {
    var key = 'task:' + path + '#' + cb.getAttribute('data-task');
    cb.disabled = false;
    cb.checked = get(key) === '1';
    cb.addEventListener('change', function () { set(key, cb.checked ? '1' : null); checkModule(); });
  });

  // Modules: <button class="module-done" data-module="/url/" aria-pressed>. A
  // module with a checklist or a quiz is done by itself once every box is
  // ticked and every quiz answered right; the button marks the others.
  function isDone(url) { return get('module:' + url) === '1'; }
  function showDone() {
    all('button.module-done').forEach(function (btn) { btn.setAttribute('aria-pressed', String(isDone(btn.getAttribute('data-module')))); });
    all('.module-status').forEach(function (el) { el.hidden = !isDone(el.getAttribute('data-module')); });
    checkGuides();
  }
  function checkModule() {
    var btn = d.querySelector('button.module-done'), tasks = all('input[type="checkbox"][data-task]'), quizzes = all('form.quiz');
    if (!btn || (!tasks.length && !quizzes.length)) return;
    var done = tasks.every(function (c) { return c.checked; }) &&
      quizzes.every(function (f) { return get('quiz:' + path + '#' + f.getAttribute('data-quiz')) === '1'; });
    if (done && !isDone(btn.getAttribute('data-module'))) { set('module:' + btn.getAttribute('data-module'), '1'); showDone(); }
  }
  all('button.module-done').forEach(function (btn) {
    var url = btn.getAttribute('data-module');
    btn.addEventListener('click', function () { set('module:' + url, isDone(url) ? null : '1'); showDone(); });
  });

  // Milestones: a guide whose every module is done, a policy version read.
  // Each is sent once per browser (the key stays here), with no id at all.
  function once(el, key, body) {
    var url = el.getAttribute('data-beacon');
    if (!url || get('sent:' + key) || !navigator.sendBeacon) return;
    try { if (navigator.sendBeacon(url, JSON.stringify(body))) set('sent:' + key, '1'); } catch (e) { /* offline */ }
  }
  function guideDone(el, modules) {
    var guide = el.getAttribute('data-guide-id');
    if (guide && modules.length && modules.every(isDone)) once(el, 'complete:' + guide, {event: 'complete', guide: guide});
  }
  function checkGuides() {
    all('article.module[data-guide-id]').forEach(function (a) { guideDone(a, (a.getAttribute('data-modules') || '').split(/\s+/).filter(Boolean)); });
    all('.guide[data-guide-id]').forEach(function (g) {
      var p = g.querySelector('.guide-progress');
      if (p) guideDone(g, (p.getAttribute('data-modules') || '').split(/\s+/).filter(Boolean));
    });
  }
  showDone();

  // Guide progress: <p class="guide-progress" data-modules="/a/ /b/" data-template="{done} of {total}">.
  var complete = false;
  all('.guide-progress').forEach(function (el) {
    var mods = (el.getAttribute('data-modules') || '').split(/\s+/).filter(Boolean), n = mods.filter(isDone).length;
    if (!mods.length) return;
    el.textContent = (el.getAttribute('data-template') || '{done} / {total}').replace('{done}', n).replace('{total}', mods.length);
    el.style.setProperty('--pct', Math.round(100 * n / mods.length) + '%');
    el.hidden = false;
    complete = n === mods.length;
  });
  all('.module-item[data-module]').forEach(function (li) {
    var mark = li.querySelector('.module-state');
    if (!isDone(li.getAttribute('data-module'))) return;
    li.classList.add('is-done');
    if (mark) mark.hidden = false;
  });

  // Certificate (guide page), once every module is done.
  var cert = d.querySelector('.certificate');
  if (cert && complete) {
    var input = cert.querySelector('input'), name = cert.querySelector('.cert-name'), date = cert.querySelector('.cert-date');
    var print = cert.querySelector('.print-cert');
    cert.hidden = false;
    if (date) date.textContent = new Date().toLocaleDateString(root.lang || undefined, {year: 'numeric', month: 'long', day: 'numeric'});
    if (input && name) input.addEventListener('input', function () { name.textContent = input.value; });
    if (print) print.addEventListener('click', function () { body.classList.add('printing-cert'); window.print(); });
  }

  // The policy changed: a banner on every page until the version in force is
  // acknowledged here, or the banner dismissed for that version.
  function policyBanner() {
    all('.policy-banner[data-policy]').forEach(function (b) {
      var policy = b.getAttribute('data-policy'), version = b.getAttribute('data-version');
      b.hidden = get('ack:' + policy) === version || get('banner-dismissed:' + policy) === version;
      var dismiss = b.querySelector('.policy-banner-dismiss');
      if (dismiss && !dismiss.onclick) dismiss.onclick = function () { set('banner-dismissed:' + policy, version); b.hidden = true; };
    });
  }
  policyBanner();
  // Arriving at "what changed" from the banner opens it.
  var changes = d.getElementById('policy-changes');
  if (changes && location.hash === '#policy-changes') changes.open = true;

  // Policy: "I have read version N", kept in this browser with its date.
  all('.policy-ack[data-policy]').forEach(function (box) {
    var policy = box.getAttribute('data-policy'), version = box.getAttribute('data-version'), key = 'ack:' + policy;
    var btn = box.querySelector('button'), status = box.querySelector('.policy-ack-status');
    function show() {
      var at = get(key + '@' + version);
      btn.hidden = !!at;
      status.textContent = at ? box.getAttribute('data-done').replace('{date}',
        new Date(at + 'T12:00:00').toLocaleDateString(root.lang || undefined, {year: 'numeric', month: 'long', day: 'numeric'})) : '';
    }
    btn.addEventListener('click', function () {
      set(key, version);
      set(key + '@' + version, new Date().toISOString().slice(0, 10));
      once(box, 'ack:' + policy + '@' + version, {event: 'ack', policy: policy, version: version});
      show();
      policyBanner();
      // The button is gone: keep the keyboard's place on what replaced it.
      status.tabIndex = -1;
      status.focus();
    });
    show();
  });

  // Printing: open collapsed explanations, restore afterwards.
  var opened = [];
  addEventListener('beforeprint', function () {
    opened = all('details:not([open])');
    opened.forEach(function (x) { x.open = true; });
  });
  addEventListener('afterprint', function () {
    opened.forEach(function (x) { x.open = false; });
    body.classList.remove('printing-cert');
  });

  // Variants in turn: so that colleagues do not all post the same words, each
  // browser sees the campaign's variants rotated by its own turn, a hash of a
  // random id kept in this browser (never sent anywhere) and the campaign's id.
  // The variants to share today (data-current) rotate among themselves, else
  // all of them; nodes move, so reading and tab order follow, and their numbers
  // are given back in order. This runs before DOMContentLoaded (the script is
  // deferred), before anyone interacts; without storage the server's order stays.
  function hash(s) {
    for (var h = 2166136261, i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619); // FNV-1a, 32 bits
    return h >>> 0;
  }
  function browserId() {
    if (!get('variant-id') && window.crypto && crypto.getRandomValues) set('variant-id', randomHex(16));
    return get('variant-id');
  }
  all('.snippets[data-campaign]').forEach(function (box) {
    var group = all('section.snippet[data-current]', box), id;
    if (!group.length) group = all('section.snippet', box);
    if (group.length < 2 || !(id = browserId())) return;
    var turn = hash(id + ' ' + box.getAttribute('data-campaign')) % group.length;
    var numbers = group.map(function (s) { return (s.querySelector('[data-snippet-number]') || {}).textContent; });
    var slots = group.map(function (s) { var mark = d.createComment(''); s.parentNode.insertBefore(mark, s); return mark; });
    group.slice(turn).concat(group.slice(0, turn)).forEach(function (s, i) {
      slots[i].parentNode.replaceChild(s, slots[i]);
      all('[data-snippet-number]', s).forEach(function (n) { n.textContent = numbers[i]; });
    });
  });

  // Share cards: live counter, share intent kept in step with edits, copy before
  // sharing where the card says so (data-copy-first), beacon to the tracker.
  var W1 = [[0, 4351], [8192, 8205], [8208, 8223], [8242, 8247]];
  var URLS = /https?:\/\/[^\s<>"]+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}(?:\/[^\s<>"]*)?/gi;
  var SEQ = /\u200d|\ufe0f|\u20e3|\ud83c[\udffb-\udfff]|\udb40[\udc20-\udc7f]|\ud83c[\udde6-\uddff]/;
  function graphemes(t) {
    if (window.Intl && Intl.Segmenter) return Array.from(new Intl.Segmenter().segment(t), function (g) { return g.segment; });
    return Array.from(t);
  }
  function weight(cp) { return W1.some(function (r) { return cp >= r[0] && cp <= r[1]; }) ? 1 : 2; }
  function count(net, t) {
    var urls = 0, rest;
    if (net === 'bluesky') return graphemes(t).length;
    if (net === 'x') t = t.normalize('NFC');
    rest = (net === 'x' || net === 'mastodon') ? t.replace(URLS, function () { urls++; return ''; }) : t;
    if (net !== 'x') return Array.from(rest).length + 23 * urls;
    return graphemes(rest).reduce(function (n, g) {
      var cps = Array.from(g);
      return n + (cps.length > 1 && SEQ.test(g) ? 2 : cps.reduce(function (m, c) { return m + weight(c.codePointAt(0)); }, 0));
    }, 0) + 23 * urls;
  }
  function beacon(el, event) {
    var box = el.closest('[data-beacon]'), post = el.closest('[data-code]');
    if (!box || !post || !navigator.sendBeacon) return;
    var body = {event: event, code: post.getAttribute('data-code')};
    if (get('ambassador-on') === '1' && get('ambassador')) body.ambassador = get('ambassador');
    try { navigator.sendBeacon(box.getAttribute('data-beacon'), JSON.stringify(body)); } catch (e) { /* offline */ }
  }
  all('textarea.post-text').forEach(function (area) {
    var post = area.closest('.post'), net = post.getAttribute('data-network');
    var counter = d.getElementById(area.id + '-count'), out = counter && counter.querySelector('[data-count]');
    var share = post.querySelector('a.share'), intent = area.getAttribute('data-intent');
    var limit = parseInt((counter.textContent.split('/')[1] || '').trim(), 10);
    area.addEventListener('input', function () {
      var n = count(net, area.value);
      if (out) out.textContent = n;
      if (counter) counter.classList.toggle('is-over', limit > 0 && n > limit);
      // Networks whose intent carries the text get the edited text.
      var m = intent.match(/^(.*[?&](?:text|body)=)[^&]*$/);
      // A mailto body's line breaks are CRLF (RFC 6068); a textarea's value has LF.
      if (share && m) share.href = m[1] + encodeURIComponent(net === 'email' ? area.value.replace(/\r?\n/g, '\r\n') : area.value);
      // Networks that take only the link get the link as it now reads (with an ambassador id, say).
      var u = !m && intent.match(/^(.*[?&](?:url|u)=)[^&]*$/), link = area.value.match(/https?:\/\/\S+\/c\/[0-9A-Za-z]{7}(\/[A-Za-z0-9_-]+)?/);
      if (share && u && link) share.href = u[1] + encodeURIComponent(link[0]);
    });
  });
  d.addEventListener('chorus:copy', function (e) { beacon(e.target, 'copy'); });
  d.addEventListener('click', function (e) {
    var a = e.target.closest && e.target.closest('a.share');
    if (!a) return;
    var src = d.getElementById(a.getAttribute('data-copy-target'));
    if (a.hasAttribute('data-copy-first') && src) {
      var text = src.value, status = d.getElementById(a.getAttribute('data-copy-status'));
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).catch(function () {});
      else { src.select(); try { d.execCommand('copy'); } catch (err) { /* unsupported */ } }
      say(status, a.getAttribute('data-copied'));
    }
    beacon(a, 'share');
  });

  // Impact: campaign totals from the tracker's public API; nothing shows when it is unreachable.
  function fetchJson(url, cb) {
    if (!window.fetch) return;
    fetch(url, {credentials: 'omit'}).then(function (r) { return r.ok ? r.json() : null; }).then(function (j) { if (j) cb(j); }).catch(function () {});
  }
  // "1 clic", "2 clics" (and "0 clic" in French): the page language's plural rule.
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(root.lang || undefined) : null;
  function noun(n, one, many) { return (plural ? plural.select(n) === 'one' : n === 1) ? one : many; }
  function counted(n, one, many) { return n + ' ' + noun(n, one, many); }
  function unique(j, field, raw) { return typeof j[field] === 'number' ? j[field] : j[raw]; }
  all('[data-impact]').forEach(function (el) {
    fetchJson(el.getAttribute('data-impact'), function (j) {
      var c = (j.campaigns || []).filter(function (x) { return x.campaign === el.getAttribute('data-campaign'); })[0];
      if (!c) return;
      var l = el.getAttribute('data-labels').split('|');
      // Unique visitors, and shares and copies once per browser, link and day
      // (the tracker's public figures; an older tracker sends raw counts only).
      el.querySelector('[data-impact-figures]').textContent = counted(unique(c, 'visitors', 'clicks'), l[0], l[1]) + ' · ' + counted(unique(c, 'unique_shares', 'shares'), l[2], l[3]) + ' · ' + counted(unique(c, 'unique_copies', 'copies'), l[4], l[5]);
      // The campaign's goal, when the tracker gives one: people's clicks or
      // unique visitors against it (docs/tracker.md, GET /api/v1/campaigns).
      var g = c.goal, box = el.querySelector('[data-impact-goal]');
      if (g && g.target > 0 && box) {
        var visitors = g.metric === 'visitors', done = visitors ? c.visitors : c.clicks;
        var percent = Math.floor(done * 100 / g.target), what = counted(g.target, visitors ? l[0] : l[6], visitors ? l[1] : l[7]);
        var text = el.getAttribute('data-goal').replace('{done}', done).replace('{target}', what).replace('{percent}', percent);
        var bar = box.querySelector('[data-impact-progress]');
        bar.max = g.target;
        bar.value = Math.min(done, g.target);
        bar.setAttribute('aria-label', text);
        box.querySelector('[data-impact-goal-text]').textContent = text;
        box.hidden = false;
      }
      el.hidden = false;
    });
  });
  // The collective result on the home page: every campaign's human clicks
  // over the last 30 days (GET /api/v1/impact); hidden while there are none.
  var numbers = window.Intl && Intl.NumberFormat ? new Intl.NumberFormat(root.lang || undefined) : null;
  all('[data-impact-total]').forEach(function (el) {
    fetchJson(el.getAttribute('data-impact-total'), function (j) {
      if (!(j.clicks > 0)) return;
      var l = el.getAttribute('data-labels').split('|');
      var visits = (numbers ? numbers.format(j.clicks) : j.clicks) + ' ' + noun(j.clicks, l[0], l[1]);
      el.textContent = el.getAttribute('data-template').replace('{visits}', visits);
      el.hidden = false;
    });
  });
  // My impact (opt-in): an id added to this page's short links. The id is
  // made by the tracker from a random key that stays on this device: the id
  // is public (it is in every shared link), the key proves it is yours.
  all('details.my-impact').forEach(function (box) {
    var ambassador = box.getAttribute('data-ambassador'), shortLinks = box.getAttribute('data-short-links');
    var toggle = box.querySelector('[data-my-impact]');
    var out = box.querySelector('[data-my-impact-figures]');
    function key() {
      var k = get('ambassador-key');
      if (!k && window.crypto && crypto.getRandomValues) {
        k = randomHex(24);
        set('ambassador-key', k);
        set('ambassador', null);
      }
      return k;
    }
    function withId(cb) {
      var k = key(), v = get('ambassador');
      if (v && k) return cb(v);
      if (!k || !window.fetch) return cb(null);
      fetch(ambassador, { method: 'POST', credentials: 'omit', headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify({ key: k }) })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (j) { if (j && j.id) set('ambassador', j.id); cb(j && j.id); })
        .catch(function () { cb(null); });
    }
    function apply(on) {
      if (on) withId(function (amb) { if (toggle.checked) rewrite(amb); }); else rewrite(null);
    }
    function rewrite(amb) {
      var re = new RegExp(shortLinks.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '([0-9A-Za-z]{7})(/[A-Za-z0-9_-]+)?', 'g');
      all('textarea.post-text').forEach(function (a) {
        a.value = a.value.replace(re, function (m, code) { return shortLinks + code + (amb ? '/' + amb : ''); });
        a.dispatchEvent(new Event('input'));
      });
      if (!amb) { out.textContent = ''; return; }
      fetchJson(ambassador + '/' + amb, function (j) {
        out.textContent = out.getAttribute('data-template').replace('{visitors}', unique(j, 'visitors', 'clicks')).replace('{clicks}', j.clicks)
          .replace('{shares}', unique(j, 'unique_shares', 'shares')).replace('{copies}', unique(j, 'unique_copies', 'copies'));
      });
    }
    // The leaderboard is opt-in on top: a display name chosen here, removable.
    var join = box.querySelector('[data-leaderboard-join]');
    function showJoin(on) { if (join) join.hidden = !on; }
    if (join) {
      var nameInput = join.querySelector('input'), status = join.querySelector('[data-leaderboard-status]');
      var failed = function () { status.textContent = status.getAttribute('data-failed'); };
      var send = function (method, fields, done) {
        withId(function (amb) {
          if (!amb) return failed();
          fields.key = get('ambassador-key');
          fetch(ambassador + '/' + amb, { method: method, credentials: 'omit', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fields) })
            .then(function (r) {
              // 409: another ambassador already has this name (in any capitals).
              if (r.status === 409) { status.textContent = status.getAttribute('data-taken'); return; }
              if (!r.ok) return failed();
              status.textContent = status.getAttribute('data-' + done); leaderboard();
            })
            .catch(failed);
        });
      };
      join.querySelector('[data-leaderboard-enter]').addEventListener('click', function () {
        send('PUT', { name: nameInput.value.trim() }, 'joined');
      });
      join.querySelector('[data-leaderboard-leave]').addEventListener('click', function () { send('DELETE', {}, 'left'); });
    }
    toggle.checked = get('ambassador-on') === '1';
    if (toggle.checked) apply(true);
    showJoin(toggle.checked);
    toggle.addEventListener('change', function () { set('ambassador-on', toggle.checked ? '1' : null); apply(toggle.checked); showJoin(toggle.checked); });
  });
  // The leaderboard: only people who chose a display name; nothing shows when the tracker is unreachable.
  function leaderboard() {
    all('[data-leaderboard]').forEach(function (el) {
      fetchJson(el.getAttribute('data-leaderboard'), function (j) {
        var list = el.querySelector('ol'), rows = j.leaderboard || [];
        list.textContent = '';
        rows.forEach(function (r) {
          var li = d.createElement('li');
          var l = el.getAttribute('data-labels').split('|');
          li.textContent = r.name + ' · ' + counted(unique(r, 'visitors', 'clicks'), l[0], l[1]);
          list.appendChild(li);
        });
        el.hidden = rows.length === 0;
      });
    });
  }
  leaderboard();
  // Search page: Pagefind's index (built with the site), loaded on demand.
  all('.search-page[data-search-bundle]').forEach(function (pageEl) {
    var form = pageEl.querySelector('form'), input = form.querySelector('input[name="q"]');
    var status = pageEl.querySelector('.search-status'), list = pageEl.querySelector('.search-results');
    var bundle = pageEl.getAttribute('data-search-bundle'), engine = null, runs = 0;
    function label(key, query, count) {
      return pageEl.getAttribute('data-' + key).replace('{query}', query).replace('{count}', count);
    }
    function load() {
      if (!engine) {
        engine = import(bundle + 'pagefind.js').then(function (pf) {
          return pf.options({ baseUrl: bundle.replace(/pagefind\/$/, ''), excerptLength: 24 }).then(function () { return pf; });
        });
      }
      return engine;
    }
    function item(r) {
      var li = d.createElement('li'), h = d.createElement('h2'), a = d.createElement('a'), p = d.createElement('p');
      a.href = r.url; a.textContent = (r.meta && r.meta.title) || r.url;
      h.appendChild(a);
      // Pagefind's excerpt is the page's own text, escaped, with <mark> around the matches.
      p.innerHTML = r.excerpt;
      li.appendChild(h); li.appendChild(p);
      return li;
    }
    function run(query) {
      var run = ++runs;
      list.textContent = '';
      if (!query.trim()) { status.textContent = ''; return; }
      load().then(function (pf) { return pf.search(query); }).then(function (found) {
        return Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); }));
      }).then(function (results) {
        if (run !== runs) return;
        results.forEach(function (r) { list.appendChild(item(r)); });
        status.textContent = results.length === 0 ? label('none', query, 0)
          : results.length === 1 ? label('count-one', query, 1) : label('count', query, results.length);
      }).catch(function () { if (run === runs) status.textContent = pageEl.getAttribute('data-unavailable'); });
    }
    var initial = new URLSearchParams(location.search).get('q') || '';
    input.value = initial;
    run(initial);
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      history.replaceState(null, '', '?q=' + encodeURIComponent(input.value));
      run(input.value);
    });
  });
})();
