/* Service rows (the services grid and the service cards of a section page).
 *
 * Which fields apply at each status, and why not, come from the server (answers.
 * service_field_rules, rendered once in [data-service-rules]); this script only applies them:
 * it enables and disables the level, utilization and systems fields, and saves a row (the
 * form's "ceds-save" event, which htmx posts) once it is consistent, so choosing a status never
 * answers "choose the level" before the level can be chosen.
 *
 * In the grid it also makes the keyboard enough: the number of a status or level chooses it
 * and moves on, arrow keys and Tab move between cells, Enter saves the row and goes to the
 * next service.
 */
(function () {
  "use strict";
  var FIELDS = ["level", "utilization", "systems"];
  var ORDER = ["status", "level", "utilization", "systems"];
  var host = document.querySelector("[data-service-rules]");
  if (!host) {
    return;
  }
  var RULES = JSON.parse(host.getAttribute("data-service-rules"));

  function rowOf(el) {
    return el && el.closest ? el.closest(".grid-row, .service-row") : null;
  }
  function control(row, name) {
    return row.querySelector('[name="' + name + '"]');
  }
  function rulesFor(row) {
    var set = RULES[row.getAttribute("data-rules") || "asked"];
    var status = control(row, "status").value;
    return set[status] || set[""];
  }
  function editable(row) {
    return row.getAttribute("data-editable") === "1";
  }

  function apply(row) {
    var rules = rulesFor(row);
    FIELDS.forEach(function (name) {
      var el = control(row, name);
      var why = row.querySelector('[data-why="' + name + '"]');
      if (!el) {
        return;
      }
      el.disabled = !editable(row) || !rules[name].applies;
      if (why) {
        why.textContent = rules[name].reason;
      }
    });
  }

  function consistent(row) {
    var rules = rulesFor(row);
    if (!control(row, "status").value) {
      return false;
    }
    return FIELDS.every(function (name) {
      var el = control(row, name);
      return !el || !rules[name].applies || !rules[name].required || el.value !== "";
    });
  }

  function signature(row) {
    return ORDER.map(function (name) {
      var el = control(row, name);
      return el && !el.disabled ? el.value : "";
    }).join("\u0001");
  }

  function showPending(row, on) {
    var pending = row.querySelector(".pending");
    if (pending) {
      pending.hidden = !on;
    }
  }

  /* Save the row if it is consistent and differs from what was last sent; `confirm` also
   * saves an unchanged row carried forward from the previous cycle (which confirms it). */
  function maybeSave(row, confirm) {
    if (!editable(row)) {
      return;
    }
    if (!consistent(row)) {
      showPending(row, !!control(row, "status").value);
      return;
    }
    showPending(row, false);
    var sig = signature(row);
    var carried = row.getAttribute("data-carried") === "1";
    if (sig === row.getAttribute("data-sent") && !(confirm && carried)) {
      return;
    }
    row.setAttribute("data-sent", sig);
    row.removeAttribute("data-carried");
    window.htmx.trigger(control(row, "status").form, "ceds-save");
  }

  function init(root) {
    var rows = root.matches && root.matches(".grid-row, .service-row") ? [root] : root.querySelectorAll(".grid-row, .service-row");
    Array.prototype.forEach.call(rows, function (row) {
      if (!control(row, "status")) {
        return;
      }
      apply(row);
      row.setAttribute("data-sent", signature(row));
    });
  }

  document.addEventListener("change", function (event) {
    var row = rowOf(event.target);
    if (!row || !control(row, event.target.name || "")) {
      return;
    }
    apply(row);
    maybeSave(row, false);
  });

  // -- the grid's keyboard -------------------------------------------------------------

  function cells(row) {
    return ORDER.map(function (name) {
      return control(row, name);
    }).filter(function (el) {
      return el && !el.disabled && el.type !== "hidden";
    });
  }
  function gridRows() {
    return Array.prototype.slice.call(document.querySelectorAll(".services-grid .grid-row"));
  }
  function focus(el) {
    if (el) {
      el.focus();
      if (el.select && el.type !== "number" && el.tagName === "INPUT") {
        el.select();
      }
    }
  }
  function moveAcross(row, from, step) {
    var list = cells(row);
    var at = list.indexOf(from);
    focus(list[at + step]);
  }
  function moveDown(row, from, step) {
    var rows = gridRows();
    var target = rows[rows.indexOf(row) + step];
    if (!target) {
      return;
    }
    var same = control(target, from.name);
    focus(same && !same.disabled ? same : cells(target)[0]);
  }
  function choose(select, key) {
    var option = select.querySelector('option[data-key="' + key + '"]');
    if (!option) {
      return false;
    }
    select.value = option.value;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }
  function atEdge(el, forward) {
    if (el.tagName !== "INPUT" || el.type !== "text") {
      return true;
    }
    var end = forward ? el.value.length : 0;
    return el.selectionStart === el.selectionEnd && el.selectionStart === end;
  }

  document.addEventListener("keydown", function (event) {
    var el = event.target;
    var row = rowOf(el);
    if (!row || !row.closest(".services-grid") || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    var rtl = document.documentElement.dir === "rtl";
    var key = event.key;
    if (el.tagName === "SELECT" && key.length === 1 && choose(el, key)) {
      event.preventDefault();
      moveAcross(row, el, 1); // the change applied the rules: the next cell is one that applies
      return;
    }
    if (key === "ArrowDown" || key === "ArrowUp") {
      event.preventDefault();
      moveDown(row, el, key === "ArrowDown" ? 1 : -1);
    } else if ((key === "ArrowRight" || key === "ArrowLeft") && atEdge(el, (key === "ArrowRight") !== rtl)) {
      event.preventDefault();
      moveAcross(row, el, (key === "ArrowRight") !== rtl ? 1 : -1);
    } else if (key === "Enter") {
      event.preventDefault();
      maybeSave(row, true);
      moveDown(row, control(row, "status"), 1);
    }
  });

  init(document);
  document.addEventListener("htmx:load", function (event) {
    init(event.detail.elt);
  });
})();
