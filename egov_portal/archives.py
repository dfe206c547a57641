"""Zip archives from uploads, checked before any library opens them.

Office documents (DOCX, XLSX, PPTX, ODT…) are zip files, and a zip says in its central
directory how many entries it holds and how large each becomes once inflated. A few kilobytes
can declare, or really inflate to, gigabytes. ``check_archive`` walks the central directory one
record at a time, in constant memory, and refuses an archive with too many entries, too much
inflated data in total or an entry compressed beyond what any real document is; then (with
``verify``) it inflates every entry through a capped stream, so an entry that yields more than
it declares is refused as soon as it passes its declared size, whatever its header says.

The walk reads the records exactly where Python's ``zipfile`` will (the same end record, the
same start of the central directory), so the entries checked here are the entries a library
reading the file afterwards sees. Only stored and deflated entries are accepted: that is all
office programs write.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Record layouts from PKWARE's APPNOTE, as zipfile reads them.
END = struct.Struct("<4s4H2LH")
END_SIGNATURE = b"PK\x05\x06"
END64_LOCATOR = struct.Struct("<4sLQL")
END64_LOCATOR_SIGNATURE = b"PK\x06\x07"
END64 = struct.Struct("<4sQ2H2L4Q")
END64_SIGNATURE = b"PK\x06\x06"
CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
CENTRAL_SIGNATURE = b"PK\x01\x02"
LOCAL = struct.Struct("<4s2B4HL2L2H")
LOCAL_SIGNATURE = b"PK\x03\x04"
MAX_COMMENT = 0xFFFF

STORED, DEFLATED = 0, 8
ENCRYPTED, UTF8_NAME = 0x1, 0x800
CHUNK = 64 * 1024
# Bytes of each entry kept by ``verify`` for the callers' content checks.
HEAD = 512
# Below this inflated size an entry cannot hurt whatever its ratio, and small XML parts of real
# documents (runs of the same markup) do compress more than a hundred times.
RATIO_MIN_SIZE = 1024 * 1024


class ArchiveError(Exception):
    """An archive the portal will not open; the message says what was wrong and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    entries: int
    inflated: int
    ratio: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            entries=settings.ARCHIVE_MAX_ENTRIES,
            inflated=settings.ARCHIVE_MAX_INFLATED_BYTES,
            ratio=settings.ARCHIVE_MAX_RATIO,
        )


@dataclass(frozen=True)
class Entry:
    """One file in an archive, as its central directory declares it."""

    name: str
    flags: int
    method: int
    crc: int
    compressed: int
    size: int
    offset: int  # of its local header, from the start of the file
    head: bytes = b""  # its first bytes once inflated, when verified


def _damaged() -> ArchiveError:
    return ArchiveError(
        _(
            "Berkas ini rusak atau bukan arsip yang utuh. Simpan ulang dari aplikasi aslinya "
            "(Word, Excel, LibreOffice…), lalu unggah lagi."
        )
    )


def _manipulated(entry: Entry) -> ArchiveError:
    return ArchiveError(
        _(
            "Bagian “%(entry)s” di dalam berkas ini berisi lebih banyak data daripada yang "
            "tercantum pada kepalanya; berkasnya rusak atau sengaja dimanipulasi. Simpan ulang "
            "dari aplikasi aslinya, lalu unggah lagi."
        )
        % {"entry": _short(entry.name)}
    )


def _short(name: str) -> str:
    return name if len(name) <= 80 else name[:77] + "…"


def _end_record(fp) -> tuple[int, int, int] | None:
    """(start of the central directory, its size, where zip data starts), or None.

    Found as zipfile finds it: a record without comment at the very end, else the last
    signature within the largest comment's reach; then the zip64 record if one precedes it.
    """
    fp.seek(0, 2)
    file_size = fp.tell()
    if file_size < END.size:
        return None
    fp.seek(file_size - END.size)
    data = fp.read(END.size)
    if data[:4] == END_SIGNATURE and data[-2:] == b"\x00\x00":
        position = file_size - END.size
    else:
        start = max(file_size - MAX_COMMENT - END.size, 0)
        fp.seek(start)
        data = fp.read()
        found = data.rfind(END_SIGNATURE)
        if found < 0 or len(data) - found < END.size:
            return None
        position = start + found
        data = data[found : found + END.size]
    _sig, _disk, _cd_disk, _here, _total, cd_size, cd_offset, _comment = END.unpack(data)
    concat = position - cd_size - cd_offset
    if position >= END64_LOCATOR.size + END64.size:
        fp.seek(position - END64_LOCATOR.size)
        locator = fp.read(END64_LOCATOR.size)
        if locator[:4] == END64_LOCATOR_SIGNATURE:
            _sig, disk, _offset, disks = END64_LOCATOR.unpack(locator)
            if disk != 0 or disks > 1:
                return None
            fp.seek(position - END64_LOCATOR.size - END64.size)
            record = fp.read(END64.size)
            if record[:4] == END64_SIGNATURE:
                fields = END64.unpack(record)
                cd_size, cd_offset = fields[8], fields[9]
                concat = position - cd_size - cd_offset - END64_LOCATOR.size - END64.size
    start_dir = cd_offset + concat
    if start_dir < 0 or concat < 0 or start_dir + cd_size > file_size:
        return None
    return start_dir, cd_size, concat


def _zip64_sizes(extra: bytes, size: int, compressed: int, offset: int) -> tuple[int, int, int]:
    while len(extra) >= 4:
        kind, length = struct.unpack("<HH", extra[:4])
        if length + 4 > len(extra):
            raise _damaged()
        if kind == 0x0001:
            data = extra[4 : 4 + length]
            try:
                if size == 0xFFFFFFFF:
                    (size,), data = struct.unpack("<Q", data[:8]), data[8:]
                if compressed == 0xFFFFFFFF:
                    (compressed,), data = struct.unpack("<Q", data[:8]), data[8:]
                if offset == 0xFFFFFFFF:
                    (offset,) = struct.unpack("<Q", data[:8])
            except struct.error:
                raise _damaged() from None
        extra = extra[4 + length :]
    return size, compressed, offset


def _walk(fp, limits: Limits) -> tuple[list[Entry], int]:
    """Every entry of the central directory, checked against ``limits`` as it is read."""
    found = _end_record(fp)
    if found is None:
        raise _damaged()
    start_dir, cd_size, concat = found
    fp.seek(start_dir)
    entries: list[Entry] = []
    consumed = inflated = 0
    while consumed < cd_size:
        record = fp.read(CENTRAL.size)
        if len(record) != CENTRAL.size or record[:4] != CENTRAL_SIGNATURE:
            raise _damaged()
        fields = CENTRAL.unpack(record)
        flags, method, _time, _date, crc, compressed, size = fields[5:12]
        name_length, extra_length, comment_length = fields[12:15]
        offset = fields[18]
        raw_name = fp.read(name_length)
        extra = fp.read(extra_length)
        fp.seek(comment_length, 1)
        consumed += CENTRAL.size + name_length + extra_length + comment_length
        if len(entries) >= limits.entries:
            raise ArchiveError(
                _(
                    "Berkas ini memuat lebih dari %(limit)s bagian di dalamnya, jauh lebih banyak "
                    "daripada dokumen biasa. Simpan ulang dokumennya atau bagi menjadi beberapa "
                    "berkas, lalu unggah lagi."
                )
                % {"limit": limits.entries}
            )
        size, compressed, offset = _zip64_sizes(extra, size, compressed, offset)
        name = raw_name.decode("utf-8" if flags & UTF8_NAME else "cp437", errors="replace")
        entry = Entry(name, flags, method, crc, compressed, size, offset + concat)
        _check_entry(entry, limits)
        inflated += size
        if inflated > limits.inflated:
            raise ArchiveError(
                _(
                    "Isi berkas ini setelah diekstrak lebih dari %(limit)s. Perkecil dokumennya "
                    "(misalnya kompres gambarnya) atau bagi menjadi beberapa berkas, lalu unggah "
                    "lagi."
                )
                % {"limit": filesizeformat(limits.inflated)}
            )
        entries.append(entry)
    return entries, start_dir


def _check_entry(entry: Entry, limits: Limits) -> None:
    if entry.flags & ENCRYPTED:
        raise ArchiveError(
            _(
                "Berkas ini dilindungi kata sandi. Hapus kata sandinya di aplikasi aslinya, "
                "simpan, lalu unggah lagi."
            )
        )
    if entry.method not in (STORED, DEFLATED):
        raise ArchiveError(
            _(
                "Bagian “%(entry)s” di dalam berkas ini dikompresi dengan cara yang tidak dipakai "
                "dokumen perkantoran. Simpan ulang dari aplikasi aslinya, lalu unggah lagi."
            )
            % {"entry": _short(entry.name)}
        )
    if entry.size >= RATIO_MIN_SIZE and entry.size > limits.ratio * max(entry.compressed, 1):
        raise ArchiveError(
            _(
                "Bagian “%(entry)s” di dalam berkas ini mengembang lebih dari %(limit)s kali "
                "saat diekstrak; dokumen biasa tidak pernah begitu dan berkas seperti ini dapat "
                "melumpuhkan server. Simpan ulang dari aplikasi aslinya, lalu unggah lagi."
            )
            % {"entry": _short(entry.name), "limit": limits.ratio}
        )


def _data_start(fp, entry: Entry) -> int:
    fp.seek(entry.offset)
    local = fp.read(LOCAL.size)
    if len(local) != LOCAL.size or local[:4] != LOCAL_SIGNATURE:
        raise _damaged()
    name_length, extra_length = LOCAL.unpack(local)[10:12]
    return entry.offset + LOCAL.size + name_length + extra_length


def entry_chunks(fp, entry: Entry) -> Iterator[bytes]:
    """The inflated data of ``entry``, in chunks of at most CHUNK bytes.

    Never yields more than the entry declares: ArchiveError as soon as it would, and at the
    end when its size or checksum differs from what it declares. ``fp`` must not be moved
    while the chunks are read.
    """
    fp.seek(_data_start(fp, entry))
    remaining = entry.compressed
    produced = crc = 0
    inflater = zlib.decompressobj(-zlib.MAX_WBITS) if entry.method == DEFLATED else None
    pending = b""
    while True:
        if not pending and remaining:
            pending = fp.read(min(CHUNK, remaining))
            if not pending:
                raise _damaged()
            remaining -= len(pending)
        if inflater is None:
            out, pending = pending, b""
        else:
            try:
                out = inflater.decompress(pending, CHUNK)
            except zlib.error as error:
                raise _damaged() from error
            pending = inflater.unconsumed_tail
        produced += len(out)
        if produced > entry.size:
            raise _manipulated(entry)
        crc = zlib.crc32(out, crc)
        if out:
            yield out
        if inflater is not None and inflater.eof:
            break
        if not out and not pending and not remaining:
            break
    if produced != entry.size or crc != entry.crc or (inflater is not None and not inflater.eof):
        raise _damaged()


def _inflate(fp, entry: Entry) -> tuple[bytes, int]:
    """The entry's first HEAD bytes and where its data ends, after inflating all of it."""
    head = b""
    for chunk in entry_chunks(fp, entry):
        if len(head) < HEAD:
            head += chunk[: HEAD - len(head)]
    return head, _data_start(fp, entry) + entry.compressed


def check_archive(fp, *, limits: Limits | None = None, verify: bool = True) -> list[Entry]:
    """The entries of the zip in the binary file ``fp``, or ArchiveError saying why not.

    With ``verify`` every entry is inflated (in bounded memory, output discarded but its
    first bytes, which each Entry's ``head`` keeps), its size and checksum compared with what
    it declares, and entries sharing or overrunning each other's data refused.
    """
    limits = limits or Limits.from_settings()
    position = fp.tell()
    try:
        entries, start_dir = _walk(fp, limits)
        if not verify:
            return entries
        checked, spans = [], []
        for entry in entries:
            head, end = _inflate(fp, entry)
            spans.append((entry.offset, end, entry))
            checked.append(replace(entry, head=head))
        spans.sort(key=lambda span: span[:2])
        previous_end = 0
        for start, end, entry in spans:
            # Entries whose data overlaps let a small file inflate many times over.
            if start < previous_end or end > start_dir:
                raise _manipulated(entry)
            previous_end = end
        return checked
    except (OSError, struct.error, zlib.error) as error:
        raise _damaged() from error
    finally:
        fp.seek(position)


def is_zip(fp) -> bool:
    """Whether a zip reader would take ``fp`` for a zip: a readable end record that points
    at a central directory, wherever the zip starts (a zip appended to another file counts)."""
    position = fp.tell()
    try:
        found = _end_record(fp)
        if found is None:
            return False
        start_dir, cd_size, _concat = found
        if cd_size == 0:
            return True
        fp.seek(start_dir)
        return fp.read(4) == CENTRAL_SIGNATURE
    except (OSError, struct.error):
        return False
    finally:
        fp.seek(position)
