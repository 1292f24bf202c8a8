// The Content-Security-Policy refuses inline event handlers (onclick="…"), so the two that the admin theme and
// django-import-export write into their templates are bound here: the change form's tabs and the export form's
// "select all" box.
"use strict";
document.addEventListener("click", function (event) {
  var tab = event.target.closest(".tabbed-changeform-tablink");
  if (tab && window.AdminInterface && AdminInterface.tabbedChangeForm) {
    AdminInterface.tabbedChangeForm.openTabByName(tab.id.replace("tablink-", ""));
  }
});
document.addEventListener("change", function (event) {
  if (event.target.matches("input.select-toggle") && typeof window.onSelectToggleChange === "function") {
    window.onSelectToggleChange(event);
  }
});
