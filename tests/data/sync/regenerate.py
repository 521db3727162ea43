"""Regenerate the golden sync bundle and its expected values (TEST KEY ONLY).

Run from the repository root: ``.venv/bin/python -m tests.data.sync.regenerate``. Only do this
when the format changes on purpose; then update the test vectors in docs/sync-format.md.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.unit.sync_format.sync_factories import (
    ID_NUMBERS,
    TEST_CENTRE_KEY,
    TEST_SECRET,
    chain,
    export_header,
    export_parts,
)
from timebank_desktop.domain.memberkey import member_key
from timebank_desktop.exports.sync import read_bundle, write_bundle

HERE = Path(__file__).parent
BUNDLE = HERE / "golden-centre-export.tbsync"
EXPECTED = HERE / "golden-centre-export.json"
GOLDEN_COUNT = 3


def main() -> None:
    links = chain(GOLDEN_COUNT)
    written = write_bundle(BUNDLE, export_header(links), export_parts(links), TEST_CENTRE_KEY)
    public = TEST_CENTRE_KEY.public_key()
    bundle = read_bundle(BUNDLE, [public])
    import zipfile

    with zipfile.ZipFile(BUNDLE) as archive:
        signature = archive.read("signature").decode("ascii")
        manifest_raw = archive.read("manifest.json")
    expected = {
        "test_private_key_hex": TEST_CENTRE_KEY.hex(),
        "public_key_hex": public.hex(),
        "fingerprint": public.fingerprint,
        "member_key_secret_hex": TEST_SECRET.hex(),
        "member_keys": {n: member_key(TEST_SECRET, n) for n in ID_NUMBERS},
        "manifest_sha256": hashlib.sha256(manifest_raw).hexdigest(),
        "signature": signature,
        "parts": {p.name: p.sha256 for p in bundle.parts},
        "tx_hashes": [digest for _tx, _prev, digest in links],
        "memo_sha256": [row["memo_sha256"] for row in bundle.rows("transactions.jsonl")],
        "file_sha256": written.file_sha256,
    }
    EXPECTED.write_text(json.dumps(expected, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(json.dumps(expected, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
