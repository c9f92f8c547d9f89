"""Reading and checking the sources: the files a user writes become the dossier model, or problems
named by file and line. Imports nothing else of the package."""
