"""OpenAPI 3.0 description of the app's HTTP JSON API, served at /openapi.json.

Described by hand, next to the endpoints it names: the public chat API of the widget,
the desk's chat API (staff session + CSRF header), Rasa's NLG endpoint, the Telegram
webhook and the health check. `tests/security/test_openapi.py` fuzzes it (schemathesis)
and checks that every JSON route of the app is described here.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

OPENAPI_PATH = "/openapi.json"
Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _json_body(schema: Schema, required: bool = True) -> Schema:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def _answer(description: str, schema: Schema | None = None) -> Schema:
    answer: Schema = {"description": description}
    if schema is not None:
        answer["content"] = {"application/json": {"schema": schema}}
    return answer


ERROR = _ref("Error")
REFUSALS: dict[str, Schema] = {
    "400": _answer("invalid body; `field` names the problem", ERROR),
    "403": _answer("unknown or altered conversation id", ERROR),
    "413": _answer("body larger than the limit", ERROR),
}


def _components() -> Schema:
    language = {"type": "string", "description": "BCP-47 code of a supported language"}
    segment = {
        "type": "object",
        "properties": {"text": {"type": "string"}, "href": {"type": "string"}},
        "required": ["text"],
    }
    button = {
        "type": "object",
        "properties": {"title": {"type": "string"}, "payload": {"type": "string"}},
        "required": ["title", "payload"],
    }
    return {
        "schemas": {
            "Error": {
                "type": "object",
                "properties": {"error": {"type": "string"}, "field": {"type": "string"}},
                "required": ["error"],
            },
            "Language": language,
            "ConversationRef": {
                "type": "object",
                "properties": {"conversation": {"type": "string", "maxLength": 200}},
                "required": ["conversation"],
            },
            "ChatMessage": {
                "type": "object",
                "properties": {
                    "segments": {"type": "array", "items": segment},
                    "buttons": {"type": "array", "items": button},
                    "service_id": {"type": "string"},
                },
            },
            "ChatReply": {
                "type": "object",
                "properties": {"messages": {"type": "array", "items": _ref("ChatMessage")}},
                "required": ["messages"],
            },
        },
        "securitySchemes": {
            "staffSession": {"type": "apiKey", "in": "cookie", "name": "cremona_staff"},
            "csrfHeader": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
            "internalToken": {"type": "apiKey", "in": "query", "name": "token"},
            "telegramSecret": {
                "type": "apiKey",
                "in": "header",
                "name": "X-Telegram-Bot-Api-Secret-Token",
            },
        },
    }


def _widget_paths() -> Schema:
    conversation = _ref("ConversationRef")
    unavailable = _answer("the assistant is temporarily unavailable", ERROR)
    return {
        "/api/chat/start": {
            "post": {
                "summary": "Start a conversation: a new signed conversation id",
                "requestBody": _json_body(
                    {"type": "object", "properties": {"language": _ref("Language")}}
                ),
                "responses": {
                    "200": _answer(
                        "the conversation id to keep",
                        {
                            "type": "object",
                            "properties": {
                                "conversation": {"type": "string"},
                                "language": {"type": "string"},
                                "direction": {"type": "string", "enum": ["ltr", "rtl"]},
                            },
                            "required": ["conversation", "language", "direction"],
                        },
                    ),
                    "400": REFUSALS["400"],
                    "413": REFUSALS["413"],
                },
            }
        },
        "/api/chat/send": {
            "post": {
                "summary": "One turn: the person's text, or a button payload the bot offered",
                "requestBody": _json_body(
                    {
                        "type": "object",
                        "properties": {
                            "conversation": {"type": "string", "maxLength": 200},
                            "text": {"type": "string", "minLength": 1, "maxLength": 1000},
                            "language": _ref("Language"),
                        },
                        "required": ["conversation", "text"],
                    }
                ),
                "responses": {
                    "200": _answer("the assistant's reply", _ref("ChatReply")),
                    **REFUSALS,
                    "503": unavailable,
                },
            }
        },
        "/api/chat/language": {
            "post": {
                "summary": "The person chose a language from the list",
                "requestBody": _json_body(
                    {
                        "type": "object",
                        "properties": {
                            "conversation": {"type": "string"},
                            "language": _ref("Language"),
                        },
                        "required": ["conversation", "language"],
                    }
                ),
                "responses": {
                    "200": _answer("the reply in that language", _ref("ChatReply")),
                    **REFUSALS,
                    "503": unavailable,
                },
            }
        },
        "/api/chat/poll": {
            "post": {
                "summary": "Staff replies waiting for this conversation (delivered once)",
                "requestBody": _json_body(conversation),
                "responses": {
                    "200": _answer("waiting staff replies", _ref("ChatReply")),
                    **REFUSALS,
                },
            }
        },
    }


def _desk_paths() -> Schema:
    staff: list[Schema] = [{"staffSession": [], "csrfHeader": []}]
    refused = {
        "400": REFUSALS["400"],
        "401": _answer("not logged in", ERROR),
        "403": _answer("not a desk user, or no CSRF token", ERROR),
        "413": REFUSALS["413"],
    }
    reply = _answer("the latest turn, in the person's language and in Italian", {"type": "object"})

    def post(summary: str, properties: Schema, required: list[str]) -> Schema:
        body: Schema = {"type": "object", "properties": properties}
        if required:
            body["required"] = required
        return {
            "post": {
                "summary": summary,
                "security": staff,
                "requestBody": _json_body(body, required=bool(required)),
                "responses": {"200": reply, **refused, "503": _answer("engine down", ERROR)},
            }
        }

    return {
        "/desk/api/chat": {
            "get": {
                "summary": "The desk conversation so far",
                "security": staff,
                "responses": {"200": reply, "401": refused["401"], "403": refused["403"]},
            }
        },
        "/desk/api/chat/send": post(
            "What the person typed at the desk",
            {"text": {"type": "string", "minLength": 1, "maxLength": 1000, "pattern": "\\S"}},
            ["text"],
        ),
        "/desk/api/chat/language": post(
            "Answer in this language ('' detects it again)", {"language": {"type": "string"}}, []
        ),
        "/desk/api/chat/show": post(
            "Present a catalogue service in the conversation",
            {"service_id": {"type": "string", "minLength": 1, "maxLength": 64, "pattern": "\\S"}},
            ["service_id"],
        ),
        "/desk/api/chat/new": post("A new person at the desk", {}, []),
    }


def _internal_paths() -> Schema:
    return {
        "/health": {
            "get": {
                "summary": "Rasa, the action server and the database",
                "responses": {
                    "200": _answer("all up", {"type": "object"}),
                    "503": _answer("something is down", {"type": "object"}),
                },
            }
        },
        "/nlg": {
            "post": {
                "summary": "Rasa's NLG endpoint: a reply rendered from locales/",
                "security": [{"internalToken": []}],
                "requestBody": _json_body(
                    {
                        "type": "object",
                        "properties": {
                            "response": {"type": "string"},
                            "arguments": {"type": "object"},
                            "tracker": {"type": "object"},
                            "channel": {"type": "object"},
                        },
                        "required": ["response"],
                    }
                ),
                "responses": {
                    "200": _answer(
                        "the rendered reply",
                        {
                            "type": "object",
                            "properties": {"text": {"type": "string"}, "buttons": {}},
                        },
                    ),
                    "400": REFUSALS["400"],
                    "401": _answer("missing or wrong token", ERROR),
                    "413": REFUSALS["413"],
                },
            }
        },
        "/telegram/webhook": {
            "post": {
                "summary": "Telegram updates (TELEGRAM_MODE=webhook only)",
                "security": [{"telegramSecret": []}],
                "requestBody": _json_body(
                    {
                        "type": "object",
                        "properties": {"update_id": {"type": "integer"}},
                        "required": ["update_id"],
                    }
                ),
                "responses": {
                    "200": _answer("queued", {"type": "object"}),
                    "400": REFUSALS["400"],
                    "401": _answer("no secret header", ERROR),
                    "403": _answer("wrong secret", ERROR),
                    "404": _answer("webhook mode is off", ERROR),
                    "413": REFUSALS["413"],
                },
            }
        },
    }


@lru_cache(maxsize=1)
def openapi_document() -> Schema:
    """The whole OpenAPI document (built once, on first request)."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Cremona migrant-services assistant: HTTP JSON API",
            "version": "1",
        },
        "paths": {**_widget_paths(), **_desk_paths(), **_internal_paths()},
        "components": _components(),
    }


async def openapi_endpoint(_: Request) -> JSONResponse:
    """GET /openapi.json."""
    return JSONResponse(openapi_document())


def openapi_routes() -> list[Route]:
    """The route serving the description."""
    return [Route(OPENAPI_PATH, openapi_endpoint, methods=["GET"])]
