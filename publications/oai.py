"""OAI-PMH 2.0 at /oai/: public publications and public bibliography entries, in Dublin Core (oai_dc).

The protocol machinery (verbs, argument checks, errors, resumption tokens, XML) is the `oaipmh` package's server;
this module says what the repository holds. Harvesters never sign in: everything goes through the policy for the
anonymous audience.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from oaipmh import common, error, metadata
from oaipmh.server import (
    BatchingResumption,
    ServerBase,
    SubElement,
    XMLTreeServer,
    decodeResumptionToken,
    nsoai,
    oai_dc_writer,
)

from portal.access import policy
from portal.taxonomy.models import Country

from .models import Kind, PublicationPage

BATCH_SIZE = 50
REPOSITORY_ID = "som-cau-portal"
OAI_DC = ("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", "http://www.openarchives.org/OAI/2.0/oai_dc/")
TOKEN_KEYS = {"metadataPrefix", "set", "from_", "until", "batch_size"}

registry = metadata.MetadataRegistry()
registry.registerWriter("oai_dc", oai_dc_writer)


def bibliography_model():
    """The bibliography's entries, when that app has its model (it is harvested alongside publications)."""
    try:
        from bibliography.models import BibliographyEntry
    except ImportError:
        return None
    return BibliographyEntry


def _utc(value: dt.datetime | None) -> dt.datetime:
    value = value or timezone.now()
    return timezone.make_naive(value, dt.UTC) if timezone.is_aware(value) else value


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None else None


class Source:
    """One kind of record the repository holds: how to query it, stamp it and describe it."""

    prefix: str
    date_field: str

    def queryset(self, set_spec, from_, until):
        queryset = self.visible()
        if not self.matches_set(set_spec):
            return queryset.none()
        queryset = self.filter_set(queryset, set_spec)
        if from_:
            queryset = queryset.filter(**{f"{self.date_field}__gte": _aware(from_)})
        if until:
            queryset = queryset.filter(**{f"{self.date_field}__lte": _aware(until)})
        return queryset.order_by(self.date_field, "pk")

    def identifier(self, obj) -> str:
        return f"oai:{REPOSITORY_ID}:{self.prefix}/{obj.pk}"

    def header(self, obj):
        stamp = _utc(getattr(obj, self.date_field) or dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
        return common.Header(None, self.identifier(obj), stamp, self.sets(obj), False)


class PublicationSource(Source):
    prefix = "publication"
    date_field = "oai_datestamp"

    def visible(self):
        # A page published by Wagtail has last_published_at; one made live otherwise falls back.
        stamp = Coalesce("last_published_at", "first_published_at", "latest_revision_created_at")
        pages = PublicationPage.objects.live().public().annotate(oai_datestamp=stamp)
        return (
            policy.filter_records(pages, policy.ANONYMOUS)
            .select_related("contribution_country")
            .prefetch_related("authors", "covered_countries", "themes", "languages", "files__document")
        )

    def matches_set(self, set_spec):
        return not set_spec or not set_spec.startswith("type:") or set_spec == "type:publication"

    def filter_set(self, queryset, set_spec):
        if set_spec and set_spec.startswith("kind:"):
            return queryset.filter(kind=set_spec[5:])
        if set_spec and set_spec.startswith("country:"):
            return queryset.filter(covered_countries__code=set_spec[8:]).distinct()
        return queryset

    def get(self, pk):
        return self.visible().filter(pk=pk).first()

    def sets(self, obj):
        return ["type:publication", f"kind:{obj.kind}", *(f"country:{c.code}" for c in obj.covered_countries.all())]

    def dublin_core(self, obj, base_url):
        files = list(obj.files.all())
        url = base_url + obj.url if obj.url and obj.url.startswith("/") else (obj.url or "")
        return {
            "title": [obj.title],
            "creator": [a.citation_name() for a in obj.authors.all()] or [obj.publisher],
            "subject": [t.name for t in obj.themes.all()],
            "description": [obj.summary] if obj.summary else [],
            "publisher": [obj.publisher] if obj.publisher else [],
            "date": [obj.publication_date.isoformat()],
            "type": ["Text", Kind(obj.kind).label],
            "format": ["application/pdf"] if files else [],
            "identifier": [
                u for u in (url, obj.doi and f"https://doi.org/{obj.doi}", obj.isbn and f"ISBN {obj.isbn}") if u
            ],
            "language": [lang.code for lang in obj.languages.all()],
            "coverage": [c.name for c in obj.covered_countries.all()],
            "rights": ["Public record under the CAU dissemination guidelines."],
        }


class EntrySource(Source):
    prefix = "bibliography"
    date_field = "updated_at"

    def __init__(self, model):
        self.model = model

    def visible(self):
        return policy.filter_records(self.model.objects.all(), policy.ANONYMOUS).prefetch_related(
            "creators", "themes", "countries_covered"
        )

    def matches_set(self, set_spec):
        return not set_spec or set_spec == "type:bibliography" or set_spec.startswith("country:")

    def filter_set(self, queryset, set_spec):
        if set_spec and set_spec.startswith("country:"):
            return queryset.filter(countries_covered__code=set_spec[8:]).distinct()
        return queryset

    def get(self, pk):
        return self.visible().filter(pk=pk).first()

    def sets(self, obj):
        return ["type:bibliography", *(f"country:{c.code}" for c in obj.countries_covered.all())]

    def dublin_core(self, obj, base_url):
        url = ""
        try:
            url = base_url + obj.get_absolute_url()
        except Exception:  # the entry pages may not be routed yet: the record is still described
            url = ""
        return {
            "title": [obj.title],
            "creator": [c.display() for c in obj.creators.all() if c.role == "author"],
            "contributor": [c.display() for c in obj.creators.all() if c.role != "author"],
            "subject": [t.name for t in obj.themes.all()],
            "description": [obj.abstract] if obj.abstract else [],
            "publisher": [obj.publisher] if obj.publisher else [],
            "date": [obj.date or str(obj.year)] if (obj.date or obj.year) else [],
            "type": ["Text", obj.get_entry_type_display()],
            "identifier": [u for u in (url, obj.url, f"https://doi.org/{obj.doi}" if obj.doi else "") if u],
            "source": [obj.container_title] if obj.container_title else [],
            "language": [obj.language] if obj.language else [],
            "coverage": [c.name for c in obj.countries_covered.all()],
        }


class Repository:
    """The IBatchingOAI implementation the `oaipmh` server calls."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.sources = [PublicationSource()]
        entry_model = bibliography_model()
        if entry_model is not None:
            self.sources.append(EntrySource(entry_model))

    def identify(self):
        earliest = self.sources[0].visible().order_by("oai_datestamp").values_list("oai_datestamp", flat=True).first()
        stamp = earliest or dt.datetime(2024, 1, 1)
        return common.Identify(
            repositoryName="SOM CAU Portal: publications and regional bibliography",
            baseURL=self.base_url + "/oai/",
            protocolVersion="2.0",
            adminEmails=[getattr(settings, "OAI_ADMIN_EMAIL", "") or "cau-portal@example.org"],
            earliestDatestamp=_utc(stamp),
            deletedRecord="no",
            granularity="YYYY-MM-DDThh:mm:ssZ",
            compression=["identity"],
            toolkit_description=False,
        )

    def listMetadataFormats(self, identifier=None):
        if identifier is not None:
            self._find(identifier)
        return [OAI_DC]

    def listSets(self, cursor=0, batch_size=10):
        sets = [("type:publication", "Publications of the unit", None)]
        if len(self.sources) > 1:
            sets.append(("type:bibliography", "Regional annotated bibliography", None))
        sets += [(f"kind:{value}", label, None) for value, label in Kind.choices]
        sets += [(f"country:{c.code}", c.name, None) for c in Country.objects.filter(participating=True)]
        return sets[cursor : cursor + batch_size]

    def listIdentifiers(self, metadataPrefix, set=None, from_=None, until=None, cursor=0, batch_size=10):  # noqa: A002
        return [header for header, _, _ in self.listRecords(metadataPrefix, set, from_, until, cursor, batch_size)]

    def listRecords(self, metadataPrefix, set=None, from_=None, until=None, cursor=0, batch_size=10):  # noqa: A002
        self._check_prefix(metadataPrefix)
        self._check_set(set)
        records = []
        for source in self.sources:
            queryset = source.queryset(set, from_, until)
            if cursor > 0:
                count = queryset.count()
                if cursor >= count:
                    cursor -= count
                    continue
            for obj in queryset[cursor : cursor + batch_size - len(records)]:
                records.append(self._record(source, obj))
            cursor = 0
            if len(records) >= batch_size:
                break
        return records

    def getRecord(self, metadataPrefix, identifier):
        self._check_prefix(metadataPrefix)
        source, obj = self._find(identifier)
        return self._record(source, obj)

    def _record(self, source, obj):
        return source.header(obj), common.Metadata(None, source.dublin_core(obj, self.base_url)), None

    def _find(self, identifier: str):
        head = f"oai:{REPOSITORY_ID}:"
        prefix, _, pk = identifier.removeprefix(head).partition("/")
        for source in self.sources:
            if identifier.startswith(head) and prefix == source.prefix and pk.isdigit():
                obj = source.get(int(pk))
                if obj is not None:
                    return source, obj
        raise error.IdDoesNotExistError(f"No public record has the identifier {identifier}.")

    def _check_prefix(self, prefix):
        if prefix != "oai_dc":
            raise error.CannotDisseminateFormatError(f"Unknown metadata format: {prefix}. Use oai_dc.")

    def _check_set(self, set_spec):
        if not set_spec:
            return
        known = {s for s, _, _ in self.listSets(0, 10_000)}
        if set_spec not in known:
            raise error.NoRecordsMatchError(f"No set {set_spec}.")


class CheckedResumption(BatchingResumption):
    """Refuses malformed or tampered resumption tokens with badResumptionToken rather than a server error."""

    def handleVerb(self, verb, kw):
        if "resumptionToken" in kw:
            _check_token(kw["resumptionToken"])
        return super().handleVerb(verb, kw)


def _check_token(token: str) -> None:
    try:
        token_kw, cursor = decodeResumptionToken(token)
    except error.ErrorBase:
        raise
    except Exception as exc:
        raise error.BadResumptionTokenError(f"Unable to decode resumption token: {token}") from exc
    if cursor < 0 or not set(token_kw) <= TOKEN_KEYS:
        raise error.BadResumptionTokenError(f"Unable to decode resumption token: {token}")
    if "batch_size" in token_kw and not str(token_kw["batch_size"]).isdigit():
        raise error.BadResumptionTokenError(f"Unable to decode resumption token: {token}")


class TreeServer(XMLTreeServer):
    def _outputResuming(self, element, input_func, output_func, kw):
        super()._outputResuming(element, input_func, output_func, kw)
        resumed = "resumptionToken" in kw
        if resumed and element.find(nsoai("resumptionToken")) is None:
            # The protocol ends an incomplete list with an empty token; the library leaves it out.
            SubElement(element, nsoai("resumptionToken"))


class Server(ServerBase):
    def __init__(self, repository):
        super().__init__(CheckedResumption(repository, BATCH_SIZE), registry)
        self._tree_server = TreeServer(self._tree_server._server, registry)


_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> bool:
    """Whether `text` can be echoed in the response's <request> element (lxml refuses NUL and control characters)."""
    return not _XML_UNSAFE.search(text)


@csrf_exempt
def endpoint(request):
    """GET or POST, as the protocol allows; errors are OAI-PMH error responses with status 200."""
    params = request.GET if request.method == "GET" else request.POST
    base_url = request.build_absolute_uri("/").rstrip("/")
    server = Server(Repository(base_url))
    repeated = [key for key in params if len(params.getlist(key)) > 1]
    unreadable = [key for key, values in params.lists() if not all(map(_xml_safe, [key, *values]))]
    if repeated or unreadable:
        problem = f"Repeated argument: {repeated[0]}" if repeated else "An argument holds characters XML cannot carry."
        tree = server._tree_server.handleException(error.BadArgumentError(problem))
        from lxml import etree

        body = etree.tostring(tree.getroot(), encoding="UTF-8", xml_declaration=True)
    else:
        body = server.handleRequest({key: params[key] for key in params})
    return HttpResponse(body, content_type="text/xml; charset=utf-8")
