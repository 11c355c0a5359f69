import struct
import zlib

from benchmarks.novels import character_vector, read_novels


def _serialized(strings: list[str]) -> bytes:
    """An R character vector in R's serialization format 3 (XDR), as R writes it."""
    data = b"X\n" + struct.pack(">iii", 3, 0x040201, 0x030500) + struct.pack(">i", 5) + b"UTF-8"
    data += struct.pack(">ii", 16, len(strings))
    for string in strings:
        encoded = string.encode("utf-8")
        data += struct.pack(">ii", 0x00040009, len(encoded)) + encoded
    return data


def _database(*objects: bytes) -> bytes:
    return b"".join(struct.pack(">I", len(o)) + zlib.compress(o) for o in objects)


def test_a_character_vector_is_read_back():
    assert character_vector(_serialized(["EMMA", "", "Emma Woodhouse, née"])) == [
        "EMMA",
        "",
        "Emma Woodhouse, née",
    ]


def test_each_novel_of_the_database_is_found_by_its_first_line(tmp_path):
    path = tmp_path / "Rdata.rdb"
    path.write_bytes(
        _database(
            _serialized(["EMMA", "", "By Jane Austen", "", "Emma Woodhouse, handsome,"]),
            _serialized(["Persuasion", "", "Sir Walter Elliot"]),
            _serialized(["not a novel"]),
        )
    )
    novels = read_novels(path)
    assert set(novels) == {"Emma", "Persuasion"}
    assert novels["Emma"] == "EMMA\n\nBy Jane Austen\n\nEmma Woodhouse, handsome,\n"
