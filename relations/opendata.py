"""Open data: the page listing the datasets (``/fr/donnees/``, ``/en/data/``), their files, and
the DCAT catalogue (``/data/catalog.jsonld``).

The datasets and their columns are those of ``relations.exports``: the page shows, for each, its
formats, its data dictionary in the visitor's language, its licence (CC BY 4.0, as Québec's
open-data portal uses) and its last update, with schema.org ``DataCatalog`` / ``Dataset``
JSON-LD. The catalogue describes the same datasets in DCAT, in both languages at once, at one URL
that does not depend on the language, for harvesters.
"""

from django.db.models import Max
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import path, re_path, reverse
from django.utils.translation import gettext_lazy, override
from django.views.decorators.http import require_safe

from .exports import DATASETS, dataset_response
from .models import LANGUAGE_CODES, Agreement, Event, KeyFigure, Organization, current_language

LICENCE = {
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "deed": {
        "fr": "https://creativecommons.org/licenses/by/4.0/deed.fr",
        "en": "https://creativecommons.org/licenses/by/4.0/deed.en",
        "ko": "https://creativecommons.org/licenses/by/4.0/deed.ko",
    },
    "name": "CC BY 4.0",
}
FORMATS = [
    # (file suffix, view's format, media type, DCAT format name, label)
    (".csv", "csv", "text/csv", "CSV", gettext_lazy("CSV (comma-separated)")),
    (
        "-excel.csv",
        "excel.csv",
        "text/csv",
        "CSV",
        gettext_lazy("CSV for spreadsheets set to French (semicolons, decimal commas)"),
    ),
    (".json", "json", "application/json", "JSON", gettext_lazy("JSON")),
]
DATATYPES = {
    "text": gettext_lazy("text"),
    "date": gettext_lazy("date (ISO 8601)"),
    "url": gettext_lazy("address (URL)"),
    "list": gettext_lazy("list (items separated by “ | ” in CSV)"),
    "number": gettext_lazy("number"),
    "boolean": gettext_lazy("yes or no"),
}
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
LANGUAGE_URIS = {
    "fr": "http://publications.europa.eu/resource/authority/language/FRA",
    "en": "http://publications.europa.eu/resource/authority/language/ENG",
    "ko": "http://publications.europa.eu/resource/authority/language/KOR",
}
CATALOG_TITLE = gettext_lazy("Open data of the Québec–South Korea relations portal")
CATALOG_DESCRIPTION = gettext_lazy(
    "The agreements, events, organisations and key figures of the relations between Québec and "
    "South Korea, in French and in English, free to reuse under the CC BY 4.0 licence."
)
PUBLISHER = gettext_lazy("Québec Government Office in Seoul")


def last_updates():
    """Each dataset's last change: the last publication of an agreement or event, the last save
    of an organisation or key figure. Four queries."""

    def newest(queryset, field):
        return queryset.aggregate(newest=Max(field))["newest"]

    return {
        "agreements": newest(Agreement.objects.published(), "last_published_at"),
        "events": newest(Event.objects.published(), "last_published_at"),
        "organisations": newest(Organization.objects.all(), "updated_at"),
        "key-figures": newest(KeyFigure.objects.all(), "updated_at"),
    }


def page_url(language):
    with override(language):
        return reverse("open-data")


def file_url(dataset, language, suffix):
    """``/fr/donnees/ententes-excel.csv`` for ``suffix`` ``-excel.csv``."""
    stem, fmt = suffix.rsplit(".", 1)
    with override(language):
        return reverse("open-data-file", kwargs={"name": dataset.slug(language) + stem, "fmt": fmt})


def dataset_files(dataset, language, request):
    return [
        {
            "url": request.build_absolute_uri(file_url(dataset, language, suffix)),
            "media_type": media_type,
            "format": name,
            "label": label,
        }
        for suffix, _fmt, media_type, name, label in FORMATS
    ]


def describe(request, language):
    """The datasets as the page shows them, in ``language``."""
    updates = last_updates()
    with override(language):
        return [
            {
                "key": dataset.key,
                "anchor": dataset.slug(language),
                "title": str(dataset.title),
                "description": str(dataset.description),
                "files": [
                    {**item, "label": str(item["label"])}
                    for item in dataset_files(dataset, language, request)
                ],
                "columns": [
                    {
                        "key": column.key,
                        "header": str(column.header),
                        "description": str(column.description),
                        "datatype": str(DATATYPES[column.datatype]),
                    }
                    for column in dataset.columns
                ],
                "modified": updates[dataset.key],
            }
            for dataset in DATASETS.values()
        ]


def schema_org(datasets, request, language):
    """schema.org ``DataCatalog`` holding one ``Dataset`` per dataset (Google's dataset search)."""
    url = request.build_absolute_uri(page_url(language))
    publisher = {"@type": "GovernmentOrganization", "name": str(PUBLISHER)}
    return {
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "@id": url,
        "name": str(CATALOG_TITLE),
        "description": str(CATALOG_DESCRIPTION),
        "url": url,
        "inLanguage": language,
        "license": LICENCE["url"],
        "publisher": publisher,
        "dataset": [
            {
                "@type": "Dataset",
                "@id": f"{url}#{item['anchor']}",
                "name": item["title"],
                "description": item["description"],
                "url": f"{url}#{item['anchor']}",
                "license": LICENCE["url"],
                "isAccessibleForFree": True,
                "inLanguage": LANGUAGE_CODES,
                "creator": publisher,
                **({"dateModified": item["modified"].isoformat()} if item["modified"] else {}),
                "variableMeasured": [
                    {"@type": "PropertyValue", "name": column["key"], "description": column["description"]}
                    for column in item["columns"]
                ],
                "distribution": [
                    {"@type": "DataDownload", "encodingFormat": file["media_type"], "contentUrl": file["url"]}
                    for file in item["files"]
                ],
            }
            for item in datasets
        ],
    }


@require_safe
def open_data(request):
    language = current_language()
    datasets = describe(request, language)
    modified = [item["modified"] for item in datasets if item["modified"]]
    context = {
        "datasets": datasets,
        "licence": {"name": LICENCE["name"], "url": LICENCE["deed"].get(language, LICENCE["url"])},
        "catalog_url": reverse("data-catalog"),
        "structured_data": schema_org(datasets, request, language),
        "translations": {code: page_url(code) for code in LANGUAGE_CODES},
        "last_updated": max(modified) if modified else None,
    }
    return render(request, "relations/open_data.html", context)


@require_safe
def dataset_file(request, name, fmt):
    """``/<lang>/<data>/<dataset slug in that language>[-excel].<csv|json>``; 404 for any other name."""
    language = current_language()
    excel = name.endswith("-excel")
    slug = name.removesuffix("-excel")
    dataset = next((item for item in DATASETS.values() if item.slug(language) == slug), None)
    if dataset is None or (excel and fmt != "csv"):
        raise Http404
    return dataset_response(dataset, dataset.rows(request), request, "excel.csv" if excel else fmt)


def both_languages(text):
    values = []
    for language in LANGUAGE_CODES:
        with override(language):
            values.append({"@value": str(text), "@language": language})
    return values


def dcat_distributions(dataset, request, licence):
    distributions = []
    for language in LANGUAGE_CODES:
        with override(language):
            for suffix, _fmt, media_type, name, label in FORMATS:
                url = request.build_absolute_uri(file_url(dataset, language, suffix))
                distributions.append(
                    {
                        "@id": url,
                        "@type": "dcat:Distribution",
                        "dct:title": {"@value": f"{dataset.title} – {label}", "@language": language},
                        "dcat:accessURL": {"@id": request.build_absolute_uri(page_url(language))},
                        "dcat:downloadURL": {"@id": url},
                        "dcat:mediaType": {"@id": MEDIA_TYPES + media_type},
                        "dct:format": name,
                        "dct:language": {"@id": LANGUAGE_URIS[language]},
                        "dct:license": licence,
                    }
                )
    return distributions


@require_safe
def catalog(request):
    """The DCAT catalogue (DCAT 2 in JSON-LD), in both languages, at ``/data/catalog.jsonld``."""
    updates = last_updates()
    licence = {"@id": LICENCE["url"]}
    home = request.build_absolute_uri(page_url(LANGUAGE_CODES[0]))
    datasets = []
    for dataset in DATASETS.values():
        modified = updates[dataset.key]
        datasets.append(
            {
                "@id": f"{home}#{dataset.slug(LANGUAGE_CODES[0])}",
                "@type": "dcat:Dataset",
                "dct:identifier": dataset.key,
                "dct:title": both_languages(dataset.title),
                "dct:description": both_languages(dataset.description),
                "dct:license": licence,
                "dct:language": [{"@id": LANGUAGE_URIS[code]} for code in LANGUAGE_CODES],
                "dct:publisher": {"@id": f"{home}#publisher"},
                "dcat:landingPage": [
                    {"@id": request.build_absolute_uri(page_url(code))} for code in LANGUAGE_CODES
                ],
                **(
                    {"dct:modified": {"@value": modified.isoformat(), "@type": "xsd:dateTime"}}
                    if modified
                    else {}
                ),
                "dcat:distribution": dcat_distributions(dataset, request, licence),
            }
        )
    modified = [value for value in updates.values() if value]
    data = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": request.build_absolute_uri(reverse("data-catalog")),
        "@type": "dcat:Catalog",
        "dct:title": both_languages(CATALOG_TITLE),
        "dct:description": both_languages(CATALOG_DESCRIPTION),
        "dct:publisher": {
            "@id": f"{home}#publisher",
            "@type": "foaf:Organization",
            "foaf:name": both_languages(PUBLISHER),
        },
        "dct:license": licence,
        "dct:language": [{"@id": LANGUAGE_URIS[code]} for code in LANGUAGE_CODES],
        "foaf:homepage": {"@id": home},
        **(
            {"dct:modified": {"@value": max(modified).isoformat(), "@type": "xsd:dateTime"}}
            if modified
            else {}
        ),
        "dcat:dataset": datasets,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Type"] = "application/ld+json; charset=utf-8"
    return response


urlpatterns = [
    path("", open_data, name="open-data"),
    re_path(r"^(?P<name>[-a-z]+)\.(?P<fmt>csv|json)$", dataset_file, name="open-data-file"),
]
