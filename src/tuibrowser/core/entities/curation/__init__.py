"""Curation: the reader's edits to the knowledge base, written to entities.toml as small diffs, with undo.

- `ops`: the operations (Rename, Retype, AddAlias, RemoveAlias, Merge, Split, Hide, Unhide,
  Promote), the result and the errors; light, for the faces to import.
- `plan`: what an operation means for the knowledge base, on plain data.
- `tomledit`: the edit itself, keeping the file's comments, order and layout (tomlkit).
- `changelog`: the log beside the file that undo and redo replay, across restarts.
- `apply`: read, refuse a broken file, edit, check, write, log; undo and redo.
- `carry`: bookmarks and watches of an entity merged away move to the one it joined.

The faces call `Services.curate`, `undo_curation`, `redo_curation`, `curation_history` and
`hidden_names`, which also relink the index.
"""
