"""AO3's limits on works and chapters (otwarchive ArchiveConfig), in one place."""

TITLE_MAX = 255
SUMMARY_MAX = 1_250
NOTES_MAX = 5_000
CHAPTER_TEXT_MAX = 510_000
FREEFORM_TAGS_MAX = 75
# All tags on a work together (fandoms, relationships, characters, additional tags).
TAGS_MAX = 150
EXPECTED_CHAPTERS_MAX = 5_000
