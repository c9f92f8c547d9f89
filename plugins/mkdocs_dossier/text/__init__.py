"""Text: finding the dossier's names in prose (the matcher), the Markdown extension that marks them,
sentences, wording and quantities. Reads the model; knows no host."""
