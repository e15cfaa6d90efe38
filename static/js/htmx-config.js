/* htmx settings that cannot live in the htmx-config meta tag's plain JSON defaults.
 *
 * htmx 2 swaps only 2xx responses. An answer the rules refuse (422) and a save in conflict with
 * someone else's (409) come back as the form to show, with the message and what was typed:
 * swap them like a success, without raising htmx's error event. Other errors swap nothing.
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
})();
