"""The forms of the alerts: sign-up (what to follow, how often, consent) and a subscription's
frequency on the manage page."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import topics
from .models import Frequency

HONEYPOT = "alerts_website"


class SignUpForm(forms.Form):
    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    targets = forms.MultipleChoiceField(
        label=_("What do you want to follow?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    preset = forms.CharField(required=False, max_length=topics.MAX_TARGET, widget=forms.HiddenInput)
    frequency = forms.ChoiceField(
        label=_("How often?"),
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the portal keeps my address to send me these alerts, as the privacy page says."
        ),
    )
    # People do not see this field (hidden by CSS, out of the tab order); bots fill it in.
    alerts_website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, language, preset_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["targets"].choices = topics.choices(language)
        self.preset_label = preset_label

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_preset(self):
        preset = self.cleaned_data.get("preset") or ""
        return preset if preset and topics.is_valid(preset) else ""

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("targets") and not cleaned.get("preset") and "targets" not in self.errors:
            self.add_error("targets", _("Choose at least one thing to follow."))
        return cleaned

    def shown_fields(self):
        """The fields people see, each with ``described_by`` (help and error ids, also set as
        ``aria-describedby`` on single inputs) and ``anchor`` (the id the error summary links to)."""
        fields = []
        for name in ("email", "targets", "frequency", "consent"):
            bound = self[name]
            described = [
                f"{bound.auto_id}-{part}"
                for part, shown in (("help", bound.help_text), ("error", bound.errors))
                if shown
            ]
            if not bound.use_fieldset:
                if described:
                    bound.field.widget.attrs["aria-describedby"] = " ".join(described)
                if bound.errors:
                    bound.field.widget.attrs["aria-invalid"] = "true"
            bound.described_by = " ".join(described)
            bound.anchor = f"{bound.auto_id}_0" if bound.use_fieldset else bound.auto_id
            fields.append(bound)
        return fields

    @property
    def is_bot(self):
        return bool(self.data.get(HONEYPOT))

    def chosen_targets(self):
        chosen = list(self.cleaned_data.get("targets") or [])
        if self.cleaned_data.get("preset"):
            chosen.append(self.cleaned_data["preset"])
        return chosen


class FrequencyForm(forms.Form):
    frequency = forms.ChoiceField(label=_("How often?"), choices=Frequency.choices)
