"""robots.txt: search engines may index the archive's works, tags and creators, but not its
searches, forms, downloads or feeds (endless URL spaces and heavy pages); crawlers that gather
text to train AI models are turned away, as writers on AO3 asked for.

Robots rules are a request, honoured by the crawlers that name themselves below; the site's
rate limits are what stop the rest.
"""

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# The user agents of crawlers that collect text for AI training or AI answers, as their
# operators document them (2026).
AI_CRAWLERS = [
    "GPTBot",
    "ChatGPT-User",
    "OAI-SearchBot",
    "ClaudeBot",
    "Claude-User",
    "Claude-SearchBot",
    "anthropic-ai",
    "CCBot",
    "Google-Extended",
    "Applebot-Extended",
    "Bytespider",
    "PerplexityBot",
    "Perplexity-User",
    "Meta-ExternalAgent",
    "Meta-ExternalFetcher",
    "FacebookBot",
    "Amazonbot",
    "cohere-ai",
    "cohere-training-data-crawler",
    "Diffbot",
    "omgili",
    "ImagesiftBot",
    "YouBot",
    "AI2Bot",
    "Ai2Bot-Dolma",
    "DuckAssistBot",
    "MistralAI-User",
    "PetalBot",
    "Timpibot",
    "Webzio-Extended",
]
# Paths no crawler should walk: searches and filters (endless), forms, downloads and feeds.
DISALLOWED = [
    "/works/search",
    "/searches",
    "/tags/autocomplete",
    "/users/login",
    "/signup",
    "/*/download/",
    "/*feed.atom",
    "/opds",
    "/*?*view_adult",
    "/*?*show_hidden",
]


def robots_rules() -> str:
    lines = []
    if not settings.FICSHELF_AI_CRAWLERS_ALLOWED:
        for agent in AI_CRAWLERS:
            lines.append(f"User-agent: {agent}")
        lines += ["Disallow: /", ""]
    lines.append("User-agent: *")
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    return "\n".join(lines) + "\n"


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def robots_txt(request):
    return HttpResponse(robots_rules(), content_type="text/plain; charset=utf-8")
