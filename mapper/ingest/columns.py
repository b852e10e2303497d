"""Columns of raw cells held once per distinct cell: the form the checks work on.

A :class:`_Column` is a column of cells as ``codes`` (one per row) into ``cells`` (the
distinct cells, told apart by class and value: 1, 1.0 and True stay apart). Whatever is
worked out of a cell (blank or not, its text, its parsed value, its fragment of a content id)
is worked out once per distinct cell and spread over the rows by ``codes``: a million rows
holding 40 distinct types cost 40 parses, and a column where every row differs costs what
it did row by row. Lists of cells (workbooks, JSON, the careful CSV reader) are encoded by
:func:`pandas.factorize`, or one by one where cells cannot be hashed or 1, 1.0 and True would
be taken for one value; columns pyarrow read (CSV, Parquet) by pyarrow, in C. The CSV
columns of fields that get parsed come encoded from pyarrow's reader itself
(:meth:`_Column.of_dictionary`).

A column of ASCII text that pyarrow read is first kept as it was read, row by row
(:meth:`_Column.of_rows`): for ASCII, :func:`~mapper.ingest.cells._cell_text` only strips
white space, so pyarrow finds blank cells and texts itself, and a text column that no check
parses (place, notes, an unknown column...) goes to the table without a Python object made
for its cells. It is encoded only when a distinct cell is asked for.

pyarrow is optional here: without it, CSV files are read by the careful reader only and
Parquet files cannot be read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from unicodedata import normalize

import numpy as np
import pandas as pd

from mapper import schema
from mapper.ingest.cells import _ASCII_SPACE, _cell_text, _distinct, _is_blank

try:  # a dependency of the project; only optional for this package's own sake
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError:  # pragma: no cover - exercised only where pyarrow is missing
    pa = pc = None

#: Types that compare equal across classes (1 == 1.0 == True): kept apart one by one.
_NUMBERS = (bool, int, float, np.bool_, np.integer, np.floating)
#: Codes take little room: a million rows of forty columns are 160 MB as int32.
_CODE = np.int32


class _Column:
    """Cell ``i`` of the column is ``cells[codes[i]]``; ``text``: every cell is a str;
    ``arrow``: the distinct cells as a pyarrow array, when pyarrow read them."""

    __slots__ = ("_blank", "_cells", "_codes", "_rows", "_texts", "arrow", "text")

    def __init__(self, codes: np.ndarray, cells: list[Any], text: bool = False) -> None:
        self._codes = codes
        self._cells = cells
        self.text = text
        self._blank: np.ndarray | None = None
        self._texts: list[str] | None = None
        self._rows: _ByRows | None = None
        self.arrow: Any = None

    @property
    def codes(self) -> np.ndarray:
        if self._codes is None:
            self._encode()
        return self._codes

    @property
    def cells(self) -> list[Any]:
        if self._cells is None:
            self._encode()
        return self._cells

    def __len__(self) -> int:
        return len(self._rows.raw) if self.by_rows() else len(self._codes)

    @classmethod
    def of(cls, values: _Column | Sequence[Any] | np.ndarray) -> _Column:
        """A column of ``values``: a column already, a list or tuple of cells, an array."""
        if isinstance(values, _Column):
            return values
        if pa is not None and isinstance(values, pa.Array | pa.ChunkedArray):
            return cls.of_arrow(values)
        cells = _objects(values)
        texts = _as_arrow_text(cells)
        if texts is not None:  # text only (most columns of a sheet): as pyarrow reads it
            return cls.of_arrow(texts)
        kinds = set(map(type, cells))
        numbers = sum(issubclass(kind, _NUMBERS) for kind in kinds)
        if numbers > 1 or any(kind in (list, dict) for kind in kinds):
            codes, found = _distinct(cells)  # one by one: unhashable, or 1 and 1.0 and True
            return cls(codes.astype(_CODE), found)
        codes, uniques = pd.factorize(cells, use_na_sentinel=False)
        return cls(codes.astype(_CODE, copy=False), list(uniques), kinds == {str})

    @classmethod
    def of_arrow(cls, array: Any) -> _Column:
        """A column pyarrow read: ASCII text as it was read (:meth:`of_rows`), the rest
        encoded by pyarrow; nulls are None."""
        if isinstance(array, pa.Array):
            array = pa.chunked_array([array])
        if _is_text(array.type):
            ascii, breaks = True, False
            for text in map(_text_bytes, array.chunks):  # copied once, looked at twice
                ascii, breaks = text.isascii(), breaks or _has_break(text)
                if not ascii:
                    break
            if ascii:
                column = cls.of_rows(array)
                column._rows.breaks = breaks
                return column
        try:
            dictionary, codes = _arrow_codes(array)
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid):  # lists, structs: as JSON
            return cls.of(array.to_pylist())
        if len(codes) and codes.max() == len(dictionary):
            return cls(codes, [*dictionary.to_pylist(), None])  # the code of a null
        if _is_text(dictionary.type):
            return _text_column(dictionary, codes)
        return cls(codes, dictionary.to_pylist())

    @classmethod
    def of_dictionary(cls, array: Any) -> _Column:
        """A column of text pyarrow read as a dictionary array (chunks whose dictionaries hold
        only values a row of theirs holds, as its CSV reader makes them), as :meth:`of_arrow`
        encodes text: pyarrow found each chunk's distinct cells while it read them."""
        if isinstance(array, pa.Array):
            array = pa.chunked_array([array])
        chunks = array.unify_dictionaries().chunks  # one dictionary for all
        if not chunks:
            return cls(np.zeros(0, dtype=_CODE), [])
        dictionary = chunks[0].dictionary
        codes = np.concatenate([
            (chunk.indices.fill_null(len(dictionary)) if chunk.null_count else chunk.indices)
            .to_numpy(zero_copy_only=False) for chunk in chunks
        ]).astype(_CODE, copy=False)  # fmt: skip
        if len(codes) and codes.max() == len(dictionary):
            return cls(codes, [*dictionary.to_pylist(), None])  # the code of a null
        return _text_column(dictionary, codes)

    @classmethod
    def of_rows(cls, raw: Any) -> _Column:
        """A column of ASCII str cells (or nulls) as pyarrow read them, row by row."""
        column = cls(None, None, text=raw.null_count == 0)  # type: ignore[arg-type]
        column._rows = _ByRows(raw)
        return column

    @classmethod
    def empty(cls, n: int) -> _Column:
        """``n`` cells holding nothing (a column a file does not have)."""
        return cls(np.zeros(n, dtype=_CODE), [None])

    def _encode(self) -> None:
        """The distinct cells of a column kept row by row (the rows are kept: the table
        takes its texts from them, see :meth:`let_rows_go`)."""
        dictionary, codes = _arrow_codes(self._rows.raw)
        if len(codes) and codes.max() == len(dictionary):
            self._codes, self._cells = codes, [*dictionary.to_pylist(), None]
            return
        encoded = _text_column(dictionary, codes)
        self._codes, self._cells, self.arrow = encoded._codes, encoded._cells, encoded.arrow
        self._blank, self._texts = encoded._blank, encoded._texts

    def by_rows(self) -> bool:
        """Whether the column is kept row by row only (nothing asked of its distinct cells)."""
        return self._codes is None

    def let_rows_go(self) -> None:
        """Keep the distinct cells only (a field parsed from them takes no text of a row)."""
        if self._codes is None:
            self._encode()
        self._rows = None

    def cell(self, i: int) -> Any:
        if self.by_rows():
            return self._rows.raw[i].as_py()
        return self.cells[self.codes[i]]

    def blank_cells(self) -> np.ndarray:
        """Whether each distinct cell is blank (None, NaN or only white space)."""
        if self._blank is None and self.by_rows():
            self._encode()  # works the blank cells out, too
        if self._blank is None:
            if self.text:  # as _is_blank, without asking each cell what it is
                blank = [not cell.strip() for cell in self.cells]
            else:
                blank = list(map(_is_blank, self.cells))
            self._blank = np.array(blank, dtype=bool).reshape(len(self.cells))
        return self._blank

    def same_texts(self) -> bool:
        """Whether each distinct cell's text is the cell itself (so texts are distinct too)."""
        return self._texts is self.cells

    def texts(self) -> list[str]:
        """Each distinct cell as text (:func:`~mapper.ingest.cells._cell_text`)."""
        if self._texts is None and self.by_rows():
            self._encode()  # works the texts out, too
        if self._texts is None:
            if self.text:  # as _cell_text, without asking each cell what it is
                self._texts = [normalize("NFC", cell.strip()) for cell in self.cells]
            else:
                self._texts = list(map(_cell_text, self.cells))
        return self._texts

    def blank(self) -> np.ndarray:
        """Whether each row's cell is blank."""
        if self._rows is not None:
            return self._rows.blank()
        return _spread(self.blank_cells(), self.codes)

    def blank_rows(self, start: int, stop: int) -> np.ndarray:
        """Whether the cell of each of rows ``start`` to ``stop`` is blank."""
        if self._rows is not None:
            return self._rows.slice(start, stop).blank()
        return _spread(self.blank_cells(), self.codes[start:stop])

    def strings(self) -> Any:
        """Each row's text, None where blank, as a :data:`mapper.schema.STRING` array."""
        if self._rows is not None:
            return self._rows.strings()
        texts = [None if b else t for t, b in zip(self.texts(), self.blank_cells().tolist(),
                 strict=True)]  # fmt: skip
        return _strings(texts, self.codes)

    def row_texts(self) -> Any:
        """Each row's text as a pyarrow array (blank cells: ""), or None without the rows."""
        return self._rows.trimmed() if self._rows is not None else None

    def longest(self) -> int:
        """The length of the longest text cell (0 without one)."""
        if self.by_rows():
            return self._rows.longest()
        if self.arrow is not None and _is_text(self.arrow.type):  # every cell a str
            return pc.max(pc.utf8_length(self.arrow)).as_py() or 0
        return max((len(c) for c in self.cells if isinstance(c, str)), default=0)

    def has_line_break(self) -> bool:
        """Whether a text cell holds a line break (``\\n`` or ``\\r``)."""
        if self.by_rows():
            return self._rows.has_line_break()
        if self.arrow is not None and _is_text(self.arrow.type):  # every cell a str
            return _has_break(_text_bytes(self.arrow))
        return any("\n" in c or "\r" in c for c in self.cells if isinstance(c, str))

    def rows(self, start: int, stop: int) -> _Column:
        """Rows ``start`` to ``stop``."""
        if start == 0 and stop == len(self):
            return self
        if self.by_rows():
            part = _Column(None, None, text=self.text)  # type: ignore[arg-type]
        else:
            part = _Column(self.codes[start:stop], self.cells, self.text)
            part._blank, part._texts, part.arrow = self._blank, self._texts, self.arrow
        if self._rows is not None:
            part._rows = self._rows.slice(start, stop)
        return part

    def emptied(self, positions: np.ndarray) -> _Column:
        """The column with the cells at ``positions`` emptied (None)."""
        codes = self.codes.copy()
        codes[positions] = len(self.cells)
        return _Column(codes, [*self.cells, None])


class _ByRows:
    """A column of ASCII text (or nulls) as pyarrow read it, and what is found in it without
    a Python object per cell: which cells are blank, their texts (the cells stripped of
    white space), whether one holds a line break."""

    __slots__ = ("_blank", "_padded", "_trimmed", "breaks", "raw")

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self._blank: np.ndarray | None = None
        self._padded: bool | None = None
        self._trimmed: Any = None
        self.breaks: bool | None = None  # whether a cell holds a line break, once known

    def slice(self, start: int, stop: int) -> _ByRows:
        part = _ByRows(self.raw.slice(start, stop - start))
        if self._blank is not None and not self._padded:
            part._blank, part._padded = self._blank[start:stop], False
        return part

    def _scan(self) -> None:
        """Blank cells, and whether a cell starts or ends with white space: the first and
        last byte of each cell, looked at in place."""
        empties, padded = [], False
        for chunk in self.raw.chunks:
            offsets, data = _buffers(chunk)
            empty = offsets[1:] == offsets[:-1]
            if chunk.null_count:
                empty |= ~chunk.is_valid().to_numpy(zero_copy_only=False)
            padded = padded or _padded(offsets, data)
            empties.append(empty)
        self._padded = padded
        if padded:
            length = pc.binary_length(self.trimmed())
            self._blank = pc.fill_null(pc.equal(length, 0), True).to_numpy()
        else:
            self._blank = np.concatenate([np.zeros(0, dtype=bool), *empties])

    def blank(self) -> np.ndarray:
        if self._blank is None:
            self._scan()
        return self._blank

    def trimmed(self) -> Any:
        """Each cell stripped of white space (an ASCII string's :func:`_cell_text`)."""
        if self._padded is None:
            self._scan()
        if not self._padded:
            return self.raw
        if self._trimmed is None:
            self._trimmed = pc.utf8_trim(self.raw, characters=_ASCII_SPACE)
        return self._trimmed

    def longest(self) -> int:
        """The most bytes in a cell (characters: ASCII)."""
        return max((int(np.diff(_buffers(c)[0]).max(initial=0)) for c in self.raw.chunks),
                   default=0)  # fmt: skip

    def has_line_break(self) -> bool:
        if self.breaks is None:
            self.breaks = any(map(_has_break, map(_text_bytes, self.raw.chunks)))
        return self.breaks

    def strings(self) -> Any:
        """The texts, null where blank, sharing the memory pyarrow read them into."""
        blank = self.blank()
        texts = self.trimmed()
        chunks, at = [], 0
        for chunk in texts.chunks:
            valid = ~blank[at : at + len(chunk)]
            at += len(chunk)
            bits = pa.array(np.concatenate([np.zeros(chunk.offset, dtype=bool), valid]))
            buffers = chunk.buffers()
            chunks.append(pa.Array.from_buffers(
                chunk.type, len(chunk), [bits.buffers()[1], *buffers[1:]], offset=chunk.offset
            ))  # fmt: skip
        return pd.array(pa.chunked_array(chunks, type=texts.type), dtype=schema.STRING)


#: Which bytes are ASCII white space.
_SPACE = np.zeros(256, dtype=bool)
_SPACE[[ord(c) for c in _ASCII_SPACE]] = True


def _padded(offsets: np.ndarray, data: np.ndarray) -> bool:
    """Whether a cell starts or ends with white space: its first and last byte, looked at in
    place. An empty cell looks at a byte of its neighbours instead, or past them: at worst
    the column is trimmed for nothing."""
    if len(offsets) < 2 or offsets[-1] == offsets[0]:
        return False  # no cell holds a byte
    edges = np.concatenate([np.take(data, offsets[:-1], mode="clip"),
                            np.take(data, offsets[1:] - 1, mode="clip")])  # fmt: skip
    return bool(_SPACE[edges[edges <= 32]].any())  # white space is all at or below b" "


def _is_text(kind: Any) -> bool:
    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _has_break(text: bytes) -> bool:
    return b"\n" in text or b"\r" in text


def _text_bytes(chunk: Any) -> bytes:
    """The bytes of the cells of a pyarrow string array, one after the other."""
    offsets, data = _buffers(chunk)
    return data[offsets[0] : offsets[-1]].tobytes() if len(offsets) else b""


def _buffers(chunk: Any) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, bytes) of a pyarrow string array, in place: cell ``i`` is
    ``bytes[offsets[i]:offsets[i + 1]]``."""
    kind = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    _, offsets, data = chunk.buffers()
    offsets = np.frombuffer(offsets, dtype=kind)[chunk.offset : chunk.offset + len(chunk) + 1]
    return offsets, np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(1, "u1")


def _arrow_codes(array: Any) -> tuple[Any, np.ndarray]:
    """(the distinct values, each row's code into them) of a pyarrow array or chunked array,
    encoded by pyarrow; a null gets the code one past the values."""
    if isinstance(array, pa.Array):
        array = pa.chunked_array([array])
    if pa.types.is_dictionary(array.type):
        array = array.cast(array.type.value_type)
    chunks = pc.dictionary_encode(array).chunks
    if not chunks or not len(array):
        return pa.array([], type=array.type), np.zeros(0, dtype=_CODE)
    dictionary = chunks[-1].dictionary
    if any(len(chunk.dictionary) != len(dictionary) for chunk in chunks):
        chunks = [pc.dictionary_encode(array.combine_chunks())]  # one dictionary for all
        dictionary = chunks[0].dictionary
    codes = np.concatenate([
        chunk.indices.fill_null(len(dictionary)).to_numpy(zero_copy_only=False)
        for chunk in chunks
    ])  # fmt: skip
    return dictionary, codes.astype(_CODE, copy=False)


def _text_column(values: Any, codes: np.ndarray) -> _Column:
    """A column of the distinct str ``values`` (a pyarrow array): blank cells and texts worked
    out by pyarrow for ASCII cells (stripping is all :func:`_cell_text` does to them), by
    Python for the others."""
    cells = values.to_pylist()
    column = _Column(codes, cells, text=True)
    column.arrow = values
    trimmed = pc.utf8_trim(values, characters=_ASCII_SPACE)
    ascii = pc.string_is_ascii(values)
    other = np.flatnonzero(~ascii.to_numpy(zero_copy_only=False)).tolist()
    texts = cells if pc.all(pc.equal(trimmed, values)).as_py() else trimmed.to_pylist()
    if other:
        texts = list(texts) if texts is cells else texts
        for k in other:
            texts[k] = normalize("NFC", cells[k].strip())
    column._texts = cells if texts == cells else texts
    blank = pc.equal(pc.utf8_length(trimmed), 0).to_numpy(zero_copy_only=False)
    if other:
        blank[other] = [not texts[k] for k in other]
    column._blank = blank
    return column


def _as_arrow_text(cells: np.ndarray) -> Any:
    """The cells as a pyarrow text array when every one is a str (else None)."""
    if pa is None or not len(cells) or type(cells[0]) is not str:
        return None
    try:
        texts = pa.array(cells, type=pa.large_string())
    except (pa.ArrowException, UnicodeError, TypeError):  # not text, or a lone surrogate
        return None
    return texts if texts.null_count == 0 else None


def _objects(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Cells as a flat object array (a list inside a cell stays one cell)."""
    if isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1:
        return values
    return np.fromiter(values, dtype=object, count=len(values))


def _concat(columns: list[_Column]) -> _Column:
    """The columns one after the other (their cells side by side, codes shifted)."""
    if len(columns) == 1:
        return columns[0]
    offsets = np.cumsum([0] + [len(c.cells) for c in columns[:-1]])
    codes = np.concatenate([c.codes + _CODE(o) for c, o in zip(columns, offsets, strict=True)])
    cells = [cell for c in columns for cell in c.cells]
    return _Column(codes.astype(_CODE, copy=False), cells, all(c.text for c in columns))


def _spread(per_cell: Sequence[Any] | np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Row ``i`` gets ``per_cell[codes[i]]`` (objects stay objects: a list is one value)."""
    if not isinstance(per_cell, np.ndarray):
        per_cell = _objects(per_cell)
    if len(per_cell) == 1:  # every row holds the one cell (a column a file does not have)
        return np.repeat(per_cell, len(codes))
    return per_cell[codes]


def _strings(per_cell: Sequence[str | None], codes: np.ndarray) -> Any:
    """A :data:`mapper.schema.STRING` array: row ``i`` holds ``per_cell[codes[i]]``."""
    if pa is not None and getattr(schema.STRING, "storage", None) == "pyarrow":
        if len(per_cell) == 1:  # one text (or None) for every row: a column no file has...
            texts = pa.repeat(pa.scalar(per_cell[0], pa.large_string()), len(codes))
            return pd.array(texts, dtype=schema.STRING)
        texts = pa.array(per_cell, type=pa.large_string())
        return pd.array(texts.take(pa.array(codes)), dtype=schema.STRING)
    return pd.array(_spread(per_cell, codes), dtype=schema.STRING)
