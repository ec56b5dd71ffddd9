"""Pictures: speaker photos, organisation logos, meeting and series banners.

An upload is decoded, checked and re-encoded at a few sizes once; the variants live in the
database (every process reads them) and are served at a content-hash URL that never changes.
Nothing an uploader sent is ever served as is.
"""
