/* site.js: progressive enhancements (the page is complete without it).
   字号 大/中/小 and 长者模式: buttons with aria-pressed, remembered in localStorage
   under "site-prefs" ({font: "small"|"medium"|"large", elder: bool}); js/prefs.js
   applies the saved value early on every page. */
(function () {
  'use strict';
  var KEY = 'site-prefs';
  var root = document.documentElement;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || '{}') || {}; } catch (e) { return {}; }
  }
  function save(p) {
    try { localStorage.setItem(KEY, JSON.stringify(p)); } catch (e) { /* private mode: this page only */ }
  }
  function apply(p) {
    if (p.font === 'small' || p.font === 'large') root.setAttribute('data-font', p.font);
    else root.removeAttribute('data-font');
    if (p.elder) root.setAttribute('data-elder', '');
    else root.removeAttribute('data-elder');
    var font = p.font || 'medium';
    each('[data-font-size]', function (b) {
      b.setAttribute('aria-pressed', String(b.getAttribute('data-font-size') === font));
    });
    each('[data-elder-toggle]', function (b) {
      b.setAttribute('aria-pressed', String(!!p.elder));
    });
  }
  function each(sel, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(sel), fn);
  }

  document.addEventListener('click', function (e) {
    var b = e.target.closest && e.target.closest('[data-font-size], [data-elder-toggle]');
    if (!b) return;
    var p = load();
    if (b.hasAttribute('data-font-size')) p.font = b.getAttribute('data-font-size');
    else p.elder = !p.elder;
    save(p);
    apply(p);
  });
  // Another tab changed the setting: follow it.
  window.addEventListener('storage', function (e) { if (e.key === KEY) apply(load()); });

  apply(load());
})();
