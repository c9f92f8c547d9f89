"""Machine-readable copies of the dossier: dossier.json, JSON-LD in the pages, FollowTheMoney."""
