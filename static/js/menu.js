// The main menu (templates/base.html) is a <details> disclosure. Without JavaScript it is open:
// every link shows, as a vertical list on small screens. Here it is closed on small screens until
// the visitor opens it, always open on wide screens (where its "Menu" button is hidden by the
// CSS), and its button says whether it is open (aria-expanded), as screen readers expect.
(function () {
  "use strict";
  var SMALL = window.matchMedia("(max-width: 40rem)");  // the breakpoint of static/css/portal.css

  function start() {
    var menu = document.querySelector(".main-nav__menu");
    if (!menu) {
      return;
    }
    var toggle = menu.querySelector("summary");
    function sync() {
      toggle.setAttribute("aria-expanded", menu.open ? "true" : "false");
    }
    function fit() {
      menu.open = !SMALL.matches;
      sync();
    }
    menu.addEventListener("toggle", sync);
    SMALL.addEventListener("change", fit);
    // Escape closes the opened menu and gives the focus back to its button.
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && SMALL.matches && menu.open) {
        menu.open = false;
        toggle.focus();
      }
    });
    fit();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
