/*
 * dvcbot web chat widget: one tag embeds it on any page.
 *
 *   <script src="https://GATEWAY/widget.js" defer
 *           data-title="Trợ lý Dịch vụ công" data-position="right"></script>
 *
 * data-server (optional) overrides the gateway address (default: where widget.js came from).
 * No framework, no request to any other host. Talks over a WebSocket (/ws/widget) with reconnect and
 * falls back to POST /api/v1/widget/chat; keeps the session id in localStorage and fetches the
 * stored conversation when it opens.
 */
(function () {
  "use strict";
  if (window.__dvcbotWidget) return;
  window.__dvcbotWidget = true;

  var script = document.currentScript || (function () {
    var all = document.getElementsByTagName("script");
    for (var i = all.length - 1; i >= 0; i--) if (/widget\.js/.test(all[i].src)) return all[i];
    return null;
  })();
  var data = (script && script.dataset) || {};
  var SERVER = (data.server || (script && script.src ? new URL(script.src, location.href).origin : location.origin)).replace(/\/$/, "");
  var TITLE = data.title || "Trợ lý Dịch vụ công Hà Nội";
  var SIDE = data.position === "left" ? "left" : "right";
  var KEY_SESSION = "dvcbot-widget-session";
  var KEY_LARGE = "dvcbot-widget-large";

  function randomId(prefix) {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return prefix + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function store(key, value) {
    try { if (value === undefined) return localStorage.getItem(key); localStorage.setItem(key, value); } catch (e) { return null; }
    return value;
  }

  var sessionId = store(KEY_SESSION);
  if (!sessionId || !/^[A-Za-z0-9_.:@-]{8,128}$/.test(sessionId)) sessionId = store(KEY_SESSION, randomId("web-"));

  /* ---------------------------------------------------------------- styles */
  var css = [
    ".dvcw-root{--dvcw-blue:#0b4f9c;--dvcw-blue-dark:#083b75;--dvcw-text:#1a1a1a;--dvcw-bg:#fff;--dvcw-muted:#4a4a4a;",
    "position:fixed;bottom:16px;" + SIDE + ":16px;z-index:2147483000;font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:16px;line-height:1.45;color:var(--dvcw-text)}",
    ".dvcw-root.dvcw-large{font-size:21px}",
    ".dvcw-root *{box-sizing:border-box}",
    ".dvcw-launcher{display:flex;align-items:center;gap:8px;min-height:56px;padding:0 20px;border:0;border-radius:28px;background:var(--dvcw-blue);color:#fff;font:inherit;font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3)}",
    ".dvcw-launcher:hover{background:var(--dvcw-blue-dark)}",
    ".dvcw-root button:focus-visible,.dvcw-root a:focus-visible,.dvcw-root textarea:focus-visible{outline:3px solid #ffbf00;outline-offset:2px}",
    ".dvcw-panel{position:fixed;bottom:88px;" + SIDE + ":16px;width:380px;max-width:calc(100vw - 32px);height:600px;max-height:calc(100vh - 110px);display:flex;flex-direction:column;background:var(--dvcw-bg);border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.35);overflow:hidden}",
    ".dvcw-panel[hidden]{display:none}",
    "@media (max-width:480px){.dvcw-panel{inset:0;width:100%;max-width:none;height:100%;max-height:none;border-radius:0}}",
    ".dvcw-head{display:flex;align-items:center;gap:6px;padding:10px 12px;background:var(--dvcw-blue);color:#fff}",
    ".dvcw-head h2{flex:1;margin:0;font-size:1.05em}",
    ".dvcw-head button{min-width:44px;min-height:44px;border:1px solid rgba(255,255,255,.7);border-radius:8px;background:transparent;color:#fff;font:inherit;cursor:pointer}",
    ".dvcw-head button[aria-pressed=true]{background:#fff;color:var(--dvcw-blue)}",
    ".dvcw-log{flex:1;overflow-y:auto;padding:12px;background:#f3f5f8}",
    ".dvcw-msg{max-width:88%;margin:6px 0;padding:9px 12px;border-radius:12px;white-space:pre-line;overflow-wrap:anywhere}",
    ".dvcw-user{margin-left:auto;background:var(--dvcw-blue);color:#fff;border-bottom-right-radius:4px}",
    ".dvcw-bot{background:#fff;border:1px solid #c9d1dc;border-bottom-left-radius:4px}",
    ".dvcw-staff{background:#fff8e1;border:1px solid #c79a00}",
    ".dvcw-note{margin:8px auto;font-size:.9em;color:var(--dvcw-muted);text-align:center}",
    ".dvcw-error{background:#fdecea;border:1px solid #b3261e;color:#5c0f0a}",
    ".dvcw-who{display:block;font-size:.8em;font-weight:600;color:#6b4e00}",
    ".dvcw-bot a,.dvcw-staff a{color:var(--dvcw-blue);font-weight:600}",
    ".dvcw-map{display:inline-flex;align-items:center;gap:4px;margin:2px 0 8px;padding:8px 12px;min-height:44px;border-radius:8px;background:var(--dvcw-blue);color:#fff;font-weight:600;text-decoration:none}",
    ".dvcw-choices{display:flex;flex-wrap:wrap;gap:6px;margin:4px 0 10px}",
    ".dvcw-choices button{min-height:44px;padding:6px 12px;border:2px solid var(--dvcw-blue);border-radius:20px;background:#fff;color:var(--dvcw-blue);font:inherit;cursor:pointer;text-align:left}",
    ".dvcw-choices button:hover{background:#e6eef8}",
    ".dvcw-choices button:disabled{border-color:#8a8a8a;color:#555;cursor:default}",
    ".dvcw-typing{padding:4px 14px;font-size:.9em;color:var(--dvcw-muted);min-height:1.6em}",
    ".dvcw-foot{border-top:1px solid #c9d1dc;padding:8px;background:#fff}",
    ".dvcw-form{display:flex;gap:6px}",
    ".dvcw-form textarea{flex:1;min-height:48px;max-height:120px;padding:10px;border:2px solid #6b7785;border-radius:8px;font:inherit;resize:none;color:var(--dvcw-text)}",
    ".dvcw-send{min-width:64px;min-height:48px;border:0;border-radius:8px;background:var(--dvcw-blue);color:#fff;font:inherit;font-weight:600;cursor:pointer}",
    ".dvcw-loc{margin-bottom:6px;min-height:40px;padding:4px 10px;border:1px solid var(--dvcw-blue);border-radius:8px;background:#fff;color:var(--dvcw-blue);font:inherit;font-size:.9em;cursor:pointer}",
    ".dvcw-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}"
  ].join("\n");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] === null || attrs[k] === undefined) return;
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else if (k.slice(0, 2) === "on") node.addEventListener(k.slice(2), attrs[k]);
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  var CHAT_ICON = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z";
  var PIN_ICON = "M12 2a7 7 0 0 0-7 7c0 5 7 13 7 13s7-8 7-13a7 7 0 0 0-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0 0 1 0 5z";

  function icon(path) {
    var NS = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "1.2em");
    svg.setAttribute("height", "1.2em");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var p = document.createElementNS(NS, "path");
    p.setAttribute("d", path);
    p.setAttribute("fill", "currentColor");
    svg.appendChild(p);
    return svg;
  }

  /* ---------------------------------------------------------------- DOM */
  var style = el("style", { text: css });
  var root = el("div", { className: "dvcw-root", "data-dvcbot-widget": "" });
  var launcher = el("button", { className: "dvcw-launcher", type: "button", "aria-expanded": "false",
    "aria-controls": "dvcw-panel", "aria-label": "Mở trợ lý hỏi đáp dịch vụ công" }, [icon(CHAT_ICON), el("span", { text: "Hỏi đáp dịch vụ công" })]);
  var titleId = "dvcw-title";
  var largeBtn = el("button", { type: "button", className: "dvcw-large-toggle", "aria-pressed": "false",
    "aria-label": "Chữ to", title: "Chữ to" }, [el("span", { "aria-hidden": "true", text: "A+" })]);
  var closeBtn = el("button", { type: "button", className: "dvcw-close", "aria-label": "Đóng cửa sổ trò chuyện", title: "Đóng" },
    [el("span", { "aria-hidden": "true", text: "✕" })]);
  var log = el("div", { className: "dvcw-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-label": "Nội dung trò chuyện", tabindex: "0" });
  var typing = el("div", { className: "dvcw-typing", "aria-live": "polite" });
  var locBtn = el("button", { type: "button", className: "dvcw-loc" }, [icon(PIN_ICON), el("span", { text: "Gửi vị trí của tôi để tìm điểm gần nhất" })]);
  var inputId = "dvcw-input";
  var input = el("textarea", { id: inputId, rows: "1", maxlength: "2000", autocomplete: "off",
    placeholder: "Nhập câu hỏi…" });
  var sendBtn = el("button", { type: "submit", className: "dvcw-send" }, [el("span", { text: "Gửi" })]);
  var form = el("form", { className: "dvcw-form", "aria-label": "Gửi câu hỏi" },
    [el("label", { "for": inputId, className: "dvcw-sr", text: "Câu hỏi của anh chị" }), input, sendBtn]);
  var panel = el("div", { id: "dvcw-panel", className: "dvcw-panel", role: "dialog", "aria-modal": "false",
    "aria-labelledby": titleId, hidden: "" }, [
    el("div", { className: "dvcw-head" }, [el("h2", { id: titleId, text: TITLE }), largeBtn, closeBtn]),
    log, typing,
    el("div", { className: "dvcw-foot" }, [locBtn, form])
  ]);
  root.appendChild(panel);
  root.appendChild(launcher);

  /* ---------------------------------------------------------------- rendering */
  var URL_RE = /(https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)])/g;

  /* text with its links clickable; the map link (if any) is returned to be shown as a button */
  function richText(node, text) {
    var last = 0, m, mapUrl = null;
    URL_RE.lastIndex = 0;
    while ((m = URL_RE.exec(text))) {
      if (m.index > last) node.appendChild(document.createTextNode(text.slice(last, m.index)));
      var href = m[1];
      if (/\/map(\?|$)/.test(href) && !mapUrl) mapUrl = href;
      node.appendChild(el("a", { href: href, target: "_blank", rel: "noopener noreferrer", text: href }));
      last = m.index + m[0].length;
    }
    if (last < text.length) node.appendChild(document.createTextNode(text.slice(last)));
    return mapUrl;
  }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function addUser(text) {
    log.appendChild(el("div", { className: "dvcw-msg dvcw-user" }, [el("span", { className: "dvcw-sr", text: "Anh chị: " }), document.createTextNode(text)]));
    scrollDown();
  }

  function addNote(text, cls) {
    var node = el("div", { className: "dvcw-msg dvcw-note " + (cls || ""), text: text });
    log.appendChild(node);
    scrollDown();
    return node;
  }

  function addBot(messages, live, staff) {
    (messages || []).forEach(function (m) {
      var custom = m.custom || {};
      var text = m.text || (typeof custom.text === "string" ? custom.text : "");
      if (text) {
        var bubble = el("div", { className: "dvcw-msg " + (staff ? "dvcw-staff" : "dvcw-bot") });
        bubble.appendChild(el("span", { className: staff ? "dvcw-who" : "dvcw-sr", text: staff ? "Cán bộ Trung tâm" : "Trợ lý: " }));
        var mapUrl = richText(bubble, text);
        log.appendChild(bubble);
        if (mapUrl) {
          log.appendChild(el("a", { className: "dvcw-map", href: mapUrl, target: "_blank", rel: "noopener noreferrer" },
            [icon(PIN_ICON), el("span", { text: "Mở bản đồ các điểm" })]));
        }
      }
      if (m.buttons && m.buttons.length) {
        var group = el("div", { className: "dvcw-choices", role: "group", "aria-label": "Lựa chọn" });
        m.buttons.forEach(function (b) {
          group.appendChild(el("button", { type: "button", disabled: live ? null : "", text: b.title,
            onclick: function () {
              Array.prototype.forEach.call(group.querySelectorAll("button"), function (x) { x.disabled = true; });
              send({ type: "message", text: b.payload || b.title }, b.title);
            } }));
          if (!live) group.lastChild.disabled = true;
        });
        log.appendChild(group);
      }
    });
    scrollDown();
  }

  /* ---------------------------------------------------------------- transport */
  var ws = null, wsOpen = false, everOpen = false, retry = 0, reconnectTimer = null, opened = false;
  var waiting = {};  // message id -> frame, until its reply comes
  var careShown = {};  // ids of the staff/system messages on screen (history and pushes carry them)

  /* the messages of a push or history item not shown yet (a push can repeat what history showed) */
  function unseen(messages) {
    return (messages || []).filter(function (m) {
      if (m.care_id === undefined || m.care_id === null) return true;
      if (careShown[m.care_id]) return false;
      careShown[m.care_id] = true;
      return true;
    });
  }

  /* a staff history item's messages not shown yet (each tagged with the item's stored id) */
  function unseenStaff(item) {
    return unseen((item.messages || []).map(function (m) { return Object.assign({ care_id: item.id }, m); }));
  }

  function setTyping(on) {
    typing.textContent = on ? "Trợ lý đang trả lời…" : "";
  }

  function handleFrame(frame) {
    if (frame.type === "typing") { setTyping(true); return; }
    if (frame.type === "reply") {
      delete waiting[frame.reply_to];
      setTyping(Object.keys(waiting).length > 0);
      addBot(frame.messages, true, false);
      return;
    }
    if (frame.type === "push") { addBot(unseen(frame.messages), true, true); return; }
    if (frame.type === "error") {
      if (frame.reply_to) delete waiting[frame.reply_to];
      setTyping(Object.keys(waiting).length > 0);
      addNote(frame.detail || "Có lỗi, anh chị vui lòng thử lại.", "dvcw-error");
    }
  }

  function viaHttp(frame) {
    var body = Object.assign({ session_id: sessionId }, frame);
    setTyping(true);
    return fetch(SERVER + "/api/v1/widget/chat", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body) }).then(function (resp) {
      return resp.json().then(function (json) {
        if (!resp.ok) handleFrame({ type: "error", reply_to: frame.id, detail: json.detail });
        else handleFrame(json);
      });
    }).catch(function () {
      delete waiting[frame.id];
      setTyping(false);
      addNote("Không gửi được tin nhắn, anh chị kiểm tra kết nối mạng rồi thử lại.", "dvcw-error");
    });
  }

  function send(frame, shown) {
    frame.id = randomId("m");
    if (frame.type !== "location") addUser(shown || frame.text);
    waiting[frame.id] = frame;
    if (wsOpen) ws.send(JSON.stringify(frame));
    else viaHttp(frame);
  }

  function connect() {
    if (!("WebSocket" in window)) return;
    try {
      ws = new WebSocket(SERVER.replace(/^http/, "ws") + "/ws/widget?session_id=" + encodeURIComponent(sessionId));
    } catch (e) { return; }
    ws.onopen = function () {
      wsOpen = true;
      retry = 0;
      // pushes sent while the socket was down were stored by the console: show the ones not seen
      if (everOpen) catchUp();
      everOpen = true;
    };
    ws.onmessage = function (ev) { try { handleFrame(JSON.parse(ev.data)); } catch (e) { /* ignore a bad frame */ } };
    ws.onclose = function () {
      var wasOpen = wsOpen;
      wsOpen = false;
      ws = null;
      // messages sent over the socket that got no reply go again over HTTP (same id: answered once)
      if (wasOpen) Object.keys(waiting).forEach(function (id) { viaHttp(waiting[id]); });
      var delay = Math.min(15000, 1000 * Math.pow(2, retry++));
      clearTimeout(reconnectTimer);
      reconnectTimer = setTimeout(connect, delay);
    };
  }

  /* after a reconnect: the staff/system messages stored while the socket was down */
  function catchUp() {
    return fetch(SERVER + "/api/v1/widget/history?session_id=" + encodeURIComponent(sessionId))
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (json) {
        (json.items || []).forEach(function (it) {
          if (it.role !== "staff") return;
          var fresh = unseenStaff(it);
          if (fresh.length) addBot(fresh, true, true);
        });
      })
      .catch(function () { /* the next reconnect tries again */ });
  }

  function loadHistory() {
    return fetch(SERVER + "/api/v1/widget/history?session_id=" + encodeURIComponent(sessionId))
      .then(function (r) { return r.ok ? r.json() : { items: [] }; })
      .then(function (json) {
        var items = json.items || [];
        if (!items.length) {
          addBot([{ text: "Dạ, em là trợ lý tự động của Trung tâm Phục vụ hành chính công Hà Nội. Anh chị cần hỏi thủ tục nào, hoặc muốn tìm điểm tiếp nhận gần nhất ạ?" }], true, false);
          return;
        }
        items.forEach(function (it, i) {
          if (it.role === "user") addUser(it.text);
          else if (it.role === "staff") {
            addBot(unseenStaff(it),
              i === items.length - 1, true);
          } else addBot(it.messages, i === items.length - 1, false);
        });
      })
      .catch(function () { /* history is a convenience: the chat works without it */ });
  }

  /* ---------------------------------------------------------------- behaviour */
  function openPanel() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.setAttribute("aria-label", "Thu nhỏ trợ lý hỏi đáp dịch vụ công");
    if (!opened) {
      opened = true;
      loadHistory().then(connect);
    }
    input.focus();
  }

  function closePanel() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", "Mở trợ lý hỏi đáp dịch vụ công");
    launcher.focus();
  }

  function setLarge(on) {
    root.classList.toggle("dvcw-large", on);
    largeBtn.setAttribute("aria-pressed", on ? "true" : "false");
    store(KEY_LARGE, on ? "1" : "0");
    scrollDown();
  }

  launcher.addEventListener("click", function () { if (panel.hidden) openPanel(); else closePanel(); });
  closeBtn.addEventListener("click", closePanel);
  largeBtn.addEventListener("click", function () { setLarge(!root.classList.contains("dvcw-large")); });
  panel.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { ev.preventDefault(); closePanel(); } });
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    send({ type: "message", text: text });
    input.focus();
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && !ev.shiftKey) { ev.preventDefault(); form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit")); }
  });
  locBtn.addEventListener("click", function () {
    if (!navigator.geolocation) { addNote("Trình duyệt không hỗ trợ lấy vị trí. Anh chị nhắn tên phường, xã giúp em ạ.", "dvcw-error"); return; }
    addNote("Đang lấy vị trí của anh chị…");
    navigator.geolocation.getCurrentPosition(function (pos) {
      addUser("Vị trí của tôi");
      send({ type: "location", lat: pos.coords.latitude, lon: pos.coords.longitude });
    }, function () {
      addNote("Không lấy được vị trí. Anh chị nhắn tên phường, xã nơi mình ở giúp em ạ.", "dvcw-error");
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 300000 });
  });

  function mount() {
    document.head.appendChild(style);
    document.body.appendChild(root);
    if (store(KEY_LARGE) === "1") setLarge(true);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
