/* prefs.js: loaded without defer in <head>, so the saved 字号 and 长者模式 apply
   before the first paint (no flash, no inline script). Keep it tiny. */
(function (d) {
  d.setAttribute('data-js', '');
  try {
    var p = JSON.parse(localStorage.getItem('site-prefs') || '{}');
    if (/^(small|large)$/.test(p.font)) d.setAttribute('data-font', p.font);
    if (p.elder === true) d.setAttribute('data-elder', '');
  } catch (e) { /* storage blocked or corrupt: keep the defaults */ }
})(document.documentElement);
