"""Translated fields of the registry (modeltranslation)."""
