"""Scrapy extensions of the crawler (EXTENSIONS in crawler.settings)."""
