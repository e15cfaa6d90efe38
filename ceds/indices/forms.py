import base64
import binascii

from django import forms
from django.core import signing
from django.utils.translation import gettext_lazy as _

from ceds.indices.importer import MAX_BYTES
from ceds.indices.layouts import LAYOUTS

# How long a preview may wait for its confirmation.
PREVIEW_MAX_AGE = 3600
_SALT = "ceds.indices.preview"


class IndexUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("The CSV or Excel file as the publisher releases it (UN Data Center or a republication)."),
    )
    code = forms.ChoiceField(label=_("Index"), choices=[(code, layout.name) for code, layout in LAYOUTS.items()])
    year = forms.IntegerField(
        label=_("Edition year"),
        min_value=2001,
        max_value=2100,
        required=False,
        help_text=_("Leave empty when the file has a year column (e.g. “Survey Year”)."),
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=120,
        help_text=_("Shown on dashboards; the published name if empty."),
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=300)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB; an index edition is far smaller."))
        return upload


def sign_upload(data: bytes, cleaned: dict) -> str:
    """The previewed file and choices, signed, so the confirmation imports exactly what was previewed."""
    payload = {k: cleaned[k] for k in ("code", "year", "name", "source")}
    payload["data"] = base64.b64encode(data).decode()
    return signing.dumps(payload, salt=_SALT, compress=True)


class ConfirmImportForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_token(self) -> dict:
        try:
            payload = signing.loads(self.cleaned_data["token"], salt=_SALT, max_age=PREVIEW_MAX_AGE)
            payload["data"] = base64.b64decode(payload["data"])
        except signing.SignatureExpired:
            raise forms.ValidationError(_("The preview is more than an hour old; upload the file again.")) from None
        except (signing.BadSignature, KeyError, TypeError, binascii.Error):
            raise forms.ValidationError(_("The preview could not be read; upload the file again.")) from None
        if payload.get("code") not in LAYOUTS:
            raise forms.ValidationError(_("The preview could not be read; upload the file again."))
        return payload
