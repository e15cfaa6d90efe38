/* htmx settings that cannot live in the htmx-config meta tag's plain JSON defaults.
 *
 * htmx 2 swaps only 2xx responses. An answer the rules refuse (422) and a save in conflict with
 * someone else's (409) come back as the form to show, with the message and what was typed:
 * swap them like a success, without raising htmx's error event. Other errors swap nothing.
 * And a section's progress is never replaced by an older count of it.
 */
(function () {
  "use strict";
  if (!window.htmx) {
    return;
  }
  window.htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "409", swap: true, error: false },
    { code: "422", swap: true, error: false },
    { code: "[45]..", swap: false, error: true },
    { code: "...", swap: false },
  ];

  // Each autosave's response carries the section's progress out of band, stamped with when it was
  // counted. Saves made close together can be answered out of order: a progress counted before the
  // one shown is older news and is not swapped in over it.
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var shown = event.detail.target;
    var incoming = event.detail.fragment && event.detail.fragment.firstElementChild;
    if (!shown || !incoming || shown.id !== "section-progress") {
      return;
    }
    if (Number(incoming.dataset.asOf || 0) < Number(shown.dataset.asOf || 0)) {
      event.detail.shouldSwap = false;
    }
  });
})();
