"""How the gold portals are rendered, by concern: each CMS's URL scheme (``urls``), its page chrome and
markup (``markup``), the section's content (``content``) and the rest of the site with its sitemaps (``site``)."""
