"""Limits that keep hostile files (zip bombs, entity bombs, decompression
bombs, endless PDFs) from exhausting memory or time.

Every limit breach becomes one ``LoadError("GI001", …)``: the user learns that
the file was refused and why, and the linter moves on to the next file.
"""

from __future__ import annotations

import contextvars
import io
import signal
import sys
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from gilint.read.base import LoadError
from gilint.read.common import unreadable

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The hard limits every reader enforces on hostile input."""

    # DOCX (a zip): a real report is a few hundred KB uncompressed, with images a few MB.
    zip_members: int = 1000
    zip_total_bytes: int = 256 * MIB
    zip_member_bytes: int = 64 * MIB
    # Ratio above which a member (and the archive as a whole) is treated as a bomb:
    # Word's XML compresses about 20:1. Members that inflate to less than the floor
    # cannot hurt, whatever their ratio.
    zip_ratio: int = 200
    zip_ratio_min_bytes: int = 1 * MIB
    # Tables (HTML/DOCX/PDF): the official tables have < 500 cells.
    max_colspan: int = 1000  # the HTML standard's own clamp
    # A declared span beyond this is no report table (the official ones are at most
    # 28 rows × 15 columns): a corrupt or hostile file, refused rather than guessed at.
    max_declared_span: int = 1000
    max_grid_columns: int = 1000
    max_grid_cells: int = 200_000
    # PDF
    pdf_pages: int = 500
    # Below the batch's default time budget (gilint.batch, 30 s), so that a slow PDF
    # is reported as such rather than as an overrun.
    pdf_seconds: float = 20.0
    pdf_stream_bytes: int = 64 * MIB  # one decoded stream (a full embedded CJK font is ~20 MB)
    pdf_total_stream_bytes: int = 512 * MIB
    # A font's character maps: a glyph stands for a ligature at most (a few
    # characters), and a CID font has at most 65,536 glyphs.
    pdf_glyph_chars: int = 32
    pdf_cmap_entries: int = 262_144


LIMITS = Limits()


def check_span(declared: int, limits: Limits = LIMITS) -> None:
    """Refuse a merged cell that claims more rows or columns than any report table has."""
    if declared > limits.max_declared_span:
        raise unreadable(
            f"表格中有合并单元格声明跨 {declared} 行或列（上限 {limits.max_declared_span}），"
            "文件已损坏或可能是恶意构造，已拒绝读取",
            f"a merged table cell claims to span {declared} rows or columns (limit "
            f"{limits.max_declared_span}): the file is corrupt or hostile; refused",
        )


# ---------------------------------------------------------------- zip (DOCX)


def open_zip(data: bytes, limits: Limits = LIMITS) -> zipfile.ZipFile:
    """Open a DOCX container after checking its directory against the limits.

    Python's zipfile never inflates a member beyond the size its directory
    declares (it stops and reports a CRC error), so checking the declared
    sizes before anything is read bounds what python-docx can allocate."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise unreadable(
            "文件不是有效的 .docx（无法作为 zip 压缩包打开），可能已损坏或扩展名有误",
            f"not a valid .docx (cannot be opened as a zip archive: {error}); damaged or misnamed",
        ) from error
    if len(members) > limits.zip_members:
        raise unreadable(
            f".docx 压缩包内有 {len(members)} 个文件，超过上限 {limits.zip_members}，已拒绝读取",
            f"the .docx holds {len(members)} files, over the limit of {limits.zip_members}; refused",
        )
    total = sum(member.file_size for member in members)
    if total > limits.zip_total_bytes:
        raise _bomb(
            f"解压后共 {total} 字节，超过上限 {limits.zip_total_bytes} 字节",
            f"it inflates to {total} bytes, over the limit of {limits.zip_total_bytes}",
        )
    packed = sum(member.compress_size for member in members)
    if total > limits.zip_ratio_min_bytes and total / max(1, packed) > limits.zip_ratio:
        raise _bomb(
            f"整体压缩比为 {total / max(1, packed):.0f}:1，属于压缩炸弹特征",
            f"the archive as a whole has a compression ratio of {total / max(1, packed):.0f}:1, "
            "the mark of a zip bomb",
        )
    for member in members:
        _check_member(member, limits)
    return archive


def _check_member(member: zipfile.ZipInfo, limits: Limits) -> None:
    if member.file_size > limits.zip_member_bytes:
        raise _bomb(
            f"其中 {member.filename} 解压后 {member.file_size} 字节，"
            f"超过单个文件上限 {limits.zip_member_bytes} 字节",
            f"{member.filename} inflates to {member.file_size} bytes, "
            f"over the limit of {limits.zip_member_bytes}",
        )
    ratio = member.file_size / max(1, member.compress_size)
    if member.file_size > limits.zip_ratio_min_bytes and ratio > limits.zip_ratio:
        raise _bomb(
            f"其中 {member.filename} 的压缩比为 {ratio:.0f}:1，属于压缩炸弹特征",
            f"{member.filename} has a compression ratio of {ratio:.0f}:1, the mark of a zip bomb",
        )


def _bomb(zh: str, en: str) -> LoadError:
    return unreadable(
        f".docx 疑似压缩炸弹：{zh}，已拒绝读取", f"the .docx looks like a zip bomb: {en}; refused"
    )


# Office XML never carries a DTD. One in a part can only serve entity tricks
# (billion laughs, external entities reading local files), so it is refused
# outright; the XML parser is configured not to resolve entities as well.
_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!doctype", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)


def refuse_dtds(archive: zipfile.ZipFile) -> None:
    for member in archive.infolist():
        name = member.filename.lower()
        if not name.endswith((".xml", ".rels")):
            continue
        try:
            content = archive.read(member)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error) as error:
            raise unreadable(
                f".docx 内的 {member.filename} 已损坏，无法解压",
                f"{member.filename} inside the .docx is damaged and cannot be inflated",
            ) from error
        if any(marker in content for marker in _DTD_MARKERS):
            raise unreadable(
                f".docx 内的 {member.filename} 含有 DTD/实体声明"
                "（可被用于实体炸弹或读取本机文件），已拒绝读取",
                f"{member.filename} inside the .docx declares a DTD/entities "
                "(used for entity bombs and local file disclosure); refused",
            )


def safe_xml_parser():
    """An lxml parser that never resolves entities, never touches the network
    and keeps libxml2's size and depth limits (huge_tree off)."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False
    )


# ------------------------------------------------------------- time limits


_REPEAT_SECONDS = 1.0


class Timeout(BaseException):
    """Raised inside a library when the time budget runs out. A BaseException,
    so library code that swallows ``Exception`` cannot swallow it."""


class Deadline:
    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise Timeout()


@contextmanager
def time_limit(seconds: float) -> Iterator[Deadline]:
    """A deadline checked between steps by the caller, plus a SIGALRM timer
    that interrupts a single step that never returns (a pathological PDF
    page). The timer is used only where it is safe: POSIX, main thread, and
    no other timer armed (e.g. a test runner's)."""
    deadline = Deadline(seconds)
    armed = _can_arm_alarm()
    previous = None
    previous_hook = sys.unraisablehook
    if armed:
        sys.unraisablehook = _unraisable_hook_without_timeouts(previous_hook)
        previous = signal.signal(signal.SIGALRM, _raise_timeout)
        # It fires again every second until disarmed: cleanup code that a timeout
        # sends back into the same endless loop is interrupted too.
        signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT_SECONDS)
    try:
        yield deadline
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            sys.unraisablehook = previous_hook


def _unraisable_hook_without_timeouts(hook):
    """``hook`` (a ``sys.unraisablehook``), but silent about a Timeout. A timer that fires while
    a finalizer runs (a ``__del__``, as the readers' libraries' file objects have) raises in
    it, where the exception cannot propagate: Python would print "Exception ignored in …" and
    a traceback on standard error. The timer fires again a second later, so that Timeout is
    only dropped; whatever else a finalizer raises still goes to ``hook``."""

    def unraisable(report) -> None:
        if not (isinstance(report.exc_type, type) and issubclass(report.exc_type, Timeout)):
            hook(report)

    return unraisable


def _can_arm_alarm() -> bool:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return False
    return signal.getitimer(signal.ITIMER_REAL)[0] == 0 and signal.getsignal(signal.SIGALRM) in (
        signal.SIG_DFL,
        signal.SIG_IGN,
        None,
    )


def _raise_timeout(signum, frame) -> None:
    raise Timeout()


# ---------------------------------------------- PDF stream decoding limits


class FontMapTooLarge(BaseException):
    """A font's character map expands a glyph into too many characters, or maps
    too many codes (a BaseException: pdfminer swallows ``Exception`` around fonts)."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.message = (zh, en)


class ReferenceLoop(BaseException):
    """An object that refers to itself, directly or through a chain (``4 0 obj 4 0 R``):
    pdfminer would follow it forever."""


_MAX_REFERENCE_CHAIN = 64


class StreamTooLarge(BaseException):
    """A BaseException for the same reason as ``Timeout``: pdfminer catches
    ``Exception`` around font and stream handling and would carry on."""

    def __init__(self, limit: int):
        super().__init__(f"a PDF stream decodes to more than {limit} bytes")
        self.limit = limit


@dataclass
class _StreamBudget:
    """The PDF stream limits of one read: per stream, and what all streams may still inflate to."""

    per_stream: int
    remaining: int

    def take(self, size: int) -> None:
        self.remaining -= size
        if self.remaining < 0:
            raise StreamTooLarge(self.per_stream)


_BUDGET: contextvars.ContextVar[_StreamBudget | None] = contextvars.ContextVar(
    "pdf_stream_budget", default=None
)


@contextmanager
def stream_budget(limits: Limits = LIMITS) -> Iterator[None]:
    token = _BUDGET.set(_StreamBudget(limits.pdf_stream_bytes, limits.pdf_total_stream_bytes))
    try:
        yield
    finally:
        _BUDGET.reset(token)


def _per_stream_limit() -> int:
    budget = _BUDGET.get()
    return budget.per_stream if budget else LIMITS.pdf_stream_bytes


def _account(data: bytes) -> bytes:
    budget = _BUDGET.get()
    if budget is not None:
        budget.take(len(data))
    return data


def bounded_inflate(data: bytes) -> bytes:
    """zlib.decompress that stops at the per-stream limit instead of
    inflating a 1000:1 bomb into gigabytes."""
    limit = _per_stream_limit()
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit:
        raise StreamTooLarge(limit)
    if not inflater.eof:
        # Same behaviour as zlib.decompress on a truncated stream, so that
        # pdfminer's own recovery for damaged streams still runs.
        raise zlib.error("incomplete or truncated stream")
    return _account(out)


def bounded_rldecode(data: bytes) -> bytes:
    """RunLengthDecode (PDF 1.7 §7.4.5) with an output limit; each input
    byte pair can expand 64-fold."""
    limit = _per_stream_limit()
    out = bytearray()
    index, size = 0, len(data)
    while index < size:
        length = data[index]
        index += 1
        if length == 128:
            break
        if length < 128:
            out += data[index : index + length + 1]
            index += length + 1
        elif index < size:
            out += bytes([data[index]]) * (257 - length)
            index += 1
        if len(out) > limit:
            raise StreamTooLarge(limit)
    return _account(bytes(out))


def bounded_lzwdecode(data: bytes) -> bytes:
    from pdfminer.lzw import LZWDecoder

    limit = _per_stream_limit()
    out = bytearray()
    for chunk in LZWDecoder(io.BytesIO(data)).run():
        out += chunk
        if len(out) > limit:
            raise StreamTooLarge(limit)
    return _account(bytes(out))


class _BoundedInflater:
    """A zlib decompressobj that counts what it has produced."""

    def __init__(self, *args, **kwargs):
        self._inflater = zlib.decompressobj(*args, **kwargs)
        self._limit = _per_stream_limit()
        self._produced = 0

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        out = self._inflater.decompress(data, max_length)
        self._produced += len(out)
        if self._produced > self._limit:
            raise StreamTooLarge(self._limit)
        return _account(out)

    def __getattr__(self, name: str):
        return getattr(self._inflater, name)


class _BoundedZlib:
    """Stands in for the ``zlib`` module inside ``pdfminer.pdftypes``, whose
    stream decoder calls ``zlib.decompress`` without any output limit."""

    error = zlib.error

    @staticmethod
    def decompress(data: bytes) -> bytes:
        return bounded_inflate(data)

    @staticmethod
    def decompressobj(*args, **kwargs) -> _BoundedInflater:
        return _BoundedInflater(*args, **kwargs)


_CORRUPT_CHUNK = 4096
_CHECKSUM_BYTES = 8


def bounded_decompress_corrupted(data: bytes) -> bytes:
    """pdfminer's fallback for a flate stream with a bad checksum, made
    linear and bounded: the original feeds one byte at a time into a growing
    ``bytes`` (quadratic) with no output limit. As there, an error in the last
    three bytes (the checksum) keeps what was inflated; an earlier one is
    raised. Only the tail is fed byte by byte, to stop exactly there."""
    inflater = _BoundedInflater()
    out = bytearray()
    body = max(0, len(data) - _CHECKSUM_BYTES)
    for start in range(0, body, _CORRUPT_CHUNK):
        out += inflater.decompress(data[start : min(body, start + _CORRUPT_CHUNK)])
    for index in range(body, len(data)):
        try:
            out += inflater.decompress(data[index : index + 1])
        except zlib.error:
            if index < len(data) - 3:
                raise
            break
    return bytes(out)


_installed = False


def install_pdf_stream_limits() -> None:
    """Route pdfminer's stream filters through the bounded decoders.

    pdfminer decodes FlateDecode, RunLengthDecode and LZWDecode streams into
    memory in one go; a tiny PDF can therefore expand to gigabytes. Replacing
    the names its decoder looks up keeps its behaviour otherwise intact.
    tests/readers/test_hostile.py checks that a flate bomb is refused, so a
    pdfminer release that stops using these names is noticed."""
    global _installed
    if _installed:
        return
    from pdfminer import pdftypes

    pdftypes.zlib = _BoundedZlib
    pdftypes.decompress_corrupted = bounded_decompress_corrupted
    pdftypes.rldecode = bounded_rldecode
    pdftypes.lzwdecode = bounded_lzwdecode
    _bound_character_maps()
    _bound_reference_chains()
    _installed = True


def _bound_reference_chains() -> None:
    """Follow a chain of references to its end inside ``PDFObjRef.resolve``, at most
    ``_MAX_REFERENCE_CHAIN`` links: every pdfminer caller loops ``while the result
    is a reference``, so the result is the same, and a loop is stopped."""
    from pdfminer.pdftypes import PDFObjRef

    resolve_one = PDFObjRef.resolve

    def resolve(self, default=None):
        result = resolve_one(self, default)
        for _ in range(_MAX_REFERENCE_CHAIN):
            if not isinstance(result, PDFObjRef):
                return result
            result = resolve_one(result, default)
        raise ReferenceLoop()

    PDFObjRef.resolve = resolve


def _bound_character_maps(limits: Limits = LIMITS) -> None:
    """pdfminer fills a font's ToUnicode and code maps with whatever the file says:
    one glyph mapped to 200,000 characters (the text of every use of it grows by
    that much), or a range of 2³² codes. Bound both where the maps are filled."""
    from pdfminer import cmapdb

    add_unicode = cmapdb.FileUnicodeMap.add_cid2unichr
    add_code = cmapdb.FileCMap.add_code2cid

    def add_cid2unichr(self, cid, code) -> None:
        if isinstance(code, bytes) and len(code) > 2 * limits.pdf_glyph_chars:
            raise FontMapTooLarge(
                f"PDF 字体的字符映射把一个字形对应到 {len(code) // 2} 个字符"
                f"（上限 {limits.pdf_glyph_chars}），文件构造异常，已拒绝读取",
                f"a PDF font maps one glyph to {len(code) // 2} characters (limit "
                f"{limits.pdf_glyph_chars}): the file is malformed; refused",
            )
        _count_entry(self)
        add_unicode(self, cid, code)

    def add_code2cid(self, code, cid) -> None:
        _count_entry(self)
        add_code(self, code, cid)

    def _count_entry(cmap) -> None:
        count = cmap.__dict__.get("_gilint_entries", 0) + 1
        cmap.__dict__["_gilint_entries"] = count
        if count > limits.pdf_cmap_entries:
            raise FontMapTooLarge(
                f"PDF 字体的字符映射超过 {limits.pdf_cmap_entries} 项，文件构造异常，已拒绝读取",
                f"a PDF font's character map has more than {limits.pdf_cmap_entries} entries: "
                "the file is malformed; refused",
            )

    cmapdb.FileUnicodeMap.add_cid2unichr = add_cid2unichr
    cmapdb.FileCMap.add_code2cid = add_code2cid
