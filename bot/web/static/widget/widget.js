/* The public chat widget: no framework, no inline code, every text rendered as text. */
(function () {
  "use strict";

  var root = document.getElementById("chat");
  if (!root) { return; }
  var STORAGE_KEY = "cremona-widget";
  var HISTORY_LIMIT = 60;
  var POLL_MS = 6000;
  var SAFE_LINK = /^(https?:\/\/|mailto:|tel:)/i;
  var language = root.getAttribute("data-language") || "it";
  var strings = JSON.parse(root.getAttribute("data-strings") || "{}");
  var log = document.getElementById("chat-log");
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var sendButton = document.getElementById("chat-send");
  var status = document.getElementById("chat-status");
  var embedded = root.getAttribute("data-embedded") === "1";
  var storage = localStore();
  /* Browsers that deny storage to a third-party frame (private windows, strict tracking
   * protection): the embedding page keeps the state for this tab (sessionStorage). */
  var hostOrigin = embedded && !storage ? embeddingOrigin() : null;
  var state = valid(storage ? read(storage.getItem(STORAGE_KEY)) : null);
  var busy = false;

  function localStore() {
    try {
      var store = window.localStorage;
      store.getItem(STORAGE_KEY);
      return store;
    } catch (error) { return null; }
  }

  function embeddingOrigin() {
    var claimed = root.getAttribute("data-host") || document.referrer;
    try { return new URL(claimed).origin; } catch (error) { return null; }
  }

  function read(text) {
    try { return JSON.parse(text || "null"); } catch (error) { return null; }
  }

  function valid(saved) {
    if (saved && typeof saved.conversation === "string" && Array.isArray(saved.history)) {
      return saved;
    }
    return { conversation: null, history: [] };
  }

  function save() {
    state.history = state.history.slice(-HISTORY_LIMIT);
    if (storage) {
      try { storage.setItem(STORAGE_KEY, JSON.stringify(state)); } catch (error) { /* full */ }
    } else if (hostOrigin) {
      window.parent.postMessage({ type: "cremona-widget:save", state: state }, hostOrigin);
    }
  }

  function post(path, body) {
    return fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function appendSegments(parent, segments) {
    (segments || []).forEach(function (segment) {
      var text = String(segment.text || "");
      if (segment.href && SAFE_LINK.test(String(segment.href))) {
        var link = document.createElement("a");
        link.href = String(segment.href);
        link.textContent = text;
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        parent.appendChild(link);
      } else {
        parent.appendChild(document.createTextNode(text));
      }
    });
  }

  function render(entry, live) {
    var item = document.createElement("li");
    item.className = "message " + entry.role;
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = entry.role === "user" ? strings.widget_you_label :
      entry.role === "staff" ? strings.widget_staff_reply : strings.widget_bot_label;
    item.appendChild(who);
    if (entry.role === "staff") {
      var label = document.createElement("p");
      label.className = "staff-label";
      label.setAttribute("aria-hidden", "true");
      label.textContent = strings.widget_staff_reply;
      item.appendChild(label);
    }
    var body = document.createElement("p");
    body.className = "text";
    body.setAttribute("dir", "auto");
    appendSegments(body, entry.segments);
    item.appendChild(body);
    if (live && entry.buttons && entry.buttons.length) {
      var group = document.createElement("div");
      group.className = "buttons";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", strings.widget_choices_label || "");
      entry.buttons.forEach(function (button) {
        var element = document.createElement("button");
        element.type = "button";
        element.className = "choice";
        element.textContent = String(button.title || "");
        element.setAttribute("data-payload", String(button.payload || ""));
        element.addEventListener("click", function () {
          send(String(button.payload || ""), String(button.title || ""));
        });
        group.appendChild(element);
      });
      item.appendChild(group);
    }
    log.appendChild(item);
    item.scrollIntoView({ block: "end" });
  }

  function renderAll() {
    log.textContent = "";
    var last = state.history.length - 1;
    state.history.forEach(function (entry, index) { render(entry, index === last); });
  }

  function clearChoices() {
    Array.prototype.forEach.call(log.querySelectorAll(".buttons"), function (group) {
      group.parentNode.removeChild(group);
    });
  }

  function remember(entry) {
    state.history.push(entry);
    save();
  }

  function ensureConversation() {
    if (state.conversation) { return Promise.resolve(state.conversation); }
    return post("/api/chat/start", { language: language }).then(function (reply) {
      if (reply.status !== 200) { throw new Error("start"); }
      state.conversation = reply.data.conversation;
      save();
      return state.conversation;
    });
  }

  function setBusy(value) {
    busy = value;
    sendButton.disabled = value;
    status.textContent = value ? strings.widget_sending : "";
  }

  function showUnavailable(message, text, shown) {
    status.textContent = "";
    var notice = document.createElement("span");
    notice.textContent = message || strings.widget_unavailable;
    status.appendChild(notice);
    var retry = document.createElement("button");
    retry.type = "button";
    retry.className = "secondary retry";
    retry.textContent = strings.widget_retry;
    retry.addEventListener("click", function () { send(text, shown, true); });
    status.appendChild(document.createTextNode(" "));
    status.appendChild(retry);
  }

  function send(text, shown, isRetry) {
    if (busy || !text) { return; }
    setBusy(true);
    var userEntry = { role: "user", segments: [{ text: shown || text }] };
    if (!isRetry) {
      clearChoices();
      remember(userEntry);
      render(userEntry, false);
    }
    var attempt = function (again) {
      return ensureConversation().then(function (conversation) {
        return post("/api/chat/send", { conversation: conversation, text: text, language: language });
      }).then(function (reply) {
        if (reply.status === 403 && reply.data.field === "conversation" && again) {
          state.conversation = null;
          return attempt(false);
        }
        return reply;
      });
    };
    attempt(true).then(function (reply) {
      setBusy(false);
      if (reply.status === 200) {
        /* a message that only marks the service of the card before it has nothing to show */
        var shown = (reply.data.messages || []).filter(function (message) {
          return (message.segments || []).length || (message.buttons || []).length;
        });
        shown.forEach(function (message, index, all) {
          var entry = { role: "bot", segments: message.segments || [], buttons: message.buttons || [] };
          remember(entry);
          render(entry, index === all.length - 1 || (entry.buttons.length > 0));
        });
        input.value = "";
      } else if (reply.status === 503) {
        showUnavailable(reply.data.message, text, shown);
        if (!shown) { input.value = text; }
      } else {
        status.textContent = strings.widget_error;
      }
    }).catch(function () {
      setBusy(false);
      showUnavailable(strings.widget_unavailable, text, shown);
      if (!shown) { input.value = text; }
    });
  }

  function poll() {
    if (!state.conversation || document.hidden) { return; }
    post("/api/chat/poll", { conversation: state.conversation }).then(function (reply) {
      if (reply.status !== 200) { return; }
      (reply.data.messages || []).forEach(function (message) {
        var entry = { role: "staff", segments: message.segments || [] };
        remember(entry);
        render(entry, false);
      });
    }).catch(function () { /* offline: next time */ });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (text) { send(text, null, false); }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  document.getElementById("chat-language").addEventListener("change", function (event) {
    var languageForm = event.target.form;
    var chosen = event.target.value;
    if (!state.conversation || busy) { languageForm.submit(); return; }
    setBusy(true);
    /* tell the assistant, so it answers in the chosen language even to short messages */
    post("/api/chat/language", { conversation: state.conversation, language: chosen })
      .then(function (reply) {
        if (reply.status === 200) {
          (reply.data.messages || []).forEach(function (message) {
            remember({ role: "bot", segments: message.segments || [], buttons: message.buttons || [] });
          });
        }
      })
      .catch(function () { /* the page still changes language */ })
      .then(function () { languageForm.submit(); });
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) { poll(); }
  });
  document.getElementById("chat-new").addEventListener("click", function () {
    state = { conversation: null, history: [] };
    save();
    renderAll();
    input.focus();
  });
  var close = document.getElementById("chat-close");
  function requestClose() {
    if (window.parent !== window) { window.parent.postMessage({ type: "cremona-widget:close" }, "*"); }
  }
  if (close) { close.addEventListener("click", requestClose); }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && root.getAttribute("data-embedded") === "1") { requestClose(); }
  });

  if (hostOrigin) {
    window.addEventListener("message", function (event) {
      var data = event.data || {};
      if (event.source !== window.parent || event.origin !== hostOrigin) { return; }
      if (data.type !== "cremona-widget:state" || state.conversation || state.history.length) { return; }
      state = valid(data.state);
      renderAll();
      poll();
    });
    window.parent.postMessage({ type: "cremona-widget:ready" }, hostOrigin);
  }
  renderAll();
  poll();
  window.setInterval(poll, POLL_MS);
}());
