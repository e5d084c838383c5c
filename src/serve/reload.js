// Live reload for `site serve`. The server sends this file and adds its <script> tag to
// HTML responses; it is never written to the output folder.
//
// Events from /__site/events: `reload` after a good build (reload the page), `error` with
// the build's message after a failed one (show it in an overlay), `ok` on connecting while
// the site is good (hide the overlay).
(function () {
  "use strict";
  if (!window.EventSource) return;

  var style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = "/__site/reload.css";
  document.head.appendChild(style);

  var overlay = null;
  // The number of good builds when the server sent this page; a different number on
  // connecting means the page is out of date (a build finished meanwhile, or the server
  // was restarted).
  var script = document.currentScript;
  var seenBuild = script ? script.getAttribute("data-build") : null;

  function show(message) {
    if (!overlay) {
      overlay = document.createElement("section");
      overlay.className = "site-build-error";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("aria-labelledby", "site-build-error-title");
      var title = document.createElement("h2");
      title.id = "site-build-error-title";
      title.textContent = "构建失败：请按下面的提示修改文件并保存，页面会自动刷新";
      var text = document.createElement("pre");
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "关闭提示";
      close.addEventListener("click", hide);
      overlay.appendChild(title);
      overlay.appendChild(text);
      overlay.appendChild(close);
      document.body.appendChild(overlay);
    }
    overlay.querySelector("pre").textContent = message;
  }

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  var source = new EventSource("/__site/events");
  source.addEventListener("reload", function () {
    window.location.reload();
  });
  source.addEventListener("ok", function (event) {
    hide();
    if (seenBuild !== null && event.data !== seenBuild) window.location.reload();
    seenBuild = event.data;
  });
  // A build error is a message event named "error"; a lost connection is a plain event of
  // the same name without data (EventSource reconnects by itself).
  source.addEventListener("error", function (event) {
    if (typeof event.data === "string") show(event.data);
  });
})();
