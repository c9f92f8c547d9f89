"""The Markdown extension's public name, for hosts that load extensions by module (Python-Markdown,
Zensical): `markdown.markdown(text, extensions=["mkdocs_dossier.markdown"])`. It lives in `text.extension`."""

from .text.extension import DossierExtension, makeExtension

__all__ = ["DossierExtension", "makeExtension"]
