/* 办事指南: the print button ([data-print]). No inline script (CSP). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-print]") : null;
    if (!el) { return; }
    event.preventDefault();
    window.print();
  });
})();
