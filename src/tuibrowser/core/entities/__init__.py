"""Linked entities: the curated knowledge base, mention linking, discovery and resolution."""
