"""The `dossier` command: check, import, and the other tools a dossier's editors run. It never imports
MkDocs' build."""
