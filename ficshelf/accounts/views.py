from django.http import HttpResponse


def signup(request):  # replaced by the accounts work
    return HttpResponse("Sign-up is being built.", status=503)


profile = user_works = pseud = signup
