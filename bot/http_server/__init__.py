"""The bot's HTTP/1.1 server: asyncio's transports, requests parsed by httptools (llhttp).

Why not tornado's HTTPServer: per request it runs several coroutines, an IOStream and header
parsing in Python. Measured with the same load generator (`bench/webhook_load.py`, floors
`raw` and `asyncio`): a bare answer costs ~1.3 ms of CPU at 50 requests a second on tornado's
HTTP layer, ~0.5 ms here, and a webhook /tyle ~1 ms less (bench/README.md, goal 6). No
well-kept library gives this without its own framework (uvicorn speaks ASGI, which tornado.web
does not), so the server is this package: llhttp parses (the request line, the headers,
lengths, chunked bodies, request smuggling), the code here frames, bounds and orders.

- The webhook path (when a `hook` is given) is answered straight on the connection
  (`Exchange.respond`); every other request is handed whole to a tornado.web Application
  through tornado's public HTTP interfaces (`HTTPServerConnectionDelegate.start_request`,
  `HTTPMessageDelegate`, `HTTPConnection`): /healthz, /metrics and the dashboard stay
  tornado.web handlers.
- Hostile input is bounded: the request line and headers at `Limits.head_bytes` (431), the
  body at `Limits.body_bytes` (413, refused from Content-Length before the body is read); a
  request not complete within `Limits.request_seconds` closes its connection (slow senders),
  as does a connection idle for `Limits.idle_seconds`; a malformed request is answered 400 and
  its connection closed; upgrades (websockets, h2c) are refused.
- Requests pipelined on one connection are answered one at a time, in order; reading pauses
  while more than one waits.
- The client's address is the proxy's `X-Real-Ip` / last `X-Forwarded-For` (the deployment
  puts nginx in front), as tornado's `xheaders=True` gave it.
"""

from bot.http_server.connection import Connection
from bot.http_server.exchange import Context, Exchange, Hook, Request
from bot.http_server.server import HttpServer, Limits

__all__ = ["Connection", "Context", "Exchange", "Hook", "HttpServer", "Limits", "Request"]
