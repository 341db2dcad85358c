// Human review pages: every change goes to the JSON API (api() and show() from app.js,
// which sends the session cookie and the X-CSRF-Token header).
"use strict";

function rowsOf(form) {
  return [...form.querySelectorAll("tr[data-criterion]")].map((row) => ({
    criterion_id: row.dataset.criterion,
    result: row.querySelector("select[name=result]").value,
    comment: row.querySelector("input[name=comment]").value.trim() || null,
    auto: row.dataset.auto,
  }));
}

function failure(id) {
  return (error) => show(id, error.message + (error.field ? ` (${error.field})` : ""));
}

function setupReviewForm() {
  const form = document.getElementById("review-form");
  if (!form) return;
  async function send(submit) {
    show("review-error", "");
    // Only what differs from the pre-filled automatic verdict, or carries a comment.
    const verdicts = rowsOf(form)
      .filter((v) => v.result !== (v.auto || "na") || v.comment)
      .map(({criterion_id, result, comment}) => ({criterion_id, result, comment}));
    const body = {conversation_id: form.dataset.conversation, verdicts, submit};
    if (form.dataset.session) body.calibration_session_id = Number(form.dataset.session);
    try {
      // A draft already saved is changed in place: every row is sent, as shown.
      const review = form.dataset.draft
        ? await api("PUT", "/reviews/" + form.dataset.draft, {
          submit, verdicts: rowsOf(form).map(({criterion_id, result, comment}) =>
            ({criterion_id, result, comment}))})
        : await api("POST", "/reviews", body);
      window.location.assign("/reviews/" + review.id);
    } catch (error) { failure("review-error")(error); }
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); send(true); });
  document.getElementById("save-draft").addEventListener("click", () => send(false));
}

function setupDisputeForm() {
  const form = document.getElementById("dispute-form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const dispute = await api("POST", "/disputes", {
        review_id: Number(form.dataset.review), reason: form.elements.reason.value});
      window.location.assign("/disputes/" + dispute.id);
    } catch (error) { failure("dispute-error")(error); }
  });
}

function setupResolveForm() {
  const form = document.getElementById("resolve-form");
  if (!form) return;
  const path = "/disputes/" + form.dataset.dispute;
  const answer = () => form.elements.answer.value.trim() || null;
  document.getElementById("accept").addEventListener("click", async () => {
    const verdicts = rowsOf(form).map(({criterion_id, result, comment}) =>
      ({criterion_id, result, comment}));
    try {
      await api("POST", path + "/accept", {answer: answer(), verdicts});
      window.location.reload();
    } catch (error) { failure("resolve-error")(error); }
  });
  document.getElementById("reject").addEventListener("click", async () => {
    try {
      await api("POST", path + "/reject", {answer: answer() || ""});
      window.location.reload();
    } catch (error) { failure("resolve-error")(error); }
  });
}

function setupCommentForm() {
  const form = document.getElementById("comment-form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await api("POST", `/disputes/${form.dataset.dispute}/comments`, {text: form.elements.text.value});
    window.location.reload();
  });
}

function words(text) {
  return text.split(/[\s,;]+/).filter(Boolean);
}

function setupCalibration() {
  const form = document.getElementById("calibration-form");
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        const session = await api("POST", "/calibration", {
          title: form.elements.title.value, conversation_ids: words(form.elements.conversation_ids.value),
          reviewers: words(form.elements.reviewers.value)});
        window.location.assign("/calibration/" + session.id);
      } catch (error) { failure("calibration-error")(error); }
    });
  }
  const close = document.getElementById("close-session");
  if (close) {
    close.addEventListener("click", async () => {
      await api("POST", `/calibration/${close.dataset.session}/close`);
      window.location.reload();
    });
  }
}

function setupCoaching() {
  const form = document.getElementById("note-form");
  if (form) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const criteria = [...form.querySelectorAll("input[name=criteria]:checked")].map((c) => c.value);
      try {
        await api("POST", "/coaching/notes", {agent_id: form.dataset.agent, criteria,
                                              text: form.elements.text.value});
        window.location.reload();
      } catch (error) { failure("note-error")(error); }
    });
  }
  document.querySelectorAll("button.ack-note").forEach((button) => {
    button.addEventListener("click", async () => {
      await api("POST", `/coaching/notes/${button.dataset.id}/acknowledge`);
      window.location.reload();
    });
  });
}

function setupAssign() {
  const button = document.getElementById("assign-now");
  if (!button) return;
  button.addEventListener("click", async () => {
    const result = await api("POST", "/review/assign", {});
    show("assign-result", JSON.stringify(result.by_rule));
    window.setTimeout(() => window.location.reload(), 600);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupReviewForm(); setupDisputeForm(); setupResolveForm(); setupCommentForm();
  setupCalibration(); setupCoaching(); setupAssign();
});
