from django.urls import path

from . import views

app_name = "images"
urlpatterns = [
    path("<int:rendition_id>/<str:filename>", views.serve_rendition, name="rendition"),
]
