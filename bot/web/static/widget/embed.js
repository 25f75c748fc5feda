/* Embed the public chat on any site:
 *   <script src="https://ASSISTANT/static/widget/embed.js" data-language="ar" data-position="right" defer></script>
 * The chat runs in an iframe served by the assistant; the host page only gets a launcher button. */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || document.getElementById("cremona-widget-launcher")) { return; }
  var base = new URL(script.src, window.location.href).origin;
  var language = script.getAttribute("data-language") || (navigator.language || "it").split("-")[0];
  var side = script.getAttribute("data-position") === "left" ? "left" : "right";
  var frame = null;

  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.id = "cremona-widget-launcher";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", "cremona-widget-frame");
  launcher.textContent = "💬";
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
      left: "auto", right: "auto"
    };
    style[side] = small ? "0" : "16px";
    Object.keys(style).forEach(function (key) { frame.style[key] = style[key]; });
  }

  function open() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.id = "cremona-widget-frame";
      frame.title = launcher.getAttribute("data-title") || launcher.textContent;
      frame.src = base + "/widget?embedded=1&lang=" + encodeURIComponent(language);
      frame.setAttribute("allow", "clipboard-write");
      document.body.appendChild(frame);
      window.addEventListener("resize", placeFrame);
    }
    placeFrame();
    frame.hidden = false;
    frame.style.display = "block";
    launcher.setAttribute("aria-expanded", "true");
    frame.focus();
  }

  function close() {
    if (!frame) { return; }
    frame.style.display = "none";
    frame.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (frame && !frame.hidden) { close(); } else { open(); }
  });
  window.addEventListener("message", function (event) {
    if (event.origin === base && event.data && event.data.type === "cremona-widget:close") { close(); }
  });

  fetch(base + "/widget/launcher?lang=" + encodeURIComponent(language))
    .then(function (response) { return response.json(); })
    .then(function (data) {
      launcher.textContent = "💬 " + String(data.open || "");
      launcher.setAttribute("data-title", String(data.title || ""));
      launcher.setAttribute("lang", String(data.language || language));
      launcher.setAttribute("dir", data.direction === "rtl" ? "rtl" : "ltr");
      if (frame) { frame.title = String(data.title || ""); }
    })
    .catch(function () { /* the icon alone still opens the chat */ });

  if (document.body) { document.body.appendChild(launcher); }
  else { document.addEventListener("DOMContentLoaded", function () { document.body.appendChild(launcher); }); }
}());
