"""Filled in by the models of this app."""
