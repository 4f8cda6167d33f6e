"""The coordinator workspace (brand hosts, /coordination/)."""

app_name = "coordination"
urlpatterns: list = []
