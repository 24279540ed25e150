"""Hostile input against the real server: odd messages, traversal in tenant ids, XSS, huge uploads."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from security_support import ADMIN, assert_error_shape

from bot.settings import Settings

CHAT = "/api/v1/chat"
TENANT = "seohae-mudfest"
# Small and fixed: a chunk counted as sent has mostly left the client.
CLIENT_SEND_BUFFER = 256 << 10
XSS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg/onload=alert(1)>')


def chat(http: httpx.Client, message: str, tenant: str = TENANT) -> httpx.Response:
    return http.post(CHAT, json={"tenant": tenant, "session_id": None, "message": message})


def assert_reply(response: httpx.Response) -> dict[str, object]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["decision"] in {"answer", "suggest", "fallback", "dialogue"}
    assert body["messages"] and all(isinstance(m["text"], str) for m in body["messages"])
    return body


@pytest.mark.parametrize(
    "message",
    [
        "주차장 parking 駐車場 парковка 🅿️ مواقف السيارات 어디?",  # mixed scripts
        "\u202e주차장\u202c 어디\u200b예요\ufeff?",  # bidi override, zero-width space, BOM
        "주\x00차\x1b[31m장\x07 어디\x08예요?",  # NUL, ANSI escape, bell, backspace
        "ㅋ" * 1000,  # exactly the limit
        "\U0001f600" * 500,  # astral plane only
        "가" + "\u0301" * 400,  # a tower of combining marks
        '/choose_faq{"faq_id":"../../etc/passwd"}',  # a forged button payload
        '/feedback{"faq_id":"x","helpful":"<script>"}',
        '/choose_tenant{"tenant":"../etc"}',
        "/" + "{" * 500,
    ],
)
def test_odd_messages_get_a_normal_reply(http: httpx.Client, message: str) -> None:
    body = assert_reply(chat(http, message))
    assert "passwd" not in json.dumps(body) and "<script>" not in json.dumps(body)


@pytest.mark.parametrize("message", ["", "   \n\t ", "가" * 1001, "a" * 5000])
def test_empty_and_overlong_messages_are_422_without_echo(http: httpx.Client, message: str) -> None:
    response = chat(http, message)
    assert_error_shape(response, 422)
    if message.strip():
        assert message[:50] not in response.text


def test_a_body_over_16_kb_is_413(http: httpx.Client) -> None:
    assert_error_shape(chat(http, "가" * 20_000), 413)


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe\x00\x01binary\x00garbage",
        b'{"tenant": "seohae-mudfest", "message": "\xed\xa0\x80"}',  # invalid UTF-8
        b'{"tenant": "seohae-mudfest", "session_id": null, "message": "\\ud800\\udfff\\ud800"}',
        b'{"tenant": "seohae-mudfest", "session_id": null, "message": ["a"]}',
        b"[" * 5000 + b"]" * 5000,  # deep nesting
        b'{"tenant": "seohae-mudfest", "message": "a", "message": "' + b"b" * 100 + b'"}',
        b"null",
    ],
)
def test_binary_and_malformed_bodies_get_json_errors(http: httpx.Client, body: bytes) -> None:
    response = http.post(CHAT, content=body, headers={"content-type": "application/json"})
    assert response.status_code < 500, response.text
    if response.status_code != 200:
        assert_error_shape(response, response.status_code)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tenants/%2e%2e",
        "/api/v1/tenants/..%2f..%2fetc%2fpasswd",
        "/api/v1/tenants/%2e%2e%2f%2e%2e%2fdata%2ftenants%2fseohae-mudfest",
        "/api/v1/tenants/..%5c..%5cwindows",
        "/api/v1/tenants/seohae-mudfest%00",
        "/kakao/..%2f..%2fetc/skill",
        "/api/v1/admin/tenants/..%2fseohae-mudfest/faq/versions",
        "/api/v1/admin/tenants/%2e%2e/faq/live",
    ],
)
def test_path_traversal_in_tenant_ids_is_refused(http: httpx.Client, path: str) -> None:
    method = "POST" if path.endswith("/skill") else "GET"
    response = http.request(method, path, headers=ADMIN, json={} if method == "POST" else None)
    assert response.status_code in {404, 422}, response.text
    assert_error_shape(response, response.status_code)
    assert "root:" not in response.text and "display_name" not in response.text


def test_literal_dot_segments_never_leave_the_tenant_namespace(live_url: str) -> None:
    # Sent over a raw socket: HTTP clients remove "../" themselves before sending.
    status, body = raw_request(live_url, b"GET /api/v1/tenants/../../../etc/passwd HTTP/1.1\r\n")
    assert status in {400, 404} and b"root:" not in body


@pytest.mark.parametrize(
    "tenant", ["../etc", "..", "SEOHAE-MUDFEST", "seohae mudfest", "a" * 100, "<b>x</b>"]
)
def test_malformed_tenant_in_chat_is_422(http: httpx.Client, tenant: str) -> None:
    response = chat(http, "주차장 어디예요?", tenant=tenant)
    assert_error_shape(response, 422)
    assert tenant not in response.text


@pytest.mark.parametrize("payload", XSS)
def test_xss_in_questions_is_never_reflected(http: httpx.Client, payload: str) -> None:
    body = assert_reply(chat(http, f"{payload} 주차장 어디예요?"))
    assert payload not in json.dumps(body, ensure_ascii=False)
    response = http.get(f"/api/v1/tenants/{payload}")
    assert_error_shape(response, 404 if "/" in payload else 422)
    assert payload not in response.text
    response = http.get(f"/{payload}")
    assert response.headers["content-type"].startswith("application/json")
    assert payload not in response.text


@pytest.mark.parametrize("page", ["/", "/admin"])
def test_html_pages_have_a_strict_csp_and_do_not_reflect_query_strings(http: httpx.Client, page: str) -> None:
    response = http.get(page, params={"q": XSS[0], "tenant": XSS[1]})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-content-type-options"].split(",")[0] == "nosniff"
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "object-src 'none'" in csp or "default-src 'none'" in csp
    for payload in XSS:
        assert payload not in response.text


def test_json_errors_are_not_sniffable_as_html(http: httpx.Client) -> None:
    response = http.get("/api/v1/tenants/no-such-tenant")
    assert_error_shape(response, 404)
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_100_mb_upload_is_refused_by_its_length_before_the_body_is_read(live_url: str) -> None:
    head = (
        b"POST /api/v1/admin/tenants/seohae-mudfest/faq/drafts HTTP/1.1\r\n"
        b"authorization: " + ADMIN["authorization"].encode() + b"\r\n"
        b"content-type: multipart/form-data; boundary=x\r\n"
        b"content-length: 104857600\r\n"
    )
    started = time.monotonic()
    status, body = raw_request(live_url, head)  # headers only: the 100 MB never come
    assert status == 413 and time.monotonic() - started < 5
    assert json.loads(body)["error"]["code"] == "upload_too_large"


def test_a_chunked_upload_is_cut_off_once_past_the_limit(live_url: str, hostile_settings: Settings) -> None:
    head = (
        b"POST /api/v1/admin/tenants/seohae-mudfest/faq/drafts HTTP/1.1\r\n"
        b"authorization: " + ADMIN["authorization"].encode() + b"\r\n"
        b"content-type: multipart/form-data; boundary=x\r\n"
        b"transfer-encoding: chunked\r\n"
    )
    part = b'--x\r\ncontent-disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
    head += b"host: test\r\n\r\n" + b"%x\r\n%s\r\n" % (len(part), part)
    data = b"q,a\n" * (1 << 18)  # 1 MB
    chunk = b"%x\r\n%s\r\n" % (len(data), data)
    sent, status, body = stream_until_answered(live_url, head, chunk, max_chunks=100)
    assert status == 413, body
    # Past the limit, what the client got sent sits in the kernel: at most the server socket's
    # receive buffer (autotuned up to tcp_rmem's maximum) and the client's send buffer.
    limit = hostile_settings.max_upload_bytes >> 20
    assert sent <= limit + (CLIENT_SEND_BUFFER + receive_buffer_max() >> 20) + 1, (
        f"server read ~{sent} MB before refusing"
    )


def receive_buffer_max() -> int:
    """The largest a TCP receive buffer may grow to here (Linux), 6 MB where unknown."""
    try:
        return int(Path("/proc/sys/net/ipv4/tcp_rmem").read_text().split()[2])
    except (OSError, IndexError, ValueError):
        return 6 << 20


def raw_request(url: str, request_line_and_headers: bytes) -> tuple[int, bytes]:
    """Send a hand-written request (no body) and read the whole response of a closed connection."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(request_line_and_headers + b"host: test\r\nconnection: close\r\n\r\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def stream_until_answered(url: str, head: bytes, chunk: bytes, max_chunks: int) -> tuple[int, int, bytes]:
    """Stream ``chunk`` until the server answers; returns (chunks sent, status, body)."""
    parts = urlsplit(url)
    with socket.socket() as sock:
        # A fixed send buffer (no autotuning), so what "sent" counts reached the server's side.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, CLIENT_SEND_BUFFER)
        sock.settimeout(30)
        sock.connect((parts.hostname, parts.port))
        sock.sendall(head)
        sock.setblocking(False)
        sent = 0
        data = b""
        while sent < max_chunks:
            try:
                data += sock.recv(65536)
                if b"\r\n\r\n" in data:
                    break
            except BlockingIOError:
                pass
            try:
                sock.setblocking(True)
                sock.settimeout(5)
                sock.sendall(chunk)
                sent += 1
            except OSError:
                break
            finally:
                sock.setblocking(False)
        sock.setblocking(True)
        sock.settimeout(10)
        while b"\r\n\r\n" not in data:
            more = sock.recv(65536)
            if not more:
                break
            data += more
    head_part, _, body = data.partition(b"\r\n\r\n")
    return sent, int(head_part.split(b" ", 2)[1]), body
