"""Reads of certificates."""
