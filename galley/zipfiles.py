"""Zip archives with the same bytes for the same contents: fixed order, times and modes."""

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
