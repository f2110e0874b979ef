// Ponder's small enhancements. Every page works without this file; with it:
// - forms marked data-draft keep their text in this browser until posted, so a
//   closed tab loses nothing;
// - text areas marked data-preview show a live preview rendered by the server,
//   and get a formatting toolbar with keyboard shortcuts; images are added by its
//   button, by pasting or by dropping them, uploaded in the background.
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
      // What the server renders for: the question's tags as typed, or the post.
      if (form.elements.tags) { body.set("tags", form.elements.tags.value); }
      if (area.getAttribute("data-post")) { body.set("post", area.getAttribute("data-post")); }
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

  // @mentions in a comment box: the handles of those who wrote in the thread,
  // offered as a list the arrow keys move through; Enter or Tab takes one, Escape
  // closes it. Without JavaScript an @handle typed whole works the same.
  function setUpMentions(area) {
    var source = area.getAttribute("data-mentions");
    var list = document.createElement("ul");
    list.className = "mention-list";
    list.id = area.id + "-mentions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "People in this thread");
    list.hidden = true;
    area.parentNode.appendChild(list);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", list.id);
    var active = -1;
    var timer = null;
    var asked = null;
    function typed() {
      var before = area.value.slice(0, area.selectionStart);
      var found = /(^|[^A-Za-z0-9._-])@([A-Za-z0-9._-]{0,30})$/.exec(before);
      return found ? found[2] : null;
    }
    function close() {
      list.hidden = true;
      active = -1;
      area.removeAttribute("aria-activedescendant");
    }
    function mark(i) {
      Array.prototype.forEach.call(list.children, function (item, j) {
        item.setAttribute("aria-selected", i === j ? "true" : "false");
      });
      active = i;
      area.setAttribute("aria-activedescendant", list.children[i].id);
    }
    function choose(handle) {
      var caret = area.selectionStart;
      var before = area.value.slice(0, caret).replace(/@[A-Za-z0-9._-]*$/, "@" + handle + " ");
      area.value = before + area.value.slice(caret);
      area.selectionStart = area.selectionEnd = before.length;
      close();
      area.focus();
    }
    area.addEventListener("input", function () {
      var prefix = typed();
      window.clearTimeout(timer);
      if (prefix === null) { close(); return; }
      timer = window.setTimeout(function () {
        asked = prefix;
        fetch(source + "?prefix=" + encodeURIComponent(prefix), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (data) {
            if (asked !== prefix || typed() !== prefix || !data || !data.users.length) { close(); return; }
            list.textContent = "";
            data.users.forEach(function (user, i) {
              var item = document.createElement("li");
              item.id = list.id + "-" + i;
              item.setAttribute("role", "option");
              item.textContent = "@" + user.handle + " (" + user.name + ")"; // text, never HTML
              item.addEventListener("mousedown", function (event) {
                event.preventDefault();
                choose(user.handle);
              });
              item.setAttribute("data-handle", user.handle);
              list.appendChild(item);
            });
            list.hidden = false;
            mark(0);
          })
          .catch(close);
      }, 150);
    });
    area.addEventListener("keydown", function (event) {
      if (list.hidden || !list.children.length) { return; }
      var n = list.children.length;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        mark((active + 1) % n);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        mark((active - 1 + n) % n);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        choose(list.children[active].getAttribute("data-handle"));
      } else if (event.key === "Escape") {
        close();
      }
    });
    area.addEventListener("blur", close);
  }

  // The editor: buttons and shortcuts that write Markdown around the selection.
  // Each edit goes through insertText where the browser has it, so undo works.
  function replaceSelection(area, text, selectFrom, selectTo) {
    var start = area.selectionStart;
    area.focus();
    var done = false;
    try { done = document.execCommand("insertText", false, text); } catch (e) { done = false; }
    if (!done) {
      area.setRangeText(text, area.selectionStart, area.selectionEnd, "end");
      area.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (typeof selectFrom === "number") {
      area.setSelectionRange(start + selectFrom, start + selectTo);
    }
  }

  function wrap(area, before, after, placeholder) {
    var selected = area.value.slice(area.selectionStart, area.selectionEnd);
    var inner = selected || placeholder;
    replaceSelection(area, before + inner + after, before.length, before.length + inner.length);
  }

  // Prefixes each line of the selection (`> `, `- `, `1. `, `## `); takes the
  // prefix away again when every line has it.
  function prefixLines(area, prefixFor) {
    var value = area.value;
    var start = value.lastIndexOf("\n", area.selectionStart - 1) + 1;
    var last = area.selectionEnd;
    // A selection that ends where a line starts does not take that line.
    if (last > area.selectionStart && value.charAt(last - 1) === "\n") { last -= 1; }
    var end = value.indexOf("\n", last);
    if (end < 0) { end = value.length; }
    var lines = value.slice(start, end).split("\n");
    var all = lines.every(function (line, i) { return line.indexOf(prefixFor(i)) === 0; });
    var changed = lines.map(function (line, i) {
      return all ? line.slice(prefixFor(i).length) : prefixFor(i) + line;
    }).join("\n");
    area.setSelectionRange(start, end);
    replaceSelection(area, changed, 0, changed.length);
  }

  function codeBlock(area) {
    var value = area.value;
    var selected = value.slice(area.selectionStart, area.selectionEnd) || "code";
    var before = area.selectionStart > 0 && value.charAt(area.selectionStart - 1) !== "\n" ? "\n" : "";
    replaceSelection(area, before + "```\n" + selected + "\n```\n", before.length + 4, before.length + 4 + selected.length);
  }

  function link(area) {
    var selected = area.value.slice(area.selectionStart, area.selectionEnd) || "link text";
    var text = "[" + selected + "](https://)";
    replaceSelection(area, text, selected.length + 3, selected.length + 11);
  }

  // Uploads `file` for `area`'s form: a placeholder at the caret until the
  // server answers, then the image's Markdown (or nothing, and the reason).
  function uploadImage(area, status, file) {
    var form = area.form;
    if (!file || !/^image\//.test(file.type)) {
      status.textContent = "Only images can be added: PNG, JPEG, WebP or GIF.";
      return;
    }
    var marker = "![Uploading " + (file.name || "image").replace(/[\[\]]/g, "") + "…]()";
    replaceSelection(area, marker);
    status.textContent = "Uploading " + (file.name || "the image") + "…";
    var data = new FormData();
    data.append("csrf", form.elements.csrf.value);
    data.append("file", file, file.name || "pasted image.png");
    function settle(markdown) {
      var at = area.value.indexOf(marker);
      if (at < 0) { return; }
      area.setSelectionRange(at, at + marker.length);
      replaceSelection(area, markdown);
    }
    fetch("/uploads", { method: "POST", body: data, credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (answer.ok && answer.body.markdown) {
          settle(answer.body.markdown);
          status.textContent = "Image added.";
        } else {
          settle("");
          status.textContent = (answer.body.error && answer.body.error.message) || "The image could not be uploaded.";
        }
      })
      .catch(function () {
        settle("");
        status.textContent = "The image could not be uploaded; check the connection and try again.";
      });
  }

  var TOOLS = [
    { name: "Bold", key: "b", run: function (a) { wrap(a, "**", "**", "bold text"); } },
    { name: "Italic", key: "i", run: function (a) { wrap(a, "*", "*", "italic text"); } },
    { name: "Link", key: "k", run: link },
    { name: "Quote", key: "q", run: function (a) { prefixLines(a, function () { return "> "; }); } },
    { name: "Code", key: "e", run: function (a) { wrap(a, "`", "`", "code"); } },
    { name: "Code block", key: "E", shift: true, run: codeBlock },
    { name: "Bulleted list", key: "u", run: function (a) { prefixLines(a, function () { return "- "; }); } },
    { name: "Numbered list", key: "o", run: function (a) { prefixLines(a, function (i) { return (i + 1) + ". "; }); } },
    { name: "Heading", key: "h", run: function (a) { prefixLines(a, function () { return "## "; }); } },
    { name: "Image", key: "g", image: true }
  ];

  function setUpEditor(area) {
    var form = area.form;
    if (!form || !form.elements.csrf) { return; }
    var bar = document.createElement("div");
    bar.className = "editor-toolbar";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Formatting");
    bar.setAttribute("aria-controls", area.id);
    var status = document.createElement("p");
    status.className = "hint editor-status";
    status.setAttribute("role", "status");
    var picker = document.createElement("input");
    picker.type = "file";
    picker.accept = "image/png,image/jpeg,image/webp,image/gif";
    picker.hidden = true;
    picker.addEventListener("change", function () {
      Array.prototype.forEach.call(picker.files, function (file) { uploadImage(area, status, file); });
      picker.value = "";
    });
    var buttons = TOOLS.map(function (tool, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "editor-button editor-" + tool.name.toLowerCase().replace(/ /g, "-");
      var shortcut = "Ctrl+" + (tool.shift ? "Shift+" : "") + tool.key.toUpperCase();
      button.setAttribute("aria-label", tool.name + " (" + shortcut + ")");
      button.title = tool.name + " (" + shortcut + ")";
      button.textContent = tool.name;
      button.tabIndex = index === 0 ? 0 : -1;
      button.addEventListener("click", function () {
        if (tool.image) { picker.click(); } else { tool.run(area); }
      });
      bar.appendChild(button);
      return button;
    });
    // One tab stop for the toolbar; arrow keys move along it.
    bar.addEventListener("keydown", function (event) {
      var at = buttons.indexOf(document.activeElement);
      if (at < 0) { return; }
      var next = event.key === "ArrowRight" ? at + 1 : event.key === "ArrowLeft" ? at - 1 : event.key === "Home" ? 0 : event.key === "End" ? buttons.length - 1 : null;
      if (next === null) { return; }
      event.preventDefault();
      next = (next + buttons.length) % buttons.length;
      buttons[at].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
    });
    area.parentNode.insertBefore(bar, area);
    area.parentNode.insertBefore(picker, area);
    area.parentNode.insertBefore(status, area.nextSibling);
    area.addEventListener("keydown", function (event) {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) { return; }
      var tool = TOOLS.filter(function (t) {
        return t.key.toLowerCase() === event.key.toLowerCase() && !!t.shift === event.shiftKey;
      })[0];
      if (!tool) { return; }
      event.preventDefault();
      if (tool.image) { picker.click(); } else { tool.run(area); }
    });
    area.addEventListener("paste", function (event) {
      var files = event.clipboardData && event.clipboardData.files;
      if (!files || !files.length) { return; }
      event.preventDefault();
      Array.prototype.forEach.call(files, function (file) { uploadImage(area, status, file); });
    });
    area.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
        event.preventDefault();
      }
    });
    area.addEventListener("drop", function (event) {
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) { return; }
      event.preventDefault();
      Array.prototype.forEach.call(files, function (file) { uploadImage(area, status, file); });
    });
  }

  var similarBox = document.getElementById("similar-live");
  var titleInput = document.getElementById("title");
  if (similarBox && titleInput) { setUpSimilar(titleInput, similarBox); }
  document.querySelectorAll("form.vote-form, form.comment-vote-form").forEach(setUpVote);
  document.querySelectorAll("form[data-draft]").forEach(setUpDraft);
  document.querySelectorAll("textarea[data-preview]").forEach(setUpPreview);
  document.querySelectorAll("textarea[data-preview]").forEach(setUpEditor);
  document.querySelectorAll("textarea[data-mentions]").forEach(setUpMentions);
})();
