"""Scrapy spiders that find SPBE news on Indonesian portals and hand them to the store."""
