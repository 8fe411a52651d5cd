"""Extractors: pull the registry's portals into the landing area (docs/extraction.md).

One module per source (``onestop``, ``qlvb``, ``dvc_portal``), dispatched by
``include.extract.sources.extract_source``; transport, retries and settings in ``http``. The
package imports nothing itself: the DAG file, parsed by every task, needs only the settings
and windows, not the extractors and their spreadsheet reader.
"""
