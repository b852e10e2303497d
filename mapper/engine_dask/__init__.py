"""``--engine dask``: the run over a partitioned Parquet log on a dask cluster, for logs that
do not fit in one machine's memory (issue 16).

In
    A Parquet log: one file or a folder of ``.parquet`` files (searched recursively), with
    the columns of a log (``id, date, type, place, province, latitude, longitude, people``...;
    the names ingest reads, :data:`mapper.ingest.COLUMN_ALIASES`). The folder must be at the
    same path for the client and every worker (a shared disk), and so must ``out``.
Out
    ``out/geocoded/part-NNNNN.parquet``: the geocoded and joined rows as GeoParquet, one file
    per piece, in the log's order (read them with ``dask_geopandas.read_parquet``);
    ``out/summary/``: the tables of :func:`mapper.summarise.summarise`, equal to those of the
    whole table on one machine; ``out/run.json``.

How
    The log is cut into pieces of whole row groups (:mod:`.pieces`). Each worker checks a
    piece with ingest's rules (:mod:`.checks`), geocodes and joins it with the reference data
    it loaded once (:mod:`.tasks`), writes it, and sends back only its share of the summary
    (:mod:`.partials`); the client adds the shares up (:mod:`.combine`). Ids are checked for
    repeats across the whole dataset first, from a hash per id. Neither the client nor a
    worker ever holds more than a piece of rows: memory is bounded by the piece size, not by
    the log's length.

Not here (yet): the map (tens of millions of points are no web page), the HTML/PDF report
(its trend chart reads the whole table), privacy levels other than internal, online
geocoding.

:func:`run_dask` is the entry point (dask and distributed are imported only when it runs:
``pip install 'incident-mapper[dask]'``).
"""

from mapper.engine_dask.pieces import TARGET_ROWS, Piece, find_pieces
from mapper.engine_dask.run import (
    INSTALL_HINT,
    DaskRunResult,
    connected,
    local_cluster,
    run_dask,
)

__all__ = ["INSTALL_HINT", "TARGET_ROWS", "DaskRunResult", "Piece", "connected", "find_pieces",
           "local_cluster", "run_dask"]
