"""Browser tests: the built static site in Debian's Chromium."""
