"""One spider per portal family: antara, infopublik, wordpress, sitemap."""
