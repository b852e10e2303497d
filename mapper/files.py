"""Atomic writes, file hashes, spreadsheet-safe cells and the outputs-never-inputs check.

Every output goes to a temporary file in the same folder, then is renamed over the target,
so a crash never leaves a half-written file behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it onto ``path``."""
    from mapper.errors import IncidentMapperError

    path = Path(path)
    try:
        # Missing folders are made: an output's place is the user's choice, not a typo check.
        path.parent.mkdir(parents=True, exist_ok=True)
        # The real extension stays last: drivers such as GDAL's GPKG go by it.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.",
                                   suffix=f".tmp{path.suffix}")
    except OSError as err:
        raise cannot_write(path, err) from err
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp makes the file private (0600); outputs get the usual umask-based mode.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as err:
        if isinstance(err, IncidentMapperError):
            raise
        # A full disk or a folder where the file goes: one line, not a traceback.
        raise cannot_write(path, err) from err
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def cannot_write(path: Path, err: OSError):
    """The :class:`~mapper.errors.OutputWriteError` for an ``OSError`` met writing ``path``."""
    from mapper.errors import OutputWriteError

    reason = err.strerror or str(err)
    return OutputWriteError(f"{path}: cannot write it ({reason.lower()}); choose a place "
                            "you can write to")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file (hex), computed as pooch checks downloads."""
    import pooch

    return pooch.file_hash(str(path), alg="sha256")


def write_text_atomic(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically and return ``path``."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(path)


def write_with(path: Path, writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp_path)`` and move the result onto ``path`` only if it succeeds."""
    with atomic_path(path) as tmp:
        writer(tmp)
    return Path(path)


# -- spreadsheet-safe cells ------------------------------------------------------------------
#: First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula
#: (OWASP "CSV injection": = + - @, and a leading tab or carriage return).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """``value`` with a single quote put before it if it is text a spreadsheet would run as a
    formula (OWASP rule); anything else (numbers, dates, missing values) is left as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def spreadsheet_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names pass :func:`spreadsheet_safe`.

    Only text is touched: numeric, boolean and date columns keep their type, so a real
    negative number stays a number.
    """
    import numpy as np
    import pandas as pd

    out = frame.copy(deep=False)  # copy-on-write: only the columns changed are copied
    for i in range(out.shape[1]):
        series = out.iloc[:, i]
        if not (isinstance(series.dtype, pd.CategoricalDtype)
                or pd.api.types.is_object_dtype(series.dtype)
                or pd.api.types.is_string_dtype(series.dtype)):
            continue
        # Column at a time; in an object column only text cells can be formulas.
        text = series if pd.api.types.is_string_dtype(series.dtype) and not \
            pd.api.types.is_object_dtype(series.dtype) else series.astype("string")
        risky = text.str.startswith(FORMULA_STARTS).fillna(False).to_numpy(dtype=bool, copy=True)
        if not risky.any():
            continue
        values = series.astype(object).to_numpy(copy=True)
        risky &= np.array([isinstance(v, str) for v in values], dtype=bool)
        if risky.any():
            values[risky] = ["'" + v for v in values[risky]]
            out.isetitem(i, values)
    return out.rename(columns=lambda c: spreadsheet_safe(c) if isinstance(c, str) else c)


def csv_text(frame: pd.DataFrame, **options) -> str:
    """``frame`` as spreadsheet-safe CSV text (``pandas.DataFrame.to_csv`` options, no index,
    lines ended by ``\\n``).

    Text cells and column names pass :func:`spreadsheet_safe_frame`. A cell holding a
    carriage return is quoted too: Python's writer quotes only the line terminator's
    characters, and a spreadsheet would start a new row (and maybe a formula) at a bare one.
    """
    import csv
    import io

    safe = spreadsheet_safe_frame(frame)
    if safe.shape[1] > 1:
        # The common case, at C speed: with no carriage return anywhere, the writer already
        # quoted every cell that needs it (a one-column empty row goes the long way too).
        text = safe.to_csv(index=False, **options, lineterminator="\n")
        if "\r" not in text:
            return text
    text = safe.to_csv(index=False, **options, lineterminator="\r\n")
    rows = csv.reader(io.StringIO(text, newline=""))
    return "".join(",".join(_csv_field(cell) for cell in row) + "\n"
                   if row != [""] else '""\n' for row in rows)


#: Cells pandas converts to text at a time when it writes a CSV file.
CSV_CHUNK_CELLS = 1_000_000


def write_csv(frame: pd.DataFrame, path: Path | str, **options) -> Path:
    """``frame`` as :func:`csv_text` writes it, into ``path`` atomically; a frame with no
    carriage return in its text goes to the file by pandas directly, never held as one
    string (a million rows: hundreds of MB less)."""
    safe = spreadsheet_safe_frame(frame)
    path = Path(path)
    if safe.shape[1] > 1 and not _has_carriage_return(safe):
        # pandas' default chunk is 100,000 cells: ten times fewer steps write a million
        # rows about a tenth faster, for a few tens of MB.
        rows = max(1, CSV_CHUNK_CELLS // safe.shape[1])
        return write_with(path, lambda tmp: safe.to_csv(
            tmp, index=False, lineterminator="\n", encoding="utf-8", chunksize=rows,
            **options))
    return write_text_atomic(path, csv_text(frame, **options))


def _has_carriage_return(frame: pd.DataFrame) -> bool:
    """Whether a column name or a text cell holds a carriage return."""
    import pandas as pd

    if any("\r" in str(name) for name in frame.columns):
        return True
    for _, column in frame.items():
        if pd.api.types.is_numeric_dtype(column.dtype) or \
                pd.api.types.is_datetime64_any_dtype(column.dtype):
            continue
        if column.astype("string").str.contains("\r", regex=False).fillna(False).any():
            return True
    return False


def _csv_field(cell: str) -> str:
    if any(char in cell for char in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


# -- outputs never overwrite inputs ----------------------------------------------------------
def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def check_output(out: Path | str, inputs: Iterable[Path | str], *,
                 inside: Iterable[str] = ()) -> None:
    """Raise :class:`~mapper.errors.OutputError` if ``out`` is one of ``inputs``.

    ``out`` is compared after resolving symbolic links and ``..`` (and as the same file, for
    hard links). When ``out`` is a folder, ``inside`` names the files written into it, and
    each of those is checked too.
    """
    from mapper.errors import OutputError

    out = Path(out)
    targets = [out, *(out / name for name in inside)]
    for source in inputs:
        source = Path(source)
        for target in targets:
            if _same_file(target, source):
                raise OutputError(f"--out {out}: would overwrite the input {source}; "
                                  "choose another output")


# -- an output's place, checked before any work -------------------------------------------------
def check_output_place(out: Path | str, *, folder: bool = False,
                       suffixes: Iterable[str] = ()) -> None:
    """Raise :class:`~mapper.errors.OutputWriteError` unless ``out`` can be written.

    ``out`` is a file (its extension one of ``suffixes``, when given) or, with ``folder``, a
    folder. Missing folders on the way are fine (they are made when writing); a file where a
    folder goes, a folder where the file goes, or a folder that refuses a new file is not.
    The check writes a probe file and removes it, and any folder it made.
    """
    from mapper.errors import OutputWriteError

    out = Path(out)
    suffixes = tuple(suffixes)
    if folder and out.exists() and not out.is_dir():
        raise OutputWriteError(f"--out {out}: is a file, but a folder is written here; "
                               "give a folder (made if missing)")
    if not folder and out.is_dir():
        example = out / f"name{suffixes[0] if suffixes else ''}"
        raise OutputWriteError(f"--out {out}: is a folder, but a file is written here; "
                               f"give a file name such as {example}")
    if not folder and suffixes and out.suffix.lower() not in suffixes:
        kind = out.suffix or "a file without an extension"
        raise OutputWriteError(f"--out {out}: cannot write {kind}; use one of "
                               f"{', '.join(suffixes)}")
    _probe(out if folder else out.parent, out)


def _probe(where: Path, out: Path) -> None:
    """Make ``where`` (remembering the folders made), put a file in it, then undo it all."""
    from mapper.errors import OutputWriteError

    missing = []
    existing = where.absolute()
    while not existing.exists() and existing != existing.parent:
        missing.append(existing)
        existing = existing.parent
    if not existing.is_dir():
        raise OutputWriteError(f"--out {out}: {existing} is a file, so nothing can be written "
                               "below it; choose another place")
    try:
        for made in reversed(missing):
            made.mkdir()
        fd, probe = tempfile.mkstemp(dir=where, prefix=".incident-mapper-probe.")
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise OutputWriteError(f"--out {out}: cannot write in {where} "
                               f"({(err.strerror or str(err)).lower()}); choose a place you "
                               "can write to") from err
    finally:
        # Only the folders this check made, innermost first, and only if still empty.
        for made in missing:
            with contextlib.suppress(OSError):
                made.rmdir()


# -- reproducible workbooks ------------------------------------------------------------------
#: The time every workbook this project writes carries (same inputs, same bytes).
WORKBOOK_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)


def fixed_zip(data: bytes, when: dt.datetime = WORKBOOK_TIME) -> bytes:
    """A zip (an XLSX) rewritten with fixed entry times and document dates: openpyxl
    stamps the time of writing, which would make every run's bytes differ."""
    import io
    import zipfile

    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)",
                                 rb"\g<1>" + stamp + rb"\g<2>", content)
            fixed = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, content)
    return out.getvalue()
