/* The video player, enhanced: HLS where the browser plays it, captions on in the page's
   language, chapters and transcript that seek, playback speed, keys, resume, and (for logged-in
   learners) a record of the seconds actually played.

   Plain ES2020 with no dependencies and no build step. Without it the page still works: the
   browser's own controls play the MP4 sources with the WebVTT tracks. Everything it needs comes
   from data-* attributes (the Content-Security-Policy allows no inline script). Shared helpers
   are exposed as window.videoPlayerKit for present.js. */
(() => {
  "use strict";

  if (window.videoPlayerKit) return; // loaded twice on one page: the first copy does the work

  const SKIP_SECONDS = 10;
  const FLUSH_EVERY_MS = 15000;
  // Between two timeupdates (about 4 a second) a playing video moves well under this;
  // a larger jump is a seek and does not count as watched.
  const MAX_PLAY_STEP = 2;
  // Resume is offered only away from the very start and the very end.
  const RESUME_MARGIN = 5;
  const MAX_INTERVALS = 200;
  const HLS_TYPE = "application/vnd.apple.mpegurl";

  const clock = (seconds) => {
    const total = Math.max(0, Math.floor(Number(seconds) || 0));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const secs = String(total % 60).padStart(2, "0");
    return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${String(minutes).padStart(2, "0")}:${secs}`;
  };

  const round2 = (value) => Math.round(value * 100) / 100;

  /* Keys typed into a field belong to the field. */
  const isTextEntry = (element) => {
    if (!element || !element.closest) return false;
    if (element.closest("textarea, select, [contenteditable]")) return true;
    const input = element.closest("input");
    return !!input && !["checkbox", "radio", "button", "submit", "reset"].includes(input.type);
  };

  /* Space and arrows already mean something on these; leave them alone. */
  const isControl = (element) =>
    !!element && !!element.closest && !!element.closest("a[href], button, input, select, textarea, summary, [contenteditable]");

  /* Seek once the video knows its length (setting currentTime earlier is unreliable). */
  const seek = (video, seconds) => {
    const go = () => {
      const end = Number.isFinite(video.duration) ? video.duration : seconds;
      video.currentTime = Math.min(Math.max(0, seconds), end);
    };
    if (video.readyState >= 1) go();
    else video.addEventListener("loadedmetadata", go, { once: true });
  };

  const togglePlay = (video) => {
    if (video.paused || video.ended) {
      const playing = video.play();
      if (playing) playing.catch(() => {});
    } else {
      video.pause();
    }
  };

  /* Use the HLS ladder where the browser plays it itself; else keep the MP4 <source>s. */
  const preferHls = (video, url) => {
    if (!url || !video.canPlayType(HLS_TYPE)) return;
    const fallback = () => {
      if (video.getAttribute("src") !== url) return;
      video.removeEventListener("error", fallback);
      video.removeAttribute("src");
      video.load();
    };
    video.addEventListener("error", fallback);
    video.src = url;
  };

  const captionTracks = (video) =>
    Array.from(video.textTracks).filter((track) => track.kind === "captions" || track.kind === "subtitles");

  const lastShown = new WeakMap();

  /* Captions on: the page's language first, then the one the server chose, then any. */
  const showCaptions = (video, preferred) => {
    const tracks = captionTracks(video);
    const page = (document.documentElement.lang || "").toLowerCase();
    const chosen =
      lastShown.get(video) ||
      tracks.find((track) => track.language.toLowerCase() === page) ||
      tracks.find((track) => track.language === preferred) ||
      tracks[0];
    for (const track of tracks) track.mode = track === chosen ? "showing" : "disabled";
    if (chosen) lastShown.set(video, chosen);
    return !!chosen;
  };

  const captionsShowing = (video) => captionTracks(video).some((track) => track.mode === "showing");

  /* Returns whether captions are now showing. Hidden (not disabled) keeps the cues loaded. */
  const toggleCaptions = (video, preferred) => {
    const showing = captionTracks(video).filter((track) => track.mode === "showing");
    if (showing.length) {
      lastShown.set(video, showing[0]);
      for (const track of showing) track.mode = "hidden";
      return false;
    }
    return showCaptions(video, preferred);
  };

  const toggleFullscreen = (element) => {
    if (document.fullscreenElement) {
      document.exitFullscreen().catch(() => {});
    } else if (element.requestFullscreen) {
      element.requestFullscreen().catch(() => {});
    }
  };

  const hashTime = () => {
    const match = /^#t=(\d+(?:\.\d+)?)$/.exec(window.location.hash);
    return match ? parseFloat(match[1]) : null;
  };

  window.videoPlayerKit = {
    SKIP_SECONDS, clock, isTextEntry, isControl, seek, togglePlay, preferHls,
    showCaptions, toggleCaptions, captionsShowing, toggleFullscreen,
  };

  /* ------------------------------------------------------------------------------------ */

  const storageKey = (id) => `video-position:${id}`;

  const readLocal = (id) => {
    try {
      return parseFloat(window.localStorage.getItem(storageKey(id))) || 0;
    } catch {
      return 0; // storage switched off: resume is a convenience, not a requirement
    }
  };

  const writeLocal = (id, seconds) => {
    try {
      if (seconds > 0) window.localStorage.setItem(storageKey(id), String(round2(seconds)));
      else window.localStorage.removeItem(storageKey(id));
    } catch {
      /* storage full or switched off */
    }
  };

  /* The seconds a learner actually plays, as [start, end] intervals, sent in batches. */
  const watchTracker = (video, { url, csrfToken, duration, onState }) => {
    const pending = [];
    let current = null; // the interval being played, [start, end]
    let last = null; // currentTime at the previous timeupdate while playing
    let hasPlayed = false;
    let lastSentPosition = null;
    let queue = Promise.resolve();
    const limit = () => (duration > 0 ? duration : Number.isFinite(video.duration) ? video.duration : Infinity);

    const close = () => {
      if (current && current[1] - current[0] > 0.05) pending.push(current);
      current = null;
    };

    const extendTo = (time) => {
      if (current && last !== null && time >= last && time - last < MAX_PLAY_STEP) current[1] = time;
      last = time;
    };

    video.addEventListener("playing", () => {
      hasPlayed = true;
      close();
      last = video.currentTime;
      current = [last, last];
    });
    video.addEventListener("timeupdate", () => {
      if (video.paused || video.seeking) return;
      const time = video.currentTime;
      if (current && last !== null && time >= last && time - last < MAX_PLAY_STEP) {
        current[1] = time;
      } else {
        close(); // a jump: what lies between was not watched
        current = [time, time];
      }
      last = time;
    });
    video.addEventListener("seeking", () => {
      close(); // the interval ended at the last played time, not where the seek lands
      last = null;
    });
    video.addEventListener("pause", () => {
      extendTo(video.currentTime);
      close();
      last = null;
      send();
    });
    video.addEventListener("ended", () => {
      extendTo(video.currentTime);
      close();
      last = null;
      send();
    });

    const takeBatch = () => {
      if (current && current[1] - current[0] > 0.05) {
        pending.push([current[0], current[1]]);
        current = [current[1], current[1]];
      }
      const end = limit();
      return pending
        .splice(0, MAX_INTERVALS)
        .map(([start, stop]) => [round2(Math.min(start, end)), round2(Math.min(stop, end))])
        .filter(([start, stop]) => stop > start);
    };

    const post = (body, keepalive) =>
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        keepalive,
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken },
        body: JSON.stringify(body),
      });

    function send({ keepalive = false } = {}) {
      if (!hasPlayed) return queue;
      const intervals = takeBatch();
      const position = round2(Math.min(video.currentTime, limit()));
      if (!intervals.length && lastSentPosition !== null && Math.abs(position - lastSentPosition) < 1) return queue;
      lastSentPosition = position;
      const attempt = () =>
        post({ intervals, position }, keepalive)
          .then((response) => {
            if (response.ok) return response.json().then(onState);
            if (response.status >= 500) pending.unshift(...intervals); // try again with the next batch
            return null;
          })
          .catch(() => {
            pending.unshift(...intervals); // offline for a moment: keep them for the next batch
          });
      // One request at a time keeps positions in order; a page being hidden cannot wait.
      if (keepalive) return attempt();
      queue = queue.then(attempt);
      return queue;
    }

    window.setInterval(() => {
      if (!video.paused) send();
    }, FLUSH_EVERY_MS);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") send({ keepalive: true });
    });
    return { send };
  };

  const loadSaved = async (root, data) => {
    if (data.trackProgress !== "true") return { position: readLocal(data.videoId), watched: false };
    try {
      const response = await fetch(data.progressUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.ok) return await response.json();
    } catch {
      /* no saved position then */
    }
    return { position: 0, watched: false };
  };

  const enhance = (root) => {
    const video = root.querySelector("video");
    if (!video || root.dataset.enhanced) return;
    root.dataset.enhanced = "true";
    const data = root.dataset;
    const duration = parseFloat(data.duration) || 0;
    const preferred = data.captionLanguage || "";
    const tracking = data.trackProgress === "true";

    preferHls(video, data.hlsUrl);
    showCaptions(video, preferred);
    // Some browsers settle the track list only once the media is known.
    video.addEventListener("loadedmetadata", () => {
      if (!captionTracks(video).some((track) => track.mode !== "disabled")) showCaptions(video, preferred);
    }, { once: true });

    /* Watched state */
    const watched = root.querySelector("[data-watched]");
    const showState = (state) => {
      if (state && state.watched && watched) watched.hidden = false;
    };

    /* Chapters and transcript: seek on click, mark where we are. */
    const chapterLinks = Array.from(root.querySelectorAll("[data-chapter-start]"));
    const cues = Array.from(root.querySelectorAll("[data-cue-start]"));
    root.addEventListener("click", (event) => {
      const link = event.target.closest("[data-seek]");
      if (!link || !root.contains(link)) return;
      event.preventDefault();
      hideResume();
      seek(video, parseFloat(link.dataset.seek) || 0);
      const playing = video.play();
      if (playing) playing.catch(() => {});
    });
    const within = (element, time, startKey, endKey) => {
      const start = parseFloat(element.dataset[startKey]);
      const end = element.dataset[endKey] ? parseFloat(element.dataset[endKey]) : Infinity;
      return time >= start && (time < end || (end >= duration - 0.05 && time <= end));
    };
    const mark = () => {
      const time = video.currentTime;
      for (const link of chapterLinks) {
        if (within(link, time, "chapterStart", "chapterEnd")) link.setAttribute("aria-current", "true");
        else link.removeAttribute("aria-current");
      }
      for (const cue of cues) cue.classList.toggle("is-current", within(cue, time, "cueStart", "cueEnd"));
    };
    video.addEventListener("timeupdate", mark);
    video.addEventListener("seeked", mark);

    /* Speed */
    const speed = root.querySelector("[data-speed-select]");
    if (speed) {
      speed.closest("[data-speed]").hidden = false;
      speed.addEventListener("change", () => {
        const rate = parseFloat(speed.value) || 1;
        video.defaultPlaybackRate = rate; // survives a reload of the source
        video.playbackRate = rate;
      });
      video.addEventListener("ratechange", () => {
        const value = String(video.playbackRate);
        if (Array.from(speed.options).some((option) => option.value === value)) speed.value = value;
      });
    }

    /* Keys, while focus is in the player (never in a form field). */
    root.addEventListener("keydown", (event) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      const target = event.target;
      if (isTextEntry(target)) return;
      const onControl = target !== video && isControl(target);
      switch (event.key) {
        case " ":
          if (onControl) return;
          togglePlay(video);
          break;
        case "k":
        case "K":
          togglePlay(video);
          break;
        case "ArrowLeft":
          if (onControl) return;
          seek(video, video.currentTime - SKIP_SECONDS);
          break;
        case "ArrowRight":
          if (onControl) return;
          seek(video, video.currentTime + SKIP_SECONDS);
          break;
        case "c":
        case "C":
          toggleCaptions(video, preferred);
          break;
        case "f":
        case "F":
          toggleFullscreen(video);
          break;
        default:
          return;
      }
      event.preventDefault();
    });

    /* Resume: offer the saved position politely, with a way back to the start. */
    const resume = root.querySelector("[data-resume]");
    const restart = root.querySelector("[data-restart]");
    function hideResume() {
      if (resume) resume.hidden = true;
    }
    if (restart) {
      restart.addEventListener("click", () => {
        hideResume();
        seek(video, 0);
        video.focus();
        if (document.activeElement !== video) root.focus();
      });
    }
    let startedByViewer = false;
    video.addEventListener("play", () => {
      startedByViewer = true;
    }, { once: true });

    const linked = hashTime();
    if (linked !== null) {
      seek(video, linked);
    }
    loadSaved(root, data).then((saved) => {
      showState(saved);
      const position = Number(saved && saved.position) || 0;
      if (linked !== null || startedByViewer || video.currentTime > 1) return;
      const end = duration || video.duration || 0;
      if (position < RESUME_MARGIN || (end && position > end - RESUME_MARGIN)) return;
      seek(video, position);
      if (resume) {
        resume.querySelector("[data-resume-time]").textContent = clock(position);
        resume.hidden = false;
      }
    });
    window.addEventListener("hashchange", () => {
      const time = hashTime();
      if (time !== null) seek(video, time);
    });

    /* Progress: on the server for logged-in learners, else only in this browser. */
    if (tracking) {
      watchTracker(video, { url: data.progressUrl, csrfToken: data.csrfToken || "", duration, onState: showState });
    } else {
      let lastSaved = 0;
      const save = () => {
        const end = duration || video.duration || 0;
        writeLocal(data.videoId, video.ended || (end && video.currentTime > end - RESUME_MARGIN) ? 0 : video.currentTime);
      };
      video.addEventListener("timeupdate", () => {
        if (Date.now() - lastSaved > 5000 && !video.paused) {
          lastSaved = Date.now();
          save();
        }
      });
      video.addEventListener("pause", save);
      video.addEventListener("ended", save);
      document.addEventListener("visibilitychange", () => {
        if (document.visibilityState === "hidden" && startedByViewer) save();
      });
    }
  };

  const start = () => document.querySelectorAll("[data-video-player]").forEach(enhance);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
