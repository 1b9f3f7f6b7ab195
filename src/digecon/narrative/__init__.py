"""Narrative: Chinese number language and generated paragraphs from the store."""
