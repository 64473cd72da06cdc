"""Write the ledger's golden vectors: ``python tests/vectors/generate.py``.

Each ``chain/*.json`` holds a ledger as stored (event rows and link rows, in
hex), an optional trusted checkpoint, and what verification must say: the
head it reaches and ``want_error`` (kind and position, or null). Known-answer
vectors also carry every link's exact message and hash. Corruptions are named
by operation and position (``modified-state-bit-@1`` changes the record at
notification position 1). The expected errors are written by hand in
``corruptions.py``, never computed by the verifier. Output is deterministic:
rerunning gives identical files.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from corruptions import EVENTS, Records, build, corruptions, hex_or_none

from ledger.chain import GENESIS, ChainRecord, link_message

OUT = Path(__file__).resolve().parent / "chain"


def record_json(record: ChainRecord) -> dict[str, object]:
    topic = record.topic
    return {
        "position": record.position,
        "originator_id": hex_or_none(record.originator_id),
        "originator_version": record.originator_version,
        "topic": topic,
        "topic_hex": None if topic is None else topic.encode().hex(),
        "state": hex_or_none(record.state),
        "prev_hash": hex_or_none(record.prev_hash),
        "hash": hex_or_none(record.hash),
    }


def head_before(records: Records, error: tuple[str, int] | None) -> dict[str, object]:
    """The last record before the error's position (or the last of all)."""
    limit = error[1] if error is not None else 1 << 64
    good = [r for r in records if r.position < limit]
    if not good:
        return {"position": 0, "hash": GENESIS.hex()}
    return {"position": good[-1].position, "hash": hex_or_none(good[-1].hash)}


def vector(
    desc: str, records: Records, checkpoint: object, error: tuple[str, int] | None
) -> dict[str, object]:
    return {
        "desc": desc,
        "format_version": 1,
        "records": [record_json(r) for r in records],
        "checkpoint": checkpoint,
        "want_head": head_before(records, error),
        "want_error": None
        if error is None
        else {"kind": error[0], "position": error[1]},
    }


def known_answer(desc: str, records: Records) -> dict[str, object]:
    """A vector that also spells out every link's message, with a coreutils recipe."""
    out = vector(desc, records, None, None)
    links = []
    for r in records:
        message = link_message(
            r.prev_hash or GENESIS,
            r.position,
            r.originator_id or b"",
            r.originator_version or 0,
            r.topic or "",
            r.state or b"",
        )
        links.append(
            {
                "position": r.position,
                "message": message.hex(),
                "link": hex_or_none(r.hash),
            }
        )
    out["want_links"] = links
    first = links[0]
    out["note"] = (
        f"printf '%s' '{first['message']}' | xxd -r -p | sha256sum  "
        f"# prints {first['link']}  -"
    )
    return out


def all_vectors() -> dict[str, dict[str, object]]:
    """Every vector by file stem."""
    base = build(EVENTS)
    out = {
        "known-answer-single": known_answer(
            "one event after genesis: the link is SHA-256 of the message", base[:1]
        ),
        "known-answer-chain": known_answer(
            "five events: each message starts with the link before it", base
        ),
    }
    for name, (desc, records, checkpoint, error) in corruptions().items():
        out[name] = vector(desc, records, checkpoint, error)
    return out


def write(directory: Path) -> list[Path]:
    """Write every vector into ``directory``; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in sorted(all_vectors().items()):
        path = directory / f"{name}.json"
        text = json.dumps(content, indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output directory")
    args = parser.parse_args()
    for path in write(args.out):
        print(path)


if __name__ == "__main__":
    main()
