"""Evidence files for credentials: checked by content, stored under random names (design 3.3).

A file is accepted only if its bytes are a PDF, JPEG or PNG, whatever its name says. The name the worker
gave is never part of a path: it is refused if it tries to be a path or holds a control character (sent
raw, or percent-escaped as browsers and HTTP clients write them in multipart headers: `ok.pdf%00.exe`), else
recorded (tidied, 200 chars at most) for the coordinator to see. Checks run before anything is written, so a
refused file leaves no trace.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from slivers.clock import Clock, SystemClock

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_FILE_NAME_CHARS = 200
_TAIL = 1024  # real PDFs may carry a few bytes of padding after %%EOF

_PDF, _JPEG, _PNG = "application/pdf", "image/jpeg", "image/png"
_KEY = re.compile(r"^[0-9a-f]{32}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# How multipart headers carry what cannot appear in them (the HTML form-data rules, httpx, curl).
_ESCAPED_CONTROL = re.compile(r"%(?:[01][0-9a-f]|7f)", re.IGNORECASE)
_ESCAPED_SEPARATOR = re.compile(r"%(?:2f|5c)", re.IGNORECASE)


class UploadRejected(Exception):
    """An upload refused: `field` is the form field, `rule` the failed check, `message` plain English."""

    def __init__(self, field: str, rule: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.rule = rule
        self.message = message


@dataclass(frozen=True, slots=True)
class StoredEvidence:
    key: str  # the random name in the store; the only handle on the file
    content_type: str
    size: int
    sha256: str
    original_name: str | None  # tidied, for display only


class EvidenceStore(Protocol):
    def put(self, data: bytes) -> str:
        """Store `data` under a new random key and return the key."""
        ...

    def read(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """Remove the file; a key that is already gone is not an error."""
        ...

    def keys_written_before(self, cutoff: datetime) -> list[str]:
        """The keys of the files last written before `cutoff`, for the sweep of orphaned files."""
        ...


def store_evidence(
    store: EvidenceStore,
    data: bytes,
    file_name: str | None = None,
    *,
    field: str = "evidence",
    max_bytes: int = MAX_EVIDENCE_BYTES,
) -> StoredEvidence:
    """Check an uploaded file and, only if it passes, store it. Raises `UploadRejected`."""
    content_type = evidence_content_type(data, field=field, max_bytes=max_bytes)
    original_name = sanitise_file_name(file_name, field=field)
    key = store.put(data)
    return StoredEvidence(key, content_type, len(data), hashlib.sha256(data).hexdigest(), original_name)


def evidence_content_type(
    data: bytes, *, field: str = "evidence", max_bytes: int = MAX_EVIDENCE_BYTES
) -> str:
    """The MIME type of an acceptable evidence file, judged by its bytes alone."""
    if not data:
        raise UploadRejected(field, "empty", "The file is empty. Choose a PDF, JPEG or PNG file.")
    if len(data) > max_bytes:
        limit = f"{max_bytes / (1024 * 1024):g} MB"
        raise UploadRejected(field, "too_large", f"The file is larger than {limit}. Choose a smaller file.")
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-_TAIL:]:
            raise _incomplete(field, "PDF")
        return _PDF
    if data.startswith(b"\xff\xd8\xff"):
        if not data.rstrip(b"\x00\r\n").endswith(b"\xff\xd9"):
            raise _incomplete(field, "JPEG")
        return _JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        # Every PNG ends with an IEND chunk: its type and a fixed CRC.
        if not data.endswith(b"IEND\xaeB`\x82"):
            raise _incomplete(field, "PNG")
        return _PNG
    raise UploadRejected(
        field,
        "file_type",
        "The file is not a PDF, JPEG or PNG. Scan or photograph the document and try again.",
    )


def _incomplete(field: str, kind: str) -> UploadRejected:
    return UploadRejected(field, "incomplete", f"The {kind} file seems damaged or cut short. Try again.")


def sanitise_file_name(name: str | None, *, field: str = "evidence") -> str | None:
    """A tidy display name, or None. A name that tries to be a path (`../x`, `a/b`, `C:\\x`) or holds a
    control character (`ok.pdf\\x00.exe`, `ok.pdf%00.exe`) is refused."""
    if name is None:
        return None
    if "/" in name or "\\" in name or _ESCAPED_SEPARATOR.search(name) or name.strip() in {".", ".."}:
        raise UploadRejected(
            field, "file_name", "The file name must not contain a folder path. Rename the file and try again."
        )
    if _CONTROL.search(name) or _ESCAPED_CONTROL.search(name):
        raise UploadRejected(
            field,
            "file_name",
            "The file name must not contain control characters. Rename the file and try again.",
        )
    tidy = unicodedata.normalize("NFC", name).strip().lstrip(".").strip()
    if not tidy:
        return None
    if len(tidy) > MAX_FILE_NAME_CHARS:
        stem, dot, suffix = tidy.rpartition(".")
        keep = f"{dot}{suffix}" if dot and stem and len(suffix) <= 10 else ""
        tidy = tidy[: MAX_FILE_NAME_CHARS - len(keep)] + keep
    return tidy


def _check_key(key: str) -> str:
    if not _KEY.match(key):
        raise ValueError("not an evidence key")
    return key


def _new_key() -> str:
    return secrets.token_hex(16)


class FileEvidenceStore:
    """Evidence on the local disk, one file per key, readable only by the service's own user."""

    def __init__(self, root: Path, *, served_dirs: tuple[Path, ...] = ()) -> None:
        root = root.resolve()
        for served in served_dirs:
            if root.is_relative_to(served.resolve()):
                raise ValueError(f"the evidence folder {root} is inside the served folder {served}")
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._root = root

    def put(self, data: bytes) -> str:
        key = _new_key()
        final = self._root / key
        temporary = self._root / f".partial-{_new_key()}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), 0o600)  # whatever the umask
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, final)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return key

    def read(self, key: str) -> bytes:
        return (self._root / _check_key(key)).read_bytes()

    def exists(self, key: str) -> bool:
        return (self._root / _check_key(key)).is_file()

    def delete(self, key: str) -> None:
        (self._root / _check_key(key)).unlink(missing_ok=True)

    def keys_written_before(self, cutoff: datetime) -> list[str]:
        limit = cutoff.timestamp()
        keys = []
        with os.scandir(self._root) as entries:
            for entry in entries:
                if _KEY.match(entry.name) and entry.is_file() and entry.stat().st_mtime < limit:
                    keys.append(entry.name)
        return sorted(keys)

    def path_of(self, key: str) -> Path:
        """For streaming a file to a coordinator; never derived from anything the user sent."""
        return self._root / _check_key(key)


class InMemoryEvidenceStore:
    """A store for unit tests (on the given clock, as the file store is on the file system's)."""

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self.files: dict[str, bytes] = {}
        self.written_at: dict[str, datetime] = {}

    def put(self, data: bytes) -> str:
        key = _new_key()
        self.files[key] = bytes(data)
        self.written_at[key] = self._clock.now()
        return key

    def read(self, key: str) -> bytes:
        return self.files[_check_key(key)]

    def exists(self, key: str) -> bool:
        return _check_key(key) in self.files

    def delete(self, key: str) -> None:
        self.files.pop(_check_key(key), None)
        self.written_at.pop(key, None)

    def keys_written_before(self, cutoff: datetime) -> list[str]:
        return sorted(key for key, at in self.written_at.items() if key in self.files and at < cutoff)
