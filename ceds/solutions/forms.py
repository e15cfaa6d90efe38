from django import forms
from django.utils.translation import gettext_lazy as _

from ceds.solutions.models import Action


class ActionForm(forms.ModelForm):
    linked = forms.CharField(
        label=_("Linked items"), required=False, help_text=_("Item codes separated by commas, e.g. GM-03, PS-05.")
    )

    class Meta:
        model = Action
        fields = ["title", "owner", "due_date", "status", "note"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, item_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.item_codes = set(item_codes)
        if self.instance.pk:
            self.fields["linked"].initial = ", ".join(self.instance.linked_items)

    def clean_linked(self):
        codes = [c.strip().upper() for c in self.cleaned_data["linked"].split(",") if c.strip()]
        unknown = [c for c in codes if c not in self.item_codes]
        if unknown:
            raise forms.ValidationError(_("Not items of this framework: %(codes)s") % {"codes": ", ".join(unknown)})
        return codes
