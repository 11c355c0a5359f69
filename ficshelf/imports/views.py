from django.http import HttpResponse


def import_work(request):  # replaced by the imports work
    return HttpResponse("Import is being built.", status=503)
