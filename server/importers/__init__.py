"""Importers of outside directories into the practitioners' tables (RPPS for now)."""
