"""mkdocs-dossier: publish annotated news dossiers as a static site."""
