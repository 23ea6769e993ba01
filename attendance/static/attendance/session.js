/* A group session on the shared screen (attendance/present.html over videos/present.html).

   present.js runs the video and tells us, by CustomEvents on its root, when a chapter pause is
   shown ("present:pause" {videoId, chapterIndex}), left ("present:continue") and when the end
   screen comes ("present:ended"). Here: the start screen goes away when the video starts; each
   pause opens a codeword on the server and shows it large, leaving the pause closes it; the end
   of the last video ends the session; the count of claims is polled every few seconds. Every
   request is a same-origin fetch with the page's CSRF token. Without this script the page still
   shows the code and the QR code, and the End session buttons are plain forms. */
(() => {
  "use strict";

  const root = document.querySelector("[data-video-present][data-group-session]");
  if (!root) return;
  const data = root.dataset;
  const $ = (selector) => root.querySelector(selector);
  const video = $("video");
  const tokenInput = $("input[name=csrfmiddlewaretoken]");
  const token = tokenInput ? tokenInput.value : "";
  const startBox = $("[data-group-start]");
  const beginButton = $("[data-group-begin]");
  const wordLead = $("[data-group-codeword-lead]");
  const wordText = $("[data-group-word]");
  const wordProblem = $("[data-group-codeword-problem]");
  const counts = Array.from(root.querySelectorAll("[data-group-count]"));
  const POLL_MS = 5000;

  let ended = "sessionEnded" in data;
  let openWord = null; // the codeword on screen: {id, word}
  let pauseTurn = 0; // which pause a server answer belongs to

  const request = (url, body) => {
    const headers = { Accept: "application/json", "X-CSRFToken": token };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    });
  };
  const closeUrl = (id) => data.sessionCloseUrl.replace(/\/0\/lukk\/$/, `/${id}/lukk/`);

  /* --- The start screen ------------------------------------------------------------------- */

  const hideStart = () => {
    if (startBox) startBox.hidden = true;
  };
  if (video) video.addEventListener("play", hideStart);
  if (beginButton && video) {
    beginButton.hidden = false; // without this script the video's own controls start it
    beginButton.addEventListener("click", () => {
      hideStart();
      const playing = video.play();
      if (playing && playing.catch) playing.catch(() => {});
      const playButton = root.querySelector('[data-action="play"]');
      if (playButton) playButton.focus();
    });
    beginButton.focus();
  }

  /* --- Codewords at the pauses ------------------------------------------------------------ */

  const clearWord = () => {
    wordText.textContent = "";
    wordLead.hidden = true;
    wordProblem.hidden = true;
  };

  const closeWord = (word) => {
    request(closeUrl(word.id)).catch(() => {}); // the server also closes it at the next pause
  };

  root.addEventListener("present:pause", (event) => {
    clearWord();
    if (ended) return;
    pauseTurn += 1;
    const turn = pauseTurn;
    const { videoId, chapterIndex } = event.detail || {};
    request(data.sessionPauseUrl, { video: videoId, chapter: chapterIndex })
      .then((word) => {
        if (turn !== pauseTurn) {
          closeWord(word); // the pause was left before the word came
          return;
        }
        openWord = word;
        wordLead.hidden = false;
        wordText.textContent = word.word;
      })
      .catch(() => {
        if (turn === pauseTurn) wordProblem.hidden = false;
      });
  });

  root.addEventListener("present:continue", () => {
    pauseTurn += 1;
    clearWord();
    if (openWord) {
      closeWord(openWord);
      openWord = null;
    }
  });

  /* --- The end ---------------------------------------------------------------------------- */

  root.addEventListener("present:ended", () => {
    if (ended || !("sessionLastVideo" in data)) return;
    request(data.sessionEndUrl)
      .then(() => {
        ended = true;
      })
      .catch(() => {}); // the end screen's button ends it too
  });

  /* --- The live count --------------------------------------------------------------------- */

  const showCount = (value) => {
    const text = String(value);
    counts.forEach((element) => {
      if (element.textContent !== text) element.textContent = text;
    });
  };

  const poll = () => {
    if (document.hidden) return;
    fetch(data.sessionStatusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : null))
      .then((body) => {
        if (!body) return;
        showCount(body.claims);
        if (body.ended) ended = true;
      })
      .catch(() => {});
  };
  window.setInterval(poll, POLL_MS);
  document.addEventListener("visibilitychange", poll);
})();
