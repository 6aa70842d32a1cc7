"""Browser forms. They convert types; the rules are checked once, in signage.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import (
    Cleanup,
    Colour,
    Language,
    MechanismBasis,
    MechanismKind,
    Placement,
    Shape,
    SignKind,
    Typeface,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OTHER = "__other__"


def _blank(choices) -> list[tuple[str, str]]:
    return [("", "—"), *list(choices)]


class PlaqueForm(forms.Form):
    """One plaque as the clerk sees it on the wall; ``which`` picks the listed plaque it is."""

    which = forms.ChoiceField(label=_("Which plaque is it?"))
    text = forms.CharField(label=_("text on the plaque"), max_length=200)
    room = forms.CharField(label=_("room (inside plaques)"), max_length=60, required=False)
    owner_department = forms.CharField(label=_("owning department"), max_length=100, required=False)
    shape = forms.ChoiceField(label=_("shape"), choices=_blank(Shape.choices), required=False)
    width_cm = forms.DecimalField(
        label=_("width (cm)"), required=False, max_digits=6, decimal_places=1, min_value=1, max_value=2000
    )
    height_cm = forms.DecimalField(
        label=_("height (cm)"), required=False, max_digits=6, decimal_places=1, min_value=1, max_value=2000
    )
    ground_colour = forms.ChoiceField(
        label=_("ground colour"), choices=_blank(Colour.choices), required=False
    )
    text_colour = forms.ChoiceField(label=_("text colour"), choices=_blank(Colour.choices), required=False)
    typeface = forms.ChoiceField(label=_("typeface"), choices=_blank(Typeface.choices), required=False)
    material = forms.CharField(label=_("material"), max_length=60, required=False)
    languages = forms.MultipleChoiceField(
        label=_("languages"), choices=Language.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    photo = forms.FileField(
        label=_("photo"),
        required=False,
        help_text=_("Optional. A JPEG, PNG or WebP photo of at most 10 MB; it is resized on the server."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}
        ),
    )

    def __init__(self, *args, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list[tuple[str, str]]] = {Placement.OUTSIDE: [], Placement.INSIDE: []}
        self.kinds = {}
        for r in rules:
            value = f"{r.placement}|{r.name}"
            groups[r.placement].append((value, r.name))
            self.kinds[value] = r.kind
        self.fields["which"].choices = [
            (
                str(Placement.OUTSIDE.label),
                [
                    *groups[Placement.OUTSIDE],
                    (f"outside|{OTHER}", _("another plaque outside (not on the list)")),
                ],
            ),
            (
                str(Placement.INSIDE.label),
                [
                    *groups[Placement.INSIDE],
                    (f"inside|{OTHER}", _("another plaque inside (not on the list)")),
                ],
            ),
        ]

    def service_data(self) -> dict:
        d = dict(self.cleaned_data)
        placement, name = d.pop("which").split("|", 1)
        d.pop("photo", None)
        d["placement"] = placement
        d["rule_name"] = "" if name == OTHER else name
        d["kind"] = self.kinds.get(f"{placement}|{name}", SignKind.PLAQUE)
        return d

    @classmethod
    def initial_from(cls, plaque) -> dict:
        which = f"{plaque.placement}|{plaque.rule_name or OTHER}"
        return {
            "which": which,
            **{
                f: getattr(plaque, f)
                for f in (
                    "text",
                    "room",
                    "owner_department",
                    "shape",
                    "width_cm",
                    "height_cm",
                    "ground_colour",
                    "text_colour",
                    "typeface",
                    "material",
                    "languages",
                )
            },
        }


class RemovalForm(forms.Form):
    removed_on = forms.DateField(label=_("removed on"), widget=DATE)
    note = forms.CharField(label=_("note"), max_length=300, required=False)
    photo = forms.FileField(
        label=_("photo after removal"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}
        ),
    )


class RuleForm(forms.Form):
    placement = forms.ChoiceField(label=_("placement"), choices=Placement.choices)
    kind = forms.ChoiceField(label=_("kind"), choices=SignKind.choices)
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=999, initial=0)
    name = forms.CharField(label=_("name"), max_length=100)
    organ = forms.CharField(label=_("organisation named on the plaque"), max_length=60, required=False)
    required = forms.BooleanField(label=_("required"), required=False)
    ground_colour = forms.ChoiceField(
        label=_("ground colour"), choices=_blank(Colour.choices), required=False
    )
    text_colour = forms.ChoiceField(label=_("text colour"), choices=_blank(Colour.choices), required=False)
    typeface = forms.ChoiceField(label=_("typeface"), choices=_blank(Typeface.choices), required=False)
    shapes = forms.CharField(
        label=_("allowed shapes and sizes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            'e.g. [{"shape": "strip", "width": [30, 40], "height": [180, 250]}] (cm); empty: not checked'
        ),
    )
    size = forms.CharField(label=_("size"), max_length=120, required=False)
    material = forms.CharField(label=_("material"), max_length=60, required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.CharField(label=_("source"), max_length=200)


class PublishForm(forms.Form):
    effective_from = forms.DateField(label=_("effective from"), widget=DATE)
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class MechanismForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=120)
    kind = forms.ChoiceField(label=_("kind"), choices=MechanismKind.choices)
    set_up_by = forms.CharField(label=_("set up by (department)"), max_length=100)
    basis = forms.ChoiceField(label=_("basis"), choices=MechanismBasis.choices, widget=forms.RadioSelect)
    basis_reference = forms.CharField(label=_("basis reference"), max_length=300, required=False)
    provides_staff = forms.CharField(label=_("who provides the people"), max_length=200, required=False)
    provides_funding = forms.CharField(label=_("who provides the money"), max_length=200, required=False)
    is_new = forms.BooleanField(
        label=_("This is a new mechanism being asked for (not one that already exists)"), required=False
    )


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("approve")), ("0", _("reject"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
    reference = forms.CharField(label=_("approval reference"), max_length=300, required=False)


class CleanupForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("clean-up"), choices=[c for c in Cleanup.choices if c[0]], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("reason"), max_length=300)
    merged_into = forms.CharField(label=_("merged into"), max_length=120, required=False)
