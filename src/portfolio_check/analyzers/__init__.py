"""Snapshot -> facts: one module per family of files, `pipeline.analyze` runs them all.

Importing this package loads nothing else, so a module that needs only the analyzers'
vocabulary (`base.ContentQuery`) does not pay for every analyzer and their parsers.
"""
