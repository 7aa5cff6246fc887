"""Locust scenario for `make loadtest` (bench/loadtest.py runs it and checks the result).

Each simulated member is signed in (a session cookie the runner prepared) and, with these
weights, reads pages (journey dashboard, thread, board, story archive, home), replies in
the target thread, searches, and posts cards on the journey's live board; one in ten
also keeps the board open over a websocket and counts the events it receives.

Every write carries the run's tag and a serial number; the bodies the server accepted are
written to LOADTEST_WRITES when the run stops, so the runner can find each one in the
database afterwards. LOADTEST_CONTEXT names the JSON file with the cookies and addresses.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading

from locust import HttpUser, between, events, task

CONTEXT = json.loads(open(os.environ["LOADTEST_CONTEXT"]).read())  # noqa: SIM115
WRITES: dict[str, list[str]] = {"posts": [], "cards": []}
SOCKET_EVENTS = {"received": 0, "sockets": 0, "errors": 0}
_serial = itertools.count(1)
_lock = threading.Lock()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Member(HttpUser):
    wait_time = between(1, 5)

    def on_start(self) -> None:
        self.number = next(_serial)
        account = CONTEXT["cookies"][self.number % len(CONTEXT["cookies"])]
        self.posts_cards, self.replies = account["cards"], account["replies"]
        self.client.cookies.set(CONTEXT["cookie_name"], account["value"], domain="127.0.0.1")
        self.token = ""
        self.writes = 0
        self.socket = None
        if self.number % 10 == 0:
            self._listen()

    def on_stop(self) -> None:
        if self.socket is not None:
            self.socket.close()

    def _listen(self) -> None:
        """Keep the board open over a websocket in a background greenlet."""
        import gevent
        from websocket import create_connection  # websocket-client, a locust dependency

        cookie = self.client.cookies.get(CONTEXT["cookie_name"])
        try:
            self.socket = create_connection(
                CONTEXT["ws_url"] + CONTEXT["board"]["ws_path"],
                header=[f"Cookie: {CONTEXT['cookie_name']}={cookie}"],
                origin=CONTEXT["web_url"],
                timeout=30,
            )
        except Exception:
            SOCKET_EVENTS["errors"] += 1
            return
        SOCKET_EVENTS["sockets"] += 1

        def receive() -> None:
            while self.socket is not None and self.socket.connected:
                try:
                    self.socket.recv()
                except Exception:
                    return
                SOCKET_EVENTS["received"] += 1

        gevent.spawn(receive)

    def _tag(self) -> str:
        self.writes += 1
        return f"{CONTEXT['tag']}-{self.number}-{self.writes}"

    def _csrf(self, url: str, name: str) -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            match = CSRF.search(response.text or "")
            if response.status_code != 200 or not match:
                response.failure(f"no form on {url} ({response.status_code})")
                return ""
            return match.group(1)

    @task(6)
    def read(self) -> None:
        name, url = random.choice(list(CONTEXT["pages"].items()))  # noqa: S311
        self.client.get(url, name=name)

    @task(2)
    def search(self) -> None:
        term = random.choice(CONTEXT["search_terms"])  # noqa: S311
        self.client.get("/zoeken/", params={"q": term}, name="search")

    @task(1)
    def reply(self) -> None:
        if not self.replies:
            self.read()
            return
        url = CONTEXT["thread"]["reply_url"]
        token = self._csrf(url + "?pagina=1", "thread (form)")
        if not token:
            return
        body = f"{self._tag()} wat we deze week leerden over de aanpak"
        with self.client.post(
            url,
            data={"body": body, "csrfmiddlewaretoken": token},
            name="reply",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                with _lock:
                    WRITES["posts"].append(body)
            else:
                response.failure(f"reply answered {response.status_code}")

    @task(1)
    def card(self) -> None:
        if not self.posts_cards:
            self.read()
            return
        board = CONTEXT["board"]
        token = self._csrf(board["url"], "board (form)")
        if not token:
            return
        body = f"{self._tag()} wat impact is voor ons"
        data = {
            "body": body,
            "column": board["column"],
            "row": board["row"],
            "csrfmiddlewaretoken": token,
        }
        with self.client.post(
            board["url"] + "kaarten/",
            data=data,
            name="card",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code in (200, 302):
                with _lock:
                    WRITES["cards"].append(body)
            else:
                response.failure(f"card answered {response.status_code}")


@events.quitting.add_listener
def _save_writes(environment, **kwargs) -> None:
    path = os.environ.get("LOADTEST_WRITES")
    if path:
        with open(path, "w") as out:
            json.dump({**WRITES, "sockets": SOCKET_EVENTS}, out)
