"""A Bot API stand-in that answers locally and records every call (console demo, tests, bench)."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_USER = {
    "id": 7000000001,
    "is_bot": True,
    "first_name": "Ký số",
    "username": "kyso_demo_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

_MESSAGE_METHODS = {
    "sendMessage",
    "sendDocument",
    "sendPhoto",
    "sendMediaGroup",
    "editMessageText",
    "editMessageReplyMarkup",
    "copyMessage",
    "forwardMessage",
}


@dataclass
class ApiCall:
    """One Bot API method call the bot made."""

    method: str
    params: dict[str, Any]
    result: Any = None
    uploads: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # field → (name, bytes)


@dataclass
class OfflineRequest(BaseRequest):
    """Answers Bot API calls without a network; `calls` keeps them in order."""

    calls: list[ApiCall] = field(default_factory=list)
    record: bool = True
    files: dict[str, bytes] = field(default_factory=dict)  # file_id → content for getFile
    # chat_id → queued error answers (HTTP status, Bot API error JSON) for the next sends there
    faults: dict[int, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    # Chats that refuse messages, like a user who never started the bot (403 Forbidden).
    blocked_chats: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        """Start message ids at 1."""
        self._ids = itertools.count(1)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    @property
    def read_timeout(self) -> float | None:
        """No timeouts offline."""
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        """Record the call and return a plausible successful answer."""
        if method == "GET" and "/file/" in url:
            file_id = url.rsplit("/", 1)[-1]
            if file_id in self.files:
                return 200, self.files[file_id]
            return 404, b""
        api_method = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        chat = params.get("chat_id", 0) or 0
        queued = self.faults.get(int(chat) if isinstance(chat, int | str) else 0)
        if queued and api_method in _MESSAGE_METHODS:
            status, error = queued.pop(0)
            if self.record:
                self.calls.append(ApiCall(api_method, dict(params), error))
            return status, json.dumps({"ok": False, **error}).encode()
        if api_method in _MESSAGE_METHODS and params.get("chat_id") in self.blocked_chats:
            if self.record:
                self.calls.append(ApiCall(api_method, dict(params), None))
            error = {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot can't initiate conversation with a user",
            }
            return 403, json.dumps(error).encode()
        result = self._result(api_method, params)
        if self.record:
            self.calls.append(ApiCall(api_method, dict(params), result, _uploads(request_data)))
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _result(self, api_method: str, params: dict[str, Any]) -> Any:
        """Result object for a method."""
        if api_method == "getMe":
            return BOT_USER
        if api_method == "getUpdates":
            return []
        if api_method == "getFile":
            file_id = str(params.get("file_id"))
            content = self.files.get(file_id, b"")
            return {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_size": len(content),
                "file_path": f"documents/{file_id}",
            }
        if api_method in _MESSAGE_METHODS:
            chat_id = int(params.get("chat_id", 0) or 0)
            message: dict[str, Any] = {
                "message_id": int(params.get("message_id") or next(self._ids)),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": BOT_USER,
            }
            if "text" in params:
                message["text"] = params["text"]
            if "caption" in params:
                message["caption"] = params["caption"]
            if isinstance(params.get("reply_markup"), dict):
                message["reply_markup"] = params["reply_markup"]
            if api_method == "sendMediaGroup":
                return [message]
            return message
        return True

    # --- helpers for tests and the console ------------------------------------------------

    def fail(self, chat_id: int, status: int, description: str, **parameters: Any) -> None:
        """Make the next send to a chat fail the way Telegram would answer."""
        error: dict[str, Any] = {"error_code": status, "description": description}
        if parameters:
            error["parameters"] = parameters
        self.faults.setdefault(chat_id, []).append((status, error))

    def sent(self, method: str = "sendMessage") -> list[ApiCall]:
        """Calls of one method."""
        return [c for c in self.calls if c.method == method]

    def texts(self) -> list[str]:
        """Texts of sent and edited messages, in order."""
        return [
            str(c.params.get("text"))
            for c in self.calls
            if c.method in ("sendMessage", "editMessageText") and "text" in c.params
        ]

    def clear(self) -> None:
        """Forget recorded calls."""
        self.calls.clear()


def _uploads(request_data: RequestData | None) -> dict[str, tuple[str, bytes]]:
    """Files sent with a call (sendDocument …), as (file name, content)."""
    if request_data is None or not request_data.contains_files:
        return {}
    found: dict[str, tuple[str, bytes]] = {}
    for key, value in (request_data.multipart_data or {}).items():
        if isinstance(value, tuple) and len(value) >= 2 and isinstance(value[1], bytes):
            found[key] = (str(value[0]), value[1])
    return found


_update_ids = itertools.count(1)


def _user(user_id: int, first_name: str, language_code: str | None) -> dict[str, Any]:
    """A Telegram user object."""
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code:
        user["language_code"] = language_code
    return user


def message_update(
    user_id: int,
    text: str,
    *,
    chat_id: int | None = None,
    chat_type: str = "private",
    language_code: str | None = "vi",
    first_name: str = "Demo",
    entities: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Update JSON for a text message (commands get their bot_command entity)."""
    chat_id = user_id if chat_id is None else chat_id
    chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
    if chat_type == "private":
        chat["first_name"] = first_name
    else:
        chat["title"] = "Demo group"
    message: dict[str, Any] = {
        "message_id": next(_update_ids),
        "date": int(time.time()),
        "chat": chat,
        "from": _user(user_id, first_name, language_code),
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    if entities:
        message["entities"] = [*message.get("entities", []), *entities]
    return {"update_id": next(_update_ids), "message": message}


def document_update(
    user_id: int,
    *,
    file_id: str,
    file_name: str,
    file_size: int,
    mime_type: str = "application/octet-stream",
    caption: str | None = None,
    chat_id: int | None = None,
    language_code: str | None = "vi",
    first_name: str = "Demo",
) -> dict[str, Any]:
    """Update JSON for a document sent to the bot (serve its bytes via OfflineRequest.files)."""
    payload = message_update(
        user_id, "", chat_id=chat_id, language_code=language_code, first_name=first_name
    )
    message = payload["message"]
    del message["text"]
    message["document"] = {
        "file_id": file_id,
        "file_unique_id": file_id,
        "file_name": file_name,
        "mime_type": mime_type,
        "file_size": file_size,
    }
    if caption:
        message["caption"] = caption
    return payload


def callback_update(
    user_id: int,
    data: str,
    *,
    message_id: int,
    chat_id: int | None = None,
    language_code: str | None = "vi",
    first_name: str = "Demo",
    message_text: str = "",
) -> dict[str, Any]:
    """Update JSON for pressing an inline button on a bot message."""
    chat_id = user_id if chat_id is None else chat_id
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_update_ids)),
            "from": _user(user_id, first_name, language_code),
            "chat_instance": "demo",
            "data": data,
            "message": {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": BOT_USER,
                "text": message_text,
            },
        },
    }
