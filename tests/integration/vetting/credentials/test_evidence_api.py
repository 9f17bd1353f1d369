"""Evidence uploads through the API: judged by content, limited in size, stored under random names
outside any served folder, and downloadable only by the deciding coordinator."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest

from slivers.config import Settings
from tests.integration.conftest import ApiClient, StaffFactory, assert_problem
from tests.integration.vetting.conftest import Kit

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def stored_files(settings: Settings) -> list[Path]:
    folder = settings.evidence_dir
    return sorted(p for p in folder.iterdir()) if folder.exists() else []


async def upload(
    client: ApiClient, credential_id: str, name: str, content: bytes, kind: str = "application/pdf"
) -> httpx.Response:
    return await client.post(
        f"/api/v1/credentials/{credential_id}/evidence", files={"file": (name, content, kind)}
    )


async def test_a_pdf_is_stored_under_a_random_name_and_only_the_coordinator_reads_it(
    kit: Kit, settings: Settings, org_staff: StaffFactory
) -> None:
    worker = await kit.worker()
    credential = await kit.submit(worker, "dbs_enhanced")
    response = await upload(worker, credential["id"], "my certificate.pdf", PDF)
    assert response.status_code == 201, response.text
    assert response.json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert response.json()["content_type"] == "application/pdf"
    [stored] = stored_files(settings)
    assert "certificate" not in stored.name
    assert len(stored.name) == 32
    assert not stored.is_relative_to(Path(__file__).parents[3] / "src")
    path = f"/api/v1/credentials/{credential['id']}/evidence"
    assert_problem(await worker.get(path), 404)
    assert_problem(await (await org_staff("Luton Care Agency", "agency")).get(path), 404)
    download = await kit.coordinator.get(path)
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"].startswith("application/pdf")
    assert download.headers["x-content-type-options"] == "nosniff"
    second = await org_staff("Stevenage Crossroads", "charity")
    await kit.verify(credential["id"])
    assert_problem(await second.get(path), 403, rule="not_decider")
    assert (await kit.coordinator.get(path)).status_code == 200
    assert_problem(await upload(worker, credential["id"], "again.pdf", PDF), 409, rule="decided")


@pytest.mark.parametrize(
    ("name", "content", "status", "rule"),
    [
        ("certificate.pdf", EXECUTABLE, 400, "file_type"),
        ("certificate.pdf", b"%PDF-1.4\n" + b"0" * (6 * 1024 * 1024), 413, None),
        ("certificate.pdf", b"", 400, "empty"),
        ("../../../etc/certificate.pdf", PDF, 400, "file_name"),
        ("..\\..\\certificate.pdf", PDF, 400, "file_name"),
        ("ok.pdf\x00.exe", PDF, 400, "file_name"),
        ("scan\x1b[2J.pdf", PDF, 400, "file_name"),
    ],
    ids=[
        "executable_named_pdf",
        "six_megabytes",
        "empty",
        "path_traversal",
        "windows_path_traversal",
        "nul_in_name",
        "escape_in_name",
    ],
)
async def test_bad_uploads_are_refused_and_nothing_is_stored(
    kit: Kit, settings: Settings, name: str, content: bytes, status: int, rule: str | None
) -> None:
    worker = await kit.worker()
    credential = await kit.submit(worker, "first_aid")
    response = await upload(worker, credential["id"], name, content)
    assert_problem(response, status, rule=rule)
    assert stored_files(settings) == []
    [mine] = (await worker.get("/api/v1/workers/me/credentials")).json()
    assert mine["has_evidence"] is False
    assert mine["evidence_sha256"] is None


async def test_only_the_worker_uploads_evidence_for_their_credential(kit: Kit, settings: Settings) -> None:
    worker = await kit.worker()
    other = await kit.worker()
    credential = await kit.submit(worker, "first_aid")
    assert_problem(await upload(other, credential["id"], "x.pdf", PDF), 404)
    assert_problem(await upload(kit.coordinator, credential["id"], "x.pdf", PDF), 404)
    assert stored_files(settings) == []


async def test_an_upload_without_a_file_is_a_clear_400(kit: Kit, settings: Settings) -> None:
    worker = await kit.worker()
    credential = await kit.submit(worker, "first_aid")
    path = f"/api/v1/credentials/{credential['id']}/evidence"
    assert_problem(await worker.post(path, data={"file": "not a file"}), 400)
    assert_problem(await worker.post(path, files={"other": ("c.pdf", PDF, "application/pdf")}), 400)
    assert stored_files(settings) == []
