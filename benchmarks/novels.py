"""Edited, published fiction to measure the checker's silence on: Jane Austen's six novels.

The texts come from Debian's `r-cran-janeaustenr` (Julia Silge's janeaustenr, MIT; the novels
are Project Gutenberg's, in the public domain). Nothing is downloaded at run time; put the
package's files in place once, either installed (it pulls in R) or only unpacked:

    apt-get install r-cran-janeaustenr
    # or, without R:
    apt-get download r-cran-janeaustenr && dpkg-deb -x r-cran-janeaustenr_*.deb var/janeaustenr

The package keeps each novel as an R character vector (one element a line of the Gutenberg
text) in R's lazy-load database `data/Rdata.rdb`: a run of zlib-compressed objects, each in R's
serialization format (version 3, XDR). `read_novels` reads those vectors; nothing else of the
format is needed.
"""

import struct
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLACES = (
    Path("/usr/lib/R/site-library/janeaustenr"),
    ROOT / "var" / "janeaustenr" / "usr" / "lib" / "R" / "site-library" / "janeaustenr",
)
# Each novel's first line, as the package has it, to its title.
TITLES = {
    "SENSE AND SENSIBILITY": "Sense and Sensibility",
    "PRIDE AND PREJUDICE": "Pride and Prejudice",
    "MANSFIELD PARK": "Mansfield Park",
    "EMMA": "Emma",
    "NORTHANGER ABBEY": "Northanger Abbey",
    "PERSUASION": "Persuasion",
}
_STRSXP, _CHARSXP = 16, 9
_NA_LENGTH = -1


class NotInstalled(LookupError):
    """The janeaustenr data is not on this machine."""


def data_file() -> Path:
    for place in PLACES:
        path = place / "data" / "Rdata.rdb"
        if path.exists():
            return path
    raise NotInstalled(
        "Jane Austen's novels are not here: apt-get download r-cran-janeaustenr && "
        "dpkg-deb -x r-cran-janeaustenr_*.deb var/janeaustenr"
    )


def character_vector(data: bytes) -> list[str] | None:
    """The strings of one serialized R object, if it is a character vector (else None)."""
    if data[:2] != b"X\n":
        return None
    version = struct.unpack_from(">i", data, 2)[0]
    pos = 14  # format version, writer's R version, oldest R version that reads it
    if version == 3:
        encoding_length = struct.unpack_from(">i", data, pos)[0]
        pos += 4 + encoding_length
    flags, length = struct.unpack_from(">ii", data, pos)
    pos += 8
    if flags & 0xFF != _STRSXP:
        return None
    strings = []
    for _ in range(length):
        flags, size = struct.unpack_from(">ii", data, pos)
        pos += 8
        if flags & 0xFF != _CHARSXP:
            return None
        if size == _NA_LENGTH:
            strings.append("")
            continue
        strings.append(data[pos : pos + size].decode("utf-8"))
        pos += size
    return strings


def objects(database: bytes):
    """Each object of a lazy-load database, decompressed: a 4-byte length, then zlib."""
    pos = 0
    while pos + 4 < len(database):
        inflater = zlib.decompressobj()
        yield inflater.decompress(database[pos + 4 :])
        pos = len(database) - len(inflater.unused_data)


def read_novels(path: Path | None = None) -> dict[str, str]:
    """Each novel's title to its text (lines joined by newlines, as Gutenberg wraps them)."""
    novels = {}
    for data in objects((path or data_file()).read_bytes()):
        lines = character_vector(data)
        if not lines:
            continue
        first = next((line.strip() for line in lines if line.strip()), "")
        if first.upper() in TITLES:
            novels[TITLES[first.upper()]] = "\n".join(lines).strip() + "\n"
    return novels
