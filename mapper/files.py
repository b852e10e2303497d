"""Atomic writes, file hashes, spreadsheet-safe cells and the outputs-never-inputs check.

Every output goes to a temporary file in the same folder, then is renamed over the target,
so a crash never leaves a half-written file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@contextlib.contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it onto ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The real extension stays last: drivers such as GDAL's GPKG go by it.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.",
                               suffix=f".tmp{path.suffix}")
    os.close(fd)
    try:
        yield Path(tmp)
        # mkstemp makes the file private (0600); outputs get the usual umask-based mode.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


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
    import pandas as pd

    out = frame.copy()
    for i in range(out.shape[1]):
        series = out.iloc[:, i]
        if not (isinstance(series.dtype, pd.CategoricalDtype)
                or pd.api.types.is_object_dtype(series.dtype)
                or pd.api.types.is_string_dtype(series.dtype)):
            continue
        values = series.astype(object).to_numpy(copy=True)
        risky = [isinstance(v, str) and v.startswith(FORMULA_STARTS) for v in values]
        if any(risky):
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

    text = spreadsheet_safe_frame(frame).to_csv(index=False, **options, lineterminator="\r\n")
    rows = csv.reader(io.StringIO(text, newline=""))
    return "".join(",".join(_csv_field(cell) for cell in row) + "\n"
                   if row != [""] else '""\n' for row in rows)


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
