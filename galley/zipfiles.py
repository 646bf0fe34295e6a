"""Zip archives: written with the same bytes for the same contents (fixed order, times and
modes), and read only within bounds (a zip bomb is refused before anything is inflated)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence

Entry = tuple[str, bytes, int]  # name, data, zipfile.ZIP_STORED or ZIP_DEFLATED


def deterministic_zip(entries: Sequence[Entry], stamp: dt.datetime) -> bytes:
    when = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, method in entries:
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            info.create_system = 3
            level = 9 if method == zipfile.ZIP_DEFLATED else None
            archive.writestr(info, data, compresslevel=level)
    return buffer.getvalue()


MAX_UNPACKED = 512 * 1024 * 1024  # all members of an archive, unpacked
MAX_RATIO = 200  # a member of more than 1 MB unpacking to 200 times its packed size: a bomb


def bomb(archive: zipfile.ZipFile) -> str | None:
    """Why reading this archive could exhaust memory or disk, or None. Python's zipfile never
    inflates a member beyond its declared size, so the declared sizes are what to check."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        packed = max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and info.file_size / packed > MAX_RATIO:
            return (
                f"{info.filename} unpacks to {info.file_size:,} bytes from "
                f"{info.compress_size:,} (a zip bomb?)"
            )
    if total > MAX_UNPACKED:
        return f"it unpacks to {total:,} bytes; the limit is {MAX_UNPACKED:,}"
    return None


def unsafe_names(archive: zipfile.ZipFile) -> list[str]:
    """Members whose names point outside the archive when unpacked (`../x`, `/tmp/x`, `C:x`,
    a backslash): a reading system or an unzip could write or read there."""
    found = []
    for name in archive.namelist():
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or "\\" in name or ":" in parts[0]:
            found.append(name)
    return found
