"""The contact form of the Québec Government Office in Seoul: a Wagtail form-builder page.

Editors build the form in the admin (label, help text, choices in French and English); visitors
see it in their language, with the validation messages in that language. What is sent:

- is kept as a form submission in the admin (Pages → the contact page → Submissions), also when
  no recipient address is set (``to_address``: the office's address is not part of the demo
  content, staff set it in the page's "E-mail" panel);
- is e-mailed through Django's mail backend (``EMAIL_BACKEND``) to ``to_address`` when set, with
  ``Reply-To`` set to the visitor's address. A mail failure is logged; the message stays stored
  and the visitor is thanked all the same.

Against spam: a honeypot field (``HONEYPOT``) that people do not see and bots fill in (the
message is then silently dropped), and a limit per visitor address (``PORTAL_CONTACT_RATE_LIMIT``
messages per ``PORTAL_CONTACT_RATE_WINDOW`` seconds, 5 an hour by default) counted in the
database for every worker (``relations.models.limits``): beyond it the page answers 429 with a
message, keeping what the visitor wrote. Every answer has a maximum length (``ANSWER_LENGTHS``),
checked by the form and announced to browsers (``maxlength``).

The stored answers are keyed by each field's ``clean_name``, made once from the **French**
label (Wagtail would take the label of the language active when the field is created, so the
key would depend on the editor's admin language).
"""

import logging

from django import forms
from django.conf import settings
from django.core.mail import EmailMessage
from django.core.validators import MaxLengthValidator
from django.db import models
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField
from wagtail.contrib.forms.panels import FormSubmissionsPanel
from wagtail.contrib.forms.utils import get_field_clean_name
from wagtail.fields import RichTextField

from relations.core.panels import bilingual
from relations.models.limits import RateLimit
from relations.security import client_ip

from .base import BasePage

logger = logging.getLogger(__name__)

HONEYPOT = "contact_website"
CONTACT_LIMIT = RateLimit("contact", "PORTAL_CONTACT_RATE_LIMIT", 5, "PORTAL_CONTACT_RATE_WINDOW", 3600)
# Characters per answer, by form-field type; any other text answer gets DEFAULT_ANSWER_LENGTH.
ANSWER_LENGTHS = {"multiline": 5000, "email": 254, "url": 2048}
DEFAULT_ANSWER_LENGTH = 255


def bound_answers(form, field_types):
    """Gives each text field of ``form`` a maximum length (``field_types``: name → field type).

    Text fields are those with a ``max_length`` attribute (CharField and its kin: e-mail, URL);
    a shorter limit already set (Wagtail's 255 for a single line) is kept. Numbers, dates and
    choices are bounded by what they accept.
    """
    for name, field in form.fields.items():
        if not hasattr(field, "max_length"):
            continue
        length = ANSWER_LENGTHS.get(field_types.get(name), DEFAULT_ANSWER_LENGTH)
        if field.max_length is not None and field.max_length <= length:
            continue
        field.max_length = length
        field.validators.append(MaxLengthValidator(length))
        field.widget.attrs["maxlength"] = str(length)
    return form


AUTOCOMPLETE = {"email": "email", "url": "url"}


class ContactFormField(AbstractFormField):
    """A field of the contact form; its label, help text, choices and default are translated."""

    page = ParentalKey("relations.ContactPage", on_delete=models.CASCADE, related_name="form_fields")

    panels = [
        bilingual("label", heading=_("Label")),
        FieldPanel("field_type"),
        FieldPanel("required"),
        bilingual("help_text", heading=_("Help text")),
        bilingual("choices", heading=_("Choices")),
        bilingual("default_value", heading=_("Default value")),
    ]

    class Meta(AbstractFormField.Meta):
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")

    def get_field_clean_name(self):
        """The key of the answers, from the French label whatever language is active."""
        return get_field_clean_name(getattr(self, "label_fr", None) or self.label)


class ContactPage(BasePage, AbstractEmailForm):
    """A contact form (to the Québec Government Office in Seoul), built in the admin."""

    thank_you_text = RichTextField(
        _("thank-you message"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown after a message is sent."),
    )

    content_panels = BasePage.content_panels + [
        FormSubmissionsPanel(),
        InlinePanel("form_fields", label=_("Form fields")),
        bilingual("thank_you_text", heading=_("Thank-you message")),
        MultiFieldPanel(
            [
                FieldPanel("to_address"),
                FieldPanel("from_address"),
                bilingual("subject", heading=_("Subject")),
            ],
            heading=_("E-mail"),
            help_text=_("Messages are always kept in the admin; they are also e-mailed to these addresses."),
        ),
    ]
    parent_page_types = ["relations.HomePage", "relations.StandardPage"]
    subpage_types = []
    template = "relations/contact_page.html"
    landing_page_template = "relations/contact_page_landing.html"

    class Meta:
        verbose_name = _("contact page")

    # -- the form ----------------------------------------------------------------------

    def get_form_class(self):
        form_class = super().get_form_class()
        honeypot = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        )
        return type("ContactForm", (form_class,), {HONEYPOT: honeypot})

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        field_types = {field.clean_name: field.field_type for field in self.get_form_fields()}
        for name, field_type in field_types.items():
            bound = form.fields.get(name)
            if bound is not None and field_type in AUTOCOMPLETE:
                bound.widget.attrs.setdefault("autocomplete", AUTOCOMPLETE[field_type])
        return bound_answers(form, field_types)

    def visible_fields(self, form):
        """The fields people fill in, each with ``aria-describedby`` pointing to its help text and
        error, and ``aria-invalid`` when it has one (a group of radios or boxes gets them on its
        ``<fieldset>`` in the template)."""
        fields = []
        for name in form.fields:
            if name == HONEYPOT:
                continue
            bound = form[name]
            described = []
            if bound.help_text:
                described.append(f"{bound.auto_id}-help")
            if bound.errors:
                described.append(f"{bound.auto_id}-error")
            if not bound.use_fieldset:
                attrs = bound.field.widget.attrs
                if described:
                    attrs["aria-describedby"] = " ".join(described)
                if bound.errors:
                    attrs["aria-invalid"] = "true"
            bound.described_by = " ".join(described)
            bound.anchor = f"{bound.auto_id}_0" if bound.use_fieldset else bound.auto_id
            fields.append(bound)
        return fields

    # -- serving -----------------------------------------------------------------------

    def serve(self, request, *args, **kwargs):
        status = 200
        limited = False
        if request.method == "POST":
            form = self.get_form(request.POST, request.FILES, page=self, user=request.user)
            valid = form.is_valid()
            if valid and not CONTACT_LIMIT.allow(client_ip(request)):
                limited = True
                status = 429
            elif valid:
                if form.cleaned_data.get(HONEYPOT):
                    logger.info("contact form: honeypot filled, message dropped")
                    submission = None
                else:
                    submission = self.process_form_submission(form)
                response = self.render_landing_page(request, submission, *args, **kwargs)
                add_never_cache_headers(response)
                return response
        else:
            form = self.get_form(page=self, user=request.user)

        context = self.get_context(request)
        context.update({"form": form, "rate_limited": limited, "fields": self.visible_fields(form)})
        response = TemplateResponse(request, self.get_template(request), context, status=status)
        add_never_cache_headers(response)  # a CSRF token is in the page
        return response

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        context["fields"] = self.visible_fields(context["form"])
        return context

    def process_form_submission(self, form):
        form.cleaned_data.pop(HONEYPOT, None)
        form.fields.pop(HONEYPOT, None)
        return super().process_form_submission(form)

    def send_mail(self, form):
        addresses = [address.strip() for address in self.to_address.split(",") if address.strip()]
        reply_to = []
        for field in self.get_form_fields():
            if field.field_type == "email" and form.cleaned_data.get(field.clean_name):
                reply_to = [form.cleaned_data[field.clean_name]]
                break
        subject = self.subject or gettext("Message sent from the Québec–South Korea relations portal")
        body = self.render_email(form)
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=self.from_address or settings.DEFAULT_FROM_EMAIL,
            to=addresses,
            reply_to=reply_to,
        )
        try:
            message.send()
        except Exception:  # the message is stored: the visitor is thanked, staff see the log
            logger.exception("contact form: the e-mail to %s could not be sent", addresses)

    def render_email(self, form):
        lines = [super().render_email(form), "", "--"]
        lines.append(gettext("Sent from: %(url)s") % {"url": self.full_url or self.url or ""})
        lines.append(gettext("Language of the form: %(language)s") % {"language": get_language()})
        return "\n".join(lines)
