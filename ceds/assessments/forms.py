from django import forms
from django.utils.translation import gettext_lazy as _

from ceds.accounts.models import User
from ceds.assessments.models import Assessment
from ceds.frameworks.models import FrameworkVersion, Section, newest_versions


class OpenAssessmentForm(forms.Form):
    framework_version = forms.ModelChoiceField(label=_("Framework"), queryset=FrameworkVersion.objects.none())
    period = forms.CharField(label=_("Period"), max_length=16, help_text=_("The year assessed, e.g. 2026."))
    carry_forward = forms.BooleanField(
        label=_("Start from the previous cycle's answers"),
        required=False,
        initial=True,
        help_text=_("Each carried answer is marked until someone confirms or changes it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].queryset = newest_versions()


class AssignForm(forms.Form):
    section = forms.ModelChoiceField(label=_("Section"), queryset=Section.objects.none())
    assignee = forms.ModelChoiceField(
        label=_("Colleague"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Leave empty to remove the assignment."),
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, assessment: Assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(framework_version=assessment.framework_version)
        self.fields["due_date"].help_text = _("The section is due by the end of this day in %(zone)s.") % {
            "zone": assessment.city.timezone
        }
        self.fields["assignee"].queryset = User.objects.filter(
            city_roles__city=assessment.city, city_roles__role__in=["coordinator", "contributor"]
        ).order_by("first_name", "email")


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"), required=False, help_text=_("PDF, image, Word, Excel, PowerPoint or OpenDocument; no macros.")
    )
    url = forms.URLField(label=_("or a link"), required=False, assume_scheme="https")

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(_("Attach a file or give a link (one of the two)."))
        return data


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mention a colleague with @ and their e-mail address to notify them."),
    )


class PublishForm(forms.Form):
    sharing = forms.ChoiceField(
        label=_("Share the results"),
        choices=[
            (Assessment.Sharing.NAMED, _("Named: in rankings, on the map and in peers' lists")),
            (Assessment.Sharing.ANONYMOUS, _("Anonymous: counted in peer statistics only")),
            (Assessment.Sharing.PRIVATE, _("Private: used by no one else")),
        ],
        widget=forms.RadioSelect,
    )


class WorkbookUploadForm(forms.Form):
    workbook = forms.FileField(label=_("Filled-in workbook (.xlsx)"))


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Printed in the amended report's errata note and sent to the city's team."),
    )
