/* Starts Swagger UI (vendored, static/vendor/) on the API documentation page, from a file rather
   than inline: the Content Security Policy allows no inline script. */
(function () {
  "use strict";
  function start() {
    var root = document.getElementById("api-docs");
    if (!root || typeof window.SwaggerUIBundle !== "function") { return; }
    var csrfToken = root.dataset.csrfToken;
    window.SwaggerUIBundle({
      url: root.dataset.openapiUrl,
      domNode: root,
      // No deep links: Swagger UI puts them as links inside the buttons that open an operation.
      deepLinking: false,
      layout: "BaseLayout",
      presets: [window.SwaggerUIBundle.presets.apis],
      // Plain text for examples: the highlighter's colours fall below the contrast the site keeps.
      syntaxHighlight: false,
      validatorUrl: null,
      // Writes made from the page carry the session's CSRF token, as the site's forms do.
      requestInterceptor: function (request) {
        var method = (request.method || "GET").toUpperCase();
        if (csrfToken && ["GET", "HEAD", "OPTIONS"].indexOf(method) === -1) {
          request.headers["X-CSRFToken"] = csrfToken;
        }
        return request;
      }
    });
  }
  // The page's controls are Swagger UI's, in English (lang="en" on the container); the API's own
  // texts (its description, summaries, parameters) are written in Swedish and say so.
  var SWEDISH = ".info .title, .info .description, .markdown, .renderedMarkdown, .opblock-summary-description";
  function markSwedish(root) {
    root.querySelectorAll(SWEDISH).forEach(function (el) {
      if (!el.hasAttribute("lang")) { el.setAttribute("lang", "sv"); }
    });
  }
  // Examples and responses scroll inside their box; the box takes keyboard focus so that it can
  // be scrolled without a mouse (WCAG 2.1.1).
  function focusableCode(root) {
    root.querySelectorAll(".highlight-code > pre:not([tabindex])").forEach(function (pre) {
      pre.setAttribute("tabindex", "0");
    });
  }
  var docs = document.getElementById("api-docs");
  if (docs && "MutationObserver" in window) {
    new MutationObserver(function () { markSwedish(docs); focusableCode(docs); })
      .observe(docs, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
