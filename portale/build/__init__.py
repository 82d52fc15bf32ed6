"""The build and rebuild machinery: the pipeline and what makes a rebuild redo only what changed.

- `pipeline`: the build, stage by stage, the first file to read;
- `workspace`: one build's cache, memo, memory policy, page keys and index scheduling, behind one object;
- `cache` (`.cache/`), `inputs` (the key of every page), `write` (the staging folder, swapped in atomically),
  `memory` (what a large build gives back), `progress` (the counter on the terminal).

Imports: every layer below (`portale.search`, `portale.pages`, `portale.content`, `portale.common`), never the
editors' tools or the command line.
"""
