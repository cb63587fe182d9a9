// The slugs Wagtail's admin makes from a title: dashes and apostrophes separate words
// ("Québec–Séoul" → "quebec-seoul", "L’intelligence" → "l-intelligence") instead of gluing them
// ("quebecseoul"). Wagtail's slug fields (the w-slug controller) apply "formatters" before making
// the slug: this gives every slug field of the page, French and English, the same one. The
// characters are those of relations/core/slugs.py (SEPARATORS), the server's side of the same rule.
// A slug typed by hand is cleaned on blur the way a title is ("urlify": accents folded, é → e)
// rather than by "slugify", which drops accented letters when unicode slugs are off.
(function () {
  "use strict";
  var pattern = "[\\u2010-\\u2015\\u2212\\u2019\\u2018'\\u02bc\\u2032/]";
  var formatters = JSON.stringify([[[pattern, "gu"], " "]]);
  function apply(root) {
    root.querySelectorAll('[data-controller~="w-slug"]').forEach(function (input) {
      if (!input.hasAttribute("data-w-slug-formatters-value")) {
        input.setAttribute("data-w-slug-formatters-value", formatters);
        var action = input.getAttribute("data-action") || "";
        input.setAttribute("data-action", action.replace("blur->w-slug#slugify", "blur->w-slug#urlify"));
      }
    });
  }
  function start() {
    apply(document);
    // Inline panels and the snippet forms can add slug fields later.
    new MutationObserver(function () { apply(document); }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
