app_name = "bibliography"
urlpatterns: list = []
