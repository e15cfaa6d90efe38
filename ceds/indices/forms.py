from django import forms
from django.utils.translation import gettext_lazy as _


class IndexUploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("Columns: country, rank, then one column per value"))
    code = forms.SlugField(label=_("Index code"), initial="egdi", max_length=20)
    year = forms.IntegerField(label=_("Edition year"), min_value=2001, max_value=2100)
    name = forms.CharField(label=_("Name"), initial="UN E-Government Development Index", max_length=120)
    source = forms.CharField(label=_("Source"), required=False, max_length=300)
