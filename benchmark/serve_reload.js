// ccr serve's live reload. Added by `ccr serve` to the HTML pages it serves (never written to
// the site on disk, never published). It asks the serve process, same origin, for the next
// finished build: after a successful one the page reloads; after a failed one the page is
// fetched again and its notice (the problems, escaped by the server) goes on top of this page,
// which otherwise stays as it is.
(() => {
  "use strict";
  const me = document.getElementById("ccr-serve-reload");
  if (!me || !me.dataset.state) return;  // not a page ccr serve served: never reload it
  let state = me.dataset.state;
  const pause = (ms) => new Promise((done) => { setTimeout(done, ms); });

  async function showNotice() {
    const response = await fetch(window.location.href, { cache: "no-store" });
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html")
      .getElementById("ccr-serve-notice");
    const old = document.getElementById("ccr-serve-notice");
    if (old) old.remove();
    if (fresh) document.body.prepend(document.adoptNode(fresh));
  }

  async function follow() {
    let retry = 250;
    for (;;) {
      let answer;
      try {
        const response = await fetch(
          "/__ccr__/events?since=" + encodeURIComponent(state), { cache: "no-store" });
        if (!response.ok) throw new Error("ccr serve answered " + response.status);
        answer = await response.json();
        retry = 250;
      } catch (error) {  // ccr serve stopped or restarting: ask again a little later
        await pause(retry);
        retry = Math.min(retry * 2, 5000);
        continue;
      }
      if (answer.state === state) continue;  // no build finished yet
      state = answer.state;
      if (answer.ok) {
        window.location.reload();
        return;
      }
      try {
        await showNotice();
      } catch (error) {
        // the next finished build tries again
      }
    }
  }

  follow();
})();
