// Feedback pages: the survey builder, the link maker and the task board's buttons. They
// call the JSON API with the session cookie and X-CSRF-Token (api() from app.js).
"use strict";

function setupSurveyBuilder() {
  const form = document.getElementById("survey-builder");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    show("builder-error", ""); show("builder-ok", "");
    const questions = [...form.querySelectorAll("input[name=questions]:checked")].map((i) => i.value);
    const texts = {};
    form.querySelectorAll("input[name^='title-']").forEach((input) => {
      if (input.value.trim()) texts[input.name.slice(6)] = {title: input.value.trim()};
    });
    try {
      const saved = await api("POST", "/surveys", {name: form.elements.name.value, questions, texts});
      show("builder-ok", saved.name);
      window.location.reload();
    } catch (error) {
      show("builder-error", error.message + (error.field ? ` (${error.field})` : ""));
    }
  });
}

function setupLinkMaker() {
  const form = document.getElementById("link-maker");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    show("links-error", "");
    const ids = form.elements.conversation_ids.value.split(/[\s,]+/).filter(Boolean);
    const body = {conversation_ids: ids};
    if (form.elements.language.value) body.language = form.elements.language.value;
    try {
      const made = await api("POST", `/surveys/${encodeURIComponent(form.elements.survey.value)}/links`, body);
      const list = document.getElementById("made-links");
      list.replaceChildren();
      for (const link of made.links) {
        const item = document.createElement("li");
        const anchor = document.createElement("a");
        anchor.href = link.url; anchor.textContent = `${link.conversation_id} (${link.language})`;
        anchor.dataset.conversation = link.conversation_id;
        item.appendChild(anchor);
        list.appendChild(item);
      }
    } catch (error) {
      show("links-error", error.message);
    }
  });
}

function setupTaskBoard() {
  document.querySelectorAll("article.task button[data-action]").forEach((button) => {
    button.addEventListener("click", async () => {
      const id = button.closest("article.task").dataset.id;
      const action = button.dataset.action;
      let body;
      if (action === "note" || action === "informed") {
        const note = window.prompt(button.textContent) ?? null;
        if (note === null) return;
        body = action === "note" ? {note} : {customer_informed: true, note: note || null};
        if (action === "note" && !note) return;
      } else {
        body = {status: action};
      }
      button.disabled = true;
      try {
        await api("PATCH", `/tasks/${id}`, body);
        window.location.reload();
      } catch (error) {
        button.disabled = false;
        show("task-error", error.message);
      }
    });
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupSurveyBuilder(); setupLinkMaker(); setupTaskBoard();
});
