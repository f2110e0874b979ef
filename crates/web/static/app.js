// Ponder's small enhancements. Every page works without this file; with it:
// - forms marked data-draft keep their text in this browser until posted, so a
//   closed tab loses nothing;
// - text areas marked data-preview show a live preview rendered by the server.
(function () {
  "use strict";

  function draftKey(form) {
    return "ponder-draft:" + form.getAttribute("data-draft");
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return (el.tagName === "TEXTAREA" || (el.tagName === "INPUT" && el.type === "text") || el.tagName === "SELECT") && el.name;
    });
  }

  function setUpDraft(form) {
    var key = draftKey(form);
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    var restored = false;
    if (saved && typeof saved === "object") {
      fields(form).forEach(function (el) {
        // Never overwrite what the server sent back (a refused form keeps its text).
        if (!el.value && typeof saved[el.name] === "string" && saved[el.name]) {
          el.value = saved[el.name];
          restored = true;
        }
      });
    }
    if (restored) {
      var note = document.createElement("p");
      note.className = "hint draft-note";
      note.setAttribute("role", "status");
      note.textContent = "Your unsent draft was restored.";
      form.insertBefore(note, form.firstChild);
    }
    var timer = null;
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var data = {};
        fields(form).forEach(function (el) { data[el.name] = el.value; });
        try { window.localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full or off */ }
      }, 400);
    });
    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      // Previewing is not posting: keep the draft.
      if (submitter && submitter.value === "preview") { return; }
      try { window.localStorage.removeItem(key); } catch (e) { /* ignore */ }
    });
  }

  function setUpPreview(area) {
    var target = document.getElementById(area.getAttribute("data-preview"));
    var form = area.form;
    if (!target || !form || !form.elements.csrf) { return; }
    var timer = null;
    var last = null;
    function refresh() {
      var text = area.value;
      if (text === last) { return; }
      last = text;
      if (!text.trim()) { target.hidden = true; return; }
      var body = new URLSearchParams();
      body.set("csrf", form.elements.csrf.value);
      body.set("body", text);
      fetch("/preview", { method: "POST", body: body, credentials: "same-origin", headers: { "Content-Type": "application/x-www-form-urlencoded" } })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          target.innerHTML = html; // sanitized by the server, the same as a posted body
          target.hidden = false;
        })
        .catch(function () { /* offline: the Preview button still works */ });
    }
    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 350);
    });
    if (area.value.trim()) { refresh(); }
  }

  // Votes without a page load: the form posts as usual, asking for JSON, and the
  // score and the buttons' state are updated in place.
  function setUpVote(form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = new URLSearchParams(new FormData(form));
      fetch(form.action, { method: "POST", body: body, credentials: "same-origin", headers: { "Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded" } })
        .then(function (response) {
          if (!response.ok) { form.submit(); return null; } // let the server's page explain
          return response.json();
        })
        .then(function (data) {
          if (!data) { return; }
          var column = form.parentNode;
          if (form.classList.contains("comment-vote-form")) {
            var button = form.querySelector("button");
            button.classList.toggle("pressed", data.voted);
            button.setAttribute("aria-pressed", data.voted ? "true" : "false");
            form.querySelector(".comment-score").textContent = data.score;
            return;
          }
          column.querySelector(".score").textContent = data.score;
          column.querySelector(".score").setAttribute("aria-label", "score " + data.score);
          column.querySelectorAll("form.vote-form").forEach(function (f) {
            var direction = f.getAttribute("data-vote");
            var pressed = data.vote === direction;
            f.elements.value.value = pressed ? "none" : direction;
            var b = f.querySelector("button");
            b.classList.toggle("pressed", pressed);
            b.setAttribute("aria-pressed", pressed ? "true" : "false");
          });
        })
        .catch(function () { form.submit(); });
    });
  }

  // Similar questions while the title is typed, from the same index the search uses.
  function setUpSimilar(input, box) {
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var title = input.value.trim();
        if (title === last) { return; }
        last = title;
        if (title.length < 10) { box.hidden = true; return; }
        fetch("/api/v1/questions/similar?title=" + encodeURIComponent(title), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (!data || !data.questions.length) { box.hidden = true; return; }
            box.textContent = "";
            var heading = document.createElement("p");
            heading.className = "hint";
            heading.textContent = "Questions that may already have your answer:";
            var list = document.createElement("ul");
            data.questions.forEach(function (q) {
              var item = document.createElement("li");
              var link = document.createElement("a");
              link.href = q.url;
              link.textContent = q.title; // text, never HTML
              item.appendChild(link);
              list.appendChild(item);
            });
            box.appendChild(heading);
            box.appendChild(list);
            box.hidden = false;
          })
          .catch(function () { box.hidden = true; });
      }, 400);
    });
  }

  var similarBox = document.getElementById("similar-live");
  var titleInput = document.getElementById("title");
  if (similarBox && titleInput) { setUpSimilar(titleInput, similarBox); }
  document.querySelectorAll("form.vote-form, form.comment-vote-form").forEach(setUpVote);
  document.querySelectorAll("form[data-draft]").forEach(setUpDraft);
  document.querySelectorAll("textarea[data-preview]").forEach(setUpPreview);
})();
