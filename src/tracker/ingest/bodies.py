"""A response's body: its Content-Encoding undone as it arrives, never past the cap."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import httpx

from tracker.ingest.sockets import Deadline


class BodyTooLarge(Exception):
    pass


class Decoder:
    """One Content-Encoding undone incrementally, never more output than asked for."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._zlib: Any = None
        self._pending = b""
        self._members = 0
        self._finished = False

    def _new(self, first: bytes) -> Any:
        if self.encoding in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is zlib-wrapped by the standard and raw by some servers: look.
        wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes, room: int) -> Iterator[bytes]:
        """Decompressed pieces of ``data``; stops (raising) once more than ``room`` bytes
        would come out in total."""
        if self._finished:
            return
        data = self._pending + data
        self._pending = b""
        produced = 0
        while data:
            if self._zlib is None:
                if len(data) < 2:
                    self._pending = data
                    return
                self._zlib = self._new(data)
                self._members += 1
            try:
                out = self._zlib.decompress(data, room - produced + 1)
            except zlib.error as exc:
                if self._members > 1:
                    # Bytes after a whole gzip member that are no member: padding, ignored.
                    self._finished = True
                    return
                raise ValueError(f"corrupt {self.encoding} body: {exc}") from None
            produced += len(out)
            if produced > room:
                raise BodyTooLarge
            if out:
                yield out
            if self._zlib.eof:
                # Another gzip member may follow (concatenated streams are valid gzip).
                data = self._zlib.unused_data
                self._zlib = None
                if self.encoding == "deflate":
                    self._finished = True
                    return
            else:
                # Output below the limit means zlib took all the input it could use.
                data = self._zlib.unconsumed_tail


def read_body(response: httpx.Response, cap: int, deadline: Deadline) -> bytes:
    """The body of a 2xx ``response``, decoded, of at most ``cap`` bytes.

    A body refused before or while it is read (a Content-Encoding not undone here, a
    corrupt stream, a declared length over the cap, the deadline passed) raises
    ValueError saying why; one that grows past the cap raises BodyTooLarge.
    """
    encodings = [
        e.strip().lower()
        for e in response.headers.get("content-encoding", "").split(",")
        if e.strip() and e.strip().lower() != "identity"
    ]
    if len(encodings) > 1:
        raise ValueError(f"refused: more than one Content-Encoding ({', '.join(encodings)})")
    if encodings and encodings[0] not in ("gzip", "x-gzip", "deflate"):
        raise ValueError(f"refused: unsupported Content-Encoding {encodings[0]!r}")
    declared = response.headers.get("content-length", "")
    if not encodings and declared.isdigit() and int(declared) > cap:
        raise ValueError(f"body over the {cap} byte cap")
    decoder = Decoder(encodings[0]) if encodings else None
    chunks: list[bytes] = []
    size = received = 0
    for raw in response.iter_raw():
        received += len(raw)
        if received > cap:
            raise BodyTooLarge
        pieces = decoder.feed(raw, cap - size) if decoder else (raw,)
        for piece in pieces:
            size += len(piece)
            if size > cap:
                raise BodyTooLarge
            chunks.append(piece)
        if deadline.passed():
            raise ValueError(f"fetch took longer than {deadline.seconds:g}s")
    return b"".join(chunks)
