"""What bench/webhook_load.py runs beside the bots: the fake Bot API (its own process, started
as `webhook_load.py --serve-fake-api PORT`) and the machine's wake-up cost."""

from __future__ import annotations

import asyncio
import json
import time
from urllib.parse import parse_qs


def serve_fake_api(port: int, delay: float = 0.0) -> None:
    """A Bot API stand-in: getMe, sendMessage (timestamped per chat) and True for the rest.

    `delay` seconds are added to every answer, like the round trip to Telegram's servers.
    """
    import tornado.web
    from tornado.httpserver import HTTPServer
    from tornado.ioloop import IOLoop

    bot_user = {
        "id": 7000000001,
        "is_bot": True,
        "first_name": "Ký số",
        "username": "kyso_bench_bot",
    }
    replies: list[tuple[int, float]] = []
    counter = [0]

    class Method(tornado.web.RequestHandler):
        async def post(self, token: str, method: str) -> None:
            ctype = self.request.headers.get("Content-Type", "")
            if "json" in ctype:
                params = json.loads(self.request.body or b"{}")
            else:
                params = {k: v[0] for k, v in parse_qs(self.request.body.decode()).items()}
            result: object = True
            if method == "getMe":
                result = bot_user
            elif method == "sendMessage":
                chat_id = int(params["chat_id"])
                replies.append((chat_id, time.monotonic()))
                counter[0] += 1
                result = {
                    "message_id": counter[0],
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private"},
                    "text": "ok",
                }
            if delay:
                await asyncio.sleep(delay)
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"ok": True, "result": result}))

    class Replies(tornado.web.RequestHandler):
        def get(self) -> None:
            since = int(self.get_argument("since", "0"))
            self.finish(json.dumps(replies[since:]))

    app = tornado.web.Application(
        [(r"/bot([^/]+)/(\w+)", Method), (r"/_bench/replies", Replies)], log_function=lambda h: None
    )
    HTTPServer(app).listen(port, address="127.0.0.1")
    IOLoop.current().start()


def wake_cost_ms(units: int = 300) -> tuple[float, float]:
    """(The machine) CPU ms of a fixed piece of pure-Python work done back to back, and done
    after a 20 ms sleep each time, as a lone update is: the difference is what waking up costs
    this machine, whatever the bot does."""
    body = {"update_id": 1, "message": {"chat": {"id": 1, "type": "private"}, "text": "/tyle"}}

    def work() -> None:
        for _ in range(20):
            json.loads(json.dumps(body))
            sorted(range(100), key=lambda x: -x)

    figures = []
    for pause in (0.0, 0.02):
        start = time.process_time()
        for _ in range(units):
            work()
            if pause:
                time.sleep(pause)
        figures.append((time.process_time() - start) * 1000 / units)
    return figures[0], figures[1]


def main() -> None:
    """Run the fake Bot API alone (what webhook_load.py starts in its own process)."""
    import argparse

    parser = argparse.ArgumentParser(description="The fake Bot API of bench/webhook_load.py.")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--delay-ms", type=float, default=0.0, help="added to every answer")
    args = parser.parse_args()
    serve_fake_api(args.port, args.delay_ms / 1000)


if __name__ == "__main__":
    main()
