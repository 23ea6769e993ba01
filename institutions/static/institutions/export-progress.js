// Progress of a certificate ZIP: polls the export's JSON status and moves the <progress> bar;
// once the job has finished (done or failed) the page reloads to show the download or the
// reason. Without JavaScript the page's meta refresh does the same, more coarsely.
(function () {
  "use strict";
  var root = document.getElementById("export");
  if (!root || root.dataset.finished === "true") return;
  var url = root.dataset.statusUrl;
  var bar = document.getElementById("export-progress");
  var done = root.querySelector("[data-export-done]");
  var total = root.querySelector("[data-export-total]");
  var delay = 1500;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (state) {
        if (bar) {
          bar.value = state.percent;
          bar.textContent = state.percent + " %";
        }
        if (done) done.textContent = state.done;
        if (total) total.textContent = state.total;
        if (state.finished) {
          window.location.reload();
          return;
        }
        window.setTimeout(poll, delay);
      })
      .catch(function () {
        // A network hiccup: try again, more slowly.
        delay = Math.min(delay * 2, 15000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, delay);
})();
