from django.urls import path

from ceds.assessments import views

app_name = "assessments"
urlpatterns = [
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sections/<str:code>/", views.section, name="section"),
    path("<int:pk>/sections/<str:code>/target/", views.save_target, name="target"),
    path("<int:pk>/items/<str:code>/", views.save_item, name="save_item"),
    path("<int:pk>/items/<str:code>/history/", views.item_history, name="history"),
    path("<int:pk>/items/<str:code>/evidence/", views.add_evidence, name="add_evidence"),
    path("<int:pk>/items/<str:code>/comments/", views.add_comment, name="add_comment"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.download_evidence, name="evidence"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/review/", views.review, name="review"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/archive/", views.archive, name="archive"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/workbook.xlsx", views.workbook_download, name="workbook"),
    path("<int:pk>/import/", views.workbook_import, name="import"),
]
