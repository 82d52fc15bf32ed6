"""The web editor: Decap CMS's configuration and the JSON Schemas, both made from the content schema in the code
(content/schema.py and content/labels.py), and the `admin/` page that loads the vendored CMS."""
