/* CCR search worker: Material's own search worker, fed the documents from here.
 *
 * Material's page script fetches search/search_index.json, parses it and posts it to the worker,
 * all on the page's main thread; at 10,000 companies that blocks every page for seconds. The
 * build (overrides/search_hook.py) leaves only the search configuration in that file and moves
 * the documents to search/search_docs.json, which this worker fetches and parses off the main
 * thread before it hands Material's worker the whole index. Queries and results pass unchanged.
 */
"use strict";
(function () {
  var SETUP = 0;  /* Material's SearchMessageType.SETUP */
  var name = new URL(self.location.href).searchParams.get("material") || "";
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(name)) {
    throw new Error("CCR search worker: not a Material search worker name: " + name);
  }
  var passing = false;
  self.addEventListener("message", function (event) {
    if (passing || !event.data || event.data.type !== SETUP) return;
    event.stopImmediatePropagation();
    var setup = event.data;
    function hand(docs) {
      setup.data.docs = docs;
      passing = true;
      try {
        self.dispatchEvent(new MessageEvent("message", { data: setup }));
      } finally {
        passing = false;
      }
    }
    fetch(new URL("../search/search_docs.json", self.location.href))
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (index) { hand(index.docs); })
      .catch(function (error) {
        console.warn("CCR search worker: search/search_docs.json could not be read", error);
        hand(setup.data.docs);  /* what the page sent: search opens, and finds nothing */
      });
  });
  importScripts("../assets/javascripts/workers/" + name);
})();
