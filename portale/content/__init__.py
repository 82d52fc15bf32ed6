"""Content in: `content/` read, checked and turned into the archive the pages are made from.

- `load` and `frontmatter`: files to sources, every YAML value with its line;
- `schema` and `validate`: every problem of every file (`problems`: how a problem is told to an editor);
- `privacy`: consent, hidden names and contact data; `media`: the images and audio a file names;
- `markup`: Markdown bodies to safe HTML; `model`: the archive, links both ways; `memo`: what each file gave,
  remembered between builds; `slugs`.

Imports: `portale.common` only. Content knows nothing of pages, search or the build.
"""
