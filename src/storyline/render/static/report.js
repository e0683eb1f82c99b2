// storyline report: opens an article at its cited sentence and shows the map's popups.
// Article text is untrusted: it only ever enters the page as text nodes (textContent,
// append of strings), never as markup.
(function () {
  "use strict";
  var articles = null;
  var reader = document.getElementById("reader");
  var readerBody = reader.querySelector(".reader-body");
  var returnFocus = null;

  function allArticles() {
    // Parsed on first use: a story of hundreds of articles costs nothing until one is read.
    if (articles === null) {
      articles = JSON.parse(document.getElementById("storyline-articles").textContent);
    }
    return articles;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function paragraph(text, from, to, start, end) {
    var p = element("p");
    if (end > from && start < to) {
      var a = Math.max(start, from), b = Math.min(end, to);
      p.append(text.slice(from, a));
      var mark = element("mark", null, text.slice(a, b));
      p.append(mark, text.slice(b, to));
      return [p, mark];
    }
    p.textContent = text.slice(from, to);
    return [p, null];
  }

  function removedList(removed) {
    var heading = element("h3", "removed-head", "Removed by cleaning (" + removed.length + ")");
    var list = element("ul", "removed");
    removed.forEach(function (item) {
      var line = element("li");
      line.append(element("span", "reason", item[0]), " " + item[1]);
      list.append(line);
    });
    return [heading, list];
  }

  function openArticle(id, start, end, sentence, part) {
    var article = Object.prototype.hasOwnProperty.call(allArticles(), id) ? articles[id] : null;
    if (!article) return;
    reader.querySelector(".reader-title").textContent = article.title || "Article " + id;
    var meta = reader.querySelector(".reader-meta");
    meta.replaceChildren();
    var parts = [id];
    if (article.outlet) parts.push(article.outlet);
    parts.push(article.date ? article.date + (article.inferred ? " (inferred)" : "") : "date unknown");
    if (sentence !== null) parts.push("sentence " + sentence);
    meta.append(parts.join(" · "));
    if (article.href) {
      var link = element("a", null, "original");
      link.href = article.href;  // only http(s) addresses reach the page (see as_html.py)
      link.rel = "noreferrer noopener";
      meta.append(" · ", link);
    }
    readerBody.replaceChildren();
    var text = article.text, from = 0, first = null;
    while (from <= text.length) {
      var to = text.indexOf("\n", from);
      if (to < 0) to = text.length;
      if (to > from) {
        var made = paragraph(text, from, to, start, end);
        readerBody.append(made[0]);
        if (made[1] && !first) {
          first = made[1];
          first.id = "cited";
        }
      }
      from = to + 1;
    }
    var removed = article.removed.length ? removedList(article.removed) : null;
    if (removed) readerBody.append(removed[0], removed[1]);
    reader.dataset.article = id;
    returnFocus = document.activeElement;
    reader.hidden = false;
    if (first) first.scrollIntoView({ block: "center" });
    else if (part === "removed" && removed) removed[0].scrollIntoView({ block: "start" });
    else readerBody.scrollTop = 0;
    reader.querySelector(".close").focus({ preventScroll: true });
  }

  function closeReader() {
    reader.hidden = true;
    if (returnFocus && returnFocus.focus) returnFocus.focus({ preventScroll: true });
  }

  function closePopups() {
    document.querySelectorAll(".popup").forEach(function (popup) { popup.hidden = true; });
    document.querySelectorAll(".marker.active").forEach(function (m) { m.classList.remove("active"); });
  }

  function openPopup(marker) {
    var popup = document.getElementById("place-" + marker.dataset.place);
    if (!popup) return;
    closePopups();
    marker.classList.add("active");
    popup.hidden = false;
    if (getComputedStyle(popup).position !== "absolute") {
      popup.scrollIntoView({ block: "nearest" });
      return;  // narrow screens show it under the map
    }
    var wrap = popup.parentElement.getBoundingClientRect();  // the maps' container
    var dot = marker.getBoundingClientRect();
    var width = popup.offsetWidth, height = popup.offsetHeight;
    var left = dot.right - wrap.left + 8;
    if (left + width > wrap.width) left = Math.max(dot.left - wrap.left - width - 8, 4);
    var top = Math.min(Math.max(dot.top - wrap.top - 20, 4), Math.max(wrap.height - height - 4, 4));
    popup.style.left = left + "px";
    popup.style.top = top + "px";
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var cite = target.closest("a.cite");
    if (cite) {
      event.preventDefault();
      openArticle(cite.dataset.article, Number(cite.dataset.start), Number(cite.dataset.end),
        cite.dataset.sentence, null);
      return;
    }
    var read = target.closest("button.read");
    if (read) {
      openArticle(read.dataset.article, -1, -1, null, read.dataset.part || null);
      return;
    }
    if (target.closest("#reader .close")) {
      closeReader();
      return;
    }
    var marker = target.closest(".marker");
    if (marker) {
      openPopup(marker);
      return;
    }
    if (target.closest(".popup .close") || !target.closest(".popup")) closePopups();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      if (!reader.hidden) closeReader();
      closePopups();
      return;
    }
    var target = event.target;
    if ((event.key === "Enter" || event.key === " ") && target instanceof Element &&
        target.classList.contains("marker")) {
      event.preventDefault();
      openPopup(target);
    }
  });

  // A chart event and its line in the list light up together.
  document.querySelectorAll(".timechart .event").forEach(function (item) {
    var line = document.getElementById("t-" + item.dataset.index);
    if (!line) return;
    function on() { item.classList.add("active"); line.classList.add("active"); }
    function off() { item.classList.remove("active"); line.classList.remove("active"); }
    item.addEventListener("mouseenter", on);
    item.addEventListener("mouseleave", off);
    line.addEventListener("mouseenter", on);
    line.addEventListener("mouseleave", off);
  });
})();
