"""A scripted Bolt endpoint for wire-level tests. **Not Neo4j**: it runs no Cypher.

It speaks enough of the Bolt protocol (version 5.0: handshake, chunked PackStream
messages, HELLO, BEGIN, RUN, PULL, DISCARD, COMMIT, ROLLBACK, RESET, GOODBYE) for the
official driver to connect, and answers each query from a script the test gives it. It
records every message the driver sends, so a test can pin what goes over the wire: the
access mode and time limit of each transaction, the bookmarks it carries, how many times
a load is attempted. What Neo4j would *do* with the Cypher is the live suite's business.
"""

from __future__ import annotations

import itertools
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: What the script answers for a query: rows (with column names), or a failure.
Rows = tuple[list[str], list[list[Any]]]


@dataclass(frozen=True)
class Failure:
    code: str
    message: str = "scripted failure"


Script = Callable[[str, dict[str, Any]], "Rows | Failure"]

HELLO, GOODBYE, RESET, RUN, BEGIN, COMMIT, ROLLBACK = 0x01, 0x02, 0x0F, 0x10, 0x11, 0x12, 0x13
DISCARD, PULL, LOGON = 0x2F, 0x3F, 0x6A
SUCCESS, RECORD, IGNORED, FAILURE = 0x70, 0x71, 0x7E, 0x7F
NAMES = {
    HELLO: "HELLO", GOODBYE: "GOODBYE", RESET: "RESET", RUN: "RUN", BEGIN: "BEGIN",
    COMMIT: "COMMIT", ROLLBACK: "ROLLBACK", DISCARD: "DISCARD", PULL: "PULL", LOGON: "LOGON",
}  # fmt: skip


# -- PackStream ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Structure:
    tag: int
    fields: tuple[Any, ...]


def pack(value: Any) -> bytes:
    if value is None:
        return b"\xc0"
    if value is True or value is False:
        return b"\xc3" if value else b"\xc2"
    if isinstance(value, int):
        if -16 <= value < 128:
            return struct.pack(">b", value)
        for marker, fmt, low, high in ((0xC8, ">b", -128, 127), (0xC9, ">h", -(2**15), 2**15 - 1),
                                       (0xCA, ">i", -(2**31), 2**31 - 1)):  # fmt: skip
            if low <= value <= high:
                return bytes([marker]) + struct.pack(fmt, value)
        return b"\xcb" + struct.pack(">q", value)
    if isinstance(value, float):
        return b"\xc1" + struct.pack(">d", value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _sized(len(data), 0x80, 0xD0) + data
    if isinstance(value, list | tuple):
        return _sized(len(value), 0x90, 0xD4) + b"".join(pack(v) for v in value)
    if isinstance(value, dict):
        items = b"".join(pack(str(k)) + pack(v) for k, v in value.items())
        return _sized(len(value), 0xA0, 0xD8) + items
    if isinstance(value, Structure):
        return bytes([0xB0 | len(value.fields), value.tag]) + b"".join(
            pack(f) for f in value.fields
        )
    raise TypeError(f"cannot pack {value!r}")


def _sized(size: int, tiny: int, marker: int) -> bytes:
    if size < 16:
        return bytes([tiny | size])
    for offset, fmt in enumerate((">B", ">H", ">I")):
        if size < 256 ** (2**offset):
            return bytes([marker + offset]) + struct.pack(fmt, size)
    raise ValueError("too big")


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, n: int) -> bytes:
        chunk = self.data[self.at : self.at + n]
        self.at += n
        return chunk

    def number(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.take(struct.calcsize(fmt)))[0]

    def value(self) -> Any:
        m = self.take(1)[0]
        if m < 0x80 or m >= 0xF0:
            return struct.unpack(">b", bytes([m]))[0]
        high, low = m & 0xF0, m & 0x0F
        if high in (0x80, 0x90, 0xA0, 0xB0):
            return self.sized(high, low)
        simple = {0xC0: None, 0xC2: False, 0xC3: True}
        if m in simple:
            return simple[m]
        numbers = {0xC1: ">d", 0xC8: ">b", 0xC9: ">h", 0xCA: ">i", 0xCB: ">q"}
        if m in numbers:
            return self.number(numbers[m])
        kinds = {0xD0: 0x80, 0xD4: 0x90, 0xD8: 0xA0, 0xCC: 0xCC}
        base = next(b for b in (0xD0, 0xD4, 0xD8, 0xCC) if b <= m <= b + 2)
        size = self.number((">B", ">H", ">I")[m - base])
        if base == 0xCC:
            return self.take(size)
        return self.sized(kinds[base], size)

    def sized(self, kind: int, size: int) -> Any:
        if kind == 0x80:
            return self.take(size).decode("utf-8")
        if kind == 0x90:
            return [self.value() for _ in range(size)]
        if kind == 0xA0:
            return {self.value(): self.value() for _ in range(size)}
        tag = self.take(1)[0]
        return Structure(tag, tuple(self.value() for _ in range(size)))


# -- the endpoint ----------------------------------------------------------------------------


@dataclass
class ScriptedBolt:
    """A Bolt endpoint on 127.0.0.1 that answers from ``script`` and records what it got."""

    script: Script
    received: list[tuple[str, list[Any]]] = field(default_factory=list)
    #: The bookmark each COMMIT answered, in order.
    committed: list[str] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._bookmarks = itertools.count(1)
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._threads: list[threading.Thread] = []
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    def messages(self, name: str) -> list[list[Any]]:
        """The fields of every message called ``name`` (``BEGIN``, ``RUN``, ...) received."""
        return [fields for n, fields in list(self.received) if n == name]

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            try:
                if conn.recv(4, socket.MSG_WAITALL) != b"\x60\x60\xb0\x17":
                    return
                conn.recv(16, socket.MSG_WAITALL)
                conn.sendall(b"\x00\x00\x00\x05")  # Bolt 5.0
                _Session(self, conn).run()
            except (OSError, ConnectionError, IndexError):
                return

    def next_bookmark(self) -> str:
        return f"stub-bookmark-{next(self._bookmarks)}"


class _Session:
    def __init__(self, bolt: ScriptedBolt, conn: socket.socket) -> None:
        self.bolt, self.conn = bolt, conn
        self.failed = False
        self.in_tx = False
        self.pending: list[list[Any]] = []

    def read_message(self) -> Structure | None:
        data = b""
        while True:
            head = self.conn.recv(2, socket.MSG_WAITALL)
            if len(head) < 2:
                return None
            size = struct.unpack(">H", head)[0]
            if size == 0:
                if data:
                    message: Structure = _Reader(data).value()
                    return message
                continue  # a no-op chunk (keep-alive)
            data += self.conn.recv(size, socket.MSG_WAITALL)

    def send(self, tag: int, *fields: Any) -> None:
        body = pack(Structure(tag, fields))
        self.conn.sendall(struct.pack(">H", len(body)) + body + b"\x00\x00")

    def run(self) -> None:
        while (message := self.read_message()) is not None:
            name = NAMES.get(message.tag, hex(message.tag))
            self.bolt.received.append((name, list(message.fields)))
            if message.tag == GOODBYE:
                return
            if message.tag == RESET:
                self.failed, self.in_tx, self.pending = False, False, []
                self.send(SUCCESS, {})
            elif self.failed:
                self.send(IGNORED)
            else:
                self.answer(message)

    def answer(self, message: Structure) -> None:
        tag, fields = message.tag, message.fields
        if tag in (HELLO, LOGON):
            self.send(SUCCESS, {"server": "Neo4j/5.26.0", "connection_id": "bolt-stub"})
        elif tag == BEGIN:
            self.in_tx = True
            self.send(SUCCESS, {})
        elif tag == RUN:
            outcome = self.bolt.script(str(fields[0]), dict(fields[1]))
            if isinstance(outcome, Failure):
                self.failed = True
                self.send(FAILURE, {"code": outcome.code, "message": outcome.message})
                return
            columns, self.pending = outcome
            self.send(SUCCESS, {"fields": columns, "t_first": 0, "qid": 0})
        elif tag in (PULL, DISCARD):
            for row in self.pending if tag == PULL else []:
                self.send(RECORD, row)
            self.pending = []
            done: dict[str, Any] = {"has_more": False, "t_last": 0, "type": "r"}
            if not self.in_tx:
                done["bookmark"] = self.bolt.next_bookmark()
            self.send(SUCCESS, done)
        elif tag == COMMIT:
            self.in_tx = False
            bookmark = self.bolt.next_bookmark()
            self.bolt.committed.append(bookmark)
            self.send(SUCCESS, {"bookmark": bookmark})
        elif tag == ROLLBACK:
            self.in_tx = False
            self.send(SUCCESS, {})
        else:
            self.failed = True
            self.send(FAILURE, {"code": "Neo.ClientError.Request.Invalid", "message": "unscripted"})
