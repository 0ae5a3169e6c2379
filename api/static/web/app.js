// aidroute's web page: a little plain JavaScript beside htmx.
// - Errors htmx receives (4xx/5xx) are shown: htmx swaps only 2xx answers by default, but our
//   error answers are page fragments in words, meant to be seen next to what caused them.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status >= 400 && status < 500 && status !== 401 && status !== 403) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
// A session that ended (401) or a stale page (403): back to the login page.
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  if (status === 401 || status === 403) {
    window.location.assign("/login?next=" + encodeURIComponent(window.location.pathname));
  }
});
// Copy buttons: <button data-copy="text to copy">.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var text = button.getAttribute("data-copy");
  var done = function () {
    var label = button.getAttribute("data-copied") || "Copied";
    var old = button.textContent;
    button.textContent = label;
    setTimeout(function () { button.textContent = old; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, function () {});
  } else {
    var area = document.createElement("textarea");
    area.value = text; document.body.appendChild(area); area.select();
    try { document.execCommand("copy"); done(); } catch (e) { /* nothing to do */ }
    document.body.removeChild(area);
  }
});
