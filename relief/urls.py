app_name = "relief"

urlpatterns = []
