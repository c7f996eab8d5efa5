from django.urls import path

from . import views

app_name = "trainings"
urlpatterns = [
    path("trainings/my/", views.my_courses, name="my_courses"),
    path("trainings/<int:course_id>/enrol/", views.enrol, name="enrol"),
    path("trainings/<int:course_id>/leave/", views.leave, name="leave"),
    path("trainings/<int:course_id>/pack.zip", views.course_pack, name="pack"),
]
