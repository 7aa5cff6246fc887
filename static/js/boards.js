/*
 * The live board (#bord). Progressive enhancement: every form on the board works without
 * this file; it keeps the board current without reloading and posts cards and reactions
 * in place.
 *
 * The socket (window.platformLive.connect from live.js: backoff, 4403 = stop, data-ws-state
 * on #bord) says what changed, numbered (seq). For a card event the card's fragment is
 * fetched (data-fragment-url with the sentinel id replaced): 200 -> put it in its cell at
 * its position, 404 -> take it away; permissions stay on the server. State events update
 * the banner and enable or disable the forms; presence events the participant count.
 * Events at or below the last seq seen are skipped; a gap asks for a resume; a reconnect
 * asks for everything after the last seq (?na=<seq>).
 *
 * Texts come from data-text-* attributes on #bord (rendered in the page's language).
 */
(function () {
  "use strict";

  var live = window.platformLive;
  var board = document.getElementById("bord");
  if (!board || !live || !("fetch" in window) || !("FormData" in window)) return;

  var RESUME_RETRY = 3000;
  var lastSeq = parseInt(board.dataset.seq || "0", 10) || 0;
  var resumeAskedAt = 0;
  var latest = {}; // card id -> number of the newest fetch, so an older answer never wins
  var tickets = 0;
  var socket = null;

  function say(key, fallback, values) {
    var template = live.text(board, key, fallback);
    return values ? live.fill(template, values) : template;
  }

  function fragmentUrl(cardId) {
    return board.dataset.fragmentUrl.replace(board.dataset.sentinel, String(cardId));
  }

  function cardElement(cardId) {
    var found = document.getElementById("kaart-" + cardId);
    return found && found.matches("li[data-card-id]") ? found : null;
  }

  function cellList(column, row) {
    var lists = board.querySelectorAll("ol.board-cards");
    for (var i = 0; i < lists.length; i += 1) {
      if (lists[i].dataset.column === String(column) && lists[i].dataset.row === String(row || "")) {
        return lists[i];
      }
    }
    return null;
  }

  function cardsIn(list) {
    return Array.prototype.slice.call(list.querySelectorAll(":scope > li[data-card-id]"));
  }

  function parseCard(html) {
    var holder = document.createElement("template");
    holder.innerHTML = html.trim();
    return holder.content.querySelector("li[data-card-id]");
  }

  function updateEmpty(list) {
    if (!list) return;
    var cell = list.closest(".board-cell");
    var empty = cell && cell.querySelector("[data-board-empty]");
    if (empty) empty.hidden = cardsIn(list).length > 0;
  }

  // --- Keeping what the reader was doing when a card is replaced ----------------------------

  var FOCUSABLE = "a[href], button, input, select, textarea, summary";

  function keepState(old, fresh) {
    // Open disclosures stay open.
    var oldDetails = old.querySelectorAll("details");
    for (var i = 0; i < oldDetails.length; i += 1) {
      if (!oldDetails[i].open || !oldDetails[i].className) continue;
      var twin = fresh.querySelector("details." + oldDetails[i].className.split(" ")[0]);
      if (twin) twin.open = true;
    }
    // Typed text stays (a reaction by someone else must not wipe a half-written comment).
    var fields = old.querySelectorAll("textarea[id], input[id]");
    for (var j = 0; j < fields.length; j += 1) {
      var field = fields[j];
      var other = fresh.querySelector("#" + CSS.escape(field.id));
      if (!other) continue;
      if (field.type === "checkbox") other.checked = field.checked;
      else if (field.value !== field.defaultValue) other.value = field.value;
    }
    var selects = old.querySelectorAll("select[id]");
    for (var k = 0; k < selects.length; k += 1) {
      var choice = fresh.querySelector("#" + CSS.escape(selects[k].id));
      if (choice) choice.value = selects[k].value;
    }
    // Focus returns to the same control in the new card.
    var active = document.activeElement;
    if (!active || !old.contains(active)) return function () {};
    var index = Array.prototype.indexOf.call(old.querySelectorAll(FOCUSABLE), active);
    var activeId = active.id;
    var wasCard = active === old;
    return function () {
      var target = null;
      if (wasCard) target = fresh;
      else if (activeId) target = fresh.querySelector("#" + CSS.escape(activeId));
      if (!target && index >= 0) target = fresh.querySelectorAll(FOCUSABLE)[index] || null;
      (target || fresh).focus({ preventScroll: true });
    };
  }

  // --- Putting cards in place ------------------------------------------------------------------

  function place(item, op) {
    var list = cellList(item.dataset.column, item.dataset.row);
    if (!list) return "";
    var old = cardElement(item.dataset.cardId);
    var restore = old ? keepState(old, item) : function () {};
    if (old && old.parentNode === list && op !== "moved") {
      old.replaceWith(item);
      restore();
      return "replaced";
    }
    var oldList = old ? old.parentNode : null;
    if (old) old.remove();
    var siblings = cardsIn(list);
    var position = parseInt(item.dataset.position || "0", 10);
    var before = null;
    if (op === "moved") {
      // The server numbers the cell afresh around the moved card: put it at that index.
      before = siblings[position] || null;
    } else {
      var id = parseInt(item.dataset.cardId, 10);
      for (var i = 0; i < siblings.length; i += 1) {
        var theirs = parseInt(siblings[i].dataset.position || "0", 10);
        if (theirs > position || (theirs === position && parseInt(siblings[i].dataset.cardId, 10) > id)) {
          before = siblings[i];
          break;
        }
      }
    }
    list.insertBefore(item, before);
    if (op === "moved") {
      cardsIn(list).forEach(function (card, index) {
        card.dataset.position = String(index);
      });
    }
    updateEmpty(list);
    if (oldList && oldList !== list) updateEmpty(oldList);
    restore();
    return old ? "moved" : "added";
  }

  function removeCard(cardId) {
    var old = cardElement(cardId);
    if (!old) return;
    var list = old.parentNode;
    var hadFocus = old.contains(document.activeElement);
    old.remove();
    updateEmpty(list);
    if (hadFocus) {
      var heading = list.closest(".board-cell").querySelector(".board-cell__title");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
      }
    }
    refreshPending();
  }

  function markNew(item) {
    item.classList.add("board-card--new");
    window.setTimeout(function () {
      item.classList.remove("board-card--new");
    }, 1600);
  }

  function cellLabel(item) {
    var list = item.parentNode;
    return (list && list.dataset.cellLabel) || "";
  }

  // The facilitator's list of cards waiting for approval, rebuilt from the cards shown.
  function refreshPending() {
    var box = board.querySelector("[data-board-pending]");
    if (!box) return;
    var list = box.querySelector("[data-board-pending-list]");
    var title = box.querySelector("[data-board-pending-title]");
    var waiting = board.querySelectorAll('li[data-card-id][data-status="pending"]');
    list.textContent = "";
    for (var i = 0; i < waiting.length; i += 1) {
      var entry = document.createElement("li");
      var link = document.createElement("a");
      link.className = "utrecht-link";
      link.href = "#kaart-" + waiting[i].dataset.cardId;
      link.textContent = waiting[i].dataset.excerpt || "";
      entry.appendChild(link);
      list.appendChild(entry);
    }
    box.hidden = waiting.length === 0;
    title.textContent =
      waiting.length === 1
        ? say("textPendingOne", "1 kaart wacht op goedkeuring:")
        : say("textPendingOther", "{count} kaarten wachten op goedkeuring:", { count: waiting.length });
  }

  function refreshCard(cardId, op) {
    cardId = parseInt(cardId, 10);
    if (!cardId) return;
    tickets += 1;
    var ticket = tickets;
    latest[cardId] = ticket;
    fetch(fragmentUrl(cardId), {
      credentials: "same-origin",
      headers: { Accept: "text/html; fragment=card", "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (latest[cardId] !== ticket) return null;
        if (response.status === 404) {
          removeCard(cardId);
          return null;
        }
        if (!response.ok) return null;
        return response.text().then(function (html) {
          if (latest[cardId] !== ticket) return;
          var item = parseCard(html);
          if (!item) return;
          var result = place(item, op);
          refreshPending();
          if (result === "added") {
            markNew(item);
            live.announce(say("textNewCard", "Nieuwe kaart in {cell}", { cell: cellLabel(item) }));
          }
        });
      })
      .catch(function () {
        /* Offline for a moment: the next event or the resume brings the card. */
      });
  }

  // --- Board state and presence ------------------------------------------------------------

  function capitalised(word) {
    return word.charAt(0).toUpperCase() + word.slice(1);
  }

  function setState(state) {
    if (!state) return;
    board.dataset.state = state;
    var banner = board.querySelector("[data-board-banner]");
    var text = board.dataset["textState" + capitalised(state)];
    if (banner && text && banner.textContent !== text) banner.textContent = text;
    var box = document.getElementById("bord-status");
    if (box) box.className = "board-state board-state--" + state;
    var accepting = state === "open" || state === "concept";
    var postable = board.querySelectorAll("[data-board-postable]");
    for (var i = 0; i < postable.length; i += 1) postable[i].disabled = !accepting;
    var actions = board.querySelectorAll("[data-board-state-action]");
    for (var j = 0; j < actions.length; j += 1) {
      actions[j].hidden = (actions[j].dataset.from || "").split(" ").indexOf(state) === -1;
    }
  }

  function setCount(count) {
    var node = board.querySelector("[data-board-participants]");
    if (!node || typeof count !== "number") return;
    node.textContent =
      count === 1
        ? say("textParticipantsOne", "1 deelnemer nu op het bord")
        : say("textParticipantsOther", "{count} deelnemers nu op het bord", { count: count });
  }

  // --- Events from the socket ------------------------------------------------------------------

  function askResume() {
    var now = Date.now();
    if (now - resumeAskedAt < RESUME_RETRY) return;
    if (socket && socket.send({ type: "resume", after: lastSeq })) resumeAskedAt = now;
  }

  function apply(event) {
    if (event.type === "board.card" && event.card) refreshCard(event.card.id, event.op);
    else if (event.type === "board.state") setState(event.state);
  }

  function onEvent(event) {
    if (event.type === "board.presence") {
      setCount(event.count);
      return;
    }
    if (event.type === "board.card" && event.op === "review") {
      // For facilitators: a card waiting for approval or hidden; not numbered.
      if (event.card) refreshCard(event.card.id, "review");
      return;
    }
    if (typeof event.seq !== "number") return;
    if (event.seq <= lastSeq) return; // seen already (a replay after a resume)
    if (event.seq > lastSeq + 1) {
      askResume(); // missed something: ask for it, in order, before going on
      return;
    }
    lastSeq = event.seq;
    resumeAskedAt = 0;
    board.dataset.seq = String(lastSeq);
    apply(event);
  }

  // --- Forms posted in place ---------------------------------------------------------------

  function showError(form, message) {
    var region = form.querySelector("[data-board-error]");
    if (!region) return false;
    region.textContent = "";
    var paragraph = document.createElement("p");
    paragraph.className = "utrecht-paragraph board-form-error__message";
    paragraph.textContent = message;
    region.appendChild(paragraph);
    var box = form.querySelector("textarea");
    if (box) {
      box.setAttribute("aria-invalid", "true");
      box.focus();
    }
    return true;
  }

  function clearError(form) {
    var region = form.querySelector("[data-board-error]");
    if (region) region.textContent = "";
    var box = form.querySelector("textarea[aria-invalid]");
    if (box) box.removeAttribute("aria-invalid");
  }

  function posted(form, kind, html) {
    var item = parseCard(html);
    if (!item) return;
    clearError(form);
    if (kind !== "reaction") form.reset();
    var result = place(item, "created");
    refreshPending();
    if (kind === "card") {
      if (result === "added") markNew(item);
      live.announce(
        item.dataset.status === "pending"
          ? say("textCardPending", "Je kaart wacht op goedkeuring.")
          : say("textCardPosted", "Je kaart staat op het bord.")
      );
    }
  }

  board.addEventListener("submit", function (event) {
    var form = event.target;
    var kind = form.dataset && form.dataset.boardFetch;
    if (!kind) return;
    event.preventDefault();
    if (form.dataset.boardBusy === "true") return; // one post at a time per form
    var submitter = event.submitter || form.querySelector("button[type=submit]");
    var data = new FormData(form);
    form.dataset.boardBusy = "true";
    if (submitter) submitter.setAttribute("aria-disabled", "true");
    function done() {
      delete form.dataset.boardBusy;
      if (submitter) submitter.removeAttribute("aria-disabled");
    }
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "text/html; fragment=card", "X-Requested-With": "fetch" },
    })
      .then(function (response) {
        if (response.status === 200) {
          return response.text().then(function (html) {
            done();
            try {
              posted(form, kind, html);
            } catch (error) {
              window.location.reload(); // stored, but the page could not show it: reload
            }
          });
        }
        if (response.status === 400 || response.status === 429) {
          return response.text().then(function (html) {
            var holder = document.createElement("template");
            holder.innerHTML = html;
            done();
            if (!showError(form, holder.content.textContent.trim())) form.submit();
          });
        }
        throw new Error("HTTP " + response.status);
      })
      .catch(function () {
        // No answer we can use: post the form the ordinary way.
        done();
        form.submit();
      });
  });

  // --- Start ----------------------------------------------------------------------------------

  if (board.dataset.ws && "WebSocket" in window) {
    socket = live.connect(
      board,
      onEvent,
      function () {
        resumeAskedAt = 0; // the new socket replays from ?na=
      },
      {
        path: function () {
          return board.dataset.ws + "?na=" + lastSeq;
        },
      }
    );
  }
})();
