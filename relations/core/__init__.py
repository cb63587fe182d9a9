"""The bottom layer: what every other part of the portal leans on, and that knows nothing of them.

- ``language``: the languages, the current one, and the one "this value in this language, else
  its fallback" helper;
- ``dates``: dates known to the day, the month or the year, and how each language writes them;
- ``caching``: the two caches (whole responses, and aggregates kept until the next publication);
- ``middleware``: the page cache, the site lookup, the locale of the API and the two CSPs;
- ``compression``: gzip for the responses that carry no secret (BREACH);
- ``panels``: the side-by-side language panels of the admin.

Nothing here imports another module of ``relations`` (an import-linter contract checks it).
"""
