"""Raw HTTP/1.1 over a socket: to send headers without a body, or a body in chunks."""

from __future__ import annotations

import select
import socket
from urllib.parse import urlsplit

CHUNK = 16 * 1024


def _connect(url: str) -> tuple[socket.socket, str, str]:
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=10)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return sock, path, parts.netloc


def _status(sock: socket.socket) -> int:
    data = b""
    try:
        while b"\r\n" not in data:
            piece = sock.recv(4096)
            if not piece:
                break
            data += piece
    except OSError:
        pass
    line = data.split(b"\r\n", 1)[0].split()
    return int(line[1]) if len(line) >= 2 and line[1].isdigit() else 0


def declared_only(url: str, length: int, content_type: str = "application/json") -> int:
    """POST announcing `length` bytes but sending none: the status the server answers with."""
    sock, path, host = _connect(url)
    with sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {length}\r\n\r\n"
        )
        sock.sendall(head.encode())
        return _status(sock)


def chunked_unfinished(url: str, total: int, content_type: str = "application/json") -> int:
    """POST `total` bytes chunked (no length) and never end the body: the status answered.

    A server that waited for the whole body would never answer (status 0 after the timeout).
    """
    sock, path, host = _connect(url)
    with sock:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n"
        )
        sock.sendall(head.encode())
        sent = 0
        try:
            while sent < total:
                readable, _, _ = select.select([sock], [], [], 0)
                if readable:
                    break  # the server has answered already
                sock.sendall(f"{CHUNK:x}\r\n".encode() + b"x" * CHUNK + b"\r\n")
                sent += CHUNK
        except OSError:
            pass  # the server closed the connection after answering
        return _status(sock)
