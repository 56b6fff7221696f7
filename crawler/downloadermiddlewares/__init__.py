"""Downloader middlewares of the crawler, one per module (DOWNLOADER_MIDDLEWARES in crawler.settings)."""
