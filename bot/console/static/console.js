// faqbot operator console: vanilla JS, no inline handlers, every server text set via textContent.
"use strict";

const API = "/api/v1/admin";
const SVG = "http://www.w3.org/2000/svg";
const STATE_NAMES = { draft: "초안", live: "게시 중", retired: "보관" };
const DECISION_NAMES = { answer: "답변", suggest: "추천", fallback: "답변 못함" };
const COLUMN_NAMES = { id: "아이디", category: "분류", question: "질문", answer: "답변", alt_questions: "유사질문", link: "링크", translations: "외국어 질문·답변", file: "파일" };
const state = { token: sessionStorage.getItem("faqbot-token"), tenant: null, tenants: [], polling: null };

const $ = (id) => document.getElementById(id);

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("data-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString("ko-KR", { dateStyle: "short", timeStyle: "short" }) : "—";
}

function setStatus(text, kind) {
  const status = $("status");
  status.textContent = text;
  status.className = "status " + (kind || "");
}

async function api(path, options) {
  const opts = options || {};
  const headers = Object.assign({ Authorization: "Bearer " + state.token }, opts.headers || {});
  const response = await fetch(API + path, Object.assign({}, opts, { headers }));
  const body = await response.json().catch(() => ({}));
  if (response.status === 401) {
    logout("토큰이 올바르지 않거나 만료되었습니다.");
    throw new Error("unauthorized");
  }
  if (!response.ok && !(response.status === 422 && body.errors)) {
    const message = body.error ? body.error.message : "요청이 실패했습니다 (" + response.status + ")";
    // The code lets a caller react to one refusal (e.g. a deletion to confirm) and show the rest.
    throw Object.assign(new Error(message), { code: body.error ? body.error.code : "" });
  }
  return { status: response.status, body };
}

function tenantPath(rest) {
  return "/tenants/" + encodeURIComponent(state.tenant) + rest;
}

// ── Login ────────────────────────────────────────────────────────────────────────────────────

async function login(token) {
  state.token = token;
  const { body } = await api("/me");
  sessionStorage.setItem("faqbot-token", token);
  state.tenants = body.tenants;
  const select = $("tenant");
  select.replaceChildren(...body.tenants.map((t) => el("option", { value: t.id, text: t.display_name })));
  state.tenant = body.tenants.length ? body.tenants[0].id : null;
  $("login").hidden = true;
  $("app").hidden = false;
  $("who").hidden = false;
  await refreshAll();
}

function logout(message) {
  sessionStorage.removeItem("faqbot-token");
  state.token = null;
  $("app").hidden = true;
  $("who").hidden = true;
  $("login").hidden = false;
  $("login-error").textContent = message || "";
}

// ── FAQ versions, upload, publish, rollback ──────────────────────────────────────────────────

function issueTable(title, issues, kind) {
  if (!issues.length) return null;
  const rows = issues.map((i) =>
    el(
      "tr",
      {},
      el("td", { text: String(i.row) }),
      el("td", { text: COLUMN_NAMES[i.column] || i.column }),
      el("td", { text: i.message }),
    ),
  );
  return el(
    "div",
    { class: "issues " + kind },
    el("h3", { text: title + " " + issues.length + "건" }),
    el(
      "table",
      { class: "grid", "data-testid": kind },
      el("thead", {}, el("tr", {}, el("th", { text: "행" }), el("th", { text: "열" }), el("th", { text: "내용" }))),
      el("tbody", {}, ...rows),
    ),
  );
}

function diffList(title, items, kind) {
  const list = el("ul", {}, ...items.slice(0, 50).map((i) => el("li", { text: i.question + " (" + i.id + ")" })));
  if (items.length > 50) list.append(el("li", { text: "… 외 " + (items.length - 50) + "건" }));
  return el("div", { class: "diff " + kind }, el("h4", { text: title + " " + items.length }), items.length ? list : null);
}

function renderReport(body) {
  const report = $("report");
  report.replaceChildren();
  if (body.version === null) {
    report.append(el("p", { class: "error", "data-testid": "file-error", text: body.errors[0].message }));
    return;
  }
  const ok = body.errors.length === 0;
  const parts = [
    el("p", {
      class: ok ? "ok" : "error",
      "data-testid": "report-summary",
      text:
        "버전 " + body.version + " 초안: 오류 " + body.errors.length + "건, 경고 " + body.warnings.length + "건" +
        (ok ? " — 게시할 수 있습니다." : " — 오류를 고친 파일을 다시 올려 주세요."),
    }),
    issueTable("오류", body.errors, "errors"),
    issueTable("경고", body.warnings, "warnings"),
    el(
      "div",
      { class: "diffs" },
      diffList("추가", body.diff.added, "added"),
      diffList("삭제", body.diff.removed, "removed"),
      diffList("변경", body.diff.changed, "changed"),
    ),
  ];
  report.append(...parts.filter(Boolean));
  if (ok) {
    const button = el("button", { type: "button", text: "버전 " + body.version + " 게시하기", "data-testid": "publish-draft" });
    button.addEventListener("click", () => publish(body.version, body.mass_deletion));
    report.append(button);
  }
}

async function upload(event) {
  event.preventDefault();
  const file = $("file").files[0];
  if (!file) return;
  const form = new FormData();
  form.append("file", file);
  setStatus("파일을 검증하는 중…");
  try {
    const { body } = await api(tenantPath("/faq/drafts"), { method: "POST", body: form });
    renderReport(body);
    setStatus(body.version === null ? "파일을 읽을 수 없습니다." : "검증이 끝났습니다.", body.version === null ? "bad" : "");
    await loadVersions();
  } catch (error) {
    setStatus(error.message, "bad");
  }
}

async function startJob(path, init, label) {
  try {
    await api(tenantPath(path), init);
    setStatus(label + " 색인을 만드는 중…", "busy");
    pollJob();
  } catch (error) {
    // A draft that deletes much of the live FAQ set goes live only once the operator confirms it.
    if (error.code === "deletions_need_confirmation" && !path.includes("allow_deletions")) {
      if (window.confirm(error.message + "\n\n삭제를 확인하고 게시할까요?")) {
        return startJob(path + "?allow_deletions=true", init, label);
      }
      setStatus("게시를 취소했습니다.", "");
      return undefined;
    }
    setStatus(error.message, "bad");
  }
  return undefined;
}

// ``deletion``: the draft's mass_deletion ({removed, live}) when it removes much of the live set.
function publish(version, deletion) {
  let path = "/faq/versions/" + version + "/publish";
  if (deletion) {
    const asked = "버전 " + version + "은(는) 게시 중인 FAQ " + deletion.live + "개 중 " + deletion.removed + "개를 지웁니다.";
    if (!window.confirm(asked + "\n\n삭제를 확인하고 게시할까요?")) {
      setStatus("게시를 취소했습니다.", "");
      return undefined;
    }
    path += "?allow_deletions=true";
  }
  return startJob(path, { method: "POST" }, "버전 " + version + " 게시:");
}

async function discard(version) {
  if (!window.confirm("초안 버전 " + version + "을(를) 지울까요?")) return;
  try {
    await api(tenantPath("/faq/versions/" + version), { method: "DELETE" });
    setStatus("초안 버전 " + version + "을(를) 지웠습니다.", "good");
    await loadVersions();
  } catch (error) {
    setStatus(error.message, "bad");
  }
}

function rollback(version) {
  if (!window.confirm("버전 " + version + "(으)로 되돌릴까요?")) return undefined;
  const init = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ version }) };
  return startJob("/faq/rollback", init, "버전 " + version + "(으)로 되돌리기:");
}

// ``announce``: say how a job ended. Off for the check after login or a tenant switch, so an old
// job's result never overwrites a newer message (e.g. a synonyms save); a running job turns it on.
function pollJob(announce = true) {
  clearTimeout(state.polling);
  state.polling = setTimeout(async () => {
    const data = await loadVersions();
    const job = data && data.job;
    if (job && job.state === "building") {
      const pct = job.progress.total ? Math.round((100 * job.progress.done) / job.progress.total) : 0;
      setStatus("버전 " + job.version + " 색인 생성 중… " + pct + "%", "busy");
      pollJob();
    } else if (!announce) {
      return;
    } else if (job && job.state === "live" && data.dense && data.dense.state !== "failed") {
      const e5 = data.dense.done.toLocaleString() + " / " + data.dense.total.toLocaleString();
      setStatus("버전 " + job.version + "이(가) 게시되었습니다. 키워드 검색으로 답하는 중이며, 의미 검색(e5) 색인 " + e5 + " 완료", "busy");
      pollJob();
    } else if (job && job.state === "live") {
      setStatus("버전 " + job.version + "이(가) 게시되었습니다. 지금부터 챗봇이 이 버전으로 답합니다.", "good");
    } else if (job && job.state === "failed") {
      setStatus("게시 실패: " + (job.error || ""), "bad");
    }
  }, 800);
}

function versionRow(v) {
  const actions = el("td");
  if (v.state === "draft" && v.errors === 0) {
    const button = el("button", { type: "button", class: "small", text: "게시", "data-testid": "publish-" + v.version });
    button.addEventListener("click", () => publish(v.version, v.mass_deletion));
    actions.append(button);
  }
  if (v.state === "draft") {
    const button = el("button", { type: "button", class: "small ghost", text: "지우기", "data-testid": "discard-" + v.version });
    button.addEventListener("click", () => discard(v.version));
    actions.append(button);
  } else if (v.state === "retired") {
    const button = el("button", { type: "button", class: "small ghost", text: "되돌리기", "data-testid": "rollback-" + v.version });
    button.addEventListener("click", () => rollback(v.version));
    actions.append(button);
  }
  return el(
    "tr",
    { class: "state-" + v.state, "data-testid": "version-" + v.version },
    el("td", { text: String(v.version) }),
    el("td", {}, el("span", { class: "badge " + v.state, text: STATE_NAMES[v.state] || v.state })),
    el("td", { text: v.source }),
    el("td", { text: String(v.faqs) }),
    el("td", { text: v.errors + " / " + v.warnings }),
    el("td", { text: v.created_by }),
    el("td", { text: when(v.created_at) }),
    el("td", { text: v.published_by || "—" }),
    el("td", { text: when(v.published_at) }),
    actions,
  );
}

async function loadVersions() {
  try {
    const { body } = await api(tenantPath("/faq/versions"));
    $("versions-body").replaceChildren(...body.versions.map(versionRow));
    return body;
  } catch (error) {
    setStatus(error.message, "bad");
    return null;
  }
}

// ── Unanswered questions ─────────────────────────────────────────────────────────────────────

async function applyEdit(path, payload, label) {
  const init = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) };
  try {
    const { body } = await api(tenantPath(path), init);
    if (body.errors && body.errors.length) {
      setStatus(label + " 실패: " + body.errors[0].message, "bad");
      return;
    }
    setStatus(label + " — 버전 " + body.version + "을(를) 게시하는 중…", "busy");
    pollJob();
  } catch (error) {
    setStatus(error.message, "bad");
  }
}

function groupCard(group, faqs) {
  const members = el("ul", { class: "members" }, ...group.questions.map((q) => el("li", { text: q.text + " ×" + q.count })));
  const decisions = Object.entries(group.decisions)
    .map(([d, n]) => (DECISION_NAMES[d] || d) + " " + n)
    .join(", ");
  const select = el("select", { "data-testid": "faq-select" }, ...faqs.map((f) => el("option", { value: f.id, text: f.question })));
  if (group.closest_faq) select.value = group.closest_faq.id;
  const altButton = el("button", { type: "button", class: "small", "data-testid": "add-alt" });
  const syncLabel = () => {
    const chosen = faqs.find((f) => f.id === select.value);
    altButton.textContent = "FAQ “" + (chosen ? chosen.question : select.value) + "”의 유사질문으로 추가";
  };
  select.addEventListener("change", syncLabel);
  syncLabel();
  altButton.addEventListener("click", () =>
    applyEdit("/faq/edits/alt-question", { faq_id: select.value, question: group.question }, "유사질문 추가"),
  );
  const answer = el("textarea", { rows: 3, placeholder: "새 FAQ의 답변", "data-testid": "new-answer" });
  const category = el("input", { type: "text", placeholder: "분류 (선택)" });
  const newButton = el("button", { type: "button", class: "small ghost", text: "새 FAQ로 추가", "data-testid": "add-new" });
  newButton.addEventListener("click", () => {
    if (!answer.value.trim()) {
      answer.focus();
      setStatus("새 FAQ의 답변을 입력해 주세요.", "bad");
      return;
    }
    applyEdit("/faq/edits/new-faq", { question: group.question, answer: answer.value, category: category.value }, "새 FAQ 추가");
  });
  return el(
    "article",
    { class: "group", "data-testid": "group" },
    el("h3", {}, el("span", { class: "count", text: group.count + "회" }), el("span", { text: group.question })),
    el("p", { class: "hint", text: decisions + " · 마지막 " + when(group.last_at) }),
    members,
    el("div", { class: "actions" }, select, altButton),
    el("div", { class: "actions" }, category, answer, newButton),
  );
}

async function loadUnanswered() {
  const list = $("unanswered-list");
  try {
    const [{ body }, live] = await Promise.all([api(tenantPath("/unanswered")), api(tenantPath("/faq/live"))]);
    if (!body.groups.length) {
      list.replaceChildren(el("p", { class: "hint", text: "최근 30일 동안 답하지 못한 질문이 없습니다." }));
      return;
    }
    list.replaceChildren(...body.groups.map((g) => groupCard(g, live.body.entries)));
  } catch (error) {
    setStatus(error.message, "bad");
  }
}

// ── Charts (inline SVG) ──────────────────────────────────────────────────────────────────────

function barChart(container, labels, series, colors, names) {
  const width = 640;
  const height = 220;
  const pad = { left: 36, bottom: 28, top: 10 };
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + s[i], 0));
  const max = Math.max(1, ...totals);
  const chart = svg("svg", { viewBox: "0 0 " + width + " " + height, role: "img", class: "chart" });
  const slot = (width - pad.left) / Math.max(1, labels.length);
  const scale = (height - pad.bottom - pad.top) / max;
  chart.append(svg("text", { x: 2, y: pad.top + 8, class: "axis" }, String(max)));
  chart.append(svg("line", { x1: pad.left, y1: height - pad.bottom, x2: width, y2: height - pad.bottom, class: "base" }));
  labels.forEach((label, i) => {
    let y = height - pad.bottom;
    series.forEach((values, s) => {
      const h = values[i] * scale;
      y -= h;
      const bar = svg("rect", { x: pad.left + i * slot + 1, y, width: Math.max(1, slot - 2), height: h, fill: colors[s] });
      bar.append(svg("title", {}, label + " " + names[s] + ": " + values[i]));
      chart.append(bar);
    });
    if (labels.length <= 10 || i % Math.ceil(labels.length / 8) === 0) {
      chart.append(svg("text", { x: pad.left + i * slot, y: height - 8, class: "axis" }, label.slice(5)));
    }
  });
  const legend = el(
    "div",
    { class: "legend" },
    ...names.map((n, s) => {
      const swatch = svg("svg", { viewBox: "0 0 10 10", class: "swatch" });
      swatch.append(svg("rect", { width: 10, height: 10, fill: colors[s] }));
      return el("span", {}, swatch, el("span", { text: n }));
    }),
  );
  container.replaceChildren(chart, legend);
}

function hbarChart(container, items) {
  if (!items.length) {
    container.replaceChildren(el("p", { class: "hint", text: "아직 데이터가 없습니다." }));
    return;
  }
  const max = Math.max(...items.map((i) => i.count));
  container.replaceChildren(
    ...items.map((item) => {
      const bar = svg("svg", { viewBox: "0 0 100 6", preserveAspectRatio: "none", class: "hbar" });
      bar.append(svg("rect", { x: 0, y: 0, width: (100 * item.count) / max, height: 6, fill: "#2563eb" }));
      return el("div", { class: "hrow" }, el("span", { class: "label", text: item.label }), bar, el("span", { class: "n", text: String(item.count) }));
    }),
  );
}

async function loadStats() {
  try {
    const { body } = await api(tenantPath("/stats"));
    const days = body.per_day.map((d) => d.date);
    barChart(
      $("chart-daily"),
      days,
      [body.per_day.map((d) => d.answer), body.per_day.map((d) => d.suggest), body.per_day.map((d) => d.fallback), body.per_day.map((d) => d.dialogue)],
      ["#16a34a", "#f59e0b", "#dc2626", "#94a3b8"],
      ["답변", "추천", "답변 못함", "대화"],
    );
    hbarChart(
      $("chart-rates"),
      Object.entries(body.rates).map(([d, r]) => ({ label: DECISION_NAMES[d] + " (" + Math.round(r * 100) + "%)", count: Math.round(r * 1000) / 10 })),
    );
    hbarChart($("chart-top"), body.top_faqs.map((f) => ({ label: f.question, count: f.count })));
    barChart(
      $("chart-feedback"),
      body.feedback.map((d) => d.date),
      [body.feedback.map((d) => d.up), body.feedback.map((d) => d.down)],
      ["#16a34a", "#dc2626"],
      ["👍 도움됨", "👎 도움 안 됨"],
    );
  } catch (error) {
    setStatus(error.message, "bad");
  }
}

// ── Synonyms ─────────────────────────────────────────────────────────────────────────────────

function synonymsToText(terms) {
  return Object.entries(terms).map(([word, variants]) => word + ": " + variants.join(", ")).join("\n");
}

function textToSynonyms(text) {
  const terms = {};
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    const at = line.indexOf(":");
    if (at < 1) throw new Error((i + 1) + "번째 줄: 'FAQ에 쓰인 말: 바꿀 말, …' 형식이 아닙니다.");
    const variants = line.slice(at + 1).split(",").map((v) => v.trim()).filter(Boolean);
    terms[line.slice(0, at).trim()] = variants;
  });
  return terms;
}

function synonymRow(v) {
  const actions = el("td");
  if (v.state === "retired") {
    const button = el("button", { type: "button", class: "small ghost", text: "되돌리기", "data-testid": "synonyms-rollback-" + v.version });
    button.addEventListener("click", () => rollbackSynonyms(v.version));
    actions.append(button);
  }
  return el(
    "tr",
    { class: "state-" + v.state, "data-testid": "synonyms-version-" + v.version },
    el("td", { text: String(v.version) }),
    el("td", {}, el("span", { class: "badge " + v.state, text: STATE_NAMES[v.state] || v.state })),
    el("td", { text: v.source }),
    el("td", { text: String(v.terms) }),
    el("td", { text: v.created_by }),
    el("td", { text: when(v.created_at) }),
    actions,
  );
}

function showSynonyms(body) {
  $("synonyms-text").value = synonymsToText(body.terms);
  if (body.versions) $("synonym-versions-body").replaceChildren(...body.versions.map(synonymRow));
}

async function loadSynonyms() {
  try {
    showSynonyms((await api(tenantPath("/synonyms"))).body);
  } catch (error) {
    setStatus(error.message, "bad");
  }
}

async function sendSynonyms(method, path, payload, done) {
  const init = { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(payload) };
  try {
    const { body } = await api(tenantPath(path), init);
    await loadSynonyms();
    setStatus(done(body.version), "good");
  } catch (error) {
    setStatus(error.message, "bad");
  }
}

function saveSynonyms(event) {
  event.preventDefault();
  let terms;
  try {
    terms = textToSynonyms($("synonyms-text").value);
  } catch (error) {
    setStatus(error.message, "bad");
    return undefined;
  }
  return confirmSynonyms(terms);
}

function wordsLine(label, words) {
  return label + " " + words.length + "개" + (words.length ? ": " + words.slice(0, 20).join(", ") + (words.length > 20 ? " …" : "") : "");
}

// A save replaces the whole set: the operator sees what it adds, removes and changes first.
async function confirmSynonyms(terms) {
  const init = { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ terms }) };
  let diff;
  try {
    diff = (await api(tenantPath("/synonyms/diff"), init)).body.diff;
  } catch (error) {
    setStatus(error.message, "bad");
    return undefined;
  }
  const summary = [wordsLine("추가", diff.added), wordsLine("삭제", diff.removed), wordsLine("변경", diff.changed)];
  if (!window.confirm("유의어를 이렇게 바꿉니다.\n\n" + summary.join("\n") + "\n\n저장할까요?")) {
    setStatus("유의어 저장을 취소했습니다.", "");
    return undefined;
  }
  return sendSynonyms("PUT", "/synonyms", { terms }, (v) => "유의어 버전 " + v + "을(를) 저장했습니다. 지금부터 적용됩니다.");
}

function rollbackSynonyms(version) {
  if (!window.confirm("유의어 버전 " + version + "(으)로 되돌릴까요?")) return undefined;
  return sendSynonyms("POST", "/synonyms/rollback", { version }, (v) => "유의어 버전 " + v + "(으)로 되돌렸습니다.");
}

// ── Navigation ───────────────────────────────────────────────────────────────────────────────

const LOADERS = { faq: loadVersions, synonyms: loadSynonyms, unanswered: loadUnanswered, stats: loadStats };

function showTab(name) {
  document.querySelectorAll(".tab").forEach((t) => t.classList.toggle("active", t.dataset.tab === name));
  document.querySelectorAll(".tab-page").forEach((p) => (p.hidden = p.id !== "tab-" + name));
  state.tab = name;
  return LOADERS[name]();
}

async function refreshAll() {
  $("report").replaceChildren();
  await showTab(state.tab || "faq");
  pollJob(false);
}

document.addEventListener("DOMContentLoaded", () => {
  $("login-form").addEventListener("submit", (event) => {
    event.preventDefault();
    login($("token").value.trim()).catch((error) => {
      if (error.message !== "unauthorized") $("login-error").textContent = error.message;
    });
  });
  $("logout").addEventListener("click", () => logout(""));
  $("upload-form").addEventListener("submit", upload);
  $("synonyms-form").addEventListener("submit", saveSynonyms);
  $("tenant").addEventListener("change", (event) => {
    state.tenant = event.target.value;
    setStatus("");
    refreshAll();
  });
  document.querySelectorAll(".tab").forEach((t) => t.addEventListener("click", () => showTab(t.dataset.tab)));
  if (state.token) login(state.token).catch(() => logout(""));
});
