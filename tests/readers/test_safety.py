"""The bounded stream decoders behave like pdfminer's own on ordinary data
and stop at the limit on bombs."""

from __future__ import annotations

import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gilint.read.safety import (
    Limits,
    StreamTooLarge,
    bounded_decompress_corrupted,
    bounded_inflate,
    bounded_lzwdecode,
    bounded_rldecode,
    stream_budget,
)

SMALL = Limits(pdf_stream_bytes=4096, pdf_total_stream_bytes=10_000)

runs = st.lists(
    st.one_of(
        st.binary(min_size=1, max_size=128).map(lambda b: bytes([len(b) - 1]) + b),
        st.tuples(st.integers(0, 255), st.integers(2, 128)).map(lambda t: bytes([257 - t[1], t[0]])),
    ),
    max_size=20,
)


@given(runs, st.booleans())
def test_rldecode_matches_pdfminer(parts, end_marker):
    from pdfminer.runlength import rldecode

    data = b"".join(parts) + (b"\x80" if end_marker else b"")
    assert bounded_rldecode(data) == rldecode(data)


@given(st.binary(max_size=2000))
def test_inflate_matches_zlib(payload):
    assert bounded_inflate(zlib.compress(payload)) == payload


def test_lzwdecode_matches_pdfminer():
    from pdfminer.lzw import lzwdecode

    sample = b"\x80\x0b\x60\x50\x22\x0c\x0c\x85\x01"  # the PDF reference's example
    assert bounded_lzwdecode(sample) == lzwdecode(sample) == b"-----A---B"


def test_limits_per_stream_and_per_file():
    with stream_budget(SMALL):
        with pytest.raises(StreamTooLarge):
            bounded_inflate(zlib.compress(b" " * 5000))
        with pytest.raises(StreamTooLarge):
            bounded_rldecode(bytes([129, 32]) * 100)  # 128 spaces per two bytes
        bounded_inflate(zlib.compress(b" " * 4000))
        bounded_inflate(zlib.compress(b" " * 4000))
        with pytest.raises(StreamTooLarge):  # 12,000 bytes in all > 10,000
            bounded_inflate(zlib.compress(b" " * 4000))


def test_truncated_and_corrupted_streams():
    data = zlib.compress(b"report text " * 1000)
    with pytest.raises(zlib.error):
        bounded_inflate(data[:-10])  # pdfminer then tries its corrupted-stream fallback
    broken_checksum = data[:-2] + b"\0\0"
    assert bounded_decompress_corrupted(broken_checksum) == b"report text " * 1000
    with pytest.raises(zlib.error):
        bounded_decompress_corrupted(b"\x78\x9c" + b"\xff" * 100)


def test_pdfminer_decoder_still_uses_the_replaced_names():
    """install_pdf_stream_limits swaps names that pdfminer's PDFStream.decode
    looks up at call time; if a pdfminer release stops using them, the bounds
    would silently stop applying, so fail here instead."""
    import inspect

    from pdfminer import pdftypes

    from gilint.read import safety

    safety.install_pdf_stream_limits()
    source = inspect.getsource(pdftypes.PDFStream.decode)
    for call in ("zlib.decompress(", "decompress_corrupted(", "rldecode(", "lzwdecode("):
        assert call in source
    assert pdftypes.zlib is safety._BoundedZlib
    assert pdftypes.decompress_corrupted is safety.bounded_decompress_corrupted
    assert pdftypes.rldecode is safety.bounded_rldecode
    assert pdftypes.lzwdecode is safety.bounded_lzwdecode
