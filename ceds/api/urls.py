from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ceds.api import views as v

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("frameworks/", v.FrameworkList.as_view(), name="frameworks"),
    path("frameworks/<slug:framework>/<int:version>/", v.FrameworkDetail.as_view(), name="framework"),
    path("cities/", v.CityList.as_view(), name="cities"),
    path("cities/<slug:slug>/", v.CityDetail.as_view(), name="city"),
    path("cities/<slug:slug>/profile/", v.CityProfileUpdate.as_view(), name="city_profile"),
    path("cities/<slug:slug>/budgets/<int:year>/", v.CityBudgetUpdate.as_view(), name="city_budget"),
    path("assessments/", v.AssessmentList.as_view(), name="assessments"),
    path("assessments/<int:pk>/", v.AssessmentDetail.as_view(), name="assessment"),
    path("assessments/<int:pk>/submit/", v.Submit.as_view(), name="submit"),
    path("assessments/<int:pk>/return/", v.Return.as_view(), name="return"),
    path("assessments/<int:pk>/validate/", v.Validate.as_view(), name="validate"),
    path("assessments/<int:pk>/publish/", v.Publish.as_view(), name="publish"),
    path("assessments/<int:pk>/reopen/", v.Reopen.as_view(), name="reopen"),
    path("assessments/<int:pk>/answers/", v.AnswerList.as_view(), name="answers"),
    path("assessments/<int:pk>/answers/<str:code>/", v.AnswerDetail.as_view(), name="answer"),
    path("assessments/<int:pk>/targets/<str:code>/", v.TargetDetail.as_view(), name="target"),
    path("assessments/<int:pk>/scores/", v.Scores.as_view(), name="scores"),
    path("assessments/<int:pk>/scores/<str:key>/", v.Explanation.as_view(), name="explanation"),
    path("assessments/<int:pk>/benchmarks/", v.Benchmarks.as_view(), name="benchmarks"),
    path("assessments/<int:pk>/actions/", v.ActionList.as_view(), name="actions"),
    path("assessments/<int:pk>/plan/", v.PlanView.as_view(), name="plan"),
    path("assessments/<int:pk>/report.pdf", v.ReportPdf.as_view(), name="report"),
    path("modules/", v.ModuleList.as_view(), name="modules"),
    path("modules/<slug:code>/", v.ModuleDetail.as_view(), name="module"),
    path("practices/", v.PracticeList.as_view(), name="practices"),
    path("practices/<slug:code>/", v.PracticeDetail.as_view(), name="practice"),
    path("open-data/", v.OpenDataIndex.as_view(), name="open_data"),
    path("open-data/<slug:framework>/dictionary/", v.OpenDataDictionary.as_view(), name="open_data_dictionary"),
    path("open-data/<slug:framework>/<str:period>.csv", v.OpenDataCsv.as_view(), name="open_data_csv"),
    path("open-data/<slug:framework>/<str:period>.json", v.OpenDataJson.as_view(), name="open_data_json"),
    path("open-data/<slug:framework>/<str:period>.xlsx", v.OpenDataXlsx.as_view(), name="open_data_xlsx"),
    path("indices/", v.IndexList.as_view(), name="indices"),
    path("indices/<slug:code>/<int:year>/", v.IndexValues.as_view(), name="index_values"),
    # Anything else under /api/v1/ is a problem document too (never Django's HTML 404 page).
    re_path(r"^", v.NotFound.as_view(), name="not_found"),
]
