"""Search: a Pagefind bundle per territory, and one for its texts in Chinese or Japanese, made from the written pages.

- `index`: runs Pagefind per bundle as soon as the territory's pages are written, keeps unchanged bundles;
- `mirror`: the copy of the pages Pagefind reads, one per bundle, each page in its language;
- `seed` and `order`: a re-indexed bundle starts from the live one; its files sorted and named by content, so two
  builds are byte-identical.

Imports: `portale.content` and `portale.common`. Search knows nothing of pages or of the build.
"""
