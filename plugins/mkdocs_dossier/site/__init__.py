"""The published site: the generated pages and their templates, pictures, assets, offline reading and
sanitising."""
