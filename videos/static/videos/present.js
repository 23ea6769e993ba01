/* Shared-screen mode: a TV or projector seen from across the room, run from a keyboard or a
   presentation remote. Big controls replace the browser's; with "Pause after each chapter" the
   video stops at the end of every chapter and shows its title as the question to discuss, with
   a timer counting up. Needs player.js (window.videoPlayerKit), loaded before this file.

   Other scripts follow along through CustomEvents on the root element: "present:pause"
   (detail {videoId, chapterIndex}) when a discussion pause is shown, "present:continue" when it
   is left, "present:ended" when the end screen is shown. With data-force-pause on the root the
   pauses cannot be switched off, and a video without chapters pauses once, at its end. */
(() => {
  "use strict";

  const root = document.querySelector("[data-video-present]");
  const kit = window.videoPlayerKit;
  if (!root || !kit) return;
  const video = root.querySelector("video");
  if (!video) return;

  const data = root.dataset;
  const preferred = data.captionLanguage || "";
  const $ = (selector) => root.querySelector(selector);
  const bar = $("[data-bar]");
  const stage = $("[data-stage]");
  const pauseBox = $("[data-chapter-pause]");
  const pauseTitle = $("[data-pause-title]");
  const pauseKicker = $("[data-pause-kicker]");
  const pauseTimer = $("[data-pause-timer]");
  const continueButton = $("[data-continue]");
  const endBox = $("[data-end-screen]");
  const replayButton = $("[data-replay]");
  const pauseOption = $("[data-pause-chapters]");
  const timeText = $("[data-time]");
  const chapterText = $("[data-current-chapter]");
  const announcer = $("[data-announce]");
  const button = (action) => $(`[data-action="${action}"]`);
  const playButton = button("play");
  const captionsButton = button("captions");
  const fullscreenButton = button("fullscreen");

  const chapters = Array.from(root.querySelectorAll("[data-chapter]")).map((item) => ({
    title: item.textContent.trim(),
    start: parseFloat(item.dataset.start) || 0,
    end: item.dataset.end ? parseFloat(item.dataset.end) : null,
  }));
  const duration = () => (Number.isFinite(video.duration) ? video.duration : parseFloat(data.duration) || 0);
  const chapterEnd = (index) => (chapters[index] ? chapters[index].end : null) ?? duration();
  const forcePause = "forcePause" in data;
  const videoId = parseInt(data.videoId, 10) || null;
  const heading = root.querySelector("h1");
  // A video without chapters has one pause, at its end, named after the video.
  const chapterTitle = (index) => (chapters[index] ? chapters[index].title : heading ? heading.textContent.trim() : "");
  const emit = (name, detail) => root.dispatchEvent(new CustomEvent(name, { detail: detail || {}, bubbles: true }));

  /* Our controls replace the browser's: one set of big buttons for the whole room. */
  video.removeAttribute("controls");
  root.classList.add("is-enhanced");
  bar.hidden = false;
  endBox.hidden = true;
  replayButton.hidden = false;

  kit.preferHls(video, data.hlsUrl);
  kit.showCaptions(video, preferred);

  // What the polite status line says, in the page's language (its data-say-* attributes);
  // "{number}" and the like are filled in here.
  const say = (name, values) => {
    const key = `say${name[0].toUpperCase()}${name.slice(1)}`;
    return Object.entries(values || {}).reduce(
      (text, [part, value]) => text.replace(`{${part}}`, String(value)),
      (announcer && announcer.dataset[key]) || "",
    );
  };

  const announce = (text) => {
    if (!announcer || !text) return;
    announcer.textContent = "";
    window.setTimeout(() => {
      announcer.textContent = text;
    }, 50);
  };

  /* --- State shown on the controls ---------------------------------------------------- */

  const currentChapter = () => {
    const time = video.currentTime;
    for (let index = chapters.length - 1; index >= 0; index -= 1) {
      if (time >= chapters[index].start - 0.01) return index;
    }
    return -1;
  };

  const syncPlay = () => {
    const paused = video.paused || video.ended;
    playButton.querySelector("[data-label-play]").hidden = !paused;
    playButton.querySelector("[data-label-pause]").hidden = paused;
    stage.classList.toggle("is-playing", !paused);
  };

  const syncCaptions = () => {
    if (captionsButton) captionsButton.setAttribute("aria-pressed", String(kit.captionsShowing(video)));
  };

  const syncTime = () => {
    timeText.textContent = `${kit.clock(video.currentTime)} / ${kit.clock(duration())}`;
    const index = currentChapter();
    chapterText.textContent = index >= 0 ? `${index + 1}/${chapters.length}: ${chapters[index].title}` : "";
  };

  const syncFullscreen = () => {
    fullscreenButton.setAttribute("aria-pressed", String(!!document.fullscreenElement));
  };

  ["play", "pause", "ended", "playing"].forEach((name) => video.addEventListener(name, syncPlay));
  ["timeupdate", "seeked", "loadedmetadata", "durationchange"].forEach((name) => video.addEventListener(name, syncTime));
  document.addEventListener("fullscreenchange", syncFullscreen);
  video.textTracks.addEventListener("change", syncCaptions);
  syncPlay();
  syncTime();
  syncCaptions();

  /* --- Pause after each chapter --------------------------------------------------------- */

  const discussed = new Set(); // chapters whose pause has been shown in this pass
  let timerId = null;
  let afterPause = null; // what Continue does

  const pauseShown = () => !pauseBox.hidden;
  const endShown = () => !endBox.hidden;

  const stopTimer = () => {
    if (timerId !== null) window.clearInterval(timerId);
    timerId = null;
  };

  const showPause = (index, then) => {
    video.pause();
    discussed.add(index);
    afterPause = then;
    pauseTitle.textContent = chapterTitle(index);
    pauseTimer.textContent = kit.clock(0);
    const started = Date.now();
    stopTimer();
    timerId = window.setInterval(() => {
      pauseTimer.textContent = kit.clock((Date.now() - started) / 1000);
    }, 250);
    pauseBox.hidden = false;
    continueButton.focus();
    announce(`${pauseKicker.textContent.trim()}: ${chapterTitle(index)}`);
    emit("present:pause", { videoId, chapterIndex: index });
  };

  const hidePause = () => {
    stopTimer();
    if (pauseBox.hidden) return;
    pauseBox.hidden = true;
    emit("present:continue");
  };

  const continueAfterPause = () => {
    const then = afterPause;
    afterPause = null;
    hidePause();
    if (then) then();
    else kit.togglePlay(video);
    if (!endShown()) playButton.focus();
  };

  const showEnd = () => {
    hidePause();
    endBox.hidden = false;
    const title = endBox.querySelector("h2");
    if (title) announce(title.textContent.trim());
    replayButton.focus();
    emit("present:ended", { videoId });
  };

  const hideEnd = () => {
    endBox.hidden = true;
  };

  if (forcePause && pauseOption) {
    pauseOption.checked = true;
    pauseOption.disabled = true;
  }
  const pausing = () => forcePause || (!!pauseOption && pauseOption.checked && chapters.length > 0);

  let lastTime = video.currentTime;
  video.addEventListener("timeupdate", () => {
    const time = video.currentTime;
    if (pausing() && !video.paused && !video.seeking) {
      // A chapter ends between the last update and this one while playing normally.
      for (let index = 0; index < chapters.length - 1; index += 1) {
        const end = chapterEnd(index);
        if (lastTime < end && time >= end && time - lastTime < 2 && !discussed.has(index)) {
          video.currentTime = end; // the next chapter starts from its first word after Continue
          showPause(index, () => kit.togglePlay(video));
          break;
        }
      }
    }
    lastTime = time;
  });
  video.addEventListener("seeked", () => {
    lastTime = video.currentTime;
    // Going back before a chapter's end makes its pause due again.
    for (const index of Array.from(discussed)) {
      if (chapterEnd(index) > video.currentTime + 0.5) discussed.delete(index);
    }
  });
  video.addEventListener("ended", () => {
    const last = Math.max(chapters.length - 1, 0);
    if (pausing() && !discussed.has(last)) showPause(last, showEnd);
    else showEnd();
  });

  /* --- Actions ---------------------------------------------------------------------------- */

  const skip = (seconds) => kit.seek(video, Math.min(video.currentTime + seconds, Math.max(duration() - 0.1, 0)));

  const goToChapter = (index) => {
    kit.seek(video, chapters[index].start);
    announce(say("chapter", { number: index + 1, count: chapters.length, title: chapters[index].title }));
  };

  const nextChapter = () => {
    const next = chapters.findIndex((chapter) => chapter.start > video.currentTime + 0.5);
    if (next >= 0) goToChapter(next);
  };

  // As on a music player: a few seconds into a chapter "previous" starts it again; at its very
  // start (where a discussion pause leaves the video) it goes to the chapter before.
  const previousChapter = () => {
    const index = currentChapter();
    if (index < 0) return chapters.length ? goToChapter(0) : undefined;
    if (index > 0 && video.currentTime - chapters[index].start < 3) goToChapter(index - 1);
    else goToChapter(index);
  };

  let leavingFullscreen = false; // set when our own control leaves full screen
  const actions = {
    play: () => {
      if (endShown() && (video.ended || video.currentTime >= duration() - 0.1)) return replay();
      kit.togglePlay(video);
    },
    back: () => skip(-kit.SKIP_SECONDS),
    forward: () => skip(kit.SKIP_SECONDS),
    next: nextChapter,
    previous: previousChapter,
    captions: () => {
      kit.toggleCaptions(video, preferred);
      syncCaptions();
      announce(say(kit.captionsShowing(video) ? "captionsOn" : "captionsOff"));
    },
    fullscreen: () => {
      leavingFullscreen = !!document.fullscreenElement;
      kit.toggleFullscreen(document.documentElement);
    },
  };

  function replay() {
    hideEnd();
    hidePause();
    discussed.clear();
    kit.seek(video, 0);
    kit.togglePlay(video);
    playButton.focus();
  }

  bar.addEventListener("click", (event) => {
    const control = event.target.closest("[data-action]");
    if (!control) return;
    const action = control.dataset.action;
    // Leaving an overlay by any control: the control then does what it says.
    if (pauseShown() && action !== "captions" && action !== "fullscreen") {
      if (action === "play") return continueAfterPause();
      afterPause = null;
      hidePause();
    }
    if (endShown() && action !== "captions" && action !== "fullscreen" && action !== "play") hideEnd();
    actions[action]();
  });
  continueButton.addEventListener("click", continueAfterPause);
  replayButton.addEventListener("click", replay);
  let started = false; // whether the video has played since the page opened
  video.addEventListener("play", () => {
    started = true;
    if (pauseShown()) hidePause();
    if (endShown()) hideEnd();
    announce(say("playing"));
  });
  video.addEventListener("pause", () => {
    // A discussion pause and the end screen announce themselves.
    if (!pauseShown() && !endShown() && !video.ended) announce(say("paused"));
  });
  document.addEventListener("fullscreenchange", () => {
    const full = !!document.fullscreenElement;
    // Leaving full screen by Escape (which the browser keeps to itself) ends the show, as
    // Escape does in a slide show: the video pauses. Our own control only leaves full screen.
    if (!full && !leavingFullscreen && !video.paused) video.pause();
    leavingFullscreen = false;
    announce(say(full ? "fullscreenOn" : "fullscreenOff"));
  });

  /* --- Keyboard and presentation remote ---------------------------------------------------- */

  /* A presentation remote sends PageDown (next), PageUp (previous), B or period (its "blank
     screen" button), F5 or Shift+F5 (start the show) and Escape (end it). Here: PageDown starts
     the video, then goes to the next chapter, and continues after a discussion pause; PageUp
     goes back a chapter; B and period play and pause; F5 goes full screen and plays; Escape
     pauses and leaves full screen. A video without chapters moves 10 s with PageDown/PageUp. */
  const KEYS = {
    " ": "play",
    k: "play",
    K: "play",
    b: "play",
    B: "play",
    ".": "play",
    ArrowLeft: "back",
    ArrowRight: "forward",
    PageUp: chapters.length ? "previous" : "back",
    PageDown: chapters.length ? "next" : "forward",
    c: "captions",
    C: "captions",
    f: "fullscreen",
    F: "fullscreen",
    n: "next",
    N: "next",
  };
  const CONTINUE_KEYS = new Set([" ", "Enter", "k", "K", "b", "B", ".", "PageDown", "n", "N"]);

  const startShow = () => {
    if (!document.fullscreenElement) kit.toggleFullscreen(document.documentElement);
    if (video.paused && !pauseShown() && !endShown()) kit.togglePlay(video);
  };

  const endShow = () => {
    if (!video.paused) video.pause();
    if (document.fullscreenElement) actions.fullscreen();
  };

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (kit.isTextEntry(target)) return;
    if (event.key === "F5") {
      event.preventDefault(); // not a reload: the remote's "start the show"
      startShow();
      return;
    }
    if (event.key === "Escape") {
      endShow();
      return;
    }
    // Space and Enter on a focused button, link or checkbox do what that control does.
    const onControl = target !== video && kit.isControl(target);
    if ((event.key === " " || event.key === "Enter") && onControl) return;

    if (pauseShown() && CONTINUE_KEYS.has(event.key)) {
      event.preventDefault();
      continueAfterPause();
      return;
    }
    let action = KEYS[event.key];
    if (!action) return;
    // The remote's first "next" starts the video rather than skipping its first chapter.
    if (event.key === "PageDown" && !started && !endShown()) action = "play";
    if (action === "next" && !button("next")) return;
    if (action === "captions" && !captionsButton) return;
    event.preventDefault();
    if (pauseShown() && action !== "captions" && action !== "fullscreen") {
      afterPause = null;
      hidePause();
    }
    if (endShown() && action !== "captions" && action !== "fullscreen" && action !== "play") hideEnd();
    actions[action]();
  });

  // The page opens with Play focused, so Enter or Space starts the video and one Tab reaches
  // the chapter-pause switch. A page built on this one may move the focus after us.
  if (document.activeElement === document.body || !document.activeElement) {
    playButton.focus({ preventScroll: true });
  }

  /* The mouse pointer disappears while the video plays untouched. */
  let idleTimer = null;
  const wake = () => {
    stage.classList.remove("is-idle");
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(() => {
      if (!video.paused) stage.classList.add("is-idle");
    }, 3000);
  };
  root.addEventListener("mousemove", wake);
  video.addEventListener("pause", () => stage.classList.remove("is-idle"));
  video.addEventListener("click", () => kit.togglePlay(video));
})();
