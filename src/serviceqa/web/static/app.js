// ServiceQA UI: the few actions that change data go to the JSON API with the session
// cookie and the X-CSRF-Token header (double submit), like any other API client.
"use strict";

function csrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)serviceqa_csrf=([^;]*)/);
  return m ? decodeURIComponent(m[1]) : "";
}

function strings() {
  const node = document.getElementById("i18n");
  return node ? JSON.parse(node.textContent) : {};
}

async function api(method, path, body) {
  const response = await fetch("/api/v1" + path, {
    method, credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRF-Token": csrfToken()},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok) {
    const error = (data && data.error) || {message: response.statusText};
    throw error;
  }
  return data;
}

function show(id, text) {
  const node = document.getElementById(id);
  if (!node) return;
  node.textContent = text || "";
  node.hidden = !text;
}

function setupLogin() {
  const form = document.getElementById("login-form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    show("login-error", "");
    try {
      await api("POST", "/auth/login",
                {name: form.elements.name.value, password: form.elements.password.value});
      const next = form.dataset.next || "/";
      // Only a path on this site: "//host" and "/\\host" would leave it.
      const local = /^\/(?![\/\\])/.test(next);
      window.location.assign(local ? next : "/");
    } catch (error) {
      show("login-error", strings().wrong || error.message);
    }
  });
}

function setupLogout() {
  const button = document.getElementById("logout");
  if (!button) return;
  button.addEventListener("click", async () => {
    try { await api("POST", "/auth/logout"); } finally { window.location.assign("/login"); }
  });
}

function setupFilters() {
  // Leave empty fields out of the URL, so the query string holds only the chosen filters.
  document.querySelectorAll("form.filters").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("input, select").forEach((field) => {
        if (!field.value) field.disabled = true;
      });
    });
  });
  // Switching the UI language keeps the rest of the query string.
  document.querySelectorAll("a[data-lang]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const url = new URL(window.location.href);
      url.searchParams.set("lang", link.dataset.lang);
      window.location.assign(url.toString());
    });
  });
}

function describe(error) {
  // Scorecard errors name the YAML key (and line); the message already reads that way.
  return error.message + (error.key && !error.message.includes(error.key) ? ` (${error.key})` : "");
}

function setupScorecard() {
  const form = document.getElementById("scorecard-form");
  if (!form || !document.getElementById("save")) return;
  const yaml = () => document.getElementById("yaml").value;
  const sample = () => Number(document.getElementById("sample").value) || 20;
  const text = strings();

  async function preview(size) {
    show("card-error", ""); show("card-ok", "");
    try {
      return await api("POST", "/scorecards/preview", {yaml: yaml(), sample: size});
    } catch (error) {
      show("card-error", describe(error));
      return null;
    }
  }

  document.getElementById("validate").addEventListener("click", async () => {
    if (await preview(1)) show("card-ok", text.valid);
  });

  document.getElementById("preview").addEventListener("click", async () => {
    const result = await preview(sample());
    if (!result) return;
    const table = document.getElementById("preview-table");
    const body = table.querySelector("tbody");
    body.replaceChildren();
    for (const row of result.items) {
      const tr = document.createElement("tr");
      tr.dataset.id = row.conversation_id;
      const delta = row.old_score != null && row.new_score != null
        ? (row.new_score - row.old_score).toFixed(1) : "";
      for (const cell of [row.conversation_id, fmt(row.old_score), fmt(row.new_score), delta]) {
        const td = document.createElement("td");
        td.textContent = cell;
        tr.appendChild(td);
      }
      body.appendChild(tr);
    }
    table.hidden = false;
    show("card-ok", text.preview_done);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!(await preview(1))) return;  // validate before saving
    try {
      const saved = form.dataset.bundled === "true"
        ? await api("POST", "/scorecards", {yaml: yaml()})
        : await api("PUT", "/scorecards/" + encodeURIComponent(form.dataset.name), {yaml: yaml()});
      if (saved.name !== form.dataset.name) {
        window.location.assign("/scorecards/" + encodeURIComponent(saved.name));
        return;
      }
      show("card-ok", text.saved);
    } catch (error) {
      show("card-error", describe(error));
    }
  });
}

function fmt(value) {
  return value == null ? "—" : Number(value).toFixed(1);
}

function setupAlerts() {
  document.querySelectorAll("button.ack").forEach((button) => {
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        await api("POST", `/alerts/${button.dataset.id}/acknowledge`);
        window.location.reload();
      } catch (error) {
        button.disabled = false;
        button.title = error.message;
      }
    });
  });
}

function setupEvidence() {
  // Clicking a criterion's evidence shows its mark in the message it came from.
  document.querySelectorAll("#criteria q[data-message]").forEach((quote) => {
    quote.addEventListener("click", () => {
      const criterion = quote.closest("tr").dataset.criterion;
      const marks = document.querySelectorAll(
        `.message[data-index="${quote.dataset.message}"] mark[data-criterion="${criterion}"]`);
      const mark = [...marks].find((m) => m.textContent === quote.textContent) || marks[0];
      if (!mark) return;
      document.querySelectorAll("mark.flash").forEach((m) => m.classList.remove("flash"));
      mark.classList.add("flash");
      mark.scrollIntoView({block: "center"});
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupLogin(); setupLogout(); setupFilters(); setupScorecard(); setupAlerts(); setupEvidence();
});
