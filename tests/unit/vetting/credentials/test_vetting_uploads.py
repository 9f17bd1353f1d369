import base64
import hashlib
import stat
import struct
import zlib
from pathlib import Path

import pytest

from slivers.vetting.credentials.uploads import (
    MAX_EVIDENCE_BYTES,
    EvidenceStore,
    FileEvidenceStore,
    InMemoryEvidenceStore,
    UploadRejected,
    sanitise_file_name,
    store_evidence,
)


def small_png() -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    pixels = zlib.compress(b"\x00\xff")  # one filter byte, one white pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def small_pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# A 16x16 JFIF image from CPython's test data (Lib/test/imghdrdata/python.jpg, PSF licence).
SMALL_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8Q"
    "EBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ"
    "EBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQID"
    "BAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/"
    "2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx"
    "4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+"
    "Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolv"
    "w4KOp1KM6iCNvngZHwetf//Z"
)


@pytest.fixture
def file_store(tmp_path: Path) -> FileEvidenceStore:
    return FileEvidenceStore(tmp_path / "evidence")


def stored_files(root: Path) -> list[Path]:
    return sorted(root.iterdir()) if root.exists() else []


@pytest.mark.parametrize(
    ("data", "content_type", "name"),
    [
        (small_pdf(), "application/pdf", "dbs.pdf"),
        (small_png(), "image/png", "first aid.png"),
        (SMALL_JPEG, "image/jpeg", "passport photo.JPG"),
    ],
)
def test_a_real_small_file_is_stored_privately_with_its_sha256(
    tmp_path: Path, data: bytes, content_type: str, name: str
) -> None:
    store = FileEvidenceStore(tmp_path / "evidence")
    evidence = store_evidence(store, data, name)
    assert evidence.content_type == content_type
    assert evidence.size == len(data)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.original_name == name
    path = store.path_of(evidence.key)
    assert path.parent == (tmp_path / "evidence").resolve()
    assert name not in str(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert store.read(evidence.key) == data
    assert [p.name for p in stored_files(tmp_path / "evidence")] == [evidence.key]  # no temporary left


EXECUTABLE_MZ = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"
EXECUTABLE_ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200


@pytest.mark.parametrize(
    ("data", "name", "rule"),
    [
        pytest.param(EXECUTABLE_MZ, "certificate.pdf", "file_type", id="windows-executable-named-pdf"),
        pytest.param(EXECUTABLE_ELF, "certificate.pdf", "file_type", id="elf-executable-named-pdf"),
        pytest.param(b"<html><script>", "scan.png", "file_type", id="html-named-png"),
        pytest.param(small_pdf() + b"\x00" * (6 * 1024 * 1024), "big.pdf", "too_large", id="six-megabytes"),
        pytest.param(b"", "empty.pdf", "empty", id="empty"),
        pytest.param(small_pdf(), "../../etc/passwd.pdf", "file_name", id="path-traversal-name"),
        pytest.param(small_pdf(), "C:\\Windows\\evil.pdf", "file_name", id="windows-path-name"),
        pytest.param(small_pdf(), "ok.pdf\x00.exe", "file_name", id="nul-in-name"),
        pytest.param(small_pdf(), "ok.pdf%00.exe", "file_name", id="percent-escaped-nul-in-name"),
        pytest.param(small_pdf(), "scan\x07.pdf", "file_name", id="bell-in-name"),
        pytest.param(small_pdf(), "two\nlines.pdf", "file_name", id="line-feed-in-name"),
        pytest.param(small_pdf(), "scan%0d%0A.pdf", "file_name", id="percent-escaped-line-break-in-name"),
        pytest.param(small_pdf(), "..%2F..%2Fetc.pdf", "file_name", id="percent-escaped-slash-in-name"),
        pytest.param(small_pdf()[:-30], "cut.pdf", "incomplete", id="pdf-without-eof"),
        pytest.param(SMALL_JPEG[:-2], "cut.jpg", "incomplete", id="jpeg-without-end-marker"),
        pytest.param(small_png()[:-12], "cut.png", "incomplete", id="png-without-iend"),
    ],
)
def test_a_bad_upload_is_refused_naming_the_rule_and_nothing_is_stored(
    tmp_path: Path, data: bytes, name: str, rule: str
) -> None:
    root = tmp_path / "evidence"
    store = FileEvidenceStore(root)
    with pytest.raises(UploadRejected) as refused:
        store_evidence(store, data, name)
    assert refused.value.rule == rule
    assert refused.value.field == "evidence"
    assert refused.value.message
    assert stored_files(root) == []


def test_exactly_five_megabytes_is_allowed() -> None:
    data = small_pdf()
    padded = data[:9] + b"%" * (MAX_EVIDENCE_BYTES - len(data)) + data[9:]
    assert len(padded) == MAX_EVIDENCE_BYTES
    assert store_evidence(InMemoryEvidenceStore(), padded).size == MAX_EVIDENCE_BYTES


def test_file_names_are_tidied_and_cut_to_200_characters() -> None:
    assert sanitise_file_name(None) is None
    assert sanitise_file_name("  .hidden scan.pdf ") == "hidden scan.pdf"
    assert sanitise_file_name("100% done.pdf") == "100% done.pdf"
    assert sanitise_file_name("...") is None
    long = sanitise_file_name("a" * 300 + ".pdf")
    assert long is not None
    assert len(long) == 200
    assert long.endswith(".pdf")


def test_delete_is_idempotent(file_store: FileEvidenceStore) -> None:
    key = store_evidence(file_store, small_png()).key
    file_store.delete(key)
    file_store.delete(key)
    assert not file_store.exists(key)


def test_keys_are_random_and_cannot_reach_outside_the_store(file_store: FileEvidenceStore) -> None:
    keys = {store_evidence(file_store, small_png()).key for _ in range(3)}
    assert len(keys) == 3
    for bad in ("../evidence", "/etc/passwd", ""):
        with pytest.raises(ValueError, match="not an evidence key"):
            file_store.read(bad)
        with pytest.raises(ValueError, match="not an evidence key"):
            file_store.delete(bad)


def test_the_store_refuses_a_folder_inside_a_served_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="served folder"):
        FileEvidenceStore(tmp_path / "static" / "evidence", served_dirs=(tmp_path / "static",))


@pytest.mark.parametrize("store", [InMemoryEvidenceStore(), None])
def test_both_stores_keep_the_same_promise(tmp_path: Path, store: EvidenceStore | None) -> None:
    chosen: EvidenceStore = store or FileEvidenceStore(tmp_path / "evidence")
    evidence = store_evidence(chosen, SMALL_JPEG, "photo.jpg")
    assert chosen.exists(evidence.key)
    assert chosen.read(evidence.key) == SMALL_JPEG
    chosen.delete(evidence.key)
    chosen.delete(evidence.key)
    assert not chosen.exists(evidence.key)
