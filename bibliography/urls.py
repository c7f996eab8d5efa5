from django.urls import path

from . import views

app_name = "bibliography"
urlpatterns = [
    path("", views.browse_view, name="browse"),
    path("export/<str:fmt>/", views.list_export, name="export"),
    path("compiled/", views.compiled_view, name="compiled"),
    path("compiled.pdf", views.compiled_pdf, name="compiled_pdf"),
    path("<int:pk>/", views.entry_view, name="entry"),
    path("<int:pk>/export/<str:fmt>/", views.entry_export, name="entry_export"),
    path("<int:pk>/cite/<str:style>/", views.entry_citation, name="entry_citation"),
]
