"""Timebank Desktop (社区时间银行): an offline-first ledger for mutual-aid elderly care."""

__version__ = "0.1.0"
