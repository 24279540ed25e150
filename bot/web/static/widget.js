/* faqbot web widget: one <script src=".../widget.js" data-tenant="ID"> embeds a chat for that tenant.
 *
 * Vanilla JS in a Shadow DOM so the host page's CSS cannot break it. Every text from visitors,
 * operators or the server is inserted with textContent / DOM APIs, never innerHTML.
 * Optional data-mount="#selector" renders the chat inline in that element instead of as a
 * floating launcher (the demo page uses it).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !script.dataset.tenant) {
    return;
  }
  var tenantId = script.dataset.tenant;
  var apiBase = new URL(script.src, window.location.href).origin;
  var storageKey = "faqbot:" + tenantId;
  var MAX_HISTORY = 120;
  var MAX_CHARS = 1000;
  // URLs and Korean phone numbers (02-123-4567, 055-750-1100, 010-1234-5678, 1588-1234).
  var RICH = /(https?:\/\/[^\s<>"')]+)|((?:0\d{1,2}-\d{3,4}-\d{4})|(?:1[5-9]\d{2}-\d{4}))/g;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function safeUrl(value) {
    try {
      var url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /* Text with URLs and phone numbers turned into links, built node by node. */
  function appendRich(parent, text) {
    var last = 0;
    text.replace(RICH, function (match, url, phone, offset) {
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var href = url ? safeUrl(url) : "tel:" + phone.replace(/-/g, "");
      if (href) {
        var link = el("a", { href: href }, match);
        if (url) {
          link.target = "_blank";
          link.rel = "noopener noreferrer";
        } else {
          link.className = "tel";
          link.setAttribute("aria-label", match + " 전화 걸기");
        }
        parent.appendChild(link);
      } else {
        parent.appendChild(document.createTextNode(match));
      }
      last = offset + match.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function loadState() {
    try {
      var saved = JSON.parse(window.sessionStorage.getItem(storageKey) || "null");
      if (saved && Array.isArray(saved.history)) {
        return saved;
      }
    } catch (e) {
      /* storage disabled or corrupted: start over */
    }
    return { sessionId: null, history: [] };
  }

  function saveState(state) {
    state.history = state.history.slice(-MAX_HISTORY);
    try {
      window.sessionStorage.setItem(storageKey, JSON.stringify(state));
    } catch (e) {
      /* private mode or quota: the conversation still works, it just won't survive a reload */
    }
  }

  /* ---- DOM ---------------------------------------------------------------------------------- */

  // The widget's own words follow the visitor's language: the page's (or browser's) first, then the
  // language the bot answered in.
  var LABELS = {
    ko: { placeholder: "궁금한 점을 입력하세요", send: "보내기", input: "질문 입력", log: "대화 내용", typing: "답변을 준비하고 있어요", choices: "선택지", close: "챗봇 닫기", bot: "챗봇", retry: "잠시 후 다시 시도해 주세요.", offline: "연결에 문제가 있어요. 잠시 후 다시 시도해 주세요.", failed: "챗봇을 불러오지 못했어요. 잠시 후 다시 시도해 주세요." },
    en: { placeholder: "Type your question", send: "Send", input: "Your question", log: "Conversation", typing: "Preparing an answer", choices: "Choices", close: "Close the chatbot", bot: "chatbot", retry: "Please try again in a moment.", offline: "Connection problem. Please try again in a moment.", failed: "The chatbot could not be loaded. Please try again in a moment." },
    ja: { placeholder: "ご質問を入力してください", send: "送信", input: "質問の入力", log: "会話", typing: "回答を準備しています", choices: "選択肢", close: "チャットボットを閉じる", bot: "チャットボット", retry: "しばらくしてからもう一度お試しください。", offline: "接続に問題があります。しばらくしてからもう一度お試しください。", failed: "チャットボットを読み込めませんでした。" },
    zh: { placeholder: "请输入您的问题", send: "发送", input: "输入问题", log: "对话内容", typing: "正在准备回答", choices: "选项", close: "关闭聊天机器人", bot: "聊天机器人", retry: "请稍后再试。", offline: "连接出现问题，请稍后再试。", failed: "无法加载聊天机器人，请稍后再试。" },
  };
  var pageLanguage = script.dataset.lang || document.documentElement.lang || navigator.language || "ko";
  var language = LABELS[pageLanguage.toLowerCase().split(/[-_]/)[0]] ? pageLanguage.toLowerCase().split(/[-_]/)[0] : "ko";
  function t(key) {
    return LABELS[language][key];
  }

  var mount = script.dataset.mount ? document.querySelector(script.dataset.mount) : null;
  var host = el("div", { "data-faqbot": tenantId });
  if (mount) {
    mount.appendChild(host);
  } else {
    document.body.appendChild(host);
  }
  var root = host.attachShadow({ mode: "open" });
  var sheet = el("link", { rel: "stylesheet", href: apiBase + "/widget.css" });
  root.appendChild(sheet);

  var uid = "faqbot-" + tenantId;
  var panel = el("section", {
    class: "panel" + (mount ? " inline" : " floating"),
    id: uid + "-panel",
    "aria-labelledby": uid + "-title",
  });
  var header = el("header", { class: "header" });
  var title = el("h2", { class: "title", id: uid + "-title" }, t("bot"));
  header.appendChild(title);
  panel.appendChild(header);

  var log = el("div", {
    class: "log",
    role: "log",
    "aria-live": "polite",
    "aria-relevant": "additions",
    "aria-label": t("log"),
    tabindex: "0",
  });
  panel.appendChild(log);

  var typing = el("div", { class: "typing", role: "status", hidden: "" });
  typing.appendChild(el("span", { class: "dots", "aria-hidden": "true" }, "● ● ●"));
  typing.appendChild(el("span", { class: "sr-only" }, t("typing")));
  panel.appendChild(typing);

  var form = el("form", { class: "composer" });
  var label = el("label", { for: uid + "-input", class: "sr-only" }, t("input"));
  var input = el("input", {
    id: uid + "-input",
    type: "text",
    maxlength: String(MAX_CHARS),
    autocomplete: "off",
    placeholder: t("placeholder"),
  });
  var send = el("button", { type: "submit", class: "send" }, t("send"));
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(form);

  if (!mount) {
    var launcher = el("button", {
      type: "button",
      class: "launcher",
      "aria-expanded": "false",
      "aria-controls": uid + "-panel",
    }, "💬 챗봇");
    var close = el("button", { type: "button", class: "close", "aria-label": t("close") }, "×");
    header.appendChild(close);
    panel.hidden = true;
    var toggle = function (open) {
      panel.hidden = !open;
      launcher.setAttribute("aria-expanded", String(open));
      (open ? input : launcher).focus();
    };
    launcher.addEventListener("click", function () { toggle(panel.hidden); });
    close.addEventListener("click", function () { toggle(false); });
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        toggle(false);
      }
    });
    root.appendChild(launcher);
  }
  root.appendChild(panel);

  /* ---- conversation ------------------------------------------------------------------------- */

  var state = loadState();
  var busy = false;

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function renderEntry(entry, index) {
    var bubble = el("div", { class: "msg " + entry.from });
    var text = el("p", { class: "text" });
    if (entry.from === "bot") {
      appendRich(text, entry.text);
    } else {
      text.textContent = entry.text;
    }
    bubble.appendChild(text);
    var buttons = entry.buttons || [];
    if (buttons.length) {
      var group = el("div", { class: "buttons", role: "group", "aria-label": t("choices") });
      buttons.forEach(function (button) {
        var url = /^https?:\/\//.test(button.payload) ? safeUrl(button.payload) : null;
        if (url) {
          var link = el("a", { class: "chip link", href: url, target: "_blank", rel: "noopener noreferrer" },
            button.title);
          group.appendChild(link);
          return;
        }
        var chip = el("button", { type: "button", class: "chip" }, button.title);
        if (entry.used) {
          chip.disabled = true;
        }
        chip.addEventListener("click", function () {
          // Feedback is asked once: its buttons retire after a choice.
          if (/^\/feedback/.test(button.payload)) {
            state.history[index].used = true;
            group.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
          }
          ask(button.title, button.payload);
          // The reply is announced by the live log; typing the next question is the likely next step.
          input.focus();
        });
        group.appendChild(chip);
      });
      bubble.appendChild(group);
    }
    log.appendChild(bubble);
    scrollDown();
  }

  function add(entry) {
    state.history.push(entry);
    saveState(state);
    renderEntry(entry, state.history.length - 1);
  }

  function addBotMessages(messages) {
    messages.forEach(function (m) {
      add({ from: "bot", text: String(m.text), buttons: (m.buttons || []).map(function (b) {
        return { title: String(b.title), payload: String(b.payload) };
      }) });
    });
  }

  function setBusy(value) {
    busy = value;
    typing.hidden = !value;
    send.disabled = value;
    if (value) {
      log.setAttribute("aria-busy", "true");
    } else {
      log.removeAttribute("aria-busy");
    }
    scrollDown();
  }

  function ask(shown, message) {
    if (busy) {
      return;
    }
    add({ from: "user", text: shown });
    setBusy(true);
    fetch(apiBase + "/api/v1/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tenant: tenantId, session_id: state.sessionId, message: message, language: pageLanguage }),
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            var error = (body && body.error) || {};
            throw new Error(error.message || t("retry"));
          }
          return body;
        });
      })
      .then(function (reply) {
        state.sessionId = reply.session_id;
        relabel(reply.language);
        addBotMessages(reply.messages || []);
      })
      .catch(function (error) {
        var text = error instanceof TypeError ? t("offline") : error.message;
        add({ from: "bot error", text: text });
      })
      .then(function () {
        setBusy(false);
      });
  }

  function relabel(replyLanguage) {
    if (!LABELS[replyLanguage] || replyLanguage === language) {
      return;
    }
    language = replyLanguage;
    input.setAttribute("placeholder", t("placeholder"));
    send.textContent = t("send");
    label.textContent = t("input");
    log.setAttribute("aria-label", t("log"));
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text || busy) {
      return;
    }
    input.value = "";
    ask(text, text.slice(0, MAX_CHARS));
    input.focus();
  });

  fetch(apiBase + "/api/v1/tenants/" + encodeURIComponent(tenantId) + "?lang=" + encodeURIComponent(pageLanguage))
    .then(function (response) {
      if (!response.ok) {
        throw new Error("unknown tenant");
      }
      return response.json();
    })
    .then(function (tenant) {
      title.textContent = tenant.display_name;
      input.setAttribute("aria-description", tenant.display_name + "에 대해 질문하세요");
      if (/^#[0-9a-fA-F]{6}$/.test(tenant.theme_color)) {
        host.style.setProperty("--faqbot-accent", tenant.theme_color);
      }
      if (launcher) {
        launcher.textContent = "💬 " + tenant.short_name + " 챗봇";
      }
      state.history.forEach(renderEntry);
      if (!state.history.length) {
        addBotMessages(tenant.greeting_messages);
      }
    })
    .catch(function () {
      add({ from: "bot error", text: t("failed") });
    });
})();
