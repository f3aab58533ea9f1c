"""Read models computed from the log: checkpointed, exactly once, rebuildable from zero."""
