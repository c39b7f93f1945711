/* Civsam's own script: small enhancements on top of pages that work without it. Loaded with
   defer from base.html (the Content Security Policy allows no inline script). */
(function () {
  "use strict";

  var regionCount = 0;
  var narrow = window.matchMedia("(max-width: 50rem)");

  // A table that is wider than the screen scrolls inside its own region rather than the page
  // (WCAG 1.4.10 Reflow). The region is named by the table's caption, and takes keyboard focus
  // only while it actually scrolls, so that arrow keys can scroll it (WCAG 2.1.1).
  function updateFocusable(region) {
    if (region.scrollWidth > region.clientWidth + 1) {
      region.setAttribute("tabindex", "0");
    } else if (region.dataset.civsamRegion) {
      region.removeAttribute("tabindex");
    }
  }

  var observer = "ResizeObserver" in window
    ? new ResizeObserver(function (entries) { entries.forEach(function (e) { updateFocusable(e.target); }); })
    : null;

  function scrollRegion(table) {
    var region = table.parentElement;
    if (!region.classList.contains("table-scroll")) {
      region = document.createElement("div");
      region.className = "table-scroll";
      table.parentNode.insertBefore(region, table);
      region.appendChild(table);
    }
    if (!region.hasAttribute("role")) {
      region.setAttribute("role", "region");
      region.dataset.civsamRegion = "1";
      var caption = table.querySelector(":scope > caption");
      if (caption && !region.hasAttribute("aria-labelledby") && !region.hasAttribute("aria-label")) {
        if (!caption.id) {
          regionCount += 1;
          caption.id = "table-caption-" + regionCount;
        }
        region.setAttribute("aria-labelledby", caption.id);
      }
    }
    updateFocusable(region);
    if (observer) { observer.observe(region); }
  }

  // Filters folded on a phone (<details class="filter-panel" open>), so the results come first.
  function foldFilters(root) {
    if (!narrow.matches) { return; }
    root.querySelectorAll("details.filter-panel[data-fold-on-phone]").forEach(function (details) {
      details.removeAttribute("data-fold-on-phone");
      details.open = false;
    });
  }

  // "Kopiera" beside an address to copy (a calendar feed): shown only where the browser can copy.
  function copyButtons(root) {
    if (!navigator.clipboard) { return; }
    root.querySelectorAll("button.copy-button[data-copy]").forEach(function (button) {
      if (button.dataset.civsamCopy) { return; }
      button.dataset.civsamCopy = "1";
      button.hidden = false;
      button.addEventListener("click", function () {
        var field = document.getElementById(button.dataset.copy);
        var status = button.closest(".field") && button.closest(".field").querySelector(".copy-status");
        navigator.clipboard.writeText(field.value).then(function () {
          if (status) { status.textContent = status.dataset.copiedText; }
        }, function () { field.select(); });
      });
    });
  }

  function enhance(root) {
    if (!root.querySelectorAll) { return; }
    root.querySelectorAll("main table").forEach(scrollRegion);
    foldFilters(root);
    copyButtons(root);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  } else {
    enhance(document);
  }
  // Content swapped in by htmx (the directory's results, for instance).
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
