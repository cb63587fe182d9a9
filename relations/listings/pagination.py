"""Pagination of every list (register, events, updates, timeline, search) that never fails."""

from django.core.paginator import Paginator


def paginate(rows, raw_page, per_page=20, count=None):
    """``(page, adjusted)`` of ``rows`` (a queryset, or anything a Paginator slices).

    ``page=abc`` gives the first page and ``page=999999`` the last one; ``adjusted`` tells that the
    page asked for was not the page given. ``count``: the number of rows when the caller knows it
    already (it saves the paginator's COUNT query).
    """
    paginator = Paginator(rows, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not computed again
    try:
        number = int(str(raw_page).strip()) if raw_page not in (None, "") else 1
    except ValueError:
        return paginator.page(1), True
    clamped = min(max(number, 1), paginator.num_pages)
    return paginator.page(clamped), clamped != number
