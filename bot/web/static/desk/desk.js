/* Front-desk conversation: the citizen's language beside Italian. No framework, no inline
 * code, nothing kept in browser storage: the transcript is read back from the server. */
(function () {
  "use strict";

  var root = document.getElementById("desk-chat");
  if (!root) { return; }
  var SAFE_LINK = /^(https?:\/\/|mailto:|tel:)/i;
  var strings = JSON.parse(root.getAttribute("data-strings") || "{}");
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var log = document.getElementById("chat-log");
  var empty = document.getElementById("desk-empty");
  var form = document.getElementById("desk-form");
  var input = document.getElementById("desk-input");
  var sendButton = document.getElementById("desk-send");
  var status = document.getElementById("desk-status");
  var languageSelect = document.getElementById("desk-language");
  var languageStatus = document.getElementById("desk-language-status");
  var newButton = document.getElementById("desk-new");
  var logoutForm = document.querySelector("form.logout-form");
  var busy = false;
  var inFlight = 0;
  var whenIdle = [];
  var LOGOUT_WAIT_MS = 3000;

  /* Every response refreshes the session cookie: one arriving after logout would log the
   * desk back in, so logout waits (briefly) for the requests still running. */
  function tracked(promise) {
    inFlight += 1;
    return promise.finally(function () {
      inFlight -= 1;
      if (!inFlight) { whenIdle.splice(0).forEach(function (run) { run(); }); }
    });
  }

  function request(method, path, body) {
    var options = {
      method: method,
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
      credentials: "same-origin",
      cache: "no-store"
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return tracked(fetch(path, options)).then(function (response) {
      if (response.status === 401) {
        window.location.assign("/login?next=/desk");
        throw new Error("logged out");
      }
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function appendSegments(parent, segments) {
    (segments || []).forEach(function (segment) {
      var text = String(segment.text || "");
      if (segment.href && SAFE_LINK.test(String(segment.href))) {
        var link = element("a", null, text);
        link.href = String(segment.href);
        link.rel = "noopener noreferrer";
        link.target = "_blank";
        parent.appendChild(link);
      } else {
        parent.appendChild(document.createTextNode(text));
      }
    });
  }

  function textBlock(side) {
    var body = element("p", "text");
    body.setAttribute("dir", "auto");
    appendSegments(body, side.segments);
    return body;
  }

  function column(side, heading, className) {
    var box = element("div", "column " + className);
    box.setAttribute("lang", side.lang || "");
    box.setAttribute("dir", side.dir === "rtl" ? "rtl" : (side.dir === "ltr" ? "ltr" : "auto"));
    box.appendChild(element("p", "column-heading", heading));
    if (side.segments && side.segments.length) { box.appendChild(textBlock(side)); }
    return box;
  }

  function buttonGroup(citizen) {
    var group = element("div", "choices");
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", strings.desk_suggested || "");
    citizen.buttons.forEach(function (button) {
      var choice = element("button", "choice");
      choice.type = "button";
      var title = element("span", "choice-title", button.title);
      title.setAttribute("lang", citizen.lang || "");
      title.setAttribute("dir", "auto");
      choice.appendChild(title);
      if (button.italian && button.italian !== button.title) {
        var italian = element("span", "choice-italian", button.italian);
        italian.setAttribute("lang", "it");
        choice.appendChild(italian);
      }
      choice.setAttribute("data-payload", String(button.payload || ""));
      choice.addEventListener("click", function () {
        send(String(button.payload || ""), String(button.title || ""));
      });
      group.appendChild(choice);
    });
    return group;
  }

  function loadCard(item, serviceId, lang) {
    var path = "/desk/card/" + encodeURIComponent(serviceId) + "?lang=" + encodeURIComponent(lang);
    tracked(fetch(path, { credentials: "same-origin", cache: "no-store" })).then(function (response) {
      if (!response.ok) { throw new Error("card " + response.status); }
      return response.text();
    }).then(function (html) {
      /* a fragment rendered by our own server with every catalogue text escaped */
      var parsed = new DOMParser().parseFromString(html, "text/html");
      var pair = parsed.body.querySelector(".card-pair");
      if (!pair) { return; }
      Array.prototype.forEach.call(item.querySelectorAll(".columns .text"), function (text) {
        text.parentNode.removeChild(text);
      });
      item.insertBefore(document.importNode(pair, true), item.querySelector(".choices"));
    }).catch(function () { /* the text version stays */ });
  }

  function renderBot(message) {
    var item = element("li", "turn bot");
    var citizen = message.citizen || { segments: [], buttons: [] };
    var columns = element("div", "columns" + (message.italian ? " bilingual" : ""));
    var speaker = strings.desk_speaker_bot || "";
    columns.appendChild(column(citizen, speaker + " · " + (citizen.langName || citizen.lang || ""), "citizen"));
    if (message.italian) {
      columns.appendChild(column(message.italian, speaker + " · " + (strings.desk_column_italian || "it"), "italian"));
    }
    item.appendChild(columns);
    if (citizen.buttons && citizen.buttons.length) { item.appendChild(buttonGroup(citizen)); }
    if (message.service_id) {
      item.setAttribute("data-service-id", String(message.service_id));
      if (message.card) { loadCard(item, String(message.service_id), citizen.lang || "it"); }
    }
    return item;
  }

  function renderDesk(message) {
    var item = element("li", "turn desk");
    item.appendChild(element("p", "column-heading", strings.desk_speaker_desk));
    var body = element("p", "text");
    body.setAttribute("dir", "auto");
    appendSegments(body, message.segments);
    item.appendChild(body);
    return item;
  }

  function clearChoices() {
    Array.prototype.forEach.call(log.querySelectorAll(".choices"), function (group) {
      group.parentNode.removeChild(group);
    });
  }

  function show(messages, languageInfo) {
    var last = null;
    (messages || []).forEach(function (message) {
      if (message.citizen && languageInfo && message.citizen.lang === languageInfo.code) {
        message.citizen.langName = languageInfo.name;
      }
      last = message.role === "desk" ? renderDesk(message) : renderBot(message);
      log.appendChild(last);
    });
    /* only the choices of the latest turn can still be pressed */
    var turns = log.children;
    var latestDesk = -1;
    for (var i = 0; i < turns.length; i += 1) {
      if (turns[i].classList.contains("desk")) { latestDesk = i; }
    }
    for (var j = 0; j < latestDesk; j += 1) {
      var stale = turns[j].querySelector(".choices");
      if (stale) { stale.parentNode.removeChild(stale); }
    }
    empty.hidden = log.children.length > 0;
    if (last) { last.scrollIntoView({ block: "nearest" }); }
  }

  function showLanguage(languageInfo) {
    if (!languageInfo) { return; }
    var template = languageInfo.chosen ? strings.desk_language_chosen :
      languageInfo.detected ? strings.desk_language_detected : strings.desk_language_waiting;
    languageStatus.textContent = String(template || "").replace("{language}", languageInfo.name || "");
    root.setAttribute("data-language", languageInfo.code || "");
    root.setAttribute("data-language-dir", languageInfo.dir || "ltr");
  }

  function setBusy(value, text) {
    busy = value;
    sendButton.disabled = value;
    languageSelect.disabled = value;
    newButton.disabled = value;
    status.textContent = text || "";
  }

  function handle(reply) {
    setBusy(false);
    if (reply.status === 200) {
      showLanguage(reply.data.language);
      show(reply.data.messages || [], reply.data.language);
      return true;
    }
    status.textContent = reply.status === 503 ? (reply.data.message || strings.desk_unavailable) :
      strings.desk_error;
    return false;
  }

  function send(text, shown) {
    if (busy || !text) { return; }
    clearChoices();
    show([{ role: "desk", segments: [{ text: shown || text }] }]);
    setBusy(true, strings.desk_sending);
    request("POST", "/desk/api/chat/send", { text: text }).then(function (reply) {
      if (handle(reply) && !shown) { input.value = ""; }
      if (reply.status !== 200 && !shown) { input.value = text; }
      input.focus();
    }).catch(function () {
      setBusy(false);
      status.textContent = strings.desk_unavailable;
      if (!shown) { input.value = text; }
    });
  }

  function restart(data) {
    log.textContent = "";
    show([]);
    showLanguage(data.language);
    status.textContent = strings.desk_new_started;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (text) { send(text, null); }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  languageSelect.addEventListener("change", function () {
    if (busy) { return; }
    setBusy(true, strings.desk_sending);
    request("POST", "/desk/api/chat/language", { language: languageSelect.value }).then(function (reply) {
      if (reply.status === 200 && reply.data.restarted) {
        setBusy(false);
        restart(reply.data);
      } else {
        handle(reply);
      }
    }).catch(function () { setBusy(false); status.textContent = strings.desk_unavailable; });
  });
  newButton.addEventListener("click", function () {
    if (busy) { return; }
    request("POST", "/desk/api/chat/new", {}).then(function (reply) {
      if (reply.status === 200) {
        languageSelect.value = "";
        restart(reply.data);
        input.focus();
      } else {
        status.textContent = strings.desk_error;
      }
    }).catch(function () { status.textContent = strings.desk_error; });
  });
  if (logoutForm) {
    logoutForm.addEventListener("submit", function (event) {
      if (!inFlight) { return; }
      event.preventDefault();
      var sent = false;
      var submit = function () {
        if (!sent) { sent = true; logoutForm.submit(); }
      };
      whenIdle.push(submit);
      window.setTimeout(submit, LOGOUT_WAIT_MS);
    });
  }
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }  /* never show a page kept in memory */
  });

  request("GET", "/desk/api/chat").then(function (reply) {
    if (reply.status !== 200) { status.textContent = strings.desk_error; return; }
    languageSelect.value = reply.data.chosen || "";
    showLanguage(reply.data.language);
    show(reply.data.messages || [], reply.data.language);
  }).catch(function () { status.textContent = strings.desk_error; });
}());
