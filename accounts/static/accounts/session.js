// Warn before the session ends, so that nothing typed is lost: two minutes before the idle limit (with a
// button to stay signed in), ten minutes before the absolute limit (which cannot be extended). Before warning,
// ask the server: work in another tab may have moved the idle limit on.
"use strict";
(function () {
  var box = document.getElementById("session-warning");
  if (!box) return;
  var IDLE_WARNING = 120, TOTAL_WARNING = 600;
  var text = box.querySelector(".session-warning-text");
  var stay = box.querySelector(".session-stay");
  var timer = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function show(message, canStay) {
    text.textContent = message + " ";
    stay.hidden = !canStay;
    box.hidden = false;
  }

  function minutes(seconds) { return String(Math.max(1, Math.ceil(seconds / 60))); }

  function plan(left) {
    clearTimeout(timer);
    if (left.signed_out || (left.idle <= 0 && left.total <= 0)) {
      show(box.dataset.endedMessage, false);
      return;
    }
    if (left.total <= TOTAL_WARNING && left.total <= left.idle) {
      show(box.dataset.totalMessage.replace("{minutes}", minutes(left.total)).replace("{hours}", box.dataset.hours), false);
      timer = setTimeout(check, left.total * 1000 + 1000);
      return;
    }
    if (left.idle <= IDLE_WARNING) {
      show(box.dataset.idleMessage.replace("{minutes}", minutes(left.idle)), true);
      timer = setTimeout(check, Math.min(left.idle * 1000 + 1000, 30000));
      return;
    }
    box.hidden = true;
    var wait = Math.min(left.idle - IDLE_WARNING, left.total - TOTAL_WARNING);
    timer = setTimeout(check, Math.max(wait, 1) * 1000);
  }

  function ask(method) {
    var options = {method: method, credentials: "same-origin", headers: {"X-CSRFToken": csrfToken()}};
    return fetch(box.dataset.url, options).then(function (response) {
      return response.json();
    }).then(plan).catch(function () {});
  }

  function check() { ask("GET"); }

  stay.addEventListener("click", function () { ask("POST"); });
  plan({idle: Number(box.dataset.idle), total: Number(box.dataset.total)});
})();
