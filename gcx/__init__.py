"""The Grand Challenges command line, gcx."""
