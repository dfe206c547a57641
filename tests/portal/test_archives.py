import io
import struct
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook

from egov_portal.archives import ArchiveError, Limits, check_archive, entry_chunks, is_zip

MB = 1024 * 1024
ZEROS = bytes(MB)
LIMITS = Limits(entries=2000, inflated=50 * MB, ratio=100)


def deflated_zeros(megabytes, name="xl/worksheets/sheet1.xml"):
    """A zip of one entry of zeros, written from a generator: about 1 KB per MB inflated."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(name, "w") as entry,
    ):
        for chunk in (ZEROS for _ in range(megabytes)):
            entry.write(chunk)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def bomb():
    """About 200 KB that really inflate to 200 MB."""
    return deflated_zeros(200)


def declare_size(data, size):
    """The zip ``data`` with its one entry declaring ``size`` bytes inflated (a lying header)."""
    data = bytearray(data)
    local = data.index(b"PK\x03\x04")
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<L", data, local + 22, size)
    struct.pack_into("<L", data, central + 24, size)
    return bytes(data)


def zip_of(entries, method=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in entries:
            archive.writestr(name, content)
    return buffer.getvalue()


def refusal(data, limits=LIMITS, **kwargs):
    with pytest.raises(ArchiveError) as error:
        check_archive(io.BytesIO(data), limits=limits, **kwargs)
    return error.value.message


def measured(data, limits=LIMITS):
    """The refusal of ``data``, the peak memory taken to reach it and the seconds it took."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        message = refusal(data, limits)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return message, peak, time.perf_counter() - started


def test_a_real_xlsx_passes_and_every_entry_is_read_back_with_its_first_bytes():
    workbook = Workbook()
    workbook.active.append(["OPD pemilik", "Nama aplikasi"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    entries = check_archive(io.BytesIO(buffer.getvalue()), limits=LIMITS)
    names = {entry.name for entry in entries}
    assert {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} <= names
    assert all(entry.head.startswith(b"<") for entry in entries if entry.name.endswith(".xml"))


def test_a_bomb_that_really_inflates_to_hundreds_of_megabytes_is_refused_fast_in_little_memory(
    bomb,
):
    assert len(bomb) < 300 * 1024
    message, peak, seconds = measured(bomb)
    assert "mengembang lebih dari 100 kali" in message
    assert "xl/worksheets/sheet1.xml" in message
    assert peak < 20 * MB
    assert seconds < 1


def test_an_archive_declaring_more_than_the_inflated_limit_in_total_is_refused():
    # Four entries of 2 MB: none beyond the ratio allowed here, together beyond 5 MB.
    entries = [(f"word/media/image{i}.bin", bytes(2 * MB)) for i in range(4)]
    message, peak, _seconds = measured(
        zip_of(entries), limits=Limits(entries=2000, inflated=5 * MB, ratio=10_000)
    )
    assert "setelah diekstrak lebih dari 5,0\xa0MB" in message
    assert peak < 20 * MB


def test_a_tiny_file_whose_header_declares_hundreds_of_megabytes_is_refused_without_reading_it():
    data = declare_size(zip_of([("word/document.xml", b"<w:document/>")]), 500 * MB)
    assert len(data) < 1024
    message, peak, seconds = measured(data)
    assert "setelah diekstrak" in message or "mengembang" in message
    assert peak < MB
    assert seconds < 0.5


def test_an_entry_inflating_to_more_than_its_header_declares_is_refused_at_the_declared_size(
    bomb,
):
    # The header says 1 KB; the data inflates to 200 MB. Declared sizes pass every limit, so
    # only reading the data, capped at what it declares, shows the lie.
    liar = declare_size(bomb, 1024)
    message, peak, seconds = measured(liar)
    assert "lebih banyak data daripada yang tercantum" in message
    assert peak < 20 * MB
    assert seconds < 1


def test_a_lying_entry_read_as_a_stream_stops_at_its_declared_size(bomb):
    liar = io.BytesIO(declare_size(bomb, 1024))
    entries = check_archive(liar, limits=LIMITS, verify=False)
    received = 0
    with pytest.raises(ArchiveError):
        for chunk in entry_chunks(liar, entries[0]):
            received += len(chunk)
    assert received <= 1024


def test_too_many_entries_are_refused_at_the_first_one_over_the_limit():
    data = zip_of([(f"word/part{i}.xml", b"") for i in range(2500)], zipfile.ZIP_STORED)
    message, peak, seconds = measured(data)
    assert "lebih dari 2000 bagian" in message
    assert peak < 5 * MB
    assert seconds < 1


def test_entries_sharing_their_data_are_refused():
    # One entry's data listed twice in the central directory: how a small file inflates many
    # times over without any single entry looking unusual.
    data = bytearray(zip_of([("a.xml", b"<a>" + b"x" * 2000 + b"</a>")]))
    start = data.index(b"PK\x01\x02")
    end = data.index(b"PK\x05\x06")
    record = bytes(data[start:end])
    twin = record.replace(b"a.xml", b"b.xml")
    eocd = bytearray(data[end:])
    struct.pack_into("<HHL", eocd, 8, 2, 2, len(record) * 2)
    forged = bytes(data[:start]) + record + twin + bytes(eocd)
    assert "lebih banyak data" in refusal(forged)


def test_a_password_protected_or_unusually_compressed_archive_is_refused():
    bzipped = zip_of([("word/document.xml", b"<w:document/>" * 100)], zipfile.ZIP_BZIP2)
    assert "dikompresi dengan cara yang tidak dipakai" in refusal(bzipped)
    encrypted = bytearray(zip_of([("word/document.xml", b"<w:document/>")]))
    central = encrypted.index(b"PK\x01\x02")
    encrypted[central + 8] |= 0x1
    assert "kata sandi" in refusal(bytes(encrypted))


@pytest.mark.parametrize(
    "data",
    [b"", b"PK\x03\x04 not really", b"%PDF-1.4 plain text", zip_of([("a.xml", b"<a/>")])[:-30]],
)
def test_damaged_or_foreign_files_are_refused_as_damaged(data):
    assert "rusak" in refusal(data)


def test_a_zip_appended_to_another_file_is_still_a_zip():
    data = b"%PDF-1.4\n%%EOF\n" + zip_of([("word/document.xml", b"<w:document/>")])
    assert is_zip(io.BytesIO(data))
    entries = check_archive(io.BytesIO(data), limits=LIMITS)
    assert [entry.head for entry in entries] == [b"<w:document/>"]
    assert not is_zip(io.BytesIO(b"%PDF-1.4\n%%EOF\n"))


def test_limits_come_from_the_settings(settings):
    settings.ARCHIVE_MAX_ENTRIES = 3
    data = zip_of([(f"p{i}.xml", b"") for i in range(4)])
    with pytest.raises(ArchiveError, match="lebih dari 3 bagian"):
        check_archive(io.BytesIO(data))
