/* LiveSchool booking pages: small enhancements; every page works without this file.
 * - detects the visitor's time zone (Intl API) when the URL names none;
 * - loads calendar changes (day, month, week, zone) as HTML fragments (?partial=1),
 *   showing skeletons meanwhile and announcing the result in a live region;
 * - filters the time-zone list as the visitor types;
 * - keeps a form from being sent twice.
 */
(function () {
  "use strict";
  var doc = document;
  doc.documentElement.classList.add("js");

  function announce(text) {
    var box = doc.getElementById("slot-status");
    if (box) { box.textContent = text; }
  }

  function fragmentUrl(href) {
    var url = new URL(href, location.href);
    url.searchParams.set("partial", "1");
    return url.href;
  }

  function skeleton(picker) {
    picker.classList.add("loading");
    var area = picker.querySelector("[data-slots]");
    if (!area) {
      area = doc.createElement("section");
      area.className = "day";
      area.setAttribute("data-slots", "");
      var host = picker.querySelector(".cal-and-day");
      if (!host) { return; }
      host.classList.add("has-day");
      host.appendChild(area);
    }
    area.setAttribute("aria-busy", "true");
    var list = doc.createElement("ul");
    list.className = "times";
    list.setAttribute("aria-hidden", "true");
    for (var i = 0; i < 8; i++) {
      var item = doc.createElement("li");
      item.className = "skeleton";
      list.appendChild(item);
    }
    area.textContent = "";
    area.appendChild(list);
  }

  var pending = null;

  function load(href, kind, history_mode) {
    var picker = doc.getElementById("picker");
    if (!picker || !window.fetch) { location.href = href; return; }
    if (pending) { pending.abort(); }
    var controller = window.AbortController ? new AbortController() : null;
    pending = controller;
    skeleton(picker);
    announce("Loading available times…");
    fetch(fragmentUrl(href), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (!response.ok) { throw new Error("status " + response.status); }
      return response.text();
    }).then(function (html) {
      pending = null;
      var box = doc.createElement("template");
      box.innerHTML = html.trim();
      var fresh = box.content.firstElementChild;
      if (!fresh || fresh.id !== "picker") { throw new Error("unexpected fragment"); }
      picker.replaceWith(fresh);
      if (history_mode === "push") { history.pushState({ picker: true }, "", href); }
      if (history_mode === "replace") { history.replaceState({ picker: true }, "", href); }
      setup(fresh);
      announce(fresh.getAttribute("data-status") || "");
      var focus = null;
      if (kind === "day") { focus = fresh.querySelector("#day-title"); }
      if (kind === "prev" || kind === "next") {
        focus = fresh.querySelector('.cal-head a[data-nav="' + kind + '"]') ||
          fresh.querySelector(".cal-head h3");
      }
      if (kind === "view") { focus = fresh.querySelector('.toggle a[aria-current="page"]'); }
      if (kind === "zone") { focus = null; }
      if (focus) { focus.focus(); }
    }).catch(function (error) {
      if (error && error.name === "AbortError") { return; }
      location.href = href;
    });
  }

  function normalise(text) {
    return text.toLowerCase().replace(/[_\s]+/g, " ").replace(/\u2212/g, "-");
  }

  function setupZone(picker) {
    var select = picker.querySelector("#tz");
    var filter = picker.querySelector("#tz-filter");
    if (!select || !filter) { return; }
    filter.hidden = false;
    var all = Array.prototype.map.call(select.options, function (o) {
      return { value: o.value, text: o.text, key: normalise(o.text) };
    });
    filter.addEventListener("input", function () {
      var query = normalise(filter.value.trim());
      var current = select.value;
      var kept = all.filter(function (z) { return !query || z.key.indexOf(query) !== -1 || z.value === current; });
      select.textContent = "";
      kept.forEach(function (z) {
        var option = doc.createElement("option");
        option.value = z.value;
        option.textContent = z.text;
        option.selected = z.value === current;
        select.appendChild(option);
      });
      announce((kept.length - (query ? 1 : 0)) + " time zones match.");
    });
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var first = Array.prototype.find.call(select.options, function (o) { return o.value !== select.value; });
        if (first && filter.value) { select.value = first.value; changeZone(select.form); }
      }
    });
    select.addEventListener("change", function () { changeZone(select.form); });
  }

  function changeZone(form) {
    var url = new URL(form.action, location.href);
    new FormData(form).forEach(function (value, key) { url.searchParams.set(key, value); });
    load(url.href, "zone", "push");
  }

  function detectZone(picker) {
    if (!picker.hasAttribute("data-zone-auto")) { return; }
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (!zone || zone === picker.getAttribute("data-zone")) { return; }
    var select = picker.querySelector("#tz");
    var known = select && Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
    if (!known) { return; }
    var url = new URL(location.href);
    url.searchParams.set("timezone", zone);
    load(url.href, "zone", "replace");
  }

  function setup(picker) {
    setupZone(picker);
  }

  doc.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("#picker a[data-nav]");
    if (!link || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) { return; }
    event.preventDefault();
    load(link.href, link.getAttribute("data-nav"), "push");
  });

  doc.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.classList.contains("zone-form")) {
      event.preventDefault();
      changeZone(form);
      return;
    }
    if (!form.hasAttribute("data-once")) { return; }
    if (form.getAttribute("data-sent")) { event.preventDefault(); return; }
    form.setAttribute("data-sent", "1");
    var button = form.querySelector("[type=submit]");
    if (button) {
      button.setAttribute("aria-disabled", "true");
      if (button.getAttribute("data-busy")) { button.textContent = button.getAttribute("data-busy"); }
    }
  });

  window.addEventListener("popstate", function () {
    if (doc.getElementById("picker")) { load(location.href, "pop", null); }
  });

  function start() {
    var summary = doc.getElementById("error-summary");
    if (summary) { summary.focus(); }
    var picker = doc.getElementById("picker");
    if (picker) {
      setup(picker);
      detectZone(picker);
    }
  }

  if (doc.readyState === "loading") { doc.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
