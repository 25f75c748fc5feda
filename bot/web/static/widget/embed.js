/* Embed the public chat on any site:
 *   <script src="https://ASSISTANT/widget/embed.js" data-language="ar" data-position="right" defer></script>
 * The chat runs in an iframe served by the assistant; the host page only gets a launcher
 * button. The launcher labels of every language are built into this script by the server,
 * so the host page makes no cross-origin request. */
(function () {
  "use strict";

  var LABELS = /*LAUNCHER_LABELS*/{};
  var script = document.currentScript;
  if (!script || document.getElementById("cremona-widget-launcher")) { return; }
  var base = new URL(script.src, window.location.href).origin;
  var requested = (script.getAttribute("data-language") || navigator.language || "it");
  var language = requested.toLowerCase().replace("_", "-").split("-")[0];
  if (language === "fil") { language = "tl"; }
  if (!LABELS[language]) { language = LABELS.it ? "it" : language; }
  var label = LABELS[language] || { open: "", title: "", dir: "ltr" };
  var side = script.getAttribute("data-position") === "left" ? "left" : "right";
  var STATE_KEY = "cremona-widget-state";
  var frame = null;

  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.id = "cremona-widget-launcher";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "cremona-widget-frame");
  launcher.setAttribute("lang", language);
  launcher.setAttribute("dir", label.dir === "rtl" ? "rtl" : "ltr");
  launcher.textContent = "💬 " + String(label.open || "");
  if (label.title) { launcher.setAttribute("title", String(label.title)); }
  var launcherStyle = {
    position: "fixed", bottom: "16px", zIndex: "2147483000", minHeight: "48px", minWidth: "48px",
    padding: "10px 16px", borderRadius: "24px", border: "2px solid #ffffff", background: "#0a58a8",
    color: "#ffffff", font: "600 16px/1.2 system-ui, sans-serif", cursor: "pointer",
    boxShadow: "0 2px 8px rgba(0,0,0,.3)"
  };
  launcherStyle[side] = "16px";
  Object.keys(launcherStyle).forEach(function (key) { launcher.style[key] = launcherStyle[key]; });

  function placeFrame() {
    var small = window.innerWidth < 600;
    var style = {
      position: "fixed", zIndex: "2147483001", border: "1px solid #c9d0db", background: "#ffffff",
      boxShadow: "0 4px 18px rgba(0,0,0,.3)", borderRadius: small ? "0" : "10px",
      width: small ? "100%" : "380px", height: small ? "100%" : "600px",
      maxHeight: small ? "100%" : "calc(100% - 96px)", bottom: small ? "0" : "80px",
      top: "auto", left: "auto", right: "auto"
    };
    style[side] = small ? "0" : "16px";
    if (small) { style.top = "0"; }
    Object.keys(style).forEach(function (key) { frame.style[key] = style[key]; });
  }

  function open(takeFocus) {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.id = "cremona-widget-frame";
      frame.title = String(label.title || label.open || "");
      frame.src = base + "/widget?embedded=1&lang=" + encodeURIComponent(language) +
        "&host=" + encodeURIComponent(window.location.origin);
      document.body.appendChild(frame);
      window.addEventListener("resize", placeFrame);
    }
    placeFrame();
    frame.hidden = false;
    frame.style.display = "block";
    launcher.setAttribute("aria-expanded", "true");
    try { window.sessionStorage.setItem("cremona-widget-open", "1"); } catch (error) { /* private mode */ }
    if (takeFocus) { frame.focus(); }
  }

  function close() {
    if (!frame) { return; }
    frame.style.display = "none";
    frame.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    try { window.sessionStorage.removeItem("cremona-widget-open"); } catch (error) { /* private mode */ }
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (frame && !frame.hidden) { close(); } else { open(true); }
  });
  /* Messages from the chat frame: close it; keep its state for this tab when the browser
   * denies the frame its own storage; give that state back when the frame reloads. */
  window.addEventListener("message", function (event) {
    var data = event.data || {};
    if (event.origin !== base || !frame || event.source !== frame.contentWindow) { return; }
    if (data.type === "cremona-widget:close") {
      close();
    } else if (data.type === "cremona-widget:save") {
      try { window.sessionStorage.setItem(STATE_KEY, JSON.stringify(data.state)); } catch (error) { /* none */ }
    } else if (data.type === "cremona-widget:ready") {
      var saved = null;
      try { saved = JSON.parse(window.sessionStorage.getItem(STATE_KEY) || "null"); } catch (error) { /* none */ }
      frame.contentWindow.postMessage({ type: "cremona-widget:state", state: saved }, base);
    }
  });

  function attach() {
    document.body.appendChild(launcher);
    var wasOpen = false;
    try { wasOpen = window.sessionStorage.getItem("cremona-widget-open") === "1"; } catch (error) { /* none */ }
    if (wasOpen) { open(false); }  /* the chat stays open while the person browses the site */
  }
  if (document.body) { attach(); } else { document.addEventListener("DOMContentLoaded", attach); }
}());
