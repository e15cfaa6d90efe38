// The navigation's menu button on narrow screens (under 700 px, static/css/ceds.css).
// Without this script the button stays hidden and the navigation is a plain list of links.
(function () {
  "use strict";
  var button = document.querySelector(".menu-button");
  var nav = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!nav) return;
  button.hidden = false;
  document.documentElement.classList.add("has-menu");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
})();

// A table wider than the screen scrolls inside its frame: make the frame reachable by
// keyboard (arrow keys scroll it) when, and only when, it does scroll.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll(".table-wrap, .radar-card figure").forEach(function (frame) {
      if (frame.scrollWidth > frame.clientWidth + 1) frame.setAttribute("tabindex", "0");
      else frame.removeAttribute("tabindex");
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();
