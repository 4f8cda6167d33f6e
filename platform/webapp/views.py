from django.shortcuts import render


def home(request):
    """The brand's home page (the volunteer app grows from here)."""
    return render(request, "webapp/home.html")
