"""Works' pages: reading, posting, lists of works, co-creators. Views parse a form, call a
service, render or redirect; who may read what is decided in works.reading."""
