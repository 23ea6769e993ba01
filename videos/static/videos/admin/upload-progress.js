// Upload progress for the video form: sends the form with XMLHttpRequest so the editor sees how
// much of a large file has gone up, then shows the page the server answers with.
(() => {
  "use strict";

  function enhance(form) {
    const input = form.querySelector('input[type="file"][name="source"]');
    if (!input || form.dataset.uploadProgress) return;
    form.dataset.uploadProgress = "on";

    const status = document.createElement("div");
    status.className = "video-upload-progress";
    status.hidden = true;
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    const label = document.createElement("span");
    status.append(bar, label);
    input.insertAdjacentElement("afterend", status);

    form.addEventListener("submit", (event) => {
      if (!input.files || input.files.length === 0 || event.defaultPrevented) return;
      event.preventDefault();
      const request = new XMLHttpRequest();
      request.open(form.method || "POST", form.action || window.location.href);
      request.upload.addEventListener("progress", (progress) => {
        if (!progress.lengthComputable) return;
        const percent = Math.round((progress.loaded / progress.total) * 100);
        bar.value = percent;
        label.textContent = ` ${percent} %`;
      });
      request.addEventListener("load", () => {
        // Follow the server: a redirect means saved; otherwise show the form with its errors.
        if (request.responseURL && request.responseURL !== window.location.href) {
          window.location.assign(request.responseURL);
        } else {
          document.open();
          document.write(request.responseText);
          document.close();
        }
      });
      request.addEventListener("error", () => {
        label.textContent = ` ${form.dataset.uploadFailedText || "Upload failed. Try again."}`;
        form.querySelectorAll("[type=submit]").forEach((button) => { button.disabled = false; });
      });
      status.hidden = false;
      form.querySelectorAll("[type=submit]").forEach((button) => { button.disabled = true; });
      const data = new FormData(form, event.submitter || undefined);
      request.send(data);
    });
  }

  function init() {
    document.querySelectorAll("form").forEach(enhance);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
