/* mkdocs-dossier: tooltips for the marks in an article body (entity mentions, glossary terms and
   editorial notes).

   Without this script a mark's explanation is its `title`: a mouse shows it and a screen reader reads
   it as the mark's description. With it, one tooltip shows the explanation on mouse hover, on keyboard
   focus and on a first tap; Escape hides it; a second tap on a mention follows its link. The `title`
   is moved into a hidden element that the mark names in `aria-describedby`, so that the browser's own
   tooltip does not double ours and screen readers still announce the explanation. Events are
   delegated from `document`, so pages that Material's instant navigation swaps in work as well. */
(function () {
  "use strict";

  const MARKS = "a.dossier-mention, abbr.dossier-term, mark.dossier-note";
  const TOOLTIP_ID = "dossier-tooltip";
  const DESCRIPTIONS_ID = "dossier-descriptions";
  const HIDE_DELAY_MS = 300;
  const GAP_PX = 6;
  const MARGIN_PX = 8;

  let current = null;
  let hideTimer = 0;
  let tap = null;

  const markOf = (node) => (node instanceof Element ? node.closest(MARKS) : null);

  function tooltip() {
    let tip = document.getElementById(TOOLTIP_ID);
    if (!tip) {
      tip = document.createElement("div");
      tip.id = TOOLTIP_ID;
      tip.className = "dossier-tooltip";
      tip.setAttribute("role", "tooltip");
      tip.hidden = true;
      document.body.appendChild(tip);
    }
    return tip;
  }

  function describedBy(text) {
    let box = document.getElementById(DESCRIPTIONS_ID);
    if (!box) {
      box = document.createElement("div");
      box.id = DESCRIPTIONS_ID;
      box.hidden = true;
      document.body.appendChild(box);
    }
    for (const each of box.children) {
      if (each.textContent === text) {
        return each.id;
      }
    }
    const description = document.createElement("span");
    description.id = `${DESCRIPTIONS_ID}-${box.children.length + 1}`;
    description.textContent = text;
    box.appendChild(description);
    return description.id;
  }

  /* The mark's explanation, taken once from its `title`. */
  function prepare(mark) {
    if (mark.hasAttribute("data-dossier-tip")) {
      return mark.getAttribute("data-dossier-tip");
    }
    const text = (mark.getAttribute("title") || "").trim();
    mark.setAttribute("data-dossier-tip", text);
    mark.removeAttribute("title");
    if (text && !mark.hasAttribute("aria-describedby")) {
      mark.setAttribute("aria-describedby", describedBy(text));
    }
    return text;
  }

  /* The line of the mark that `point` (where the pointer is) falls on; the first line without one. */
  function lineOf(rects, point) {
    if (!point) {
      return rects[0];
    }
    const distance = (r) =>
      Math.max(r.left - point.x, 0, point.x - r.right) + Math.max(r.top - point.y, 0, point.y - r.bottom);
    return rects.reduce((best, r) => (distance(r) < distance(best) ? r : best));
  }

  /* Against the line the reader pointed at: below it, else above it, else below or above the whole
     mark; never over any line of the mark (a mark that wraps has one rectangle per line), and inside
     the screen whenever a place both inside and clear of the mark exists. */
  function place(tip, mark, point) {
    const found = Array.from(mark.getClientRects()).filter((r) => r.width > 0 && r.height > 0);
    const rects = found.length ? found : [mark.getBoundingClientRect()];
    const line = lineOf(rects, point);
    const width = tip.offsetWidth;
    const height = tip.offsetHeight;
    const screenWidth = document.documentElement.clientWidth;
    const screenHeight = window.innerHeight;
    const left = Math.max(MARGIN_PX, Math.min(line.left, screenWidth - width - MARGIN_PX));
    const lowest = Math.max(...rects.map((r) => r.bottom));
    const highest = Math.min(...rects.map((r) => r.top));
    const tops = [line.bottom + GAP_PX, line.top - GAP_PX - height, lowest + GAP_PX, highest - GAP_PX - height];
    const inside = (top) => top >= 0 && top + height <= screenHeight;
    const clear = (top) =>
      rects.every((r) => r.right <= left || left + width <= r.left || r.bottom <= top || top + height <= r.top);
    const top = tops.find((t) => inside(t) && clear(t)) ?? tops.find(clear) ?? tops[0];
    tip.style.left = `${left + window.scrollX}px`;
    tip.style.top = `${top + window.scrollY}px`;
  }

  function show(mark, point) {
    clearTimeout(hideTimer);
    const text = prepare(mark);
    if (!text) {
      return;
    }
    if (current && current !== mark) {
      hide();
    }
    const tip = tooltip();
    tip.textContent = text;
    tip.hidden = false;
    if (current !== mark) {
      mark.setAttribute("data-dossier-describedby", mark.getAttribute("aria-describedby") || "");
      mark.setAttribute("aria-describedby", TOOLTIP_ID);
    }
    current = mark;
    place(tip, mark, point);
  }

  function hide() {
    clearTimeout(hideTimer);
    const tip = document.getElementById(TOOLTIP_ID);
    if (tip) {
      tip.hidden = true;
    }
    if (current) {
      const before = current.getAttribute("data-dossier-describedby");
      if (before) {
        current.setAttribute("aria-describedby", before);
      } else {
        current.removeAttribute("aria-describedby");
      }
      current.removeAttribute("data-dossier-describedby");
    }
    current = null;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, HIDE_DELAY_MS);
  }

  const onTooltip = (node) => node instanceof Element && node.closest(`#${TOOLTIP_ID}`) !== null;
  const pointOf = (event) => ({ x: event.clientX, y: event.clientY });
  const isMouse = (event) => event.pointerType === "mouse" || event.pointerType === "pen";

  document.addEventListener("pointerover", (event) => {
    if (!isMouse(event)) {
      return;
    }
    const mark = markOf(event.target);
    if (mark) {
      show(mark, pointOf(event));
    } else if (current && onTooltip(event.target)) {
      clearTimeout(hideTimer);
    }
  });

  document.addEventListener("pointerout", (event) => {
    if (!isMouse(event) || !current) {
      return;
    }
    const leaving = markOf(event.target) === current || onTooltip(event.target);
    const staying = markOf(event.relatedTarget) === current || onTooltip(event.relatedTarget);
    // A mark the keyboard focused keeps its tooltip until focus moves on or Escape is pressed.
    if (leaving && !staying && !current.matches(":focus-visible")) {
      hideSoon();
    }
  });

  document.addEventListener("focusin", (event) => {
    const mark = markOf(event.target);
    if (mark) {
      show(mark);
    } else if (current) {
      hide();
    }
  });

  document.addEventListener("focusout", (event) => {
    if (current && event.target === current && !current.contains(event.relatedTarget)) {
      hide();
    }
  });

  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && current) {
      hide();
    }
  });

  /* A tap shows the tooltip first; a tap on the mark whose tooltip already shows acts as a click. */
  document.addEventListener("pointerdown", (event) => {
    const mark = markOf(event.target);
    tap =
      event.pointerType === "touch" ? { mark, shown: mark !== null && mark === current, point: pointOf(event) } : null;
    if (!mark && current && !onTooltip(event.target)) {
      hide();
    }
  });

  document.addEventListener("pointercancel", () => {
    tap = null;
  });

  document.addEventListener("click", (event) => {
    const mark = markOf(event.target);
    const touch = tap;
    tap = null;
    if (!mark || !touch || touch.mark !== mark) {
      return;
    }
    if (!touch.shown) {
      event.preventDefault();
      show(mark, touch.point);
    } else if (!mark.matches("a[href]")) {
      hide();
    }
  });

  function prepareAll() {
    hide();
    document.querySelectorAll(MARKS).forEach(prepare);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(prepareAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", prepareAll);
  } else {
    prepareAll();
  }
})();
