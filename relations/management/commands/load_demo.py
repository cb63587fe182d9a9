"""``manage.py load_demo``: loads the demo content of ``fixtures/demo.yaml`` in French and English,
then its Korean text from ``fixtures/demo.ko.yaml`` (the ``.ko.yaml`` beside the file loaded).

Idempotent and respectful of editors: what already exists is left untouched (an editor may have
changed it), only what is missing is created. Long because it reads every kind of demo object
(pages, snippets, their links, both fixtures); each kind has its own method. Objects are found
by their natural key:

- pages by ``slug_fr`` under their parent (a home or index page, of which there is only one, also
  by its type);
- sectors by ``slug``; sources by ``title_fr``; organisations by ``name_fr`` (or their acronym);
  key figures by ``label_fr``; agreements and events by ``slug_fr``.

The sources an object cites (``sources: [ref, …]``) are linked only when the object is created:
an editor who removed or added one keeps the choice.

The Korean text fills only the Korean fields that are still empty, of objects with no unpublished
draft (an editor's pending changes are never published by the demo); Korean pages and items get
their English slug (``slug_ko``), as editors' do.

Pages, agreements and events are published through a revision, as an editor would. The command
runs in one transaction, then repairs the translated URL paths (``url_path_fr``/``url_path_en``,
as wagtail-modeltranslation's ``set_translation_url_paths`` does, without re-validating pages that
are not the demo's) and rebuilds the search index (``update_index``).
"""

import io
import re
import uuid
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import yaml

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import override

from modeltranslation.settings import AVAILABLE_LANGUAGES
from wagtail.models import Page, Site

from relations.models import (
    Agreement,
    AgreementIndexPage,
    AreaPage,
    ContactFormField,
    ContactPage,
    Event,
    EventIndexPage,
    HomePage,
    KeyFigure,
    Organization,
    Sector,
    Source,
    StandardPage,
    TimelinePage,
    UpdateIndexPage,
    UpdatePage,
)
from relations.pages.base import forget_localized_site_root_paths

DEFAULT_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "demo.yaml"
WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"
LANGUAGES = ("fr", "en")  # the languages of demo.yaml; Korean comes from demo.ko.yaml
KOREAN = "ko"
NBSP = "\u00a0"

PAGE_TYPES = {
    "home": HomePage,
    "area": AreaPage,
    "standard": StandardPage,
    "agreement_index": AgreementIndexPage,
    "event_index": EventIndexPage,
    "update_index": UpdateIndexPage,
    "update": UpdatePage,
    "timeline": TimelinePage,
    "contact": ContactPage,
}


def french_typography(text):
    """Non-breaking spaces where French typography wants them: `4,2 %`, `2,1 milliards $`, `« … »`, ` :`.

    Only a space already typed becomes non-breaking (``&amp;`` or a URL are never touched).
    Idempotent, so the fixture may already hold the non-breaking spaces.
    """
    if not isinstance(text, str):
        return text
    text = re.sub(r"(?<=\S)[ \u202f]+([:;%!?»]|\$(?!\d))", NBSP + r"\1", text)
    text = re.sub(r"«[ \u00a0\u202f]*", "«" + NBSP, text)
    text = re.sub(r"(\d) (milliards?|millions?)\b", r"\1" + NBSP + r"\2", text)
    return text


def translated(spec, field, required=False):
    """``{"title": {"fr": …, "en": …}}`` → ``{"title_fr": …, "title_en": …}``."""
    value = spec.get(field)
    if value is None:
        if required:
            raise CommandError(f"{field!r} is missing in {spec!r}")
        return {}
    if not isinstance(value, dict) or set(value) - set(LANGUAGES):
        raise CommandError(f"{field!r} must be a mapping of {LANGUAGES}, not {value!r}")
    fields = {}
    for language in LANGUAGES:
        text = value.get(language)
        if text is None:
            continue
        text = text.strip() if isinstance(text, str) else text
        fields[f"{field}_{language}"] = french_typography(text) if language == "fr" else text
    return fields


class Tally:
    """Counts what was created and what was kept, per kind of object."""

    def __init__(self):
        self.counts = defaultdict(lambda: {"created": 0, "kept": 0})

    def created(self, kind):
        self.counts[kind]["created"] += 1

    def kept(self, kind):
        self.counts[kind]["kept"] += 1

    def total(self, what):
        return sum(count[what] for count in self.counts.values())


class Command(BaseCommand):
    help = "Loads the demo content (fixtures/demo.yaml) in French and English; keeps what already exists."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEFAULT_FIXTURE), help="The YAML file to load.")
        parser.add_argument(
            "--skip-index", action="store_true", help="Do not rebuild the search index afterwards."
        )
        parser.add_argument(
            "--no-korean", action="store_true", help="Do not load the Korean text (<file>.ko.yaml)."
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        korean_path = path.with_name(f"{path.stem}.{KOREAN}{path.suffix}")
        korean = None
        if not options["no_korean"] and KOREAN in AVAILABLE_LANGUAGES and korean_path.exists():
            with korean_path.open(encoding="utf-8") as handle:
                korean = yaml.safe_load(handle) or {}

        self.verbosity = options["verbosity"]
        self.tally = Tally()
        self.refs = {
            "sector": {},
            "source": {},
            "organization": {},
            "key_figure": {},
            "page": {},
            "agreement": {},
            "event": {},
        }
        self.new_key_figures = {}  # ref → KeyFigure created in this run (its area is set later)

        # The base columns (title, slug, url_path…) hold the French text, as in the admin.
        with override(settings.LANGUAGE_CODE), transaction.atomic():
            self.load_sectors(data.get("sectors", []))
            self.load_sources(data.get("sources", []))
            self.load_organizations(data.get("organizations", []))
            self.load_key_figures(data.get("key_figures", []))
            home = self.load_home(data["home"])
            self.load_site(data.get("site", {}), home)
            self.link_key_figures(data.get("key_figures", []))
            self.load_agreements(data.get("agreements", []))
            self.load_events(data.get("events", []))
            self.load_updates(data.get("updates", []))
            if korean is not None:
                KoreanText(self).load(korean)
            fixed = self.fix_translated_url_paths()
            if fixed:
                self.say(f"Translated URL paths repaired on {fixed} page(s).")
                # The site root paths cached per language were computed from the paths before
                # the repair: without this, pages could have no URL until the cache expires.
                forget_localized_site_root_paths(sender=Site)
                transaction.on_commit(lambda: forget_localized_site_root_paths(sender=Site))
            if not options["skip_index"]:
                call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())

        summary = f"Demo content: created {self.tally.total('created')}, kept {self.tally.total('kept')}."
        self.stdout.write(self.style.SUCCESS(summary))
        for kind, count in self.tally.counts.items():
            self.stdout.write(f"  {kind}: created {count['created']}, kept {count['kept']}")

    # ----------------------------------------------------------------------------------
    # Helpers
    # ----------------------------------------------------------------------------------

    def say(self, message, level=1):
        if self.verbosity >= level:
            self.stdout.write(message)

    def resolve(self, kind, refs):
        """The objects named by ``refs`` (keys local to the fixture)."""
        objects = []
        for ref in refs or []:
            try:
                obj = self.refs[kind][ref]
            except KeyError:
                raise CommandError(f"Unknown {kind} {ref!r} in the demo fixture")
            if obj is not None:
                objects.append(obj)
        return objects

    def resolve_areas(self, refs):
        """Area pages only: a page an editor put at an area's slug is kept but not linked as one."""
        return [page for page in self.resolve("page", refs) if isinstance(page, AreaPage)]

    def resolve_one(self, kind, ref):
        found = self.resolve(kind, [ref] if ref else [])
        return found[0] if found else None

    def stream(self, spec, languages=LANGUAGES):
        """A StreamField's raw data per language from the fixture's block lists."""
        fields = {}
        for language in languages:
            blocks = []
            for item in spec.get(language) or []:
                ((block_type, value),) = item.items()
                if block_type == "key_figure":
                    figure = self.resolve_one("key_figure", value)
                    if figure is None:
                        continue
                    value = {"figure": figure.pk}
                elif block_type in ("heading", "paragraph"):
                    value = value.strip()
                    if language == "fr":
                        value = french_typography(value)
                else:
                    raise CommandError(f"Unknown block type {block_type!r} in the demo fixture")
                blocks.append({"type": block_type, "value": value, "id": str(uuid.uuid4())})
            fields[f"body_{language}"] = blocks
        return fields

    # ----------------------------------------------------------------------------------
    # Snippets and plain models
    # ----------------------------------------------------------------------------------

    def load_sectors(self, specs):
        for spec in specs:
            sector = Sector.objects.filter(slug=spec["slug"]).first()
            if sector is None:
                sector = Sector(slug=spec["slug"], **translated(spec, "name", required=True))
                sector.full_clean()
                sector.save()
                self.tally.created("sectors")
            else:
                self.tally.kept("sectors")
            self.refs["sector"][spec["slug"]] = sector

    def load_sources(self, specs):
        for spec in specs:
            titles = translated(spec, "title", required=True)
            source = Source.objects.filter(title_fr=titles["title_fr"]).first()
            if source is None:
                source = Source(
                    url=spec.get("url", ""),
                    date=spec.get("date"),
                    date_precision=spec.get("date_precision", "day"),
                    **titles,
                )
                source.full_clean()
                source.save()
                self.tally.created("sources")
            else:
                self.tally.kept("sources")
            self.refs["source"][spec["ref"]] = source

    def load_organizations(self, specs):
        for spec in specs:
            names = translated(spec, "name", required=True)
            organization = Organization.objects.filter(name_fr=names["name_fr"]).first()
            if organization is None and spec.get("acronym"):
                organization = Organization.objects.filter(acronym=spec["acronym"]).first()
            if organization is None:
                organization = Organization(
                    acronym=spec.get("acronym", ""),
                    kind=spec["kind"],
                    country=spec["country"],
                    founded_year=spec.get("founded_year"),
                    website=spec.get("website", ""),
                    **names,
                    **translated(spec, "city"),
                    **translated(spec, "description"),
                )
                organization.full_clean()
                organization.save()
                organization.sources.set(self.resolve("source", spec.get("sources")))
                self.tally.created("organisations")
            else:
                self.tally.kept("organisations")
            self.refs["organization"][spec["ref"]] = organization

    def load_key_figures(self, specs):
        for spec in specs:
            labels = translated(spec, "label", required=True)
            figure = KeyFigure.objects.filter(label_fr=labels["label_fr"]).first()
            if figure is None:
                figure = KeyFigure(
                    value=Decimal(str(spec["value"])),
                    unit=spec["unit"],
                    reference_year=spec.get("reference_year"),
                    source_url=spec.get("source_url", ""),
                    source_date=spec.get("source_date"),
                    show_on_home=spec.get("show_on_home", True),
                    sort_order=spec.get("sort_order", 0),
                    **labels,
                    **translated(spec, "source_name", required=True),
                )
                figure.full_clean()
                figure.save()
                self.new_key_figures[spec["ref"]] = figure
                self.tally.created("key figures")
            else:
                self.tally.kept("key figures")
            self.refs["key_figure"][spec["ref"]] = figure

    def link_key_figures(self, specs):
        """Key figures created in this run get their area, now that the area pages exist."""
        for spec in specs:
            figure = self.new_key_figures.get(spec["ref"])
            area = self.resolve_one("page", spec.get("area"))
            if figure is not None and isinstance(area, AreaPage):
                KeyFigure.objects.filter(pk=figure.pk).update(area=area)

    def load_publishable(self, model, specs, kind, ref_kind, build):
        """Agreements and events: found by ``slug_fr``, created and published with a revision."""
        for spec in specs:
            slugs = translated(spec, "slug", required=True)
            obj = model.objects.filter(slug_fr=slugs["slug_fr"]).first()
            if obj is None:
                obj, relations = build(spec)
                obj.live = False
                for field, value in slugs.items():
                    setattr(obj, field, value)
                for field, objects in relations.items():
                    getattr(obj, field).set(objects)  # modelcluster: saved with the object
                obj.full_clean()
                obj.save()
                obj.save_revision().publish()
                obj = model.objects.get(pk=obj.pk)
                self.tally.created(kind)
            else:
                self.tally.kept(kind)
            self.refs[ref_kind][spec["ref"]] = obj

    def load_agreements(self, specs):
        def build(spec):
            agreement = Agreement(
                kind=spec["kind"],
                signed_on=spec.get("signed_on"),
                signed_precision=spec.get("signed_precision", "day"),
                ratified_on=spec.get("ratified_on"),
                ratified_precision=spec.get("ratified_precision", "day"),
                in_force_on=spec.get("in_force_on"),
                in_force_precision=spec.get("in_force_precision", "day"),
                ended_on=spec.get("ended_on"),
                official_link=spec.get("official_link", ""),
                order_in_council=spec.get("order_in_council", ""),
                order_in_council_date=spec.get("order_in_council_date"),
                **translated(spec, "title", required=True),
                **translated(spec, "summary"),
                **translated(spec, "source_note"),
                **translated(spec, "signed_at"),
            )
            relations = {
                "parties": self.resolve("organization", spec.get("parties")),
                "responsible_bodies": self.resolve("organization", spec.get("responsible_bodies")),
                "areas": self.resolve_areas(spec.get("areas")),
                "sectors": self.resolve("sector", spec.get("sectors")),
                "sources": self.resolve("source", spec.get("sources")),
            }
            return agreement, relations

        self.load_publishable(Agreement, specs, "agreements", "agreement", build)

    def load_events(self, specs):
        def build(spec):
            event = Event(
                kind=spec["kind"],
                start_date=spec.get("start_date"),
                end_date=spec.get("end_date"),
                date_precision=spec.get("date_precision", "day"),
                timezone=spec.get("timezone", "Asia/Seoul"),
                country=spec.get("country", ""),
                link=spec.get("link", ""),
                **translated(spec, "title", required=True),
                **translated(spec, "summary"),
                **translated(spec, "city"),
                **translated(spec, "venue"),
                **translated(spec, "recurrence_note"),
            )
            relations = {
                "areas": self.resolve_areas(spec.get("areas")),
                "organisers": self.resolve("organization", spec.get("organisers")),
                "agreements": self.resolve("agreement", spec.get("agreements")),
                "sources": self.resolve("source", spec.get("sources")),
            }
            return event, relations

        self.load_publishable(Event, specs, "events", "event", build)

    # ----------------------------------------------------------------------------------
    # Pages
    # ----------------------------------------------------------------------------------

    def find_page(self, parent, model, slug_fr):
        page = parent.get_children().filter(slug_fr=slug_fr).first()
        if page is None and model.max_count == 1:
            page = model.objects.first()
        return page.specific if page is not None else None

    def ensure_page(self, parent, spec):
        model = PAGE_TYPES[spec["type"]]
        slugs = translated(spec, "slug", required=True)
        page = self.find_page(parent, model, slugs["slug_fr"])
        if page is not None:
            if not isinstance(page, model):
                self.stderr.write(
                    f"Kept {page.specific_class.__name__} “{page.title}” at {slugs['slug_fr']!r}, "
                    f"where the demo expects a {model.__name__}."
                )
            self.tally.kept("pages")
        else:
            intro = translated(spec, "intro")
            page = model(
                live=False,
                **translated(spec, "title", required=True),
                **slugs,
                **intro,
                **{
                    f"search_description_{lang}": intro[f"intro_{lang}"]
                    for lang in LANGUAGES
                    if intro.get(f"intro_{lang}")
                },
            )
            if "body" in spec:
                for field, value in self.stream(spec["body"]).items():
                    setattr(page, field, value)
            if model is UpdatePage:
                page.date = spec["date"]
                page.date_precision = spec.get("date_precision", "day")
            if model is ContactPage:
                self.contact_form(page, spec)
            if model is StandardPage:
                page.show_office_card = spec.get("show_office_card", False)
            relations = {
                "sectors": ("sector", spec.get("sectors")),
                "areas": ("page", spec.get("areas")),
                "related_agreements": ("agreement", spec.get("related_agreements")),
                "related_events": ("event", spec.get("related_events")),
                "sources": ("source", spec.get("sources")),
            }
            for field, (kind, refs) in relations.items():
                if refs:
                    objects = self.resolve_areas(refs) if field == "areas" else self.resolve(kind, refs)
                    getattr(page, field).set(objects)
            parent.add_child(instance=page)
            page.save_revision().publish()
            page = model.objects.get(pk=page.pk)
            self.tally.created("pages")
        if spec.get("ref"):
            self.refs["page"][spec["ref"]] = page
        return page

    def contact_form(self, page, spec):
        """The contact page's texts and form fields. ``to_address`` stays empty: the office's
        address is not in the source; staff set it in the admin (messages are kept meanwhile)."""
        for field in ("subject", "thank_you_text"):
            for name, value in translated(spec, field).items():
                setattr(page, name, value)
        page.form_fields = [
            ContactFormField(
                sort_order=order,
                field_type=field["field_type"],
                required=field.get("required", True),
                **translated(field, "label", required=True),
                **translated(field, "help_text"),
                **translated(field, "choices"),
            )
            for order, field in enumerate(spec.get("form_fields", []))
        ]

    def untouched_welcome_page(self, root):
        """Wagtail's default “Welcome to your new Wagtail site!” page, if nobody ever edited it."""
        base_type = ContentType.objects.get_for_model(Page)
        for page in root.get_children().filter(content_type=base_type, numchild=0):
            if (
                page.draft_title == WAGTAIL_WELCOME_TITLE
                and page.latest_revision_id is None
                and page.title_fr in (None, "", WAGTAIL_WELCOME_TITLE)
                and page.title_en in (None, "", WAGTAIL_WELCOME_TITLE)
            ):
                return page
        return None

    def load_home(self, spec):
        root = Page.get_first_root_node()
        welcome = self.untouched_welcome_page(root)
        if welcome is not None:
            # Sites pointing at it would be deleted with it: point them at the tree root meanwhile,
            # load_site() then points the default site at the new home page.
            Site.objects.filter(root_page=welcome).update(root_page=root)
            welcome.delete()
            self.say("Deleted Wagtail's default welcome page.")
            root.refresh_from_db()
        home = self.ensure_page(root, spec)
        for child in spec.get("children", []):
            self.ensure_page(home, child)
        return home

    def load_updates(self, specs):
        index = next((page for page in self.refs["page"].values() if isinstance(page, UpdateIndexPage)), None)
        index = index or UpdateIndexPage.objects.first()
        if index is None:
            raise CommandError("No update index page to hold the updates.")
        for spec in specs:
            self.ensure_page(index, {"type": "update", **spec})

    def load_site(self, spec, home):
        hostname = spec.get("hostname", "localhost")
        port = spec.get("port", 80)
        site = Site.objects.filter(is_default_site=True).first()
        site = site or Site.objects.filter(hostname=hostname, port=port).first()
        if site is None:
            Site.objects.create(
                hostname=hostname,
                port=port,
                root_page=home,
                is_default_site=True,
                site_name=spec.get("site_name", ""),
            )
            self.tally.created("sites")
            return
        if site.root_page_id == home.pk:
            self.tally.kept("sites")
            return
        if site.root_page.depth == 1:  # left at the tree root when the welcome page was deleted
            site.root_page = home
            site.is_default_site = True
            if not site.site_name:
                site.site_name = spec.get("site_name", "")
            site.save()
            self.say(f"Site {site.hostname}:{site.port} now serves the demo home page.")
            self.tally.kept("sites")
            return
        self.tally.kept("sites")
        self.stderr.write(
            f"Kept site {site.hostname}:{site.port}, whose root is “{site.root_page.title}”, "
            "not the demo home page: change it in Settings → Sites to show the demo."
        )

    def fix_translated_url_paths(self):
        """``url_path_fr``/``url_path_en`` of every page, from its slugs and its parent's paths.

        What ``set_translation_url_paths`` does, but writing only the pages whose paths are wrong
        and without saving them through ``full_clean`` (an editor's draft may not validate yet).
        """
        rows = (
            Page.objects.rewrite(False)
            .order_by("path")
            .values(
                "pk",
                "path",
                "depth",
                "slug",
                "url_path",
                *[f"{f}_{lang}" for f in ("slug", "url_path") for lang in AVAILABLE_LANGUAGES],
            )
        )
        computed = {}
        fixed = 0
        for row in rows:
            parent = computed.get(row["path"][: -Page.steplen]) if row["depth"] > 1 else None
            paths = {}
            for language in AVAILABLE_LANGUAGES:
                if parent is None:
                    paths[language] = "/"
                else:
                    slug = row[f"slug_{language}"] or row["slug_fr"] or row["slug"]
                    paths[language] = f"{parent[language] or parent['fr']}{slug}/"
            computed[row["path"]] = paths
            changes = {
                f"url_path_{language}": paths[language]
                for language in AVAILABLE_LANGUAGES
                if row[f"url_path_{language}"] != paths[language]
            }
            if row["url_path"] != paths["fr"]:
                changes["url_path"] = paths["fr"]
            if changes:
                self.say(f"  page {row['pk']}: {changes}", level=2)
                Page.objects.rewrite(False).filter(pk=row["pk"]).update(**changes)
                fixed += 1
        return fixed


class KoreanText:
    """The Korean text of demo.ko.yaml, put in the objects ``command`` has just found or created.

    Objects are named as in demo.yaml: sectors by slug; organisations, key figures, agreements and
    events by their ``ref``; pages by their French slug; the contact form's fields by their French
    label. Only empty Korean fields are filled; an object with an unpublished draft is left alone.
    """

    def __init__(self, command):
        self.command = command
        self.tally = command.tally

    def load(self, data):
        refs = self.command.refs
        for slug, spec in (data.get("sectors") or {}).items():
            self.fill_plain(refs["sector"].get(slug), spec, "sectors")
        for ref, spec in (data.get("organizations") or {}).items():
            self.fill_plain(refs["organization"].get(ref), spec, "organisations")
        for ref, spec in (data.get("key_figures") or {}).items():
            self.fill_plain(refs["key_figure"].get(ref), spec, "key figures")
        for kind, label in (("agreement", "agreements"), ("event", "events")):
            for ref, spec in (data.get(f"{kind}s") or {}).items():
                self.fill_published(refs[kind].get(ref), spec, label)
        home = next((page for page in refs["page"].values() if isinstance(page, HomePage)), None)
        home = home or HomePage.objects.first()
        for slug, spec in (data.get("pages") or {}).items():
            page = home.get_descendants(inclusive=True).filter(slug_fr=slug).first() if home else None
            self.fill_published(page.specific if page else None, spec, "pages")

    def korean_fields(self, obj, spec):
        """``{"title_ko": …}`` from the spec, ``body`` as StreamField data, the English slug."""
        fields = {}
        for name, value in spec.items():
            if name == "body":
                fields.update(self.command.stream({KOREAN: value}, languages=(KOREAN,)))
            elif name != "form_fields":
                fields[f"{name}_{KOREAN}"] = value.strip() if isinstance(value, str) else value
        if hasattr(obj, f"slug_{KOREAN}"):
            fields[f"slug_{KOREAN}"] = getattr(obj, "slug_en", None) or getattr(obj, "slug_fr", None)
        if "intro" in spec and hasattr(obj, f"search_description_{KOREAN}"):
            fields[f"search_description_{KOREAN}"] = spec["intro"].strip()
        return fields

    def fill(self, obj, fields):
        """Sets the fields still empty in ``obj``; True when one was."""
        changed = False
        for name, value in fields.items():
            current = getattr(obj, name, None)
            if value and not (len(current) if hasattr(current, "__len__") else current):
                setattr(obj, name, value)
                changed = True
        return changed

    def fill_plain(self, obj, spec, kind):
        if obj is None:
            return
        if self.fill(obj, self.korean_fields(obj, spec)):
            obj.save()
            self.tally.created(f"{kind} in Korean")
        else:
            self.tally.kept(f"{kind} in Korean")

    def fill_published(self, obj, spec, kind):
        """Pages, agreements and events: filled and published with a revision, drafts left alone."""
        if obj is None:
            return
        if obj.has_unpublished_changes:
            self.command.say(f"Kept {obj} as its draft is: its Korean text is not loaded.")
            self.tally.kept(f"{kind} in Korean")
            return
        changed = self.fill(obj, self.korean_fields(obj, spec))
        if spec.get("form_fields") and isinstance(obj, ContactPage):
            form_fields = list(obj.form_fields.all())
            for field in form_fields:
                texts = spec["form_fields"].get(field.label_fr) or {}
                changed |= self.fill(field, {f"{name}_{KOREAN}": value for name, value in texts.items()})
            obj.form_fields = form_fields
        if changed:
            obj.save_revision().publish()
            self.tally.created(f"{kind} in Korean")
        else:
            self.tally.kept(f"{kind} in Korean")
