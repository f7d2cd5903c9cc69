"""lz-string 1.5.0's URI-safe codec (compressToEncodedURIComponent and its inverse) in Python.

The page compresses full links with the vendored JavaScript lz-string; the server reads them
back (oEmbed for a full link, tests of frozen links). lz-string works on UTF-16 code units, so
text is turned into code units first and back at the end: astral characters (emoji) survive.
"""

from __future__ import annotations

import struct

URI_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$"
_URI_INDEX = {c: i for i, c in enumerate(URI_ALPHABET)}


def _units(text: str) -> list[int]:
    """UTF-16 code units of ``text`` (as JavaScript sees a string)."""
    data = text.encode("utf-16-le", "surrogatepass")
    return list(struct.unpack(f"<{len(data) // 2}H", data))


def _text(units: list[int]) -> str:
    return struct.pack(f"<{len(units)}H", *units).decode("utf-16-le", "surrogatepass")


class _Bits:
    """Writes values bit by bit, least significant first, into 6-bit output characters."""

    def __init__(self, bits_per_char: int, alphabet: str):
        self.out: list[str] = []
        self.val = 0
        self.pos = 0
        self.width = bits_per_char
        self.alphabet = alphabet

    def put(self, value: int, nbits: int) -> None:
        for _ in range(nbits):
            self.val = (self.val << 1) | (value & 1)
            value >>= 1
            if self.pos == self.width - 1:
                self.pos = 0
                self.out.append(self.alphabet[self.val])
                self.val = 0
            else:
                self.pos += 1

    def finish(self) -> str:
        while True:
            self.val <<= 1
            if self.pos == self.width - 1:
                self.out.append(self.alphabet[self.val])
                return "".join(self.out)
            self.pos += 1


def compress_to_uri(text: str) -> str:
    """Same output as lz-string's ``compressToEncodedURIComponent(text)``."""
    bits = _Bits(6, URI_ALPHABET)
    dictionary: dict[tuple, int] = {}
    to_create: set[tuple] = set()
    w: tuple = ()
    enlarge_in, dict_size, num_bits = 2, 3, 2

    def emit(word: tuple) -> None:
        nonlocal enlarge_in, num_bits
        if word in to_create:
            if word[0] < 256:
                bits.put(0, num_bits)
                bits.put(word[0], 8)
            else:
                bits.put(1, num_bits)
                bits.put(word[0], 16)
            enlarge_in -= 1
            if enlarge_in == 0:
                enlarge_in = 2**num_bits
                num_bits += 1
            to_create.discard(word)
        else:
            bits.put(dictionary[word], num_bits)
        enlarge_in -= 1
        if enlarge_in == 0:
            enlarge_in = 2**num_bits
            num_bits += 1

    for unit in _units(text):
        c = (unit,)
        if c not in dictionary:
            dictionary[c] = dict_size
            dict_size += 1
            to_create.add(c)
        wc = w + c
        if wc in dictionary:
            w = wc
        else:
            emit(w)
            dictionary[wc] = dict_size
            dict_size += 1
            w = c
    if w:
        emit(w)
    bits.put(2, num_bits)
    return bits.finish()


def decompress_from_uri(data: str) -> str | None:
    """Same result as lz-string's ``decompressFromEncodedURIComponent``; None if corrupt."""
    if data == "":
        return None
    data = data.replace(" ", "+")
    try:
        values = [_URI_INDEX[c] for c in data]
    except KeyError:
        return None
    state = {"val": values[0], "pos": 32, "index": 1}

    def read(nbits: int) -> int:
        result, power = 0, 1
        for _ in range(nbits):
            bit = state["val"] & state["pos"]
            state["pos"] >>= 1
            if state["pos"] == 0:
                state["pos"] = 32
                i = state["index"]
                state["val"] = values[i] if i < len(values) else 0
                state["index"] += 1
            if bit:
                result |= power
            power <<= 1
        return result

    dictionary: list = [0, 1, 2]
    kind = read(2)
    if kind == 2:
        return ""
    if kind not in (0, 1):
        return None
    first = (read(8 if kind == 0 else 16),)
    dictionary.append(first)
    w = first
    result = list(first)
    enlarge_in, num_bits = 4, 3
    while True:
        if state["index"] > len(values):
            return ""
        c = read(num_bits)
        if c in (0, 1):
            dictionary.append((read(8 if c == 0 else 16),))
            c = len(dictionary) - 1
            enlarge_in -= 1
        elif c == 2:
            try:
                return _text(result)
            except UnicodeDecodeError:
                return None
        if enlarge_in == 0:
            enlarge_in = 2**num_bits
            num_bits += 1
        if c < len(dictionary) and c > 2:
            entry = dictionary[c]
        elif c == len(dictionary):
            entry = w + w[:1]
        else:
            return None
        result.extend(entry)
        dictionary.append(w + entry[:1])
        enlarge_in -= 1
        w = entry
        if enlarge_in == 0:
            enlarge_in = 2**num_bits
            num_bits += 1
