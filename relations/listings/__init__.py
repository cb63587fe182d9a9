"""The lists visitors filter and page through: the agreements register, the events page and the
timeline, with what they share.

- ``facets``: one FilterSet base (area, language, cleaning without failing) and its facet counts;
- ``pagination``: pages that never fail (``page=abc``, ``page=999999``);
- ``kept``: counts kept until the next publication, the next day or the next expiry;
- ``register``, ``events``, ``timeline``: the three lists.

They take the rows and the live areas from the page types that show them; they import the data
(``relations.models.*``) and ``relations.core``, never the page types or the outputs.
"""
