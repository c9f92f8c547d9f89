/* mkdocs-dossier: Web Workers for pages opened from the file system.

   Browsers refuse `new Worker(url)` on a `file://` page, and Material's search runs in a worker, so
   on such pages this script replaces `Worker` with one that runs the worker's script in a hidden
   iframe of the page. Messages travel through a MessageChannel, so they are copied and arrive
   asynchronously, as a real worker's do. `importScripts` loads the scripts one after another and
   returns a Promise, which Material's search worker awaits when it finds `IFrameWorker` in its
   parent. Served from the site's own assets, it replaces the shim that Material's `offline` plugin
   loads from a CDN. Over http(s) the browser's own Worker is left alone. */
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
})();
