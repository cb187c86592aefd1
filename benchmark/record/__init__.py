"""Recording an audit: editions, audit blocks, probes from the command line, logs and mail.

Every module here turns what an auditor did into data files without hand-written YAML, and
changes an existing file only by inserting lines or replacing a value in place
(``yamltext``), so that comments, key order, quoting and layout stay as written.
"""
