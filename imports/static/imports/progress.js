// While a preview or an import runs on the server, the page stays and asks how far it has got.
"use strict";
document.querySelectorAll("form[data-progress-url]").forEach(function (form) {
  form.addEventListener("submit", function (event) {
    // A file over the limit is refused here, before it is sent (the server stops it too, while it streams in).
    var file = form.elements.file && form.elements.file.files[0];
    if (file && form.dataset.maxBytes && file.size > Number(form.dataset.maxBytes)) {
      event.preventDefault();
      alert(form.dataset.tooLarge);
      return;
    }
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    var token = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    form.elements.progress.value = token;
    form.querySelectorAll("[type=submit]").forEach(function (button) { button.disabled = true; });
    var box = form.querySelector(".import-progress");
    var bar = box.querySelector("progress");
    var line = box.querySelector(".import-progress-line");
    box.hidden = false;
    var url = form.dataset.progressUrl + "?token=" + token;
    setInterval(function () {
      fetch(url, {credentials: "same-origin"}).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (progress) {
        if (!progress || !progress.rows) return;
        bar.value = progress.fraction;
        line.textContent = form.dataset.progressMessage
          .replace("{rows}", progress.rows.toLocaleString())
          .replace("{percent}", Math.round(progress.fraction * 100) + "%");
      }).catch(function () {});
    }, 400);
  });
});
