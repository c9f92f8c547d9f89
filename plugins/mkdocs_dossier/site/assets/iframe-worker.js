/* mkdocs-dossier: Web Workers, and a search box that is always read, for pages opened from the file
   system.

   Browsers refuse `new Worker(url)` on a `file://` page, and Material's search runs in a worker, so
   on such pages this script replaces `Worker` with one that runs the worker's script in a hidden
   iframe of the page. Messages travel through a MessageChannel, so they are copied and arrive
   asynchronously, as a real worker's do. `importScripts` loads the scripts one after another and
   returns a Promise, which Material's search worker awaits when it finds `IFrameWorker` in its
   parent. Served from the site's own assets, it replaces the shim that Material's `offline` plugin
   loads from a CDN. Over http(s) the browser's own Worker is left alone.

   Material reads its search box on a key's release (`keyup`), on focus, and once more when the worker
   says its index is ready. On `file://` it builds that index only when search opens, so a reader who
   opens search and at once pastes, drops or dictates a query (text that arrives with no key released
   after it) races the index: text that lands before the index is ready is read, text that lands after
   is never searched, and the box shows "Type to start searching" for good. So every change of the box
   is also announced as a `keyup` on it, which is the event Material listens to. */
(function () {
  "use strict";

  if (location.protocol !== "file:" || "IFrameWorker" in window) {
    return;
  }

  const load = (doc, url) => new Promise((resolve, reject) => {
    const script = doc.createElement("script");
    script.src = url;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`Cannot load the worker script ${url}`));
    (doc.body || doc.documentElement).appendChild(script);
  });

  class IFrameWorker extends EventTarget {
    constructor(url) {
      super();
      this.onmessage = null;
      this.onmessageerror = null;
      this.onerror = null;
      const src = new URL(url, document.baseURI).href;
      const frame = document.createElement("iframe");
      frame.hidden = true;
      frame.tabIndex = -1;
      frame.title = "Web worker";
      frame.setAttribute("aria-hidden", "true");
      (document.body || document.documentElement).appendChild(frame);
      this.frame = frame;

      const { port1: outer, port2: inner } = new MessageChannel();
      this.port = outer;
      outer.onmessage = (event) => this.emit(new MessageEvent("message", { data: event.data }));

      const scope = frame.contentWindow;
      scope.postMessage = (data, transfer) => inner.postMessage(data, transfer || []);
      scope.importScripts = (...urls) => urls.reduce(
        (done, each) => done.then(() => load(scope.document, new URL(each, src).href)),
        Promise.resolve()
      );
      scope.close = () => this.terminate();
      scope.addEventListener("error", (event) => {
        this.emit(new ErrorEvent("error", {
          message: event.message,
          filename: event.filename,
          lineno: event.lineno,
          colno: event.colno,
          error: event.error
        }));
      });
      load(scope.document, src).then(() => {
        // Messages posted before the script ran wait in the port until its listeners are in place.
        inner.onmessage = (event) => {
          scope.dispatchEvent(new scope.MessageEvent("message", { data: event.data }));
        };
      }, (error) => {
        this.emit(new ErrorEvent("error", { message: error.message, filename: src, error: error }));
      });
    }

    postMessage(data, transfer) {
      this.port.postMessage(data, transfer || []);
    }

    terminate() {
      this.port.close();
      this.frame.remove();
    }

    emit(event) {
      this.dispatchEvent(event);
      const handler = this["on" + event.type];
      if (typeof handler === "function") {
        handler.call(this, event);
      }
    }
  }

  window.IFrameWorker = IFrameWorker;
  window.Worker = IFrameWorker;

  // A query that changes with no key released after it (a paste, a drop, dictation) is still searched.
  // Typed text gets one more keyup, which Material ignores, since it only acts on a changed value.
  document.addEventListener("input", (event) => {
    const box = event.target;
    if (box instanceof HTMLInputElement && box.matches("[data-md-component=search-query]")) {
      box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    }
  }, true);
})();
