app_name = "specialists"

urlpatterns = []
