"""cxray's text layer on the reference's own comments (src/bench/comment-labels.ts, run by node).

Language detection, VADER 3.3.2 sentiment and theme assignment are cxray's
own text algorithms (a VADER port, a language check and a concept lexicon),
not re-implemented here: the reference writes its comments to a JSON file,
the TypeScript step writes what src/text says of them, and the reference
reads that back. So the reference still reads and forms its comments itself
and the agreement checks everything downstream of the text layer.

The step runs under tsx from the repository's node_modules (a devDependency);
`CXRAY_NODE` names another node binary.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))
LABELLER = os.path.join(REPO, 'src', 'bench', 'comment-labels.ts')


def ask(request: dict) -> dict:
    """One request (step `read` or `themes`) answered by the TypeScript step."""
    node = os.environ.get('CXRAY_NODE') or shutil.which('node')
    if node is None:
        raise SystemExit('node is not on PATH: the comments step runs cxray\'s text layer (src/bench/comment-labels.ts) with it')
    with tempfile.TemporaryDirectory(prefix='cxray-comment-labels-') as folder:
        asked, answered = os.path.join(folder, 'request.json'), os.path.join(folder, 'answer.json')
        with open(asked, 'w', encoding='utf-8') as f:
            json.dump(request, f, ensure_ascii=False)
        done = subprocess.run([node, '--import', 'tsx', LABELLER, asked, answered], cwd=REPO, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f'the text labels step failed (exit {done.returncode}): ' + '\n'.join(done.stderr.strip().split('\n')[-8:]))
        with open(answered, encoding='utf-8') as f:
            return json.load(f)
