"""Gongkai (公开): quarterly "三重一大" disclosures → a searchable static transparency portal.

The build reads as a pipeline, one module per stage:
load (layout, load) → validate → check rules → render → index for search → export downloads.
"""

__version__ = "0.1.0"
