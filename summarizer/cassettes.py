"""Recorded HTTP exchanges ("cassettes"): how they are written, scrubbed, matched and replayed.

Cassettes are vcrpy's YAML, written readable: Vietnamese stays Vietnamese (`allow_unicode`), JSON
bodies are pretty-printed, and secret headers (authorization, api-key, organisation, cookies)
never reach the file. Bodies hold article text, so in them only key-shaped tokens are redacted
(`secrets.redact_keys`), never ordinary words. The test suite records and replays them through
pytest-recording; the offline demo (`summarizer batch` with no API key) replays them through
`ReplayTransport`, with no vcrpy at run time.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx2
import yaml

from .secrets import SECRET_HEADERS, redact, redact_keys

STABLE_HOST = "http://reference-server.test"


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_representer)


def _pretty_json(text: str | bytes | None) -> str | None:
    if text is None:
        return None
    raw = text.decode("utf-8") if isinstance(text, bytes) else text
    try:
        return json.dumps(json.loads(raw), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    except ValueError:
        return raw


def _plain(value: Any) -> Any:
    """Bytes to text, so that YAML holds readable strings only."""
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class ReadableYaml:
    """A vcrpy serializer: safe YAML, Unicode kept, JSON bodies pretty-printed."""

    @staticmethod
    def serialize(cassette: dict[str, Any]) -> str:
        data = _plain(cassette)
        for interaction in data.get("interactions", []):
            request, response = interaction["request"], interaction["response"]
            request["body"] = _pretty_json(request.get("body"))
            response["body"]["string"] = _pretty_json(response["body"].get("string"))
        return str(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100))

    @staticmethod
    def deserialize(text: str) -> dict[str, Any]:
        data: dict[str, Any] = yaml.safe_load(text) or {}
        for interaction in data.get("interactions", []):
            request, response = interaction["request"], interaction["response"]
            if isinstance(request.get("body"), str):
                request["body"] = request["body"].encode("utf-8")
            body = response["body"].get("string")
            if isinstance(body, str):
                response["body"]["string"] = body.encode("utf-8")
        return data


def _without_secrets(headers: dict[str, Any]) -> dict[str, Any]:
    """Headers minus secrets, client fingerprints (x-*) and the recording host's address."""
    return {
        k: v
        for k, v in headers.items()
        if k.lower() not in SECRET_HEADERS | {"host"} and not k.lower().startswith("x-")
    }


def scrub_request(request: Any) -> Any:
    """vcrpy before_record_request: no secret headers, a stable host, no keys in the query
    or the body."""
    request.headers = _without_secrets(dict(request.headers))
    parts = urlsplit(request.uri)
    request.uri = STABLE_HOST + parts.path + (f"?{redact(parts.query)}" if parts.query else "")
    if isinstance(request.body, bytes):
        request.body = redact_keys(request.body.decode("utf-8")).encode("utf-8")
    elif isinstance(request.body, str):
        request.body = redact_keys(request.body)
    return request


def scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    """vcrpy before_record_response: keep only the headers a client needs; no keys in the
    body (servers echo a bad key back in their error message)."""
    keep = {"content-type", "retry-after", "retry-after-ms"}
    response["headers"] = {
        k: v for k, v in response.get("headers", {}).items() if k.lower() in keep
    }
    body = response["body"].get("string")
    if isinstance(body, bytes):
        response["body"]["string"] = redact_keys(body.decode("utf-8", "replace")).encode("utf-8")
    elif isinstance(body, str):
        response["body"]["string"] = redact_keys(body)
    return response


def canonical_body(body: bytes | str | None) -> Any:
    """A request body in comparable form: parsed JSON, or the text."""
    if body is None:
        return None
    raw = body.decode("utf-8") if isinstance(body, bytes) else body
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def json_body_matcher(r1: Any, r2: Any) -> None:
    """vcrpy matcher: the two requests' JSON bodies are equal (formatting aside)."""
    if canonical_body(r1.body) != canonical_body(r2.body):
        raise AssertionError("request bodies differ")


class ReplayTransport(httpx2.MockTransport):
    """Answers requests from recorded cassettes: same path and JSON body → recorded response."""

    def __init__(self, cassettes: Iterable[Path]) -> None:
        self._answers: dict[str, list[tuple[int, dict[str, str], bytes]]] = {}
        self.sources: list[Path] = []
        for path in cassettes:
            self.sources.append(path)
            data = ReadableYaml.deserialize(path.read_text(encoding="utf-8"))
            for interaction in data.get("interactions", []):
                request, response = interaction["request"], interaction["response"]
                key = self._key(urlsplit(request["uri"]).path, request.get("body"))
                headers = {
                    k: v[0] if isinstance(v, list) else v
                    for k, v in response.get("headers", {}).items()
                }
                self._answers.setdefault(key, []).append(
                    (int(response["status"]["code"]), headers, response["body"]["string"] or b"")
                )
        super().__init__(self._handle)

    @staticmethod
    def _key(path: str, body: bytes | str | None) -> str:
        return path + "\n" + json.dumps(canonical_body(body), sort_keys=True, ensure_ascii=False)

    def _handle(self, request: httpx2.Request) -> httpx2.Response:
        answers = self._answers.get(self._key(request.url.path, request.content))
        if not answers:
            return httpx2.Response(
                404,
                json={"error": {"message": "no recording for this request", "type": "replay"}},
            )
        status, headers, body = answers[0]
        if len(answers) > 1:
            answers.pop(0)  # recorded retries are replayed in order, the last one repeats
        return httpx2.Response(status, headers=headers, content=body)
