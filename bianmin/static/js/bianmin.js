/* bianmin.js — small progressive enhancements. Every feature also works without JavaScript
 * (CSP forbids inline scripts, so behaviour hangs off data attributes):
 *   form[data-elderly-toggle]      长辈版 switch: toggles body.elderly and the cookie without a reload
 *   [data-confirm="message"]       asks before a button/link/form acts (the message states the consequence)
 *   button[data-nav-toggle]        shows/hides the element named in aria-controls on phones
 */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  function setCookie(name, value, days) {
    var expires = new Date(Date.now() + days * 864e5).toUTCString();
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = name + "=" + value + "; expires=" + expires + "; path=/; SameSite=Lax" + secure;
  }

  function initNavToggles() {
    var toggles = document.querySelectorAll("[data-nav-toggle]");
    Array.prototype.forEach.call(toggles, function (btn) {
      var target = document.getElementById(btn.getAttribute("aria-controls"));
      if (!target) return;
      target.setAttribute("data-collapsed", "true");
      btn.setAttribute("aria-expanded", "false");
      btn.addEventListener("click", function () {
        var open = btn.getAttribute("aria-expanded") === "true";
        btn.setAttribute("aria-expanded", open ? "false" : "true");
        target.setAttribute("data-collapsed", open ? "true" : "false");
      });
    });
  }

  function initElderlyToggle() {
    var forms = document.querySelectorAll("form[data-elderly-toggle]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var body = document.body;
        var on = !body.classList.contains("elderly");
        body.classList.toggle("elderly", on);
        root.classList.toggle("elderly", on);
        setCookie("elderly", on ? "1" : "0", on ? 365 : -1);
        var button = form.querySelector("button");
        var input = form.querySelector("input[name=elderly]");
        if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
        if (input) input.value = on ? "0" : "1";
      });
    });
  }

  function initConfirm() {
    document.addEventListener("click", function (event) {
      var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
      if (!el || el.tagName === "FORM") return;
      if (!window.confirm(el.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    }, true);
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.hasAttribute && form.hasAttribute("data-confirm") && !window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    }, true);
  }

  document.addEventListener("DOMContentLoaded", function () {
    initNavToggles();
    initElderlyToggle();
    initConfirm();
  });
})();
