/*
 * Live updates over websockets, and @mention suggestions. Progressive enhancement: every
 * page works without this file; it only saves a reload.
 *
 * Elements with data-ws="/ws/..." open a socket to that path and act on its events:
 *   #berichten        (thread page)  forum.post created/edited/reacted/deleted:
 *                     fetch the post's fragment (data-fragment-url, trailing /0/ -> /<id>/)
 *                     and insert or replace its <li data-post-id>.
 *   #onderwerpen      (thread list)  forum.thread activity: a notice with a reload link in
 *                     #forum-live-status.
 *   #meldingen-link   (header)       notifications changed: fetch data-count-url and set
 *                     #meldingen-aantal.
 *   #bord             (board page)   handled by boards.js through window.platformLive.
 * textarea[data-mention-url]: typing "@ro" suggests people (GET data-mention-url?q=ro).
 *
 * Texts: data-text-* attributes on the element win; the Dutch fallbacks below serve the
 * default language.
 */
(function () {
  "use strict";

  var BACKOFF = [1000, 2000, 5000, 10000];
  var REFUSED = 4403;
  var GIVE_UP_AFTER = 5;

  function text(el, key, fallback) {
    var value = el && el.dataset ? el.dataset[key] : null;
    return value || fallback;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}|%\((\w+)\)s/g, function (match, a, b) {
      var key = a || b;
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  // --- Sockets -----------------------------------------------------------------------------

  // A live element whose socket was open and dropped says so above itself until the socket
  // is back: "Verbinding verbroken" (Redis or the realtime server down; tests/faults).
  function connectionNotice(el, lost) {
    var notice = el.previousElementSibling;
    if (notice && !notice.hasAttribute("data-live-connection")) notice = null;
    if (!lost) {
      if (notice) {
        notice.remove();
        announce(text(el, "textReconnected", "Verbinding hersteld."));
      }
      return;
    }
    if (notice) return;
    notice = document.createElement("div");
    notice.className = "utrecht-alert utrecht-alert--warning live-connection";
    notice.setAttribute("role", "status");
    notice.setAttribute("data-live-connection", "");
    var content = document.createElement("div");
    content.className = "utrecht-alert__content";
    var paragraph = document.createElement("p");
    paragraph.className = "utrecht-alert__message utrecht-paragraph";
    paragraph.textContent = text(
      el,
      "textDisconnected",
      "Verbinding verbroken. Wat anderen nu plaatsen, verschijnt zodra de verbinding terug is."
    );
    content.appendChild(paragraph);
    notice.appendChild(content);
    el.insertAdjacentElement("beforebegin", notice);
  }

  // el.dataset.wsState tells styles and tests where the socket stands: open, closed, refused.
  // options.path(): the path to (re)connect to, asked before each attempt (boards.js adds
  // the last sequence number it saw). options.quiet: no "Verbinding verbroken" notice (the
  // header's badge). Returns {send(message)} for the current socket.
  function connect(el, onEvent, onReopen, options) {
    var attempt = 0;
    var opened = false;
    var current = null;

    function address() {
      var path = options && options.path ? options.path() : el.dataset.ws;
      return (location.protocol === "https:" ? "wss" : "ws") + "://" + location.host + path;
    }

    function open() {
      var socket;
      try {
        socket = new WebSocket(address());
      } catch (error) {
        return;
      }
      current = socket;
      socket.addEventListener("open", function () {
        el.dataset.wsState = "open";
        attempt = 0;
        if (!(options && options.quiet)) connectionNotice(el, false);
        if (opened && onReopen) onReopen();
        opened = true;
      });
      socket.addEventListener("message", function (message) {
        var event;
        try {
          event = JSON.parse(message.data);
        } catch (error) {
          return;
        }
        if (!event || typeof event !== "object") return;
        // The server's answer to something this page sent: a refusal (e.g. too many
        // messages, community.limits) is shown, never treated as an event.
        if (event.type === "error") {
          if (event.message) notice(String(event.message));
          return;
        }
        onEvent(event);
      });
      socket.addEventListener("close", function (close) {
        // 4403: not allowed to listen (any more). Reconnecting would not change that.
        el.dataset.wsState = close.code === REFUSED ? "refused" : "closed";
        if (close.code === REFUSED) return;
        if (opened && !(options && options.quiet)) connectionNotice(el, true);
        // A server that never answered (no websockets here, e.g. a WSGI-only test server):
        // stop after a few tries. Once a socket was open, keep trying: that is a restart.
        if (!opened && attempt >= GIVE_UP_AFTER) return;
        var delay = BACKOFF[Math.min(attempt, BACKOFF.length - 1)];
        attempt += 1;
        window.setTimeout(open, delay);
      });
    }

    open();
    return {
      send: function (message) {
        if (!current || current.readyState !== WebSocket.OPEN) return false;
        current.send(JSON.stringify(message));
        return true;
      },
    };
  }

  function fetchText(url, accept) {
    return fetch(url, {
      credentials: "same-origin",
      headers: { Accept: accept, "X-Requested-With": "XMLHttpRequest" },
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.text();
    });
  }

  // --- Announcements ---------------------------------------------------------------------------

  var announcer = null;

  function ensureAnnouncer() {
    if (announcer) return announcer;
    announcer = document.getElementById("live-aankondiging");
    if (!announcer) {
      announcer = document.createElement("div");
      announcer.id = "live-aankondiging";
      announcer.className = "platform-visually-hidden";
      announcer.setAttribute("role", "status");
      announcer.setAttribute("aria-live", "polite");
      (document.querySelector("main") || document.body).appendChild(announcer);
    }
    return announcer;
  }

  function announce(message) {
    var region = ensureAnnouncer();
    // Clear first, so the same message twice is still read out.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = message;
    }, 50);
  }

  // A notice everyone sees (and hears, role="status") at the top of the page: the server
  // refused something the page did in the background. Replaces the previous one.
  function notice(message) {
    var box = document.getElementById("live-melding");
    if (!box) {
      box = document.createElement("div");
      box.id = "live-melding";
      box.className = "platform-messages";
      box.setAttribute("role", "status");
      var main = document.querySelector("main") || document.body;
      main.insertBefore(box, main.firstChild);
    }
    var alert = document.createElement("div");
    alert.className = "utrecht-alert utrecht-alert--warning";
    var content = document.createElement("div");
    content.className = "utrecht-alert__content";
    var paragraph = document.createElement("p");
    paragraph.className = "utrecht-alert__message utrecht-paragraph";
    paragraph.textContent = message;
    content.appendChild(paragraph);
    alert.appendChild(content);
    box.textContent = "";
    box.appendChild(alert);
  }

  // htmx leaves a 429 unswapped; its HX-Trigger names this event with the message.
  document.addEventListener("platform:rate-limited", function (event) {
    var detail = event.detail;
    var message = detail && (detail.value || (typeof detail === "string" ? detail : ""));
    if (message) notice(String(message));
  });

  // --- Thread page: #berichten -----------------------------------------------------------------

  function fragmentUrl(template, postId) {
    var parts = template.split("?");
    var segments = parts[0].split("/");
    for (var i = segments.length - 1; i >= 0; i -= 1) {
      if (segments[i] === "0") {
        segments[i] = String(postId);
        break;
      }
    }
    parts[0] = segments.join("/");
    return parts.join("?");
  }

  function authorOf(item) {
    if (item.dataset.author) return item.dataset.author;
    var node = item.querySelector("[data-author], .forum-post__author, [rel='author']");
    if (!node) return "";
    return (node.dataset.author || node.textContent || "").trim();
  }

  function placePost(list, item) {
    var number = parseInt(item.dataset.number || "0", 10);
    var posts = list.querySelectorAll(":scope > li[data-post-id]");
    for (var i = 0; i < posts.length; i += 1) {
      if (parseInt(posts[i].dataset.number || "0", 10) > number) {
        list.insertBefore(item, posts[i]);
        return;
      }
    }
    list.appendChild(item);
  }

  function threadPage(list) {
    var template = list.dataset.fragmentUrl;
    if (!template) return;
    ensureAnnouncer();
    var pending = {};

    function existing(postId) {
      return list.querySelector(':scope > li[data-post-id="' + postId + '"]');
    }

    return function (event) {
      if (event.type !== "forum.post" || !event.post) return;
      var postId = parseInt(event.post, 10);
      if (!postId) return;
      var current = existing(postId);
      if (!current) {
        // Only new posts are added, and only where the list shows the thread's end.
        if (event.op !== "created" || list.dataset.lastPage === "false") return;
        if (pending[postId]) return;
        pending[postId] = true;
      }
      fetchText(fragmentUrl(template, postId), "text/html")
        .then(function (html) {
          var holder = document.createElement("template");
          holder.innerHTML = html.trim();
          var item = holder.content.querySelector("li[data-post-id]");
          if (!item) return;
          var shown = existing(postId);
          if (shown) {
            shown.replaceWith(item);
            return;
          }
          placePost(list, item);
          var author = authorOf(item);
          announce(
            author
              ? fill(text(list, "textNewPost", "Nieuw bericht van {author}"), { author: author })
              : text(list, "textNewPostAnonymous", "Nieuw bericht")
          );
        })
        .catch(function () {
          /* The post is gone or hidden from this reader: leave the page as it is. */
        })
        .then(function () {
          delete pending[postId];
        });
    };
  }

  // --- Thread list: #onderwerpen ---------------------------------------------------------------

  function threadList(list) {
    var status = document.getElementById("forum-live-status");
    if (!status) return;
    return function (event) {
      if (event.type !== "forum.thread" || event.op !== "activity") return;
      if (event.thread) {
        var row = list.querySelector('[data-thread-id="' + parseInt(event.thread, 10) + '"]');
        if (row) row.dataset.liveActivity = "true";
      }
      if (status.querySelector("a")) return; // already shown: do not repeat the announcement
      var paragraph = document.createElement("p");
      paragraph.className = "utrecht-paragraph forum-live-status__notice";
      paragraph.appendChild(
        document.createTextNode(text(list, "textActivity", "Er is nieuwe activiteit.") + " ")
      );
      var link = document.createElement("a");
      link.className = "utrecht-link";
      link.href = location.pathname + location.search;
      link.textContent = text(list, "textReload", "Vernieuw de lijst.");
      paragraph.appendChild(link);
      status.textContent = "";
      status.appendChild(paragraph);
    };
  }

  // --- Header: #meldingen-link -----------------------------------------------------------------

  function notificationBadge(link) {
    var countUrl = link.dataset.countUrl;
    if (!countUrl) return;

    // Hidden at 0 only where the server renders it hidden at 0: page and script agree.
    var initial = document.getElementById("meldingen-aantal");
    var hideAtZero = !!(initial && (initial.hidden || initial.dataset.hideWhenZero === "true"));

    function refresh() {
      fetchText(countUrl, "application/json")
        .then(function (body) {
          var unread = parseInt(JSON.parse(body).unread, 10) || 0;
          var badge = document.getElementById("meldingen-aantal");
          if (!badge) return;
          badge.textContent = String(unread);
          if (hideAtZero) badge.hidden = unread === 0;
        })
        .catch(function () {});
    }

    var handler = function (event) {
      if (event.type === "notifications" && event.op === "changed") refresh();
    };
    handler.reopen = refresh; // after a lost connection: catch up on what was missed
    return handler;
  }

  function startLive() {
    var elements = document.querySelectorAll("[data-ws]");
    for (var i = 0; i < elements.length; i += 1) {
      var el = elements[i];
      var handler = null;
      if (el.id === "berichten") handler = threadPage(el);
      else if (el.id === "onderwerpen") handler = threadList(el);
      else if (el.id === "meldingen-link") handler = notificationBadge(el);
      if (handler && el.dataset.ws.charAt(0) === "/") {
        connect(el, handler, handler.reopen, { quiet: el.id === "meldingen-link" });
      }
    }
  }

  // --- @mention suggestions --------------------------------------------------------------------

  var MENTION = /(^|[^\w@])@([\w.-]{1,40})$/;
  var mentionCount = 0;

  function mentionBox(area) {
    mentionCount += 1;
    var listId = "vermelden-" + mentionCount;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "mention-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", text(area, "textMentionLabel", "Personen om te vermelden"));
    list.hidden = true;
    var style = list.style;
    style.listStyle = "none";
    style.margin = "0.25rem 0 0";
    style.padding = "0.25rem 0";
    style.border = "1px solid currentColor";
    style.maxInlineSize = "24rem";
    style.background = "Canvas";
    style.color = "CanvasText";

    var status = document.createElement("div");
    status.className = "platform-visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    area.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);
    area.setAttribute("aria-autocomplete", "list");
    area.setAttribute("aria-controls", listId);

    var options = [];
    var active = -1;
    var timer = null;
    var asked = "";

    function close() {
      list.hidden = true;
      list.textContent = "";
      options = [];
      active = -1;
      area.removeAttribute("aria-activedescendant");
    }

    function activate(index) {
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        var on = i === active;
        option.node.setAttribute("aria-selected", on ? "true" : "false");
        option.node.style.outline = on ? "2px solid currentColor" : "none";
        option.node.style.fontWeight = on ? "700" : "400";
      });
      area.setAttribute("aria-activedescendant", options[active].node.id);
      options[active].node.scrollIntoView({ block: "nearest" });
    }

    function query() {
      var before = area.value.slice(0, area.selectionStart);
      if (area.selectionStart !== area.selectionEnd) return null;
      var match = MENTION.exec(before);
      return match ? match[2] : null;
    }

    function insert(handle) {
      var caret = area.selectionStart;
      var before = area.value.slice(0, caret);
      var match = MENTION.exec(before);
      if (!match) return close();
      var start = caret - match[2].length - 1;
      var mention = "@" + handle + " ";
      area.value = area.value.slice(0, start) + mention + area.value.slice(caret);
      var position = start + mention.length;
      area.setSelectionRange(position, position);
      asked = "";
      area.dispatchEvent(new Event("input", { bubbles: true }));
      close();
      area.focus();
    }

    function show(people) {
      close();
      if (!people.length) {
        status.textContent = text(area, "textMentionNone", "Geen suggesties");
        return;
      }
      people.slice(0, 8).forEach(function (person, i) {
        var node = document.createElement("li");
        node.id = listId + "-" + i;
        node.setAttribute("role", "option");
        node.setAttribute("aria-selected", "false");
        node.style.padding = "0.25rem 0.5rem";
        node.style.cursor = "pointer";
        node.textContent = (person.name ? person.name + " " : "") + "@" + person.handle;
        node.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the textarea
          insert(person.handle);
        });
        list.appendChild(node);
        options.push({ node: node, handle: person.handle });
      });
      list.hidden = false;
      activate(0);
      status.textContent =
        options.length === 1
          ? text(area, "textMentionOne", "1 suggestie, kies met pijltjes en Enter")
          : fill(text(area, "textMentionMany", "{count} suggesties, kies met pijltjes en Enter"), {
              count: options.length,
            });
    }

    function suggest() {
      var q = query();
      if (!q) {
        asked = "";
        return close();
      }
      if (q === asked) return;
      asked = q;
      var url = area.dataset.mentionUrl;
      url += (url.indexOf("?") === -1 ? "?" : "&") + "q=" + encodeURIComponent(q);
      fetchText(url, "application/json")
        .then(function (body) {
          if (query() !== q) return; // typed on meanwhile
          var people = JSON.parse(body);
          show(Array.isArray(people) ? people.filter(function (p) { return p && p.handle; }) : []);
        })
        .catch(close);
    }

    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, 150);
    });
    area.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        activate(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        activate(active - 1);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        insert(options[active].handle);
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
    area.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
  }

  function startMentions() {
    var areas = document.querySelectorAll("textarea[data-mention-url]");
    for (var i = 0; i < areas.length; i += 1) mentionBox(areas[i]);
  }

  function start() {
    if ("WebSocket" in window && "fetch" in window) startLive();
    if ("fetch" in window) startMentions();
  }

  // For page scripts that build on this one (boards.js): the same sockets and live region.
  window.platformLive = {
    connect: connect,
    announce: announce,
    notice: notice,
    text: text,
    fill: fill,
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
