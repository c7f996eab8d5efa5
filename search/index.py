"""Search fields that put segmented, folded text into the index.

The database engines cannot find a Thai, Lao, Khmer, Burmese or Chinese word inside an unspaced
sentence, nor "nguoi" in "người". Models index their text through these fields, and the search service
normalises queries the same way (``search.query``), so both sides hold the same words::

    from search.index import segmented

    class StandardPage(PortalPage):
        search_fields = segmented([*PortalPage.search_fields, index.SearchField("body")])

``segmented`` swaps every ``SearchField`` / ``AutocompleteField`` (also inside ``RelatedFields``) for its
segmenting twin with the same name and options, so boosts, ``partial_match`` and the ``title`` column
the database backends weigh separately are kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from modelsearch import index

from .segmentation import index_text

# The database backends ask each search field for its value once per index column (three times on SQLite,
# five on PostgreSQL), one object after the other: the last few texts are remembered, not segmented again.
_recent_index_text = lru_cache(maxsize=8)(index_text)


def _normalise(value):
    if isinstance(value, str):
        return _recent_index_text(value)
    if isinstance(value, list | tuple):
        return [_normalise(item) for item in value]
    if isinstance(value, dict):
        return {key: _normalise(item) for key, item in value.items()}
    return value


class SegmentedSearchField(index.SearchField):
    """A SearchField whose text is segmented and folded before it reaches the index."""

    def get_value(self, obj):
        return _normalise(super().get_value(obj))


class SegmentedAutocompleteField(index.AutocompleteField):
    def get_value(self, obj):
        return _normalise(super().get_value(obj))


def _segmented_field(field):
    if isinstance(field, SegmentedSearchField | SegmentedAutocompleteField):
        return field
    if isinstance(field, index.SearchField):
        return SegmentedSearchField(field.field_name, boost=field.boost, **field.kwargs)
    if isinstance(field, index.AutocompleteField):
        return SegmentedAutocompleteField(field.field_name, **field.kwargs)
    if isinstance(field, index.RelatedFields):
        return index.RelatedFields(field.field_name, segmented(field.fields))
    return field


def segmented(fields: Iterable) -> list:
    """The same search_fields, with every text field segmenting its value."""
    return [_segmented_field(field) for field in fields]


# With Elasticsearch, what the search service filters on inside the query: the primary key (the audience and
# facet filters are ``id__in`` sub-queries built by portal.access.policy). The database engines need none.
ACCESS_FILTER_FIELDS = [
    index.FilterField("id"),
    index.FilterField("record_tier"),
    index.FilterField("file_tier"),
    index.FilterField("embargo_until"),
]
