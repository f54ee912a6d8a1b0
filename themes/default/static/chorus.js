/* chorus default theme: small progressive enhancements. No dependencies, no
   network requests; every page reads fully without this file. UI strings come
   from data- attributes written by the templates. */
(function () {
  'use strict';
  var d = document, root = d.documentElement, body = d.body || {dataset: {}};
  root.classList.add('js');

  function all(sel, el) { return Array.prototype.slice.call((el || d).querySelectorAll(sel)); }
  var store = {
    get: function (k) { try { return localStorage.getItem('chorus:' + k); } catch (e) { return null; } },
    set: function (k, v) {
      try { if (v) localStorage.setItem('chorus:' + k, v); else localStorage.removeItem('chorus:' + k); } catch (e) { /* private mode */ }
    }
  };
  var path = location.pathname;

  // Heading anchors are aria-hidden: keep them out of the keyboard order.
  all('a.anchor[aria-hidden="true"]').forEach(function (a) { a.tabIndex = -1; });

  // Copy buttons: <button class="copy" data-copy-target="id" data-copy-status="id" data-copied data-copy-failed>
  function announce(el, msg) {
    if (!el) return;
    el.textContent = '';
    setTimeout(function () { el.textContent = msg || ''; }, 60);
  }
  function selectText(el) {
    var r = d.createRange(), s = window.getSelection();
    r.selectNodeContents(el); s.removeAllRanges(); s.addRange(r);
  }
  d.addEventListener('click', function (e) {
    var btn = e.target.closest && e.target.closest('button.copy');
    if (!btn) return;
    var src = d.getElementById(btn.getAttribute('data-copy-target'));
    if (!src) return;
    var text = src.value != null ? src.value : src.textContent;
    var status = d.getElementById(btn.getAttribute('data-copy-status')) ||
      (btn.parentNode && btn.parentNode.querySelector('[role="status"],[aria-live]'));
    function done() {
      btn.classList.add('is-copied');
      setTimeout(function () { btn.classList.remove('is-copied'); }, 2000);
      announce(status, btn.getAttribute('data-copied'));
      btn.dispatchEvent(new CustomEvent('chorus:copy', {bubbles: true, detail: {text: text}}));
    }
    function fallback() {
      selectText(src);
      var ok = false;
      try { ok = d.execCommand('copy'); } catch (err) { ok = false; }
      if (ok) done(); else announce(status, btn.getAttribute('data-copy-failed'));
    }
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  });

  // Quizzes: <form class="quiz" data-quiz="N">, right choices carry data-correct.
  function str(form, name, key) { return form.getAttribute('data-' + name) || body.dataset[key] || ''; }
  all('form.quiz').forEach(function (form) {
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var inputs = all('input[type="radio"],input[type="checkbox"]', form);
      var feedback = form.querySelector('.quiz-feedback');
      var any = inputs.some(function (i) { return i.checked; });
      if (!any) {
        if (feedback) { feedback.className = 'quiz-feedback'; feedback.textContent = str(form, 'choose', 'quizChoose'); }
        if (inputs[0]) inputs[0].focus();
        return;
      }
      var right = true, answers = [];
      inputs.forEach(function (i) {
        var label = i.closest('label') || i.parentNode;
        var good = i.hasAttribute('data-correct') || label.hasAttribute('data-correct');
        if (good) answers.push(label.textContent.trim());
        if (good !== i.checked) right = false;
        label.classList.toggle('is-right', good);
        label.classList.toggle('is-wrong', i.checked && !good);
      });
      if (feedback) {
        feedback.className = 'quiz-feedback ' + (right ? 'is-right' : 'is-wrong');
        feedback.textContent = right ? str(form, 'right', 'quizRight')
          : str(form, 'wrong', 'quizWrong') + ' ' + str(form, 'answer', 'quizAnswer') + ' ' + answers.join(' ; ');
      }
      var details = form.querySelector('details');
      if (details) details.open = true;
      if (right) store.set('quiz:' + path + '#' + (form.getAttribute('data-quiz') || ''), '1');
    });
  });

  // Task lists: state per page URL and data-task.
  all('input[type="checkbox"][data-task]').forEach(function (cb) {
    var key = 'task:' + path + '#' + cb.getAttribute('data-task');
    cb.disabled = false;
    cb.checked = store.get(key) === '1';
    cb.addEventListener('change', function () { store.set(key, cb.checked ? '1' : null); });
  });

  // Module completion: <button class="module-done" data-module="/url/" aria-pressed>.
  function isDone(url) { return store.get('module:' + url) === '1'; }
  all('button.module-done').forEach(function (btn) {
    var url = btn.getAttribute('data-module');
    function show() { btn.setAttribute('aria-pressed', isDone(url) ? 'true' : 'false'); }
    show();
    btn.addEventListener('click', function () { store.set('module:' + url, isDone(url) ? null : '1'); show(); });
  });

  // Guide progress: <p class="guide-progress" data-modules="/a/ /b/" data-template="{done} of {total}">.
  var complete = false;
  all('.guide-progress').forEach(function (el) {
    var mods = (el.getAttribute('data-modules') || '').split(/\s+/).filter(Boolean);
    if (!mods.length) return;
    var n = mods.filter(isDone).length;
    el.textContent = (el.getAttribute('data-template') || '{done} / {total}')
      .replace('{done}', n).replace('{total}', mods.length);
    el.style.setProperty('--pct', Math.round(100 * n / mods.length) + '%');
    el.hidden = false;
    if (n === mods.length) complete = true;
  });
  all('.module-item[data-module]').forEach(function (li) {
    if (!isDone(li.getAttribute('data-module'))) return;
    li.classList.add('is-done');
    var mark = li.querySelector('.module-state');
    if (mark) mark.hidden = false;
  });

  // Completion certificate on a guide page, once every module is done.
  var cert = d.querySelector('.certificate');
  if (cert && complete) {
    cert.hidden = false;
    var input = cert.querySelector('input'), name = cert.querySelector('.cert-name'), date = cert.querySelector('.cert-date');
    if (date) date.textContent = new Date().toLocaleDateString(root.lang || undefined, {year: 'numeric', month: 'long', day: 'numeric'});
    if (input && name) input.addEventListener('input', function () { name.textContent = input.value; });
    var print = cert.querySelector('.print-cert');
    if (print) print.addEventListener('click', function () {
      body.classList.add('printing-cert');
      window.print();
    });
    window.addEventListener('afterprint', function () { body.classList.remove('printing-cert'); });
  }

  // Printing: open collapsed explanations, then restore.
  var opened = [];
  window.addEventListener('beforeprint', function () {
    opened = all('details:not([open])');
    opened.forEach(function (x) { x.open = true; });
  });
  window.addEventListener('afterprint', function () { opened.forEach(function (x) { x.open = false; }); });
})();
