"""Helpers the tests share: real servers on 127.0.0.1, a throwaway PostgreSQL cluster, the
CLI run as a child process, trackers built on a database URL, and polling with a deadline.

Test modules import from here and never from one another."""
