"""Search: one Pagefind bundle per territory, made from the written pages.

- `index`: runs Pagefind per territory as soon as its pages are written, keeps unchanged bundles;
- `mirror`: the copy of the pages Pagefind reads, prepared for Italian;
- `seed` and `order`: a re-indexed bundle starts from the live one; its files sorted and named by content, so two
  builds are byte-identical.

Imports: `portale.content` and `portale.common`. Search knows nothing of pages or of the build.
"""
